"""Commands that build and maintain the catalogs: init, extract, update, compile, import, build."""

from __future__ import annotations

from pathlib import Path

import click

from i18n_pipeline.cli.base import State, locked, main, print_report


@main.command()
@click.option("--document", "document", metavar="ID", help="Only this document.")
@click.pass_obj
def extract(state: State, document: str | None) -> None:
    """Write one POT template per source document to catalogs/templates/."""
    from i18n_pipeline.project import extract as run, load_documents

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
    from i18n_pipeline.project import load_documents, update as run

    with locked(state):
        # Without --document the sources are read inside update, which can split a large project over cores.
        report = run(state.config, load_documents(state.config, document) if document else None)
    print_report(report)
    for path, counts in report.stats.items():
        if path in report.written:
            summary = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
            click.echo(f"  {path}: {summary or 'no message changes'}")


@main.command("compile")
@click.option("--locale", metavar="L", help="Only this locale.")
@click.option("--document", "document", metavar="ID", help="Only this document.")
@click.pass_obj
def compile_(state: State, locale: str | None, document: str | None) -> None:
    """Write MO files (final translations only; fuzzy drafts are skipped)."""
    from i18n_pipeline.gettext.compile import compile_project

    with locked(state):
        report = compile_project(state.config, locale=locale, document=document)
    print_report(report)


@main.command("import")
@click.argument("text_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--document", "document", metavar="ID", required=True, help="The source document the text translates.")
@click.option("--locale", metavar="L", required=True, help="Language of the translated part (e.g. es).")
@click.option("--overwrite", is_flag=True, help="Replace existing final translations that differ.")
@click.pass_obj
def import_(state: State, text_file: Path, document: str, locale: str, overwrite: bool) -> None:
    """Import an existing bilingual text (source part, then the translated part) as final translations.

    Questions and paragraphs are aligned by structure; `Source / Translation`
    lines give inline pairs. Anything that cannot be aligned is listed and
    left untranslated.
    """
    from i18n_pipeline.config import validate_locale
    from i18n_pipeline.sources.importer import import_translations

    locale = validate_locale(locale, "--locale")
    with locked(state):
        report = import_translations(state.config, text_file, document, locale, overwrite=overwrite)
    alignment = report.alignment
    click.echo(f"{report.path}: {len(report.imported)} imported, {len(report.kept)} already there, {len(alignment.unaligned_keys)} without translation")
    for key in alignment.unaligned_keys:
        click.echo(f"  untranslated: {key}")
    for key in report.conflicts:
        click.echo(f"  kept existing translation (differs; use --overwrite): {key}")
    for line in alignment.unused_lines:
        click.echo(f"  {text_file}:{line.number}: not aligned: {line.text[:70]}")
    for problem in alignment.problems:
        click.echo(f"  {text_file}: {problem}")


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--name", default=None, help="Project name (default: the folder name).")
@click.option("--source-locale", default="en", show_default=True, help="Language the documents are written in.")
@click.option("--locale", "locales", multiple=True, default=("es",), show_default=True, help="Target locale (repeatable).")
def init(folder: Path, name: str | None, source_locale: str, locales: tuple[str, ...]) -> None:
    """Create a new project (config, folders, one example document) in an empty FOLDER."""
    from i18n_pipeline.scaffold import init_project

    created = init_project(folder, name=name or folder.resolve().name, source_locale=source_locale, locales=list(locales))
    for path in created:
        click.echo(f"created {path}")
    click.echo("next: edit source/, then run 'i18n-pipeline build'")


@main.command()
@click.pass_obj
def build(state: State) -> None:
    """Run the offline pipeline: extract, update, (draft if configured), status, render."""
    from i18n_pipeline.build import build_project

    with locked(state):
        result = build_project(state.config)
    for line in result.lines:
        click.echo(line)
    if result.exit_code:
        raise SystemExit(result.exit_code)
