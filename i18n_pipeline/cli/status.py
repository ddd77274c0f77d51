"""Commands of the status stage: ``status`` (coverage) and ``check`` (quality).

Only option parsing and output here; the work is in ``report/status.py`` and
``report/checks/``. Those are imported inside the commands so ``--help`` stays fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from i18n_pipeline.choices import CHECK_FORMATS, GROUPINGS, STATUS_FORMATS
from i18n_pipeline.cli.base import QUIET, State, common_options, format_option, main
from i18n_pipeline.errors import EXIT_FAILED_CHECK


@main.command()
@common_options
@format_option(STATUS_FORMATS, "Output format: table, json, csv, markdown (for a PR comment; no images) or html (a self-contained page).")
@click.argument("po_files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path), metavar="[PO_FILE]...")
@click.option("--locale", metavar="L", help="Only this locale (es, ES and es-MX are understood).")
@click.option("--document", metavar="ID", help="Only this document.")
@click.option("--by", type=click.Choice(GROUPINGS), default="document", show_default=True,
              help="One row per locale, per document (catalog) or per FAQ item.")
@click.option("--fail-under", type=click.FloatRange(0, 100), metavar="PERCENT",
              help="Exit 1 when a locale's coverage (by messages) is below PERCENT, listing what is missing.")
@click.option("--missing", is_flag=True,
              help="List every untranslated, fuzzy or needs-review message with its key and source reference.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file (atomically) instead of printing it.")
@click.pass_obj
def status(
    state: State,
    fmt: str,
    po_files: tuple[Path, ...],
    locale: str | None,
    document: str | None,
    by: str,
    fail_under: float | None,
    missing: bool,
    output: Path | None,
) -> None:
    """Show how much is translated, waiting for review or missing.

    Without PO_FILE it reports the project's catalogs (a catalog not created
    yet counts as all untranslated); with PO_FILE it reports those files, from
    any project, taking the locale from each file's Language header, else
    from its path (.../lv/LC_MESSAGES/...).

    States: translated (final), needs_review (an unedited draft), fuzzy (the
    source changed, or a person edited a draft), untranslated; the same for
    every command; counts match `msgfmt --statistics`. Words are source
    words, counted as pocount does.

    \b
    Examples:
      i18n-pipeline status
      i18n-pipeline status --by item --locale es --missing
      i18n-pipeline status --fail-under 90 --format markdown -o status.md
      i18n-pipeline status catalogs/es/LC_MESSAGES/faq/learning-space.po
    """
    from i18n_pipeline.numbers import format_percent
    from i18n_pipeline.report import status as st

    config = None if po_files else state.config
    report = st.collect_status(config, locale=locale, document=document, paths=list(po_files) or None)

    html: dict[str, object] = {}
    if fmt == "html" and config is not None:
        from i18n_pipeline.publish.render import publishing

        html = {"project": config.project_name, "publishing": publishing(config)}
    if output is not None:
        from i18n_pipeline.fileio import atomic_write

        text = st.render(report, fmt, by=by, missing=missing, **html)
        changed = atomic_write(output, text)
        state.say(f"{'wrote' if changed else 'unchanged'} {output}")
    elif fmt == "table" and sys.stdout.isatty():
        from rich.console import Console

        Console().print(st.render_rich(report, by=by, missing=missing))
    else:
        click.echo(st.render(report, fmt, by=by, missing=missing, **html), nl=False)

    if fail_under is not None:
        failing = report.failing(fail_under)
        if failing:
            for name, counts in failing.items():
                click.echo(
                    f"coverage of {name} is {format_percent(counts.percent_translated)} "
                    f"({counts.translated}/{counts.total} messages), below {fail_under:g}%",
                    err=True,
                )
            for catalog, message in report.missing():
                if catalog.locale in failing:
                    where = f"{catalog.path}:{message.line}" if message.line else catalog.path
                    ref = f" ({message.reference})" if message.reference else ""
                    click.echo(f"  {st.STATE_LABELS[message.state]}: {message.key} {where}{ref}", err=True)
            sys.exit(EXIT_FAILED_CHECK)


@main.command()
@common_options
@format_option(CHECK_FORMATS, "Output format: table, json, csv or markdown (for a PR comment).")
@click.argument("po_files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path), metavar="[PO_FILE]...")
@click.option("--locale", metavar="L", help="Only this locale (es, ES and es-MX are understood).")
@click.option("--document", metavar="ID", help="Only this document.")
@click.option("--include-fuzzy", is_flag=True, help="Also check drafts and fuzzy entries, not only final translations.")
@click.pass_obj
def check(
    state: State, fmt: str, po_files: tuple[Path, ...], locale: str | None, document: str | None, include_fuzzy: bool
) -> None:
    """Check translations for real mistakes before anything is published.

    Without PO_FILE it checks the project's catalogs; with PO_FILE it checks
    those files, from any project, taking the locale from each file's
    Language header, else from its path (.../lv/LC_MESSAGES/...).

    Errors (exit 1): everything `msgfmt -c` rejects (python-format,
    python-brace-format and c-format directives per the entry's flags, a
    leading/trailing newline on one side only, a bad Plural-Forms header or
    the wrong number of plural forms), control characters, lost URLs, email
    addresses, numbers (read with each locale's digit grouping; 6 p.m. may
    become 18:00), {placeholders}, Markdown links/code/emphasis,
    do-not-translate terms, Spanish ¿/¡ marks, empty plural forms, problems
    recorded while drafting. Warnings: small numbers written as words,
    leading/trailing spaces, line breaks, ending punctuation, double spaces,
    a sentence left identical to the source, glossary terms not used.

    Silence a check for one entry with a PO flag: `#, no-check-urls`
    (or `ignore-urls`, or `no-check-all`). Project-wide: `check: {disable:
    [...], severity: {name: warning}}` in i18n-pipeline.yaml.

    \b
    Examples:
      i18n-pipeline check
      i18n-pipeline check --locale es --include-fuzzy
      i18n-pipeline check --format json
      i18n-pipeline check vendor/locale/lv/LC_MESSAGES/app.po
    """
    from i18n_pipeline.report import checks

    if po_files:
        report = checks.check_po_files(list(po_files), locale=locale, document=document, include_fuzzy=include_fuzzy)
    else:
        report = checks.check_project(state.config, locale=locale, document=document, include_fuzzy=include_fuzzy)
    if fmt != "table" or report.problems or state.verbosity > QUIET:
        click.echo(checks.render(report, fmt), nl=False)
    if report.errors:
        sys.exit(EXIT_FAILED_CHECK)
