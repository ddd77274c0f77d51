"""Commands that build and maintain the catalogs: init, extract, update, compile, import, build."""

from __future__ import annotations

import click

from .base import State, locked, main, print_report


@main.command()
@click.option("--document", "document", metavar="ID", help="Only this document.")
@click.pass_obj
def extract(state: State, document: str | None) -> None:
    """Write one POT template per source document to catalogs/templates/."""
    from ..project import extract as run, load_documents

    with locked(state):
        report = run(state.config, load_documents(state.config, document))
    print_report(report)


@main.command()
@click.option("--document", "document", metavar="ID", help="Only this document.")
@click.pass_obj
def update(state: State, document: str | None) -> None:
    """Create or update the PO catalogs from the sources (msgmerge semantics).

    Changed source text keeps its translation as fuzzy with the old text as
    `#| msgid`; removed messages become obsolete and come back if the text
    returns; new messages get a translation-memory suggestion when one scores
    above memory.threshold (always fuzzy, marked as a draft).
    """
    from ..project import extract as run_extract, load_documents, update as run

    with locked(state):
        documents = load_documents(state.config, document)
        run_extract(state.config, documents)
        report = run(state.config, documents)
    print_report(report)
    for path, counts in report.stats.items():
        if path in report.written:
            summary = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
            click.echo(f"  {path}: {summary or 'no message changes'}")
