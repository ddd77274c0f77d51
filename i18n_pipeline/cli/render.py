"""Commands of the render stage (registered on the main group)."""

from __future__ import annotations

from pathlib import Path

import click

from i18n_pipeline.choices import LAYOUTS, MODES, PAGE_FORMATS, REPORT_FORMATS
from i18n_pipeline.cli.base import VERBOSE, State, common_options, locked, main, to_json


@main.command()
@common_options
@click.option("--format", "report_formats", type=click.Choice((*REPORT_FORMATS, *PAGE_FORMATS)), multiple=True,
              help="Report format: table (default) or json. For compatibility html, md and txt here mean --page-format.")
@click.option("--json", "as_json", is_flag=True, hidden=True, help="Deprecated: use --format json.")
@click.option("--document", "document", metavar="ID", help="Only this document.")
@click.option("--page", "page", metavar="ID", help="Only this page of the config's 'pages:' (several documents in one file).")
@click.option("--locale", metavar="L", help="Only this language (bilingual layouts: the pairs that include it).")
@click.option("--mode", type=click.Choice(MODES), default="final", show_default=True,
              help="final: reviewed translations only. preview: drafts shown in place, flagged, under OUT/preview/.")
@click.option("--page-format", "formats", type=click.Choice(PAGE_FORMATS), multiple=True,
              help="Page format (repeatable; default: render.formats, else all).")
@click.option("--layout", "layouts", type=click.Choice(LAYOUTS), multiple=True,
              help="Layout (repeatable; default: render.layouts, else all).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: output_dir from the config, 'out/').")
@click.option("--allow-incomplete", is_flag=True,
              help="Exit 0 even when the policy withholds a language version (it is still withheld).")
@click.option("--no-cache", is_flag=True,
              help="Render every page, even those the render cache (.i18n-pipeline-cache/render/) says are up to date.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes rendering documents side by side (the output is the same).")
@click.pass_obj
def render(
    state: State,
    report_formats: tuple[str, ...],
    as_json: bool,
    document: str | None,
    page: str | None,
    locale: str | None,
    mode: str,
    formats: tuple[str, ...],
    layouts: tuple[str, ...],
    out: Path | None,
    allow_incomplete: bool,
    no_cache: bool,
    jobs: int,
) -> None:
    """Write finalized pages for publishers: one file per document, layout, language(s) and format.

    Paths: OUT/<doc-id>/<layout>/<locales>.<format>, e.g.
    out/faq/learning-space/sequential/en-es.html; pages of the config's
    'pages:' under OUT/pages/<page-id>/...; an announcement's event as
    OUT/<doc-id>/event.<locale>.ics (previews under OUT/preview/ with a
    .preview suffix). Without --document or --page: every document and page.

    Policy (render.policy, documents.<id>.policy or the document's policy:):
    strict (publish a language only when every message is reviewed),
    fallback (missing text shown in the source language, marked), or a
    percentage (default 80: publish with marked fallbacks when at least 80%
    is reviewed). A withheld version exits 1 unless --allow-incomplete.

    \b
    Examples:
      i18n-pipeline render
      i18n-pipeline render --document faq/learning-space --layout sequential --page-format html
      i18n-pipeline render --mode preview --locale es
      i18n-pipeline render --allow-incomplete --format json
    """
    from i18n_pipeline.publish.render import render_project, summary_lines

    fmt = "json" if as_json or "json" in report_formats else "table"
    formats = (*formats, *(f for f in report_formats if f in PAGE_FORMATS))
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
            use_cache=not no_cache,
            jobs=jobs,
        )
    if fmt == "json":
        click.echo(to_json(report.as_dict()))
    else:
        for line in summary_lines(report, verbose=state.verbosity >= VERBOSE):
            state.say(line)
    if report.failed:
        click.echo("error: some language versions were withheld by the publishing policy (see above); "
                   "pass --allow-incomplete to accept that", err=True)
        raise SystemExit(1)
