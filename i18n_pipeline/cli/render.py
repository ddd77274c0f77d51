"""Commands of the render stage (registered on the main group)."""

from __future__ import annotations

from pathlib import Path

import click

from i18n_pipeline.cli.base import State, locked, main

LAYOUT_CHOICES = ("single", "sequential", "interleaved", "side-by-side")
FORMAT_CHOICES = ("html", "md", "txt")


@main.command()
@click.option("--document", "document", metavar="ID", help="Only this document.")
@click.option("--page", "page", metavar="ID", help="Only this page of the config's 'pages:' (several documents in one file).")
@click.option("--locale", metavar="L", help="Only this language (bilingual layouts: the pairs that include it).")
@click.option("--mode", type=click.Choice(("final", "preview")), default="final", show_default=True,
              help="final: reviewed translations only. preview: drafts shown in place, flagged, under build/preview/.")
@click.option("--format", "formats", type=click.Choice(FORMAT_CHOICES), multiple=True,
              help="Output format (repeatable; default: render.formats, else all).")
@click.option("--layout", "layouts", type=click.Choice(LAYOUT_CHOICES), multiple=True,
              help="Layout (repeatable; default: render.layouts, else all).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: output_dir from the config, 'build/').")
@click.option("--allow-incomplete", is_flag=True,
              help="Exit 0 even when the policy withholds a language version (it is still withheld).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--verbose", "-v", is_flag=True, help="List every file written and every message not shown in its language.")
@click.pass_obj
def render(
    state: State,
    document: str | None,
    page: str | None,
    locale: str | None,
    mode: str,
    formats: tuple[str, ...],
    layouts: tuple[str, ...],
    out: Path | None,
    allow_incomplete: bool,
    as_json: bool,
    verbose: bool,
) -> None:
    """Write finalized pages for publishers: one file per document, layout, language(s) and format.

    Paths: OUT/<doc-id>/<layout>/<locales>.<format>, e.g.
    build/faq/learning-space/sequential/en-es.html; pages of the config's
    'pages:' under OUT/pages/<page-id>/...; an announcement's event as
    OUT/<doc-id>/event.<locale>.ics (previews under OUT/preview/ with a
    .preview suffix). Without --document or --page: every document and page.

    Policy (render.policy, documents.<id>.policy or the document's policy:):
    strict (publish a language only when every message is reviewed),
    fallback (missing text shown in the source language, marked), or a
    percentage (default 80: publish with marked fallbacks when at least 80%
    is reviewed). A withheld version exits 1 unless --allow-incomplete.
    """
    from i18n_pipeline.publish.render import render_project, summary_lines

    with locked(state):
        report = render_project(
            state.config,
            document=document,
            page=page,
            locale=locale,
            mode=mode,
            formats=formats or None,
            layouts=layouts or None,
            out=out,
            allow_incomplete=allow_incomplete,
        )
    if as_json:
        import json

        click.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    else:
        for line in summary_lines(report, verbose=verbose):
            click.echo(line)
    if report.failed:
        click.echo("error: some language versions were withheld by the publishing policy (see above); "
                   "pass --allow-incomplete to accept that", err=True)
        raise SystemExit(1)
