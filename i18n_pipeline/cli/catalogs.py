"""Commands that build and maintain the catalogs: init, extract, update, compile, import, build."""

from __future__ import annotations

from pathlib import Path

import click

from i18n_pipeline.choices import REPORT_FORMATS
from i18n_pipeline.cli.base import State, common_options, format_option, locked, main, print_report, to_json


@main.command()
@common_options
@format_option(REPORT_FORMATS)
@click.option("--document", "document", metavar="ID", help="Only this document.")
@click.pass_obj
def extract(state: State, fmt: str, document: str | None) -> None:
    """Write one POT template per source document to catalogs/templates/.

    \b
    Examples:
      i18n-pipeline extract
      i18n-pipeline extract --document faq/learning-space --verbose
    """
    from i18n_pipeline.project import extract as run, load_documents

    with locked(state):
        report = run(state.config, load_documents(state.config, document))
    print_report(state, report, fmt)


@main.command()
@common_options
@format_option(REPORT_FORMATS)
@click.option("--document", "document", metavar="ID", help="Only this document.")
@click.pass_obj
def update(state: State, fmt: str, document: str | None) -> None:
    """Create or update the PO catalogs from the sources (msgmerge semantics).

    Changed source text keeps its translation as fuzzy with the old text as
    `#| msgid`; removed messages become obsolete and come back if the text
    returns; new messages get a translation-memory suggestion when one scores
    above memory.threshold (always fuzzy, marked as a draft).

    \b
    Examples:
      i18n-pipeline update
      i18n-pipeline update --document faq/learning-space
      i18n-pipeline update --format json
    """
    from i18n_pipeline.project import load_documents, update as run

    with locked(state):
        # Without --document, update reads the sources itself: only those its cache cannot vouch for.
        report = run(state.config, load_documents(state.config, document) if document else None)
    if fmt == "json":
        click.echo(to_json(report))
        return
    for path in report.written:
        counts = report.stats.get(path)
        if counts is None:
            state.say(f"wrote {path}")
        else:
            summary = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
            state.say(f"wrote {path}: {summary or 'no message changes'}")
    for path in report.unchanged:
        state.detail(f"unchanged {path}")
    state.say(f"{len(report.written)} file(s) written, {len(report.unchanged)} already up to date")
    for note in report.notes:
        state.say(f"note: {note}")


@main.command("compile")
@common_options
@format_option(REPORT_FORMATS)
@click.option("--locale", metavar="L", help="Only this locale (es, ES and es-MX are understood).")
@click.option("--document", "document", metavar="ID", help="Only this document.")
@click.pass_obj
def compile_(state: State, fmt: str, locale: str | None, document: str | None) -> None:
    """Write MO files for apps that use gettext (final translations only; drafts are left out).

    \b
    Examples:
      i18n-pipeline compile
      i18n-pipeline compile --locale es --document faq/learning-space
    """
    from i18n_pipeline.gettext.compile import compile_project

    with locked(state):
        report = compile_project(state.config, locale=locale, document=document)
    print_report(state, report, fmt)


@main.command("import")
@common_options
@format_option(REPORT_FORMATS)
@click.argument("text_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--document", "document", metavar="ID", required=True, help="The source document the text translates.")
@click.option("--locale", metavar="L", required=True, help="Language of the translated part (e.g. es).")
@click.option("--overwrite", is_flag=True, help="Replace existing final translations that differ.")
@click.pass_obj
def import_(state: State, fmt: str, text_file: Path, document: str, locale: str, overwrite: bool) -> None:
    """Import an existing bilingual text (source part, then translation) as final translations.

    Questions and paragraphs are aligned by structure; `Source / Translation`
    lines give inline pairs. Anything that cannot be aligned is listed and
    left untranslated.

    \b
    Examples:
      i18n-pipeline import tests/data/learning-space-page.txt --document faq/learning-space --locale es
      i18n-pipeline import page.txt --document faq/x --locale es --overwrite
    """
    from i18n_pipeline.sources.importer import import_translations

    with locked(state):
        report = import_translations(state.config, text_file, document, locale, overwrite=overwrite)
    if fmt == "json":
        click.echo(to_json(report))
        return
    alignment = report.alignment
    state.say(f"{report.path}: {len(report.imported)} imported, {len(report.kept)} already there, {len(alignment.unaligned_keys)} without translation")
    for key in alignment.unaligned_keys:
        state.say(f"  untranslated: {key}")
    for key in report.conflicts:
        state.say(f"  kept existing translation (differs; use --overwrite): {key}")
    for line in alignment.unused_lines:
        state.say(f"  {text_file}:{line.number}: not aligned: {line.text[:70]}")
    for problem in alignment.problems:
        state.say(f"  {text_file}: {problem}")


@main.command()
@common_options
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), required=False)
@click.option("--name", default=None, help="Project name (default: the folder name).")
@click.option("--source-locale", default="en", show_default=True, help="Language the documents are written in.")
@click.option("--locale", "locales", multiple=True, default=("es",), show_default=True, help="Target locale (repeatable).")
@click.pass_obj
def init(state: State, folder: Path | None, name: str | None, source_locale: str, locales: tuple[str, ...]) -> None:
    """Start a project: config, folders, .gitignore and example documents (any folder without a config).

    FOLDER defaults to --project, else the current folder. Works in an
    existing repository: files already there are left alone, and .gitignore
    only gets the lines it lacks.

    \b
    Examples:
      i18n-pipeline init
      i18n-pipeline init my-project --source-locale en --locale es --locale fr
    """
    from i18n_pipeline.scaffold import init_project

    folder = folder or state.project or Path(".")
    created = init_project(folder, name=name or folder.resolve().name, source_locale=source_locale, locales=list(locales))
    for path, verb in created:
        state.say(f"{verb} {path}")
    where = "" if folder == Path(".") else f"cd {folder} && "
    state.say(f"next: {where}i18n-pipeline build   (then edit source/ and run it again)")


@main.command()
@common_options
@format_option(REPORT_FORMATS)
@click.pass_obj
def build(state: State, fmt: str) -> None:
    """Run the offline pipeline: extract, update, (draft if configured), status page, render.

    Sends nothing anywhere unless draft.provider is set in the config.
    Language versions the publishing policy withholds are reported, not an
    error (render exits 1 for them).

    \b
    Examples:
      i18n-pipeline build
      i18n-pipeline build --quiet
      i18n-pipeline build --format json
    """
    from i18n_pipeline.build import build_project

    with locked(state):
        result = build_project(state.config, progress=fmt != "json" and state.verbosity > 0)
    if fmt == "json":
        click.echo(to_json(result))
    else:
        for line in result.lines:
            state.say(line)
        for line in result.details:
            state.detail(line)
    if result.exit_code:
        raise SystemExit(result.exit_code)
