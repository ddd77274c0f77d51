"""Running the standard checks over catalogs (a project's or any PO files) and printing the result."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from i18n_pipeline.gettext.catalog import Catalog, MessageState
from i18n_pipeline.report.checks.config import CheckConfig, check_settings
from i18n_pipeline.report.checks.plurals import parse_plural_forms
from i18n_pipeline.report.checks.registry import ERROR, WARNING, CheckContext
from i18n_pipeline.report.checks.standard import Finding, check_header, check_message
from i18n_pipeline.report.paths import distinct_labels
from i18n_pipeline.translate.glossary import Glossary

if TYPE_CHECKING:
    from i18n_pipeline.config import Config


@dataclass(frozen=True)
class Problem:
    """A finding placed where a translator can fix it."""

    path: str
    locale: str
    document: str
    key: str
    check: str
    severity: str
    message: str
    #: ``source/...yaml:LINE`` of the source text, if known.
    reference: str | None = None
    #: Line of the msgid in the PO file.
    line: int = 0
    #: ``translated``, ``needs_review`` or ``fuzzy``: drafts are only checked with --include-fuzzy.
    state: str = "translated"


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    #: Catalogs looked at (as shown), clean or not.
    catalogs: list[str] = field(default_factory=list)
    #: Messages checked.
    checked: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def add(self, catalog: str, problems: list[Problem], checked: int) -> None:
        self.catalogs.append(catalog)
        self.problems.extend(problems)
        self.checked += checked

    def as_dict(self) -> dict[str, object]:
        return {
            "problems": [asdict(p) for p in self.problems],
            "summary": {
                "catalogs": len(self.catalogs),
                "checked": self.checked,
                "errors": len(self.errors),
                "warnings": len(self.warnings),
            },
        }


def _header_line(catalog: Catalog) -> int:
    """Line of the header's msgid in a file as gettext writes it (comments, flags, then msgid)."""
    return len(catalog.header_comments) + (1 if catalog.header_flags else 0) + 1


def check_catalog(
    catalog: Catalog,
    ctx: CheckContext,
    *,
    path: str,
    document: str,
    include_fuzzy: bool = False,
    config: CheckConfig = CheckConfig(),
) -> tuple[list[Problem], int]:
    """Problems in the final translations of ``catalog`` (and drafts with ``include_fuzzy``)."""
    has_plurals = any(m.msgid_plural is not None for m in catalog.active)
    rule, _ = parse_plural_forms(catalog.header, has_plurals)
    ctx = CheckContext(ctx.locale, ctx.source_locale, ctx.glossary, plural=rule)

    def placed(finding: Finding, key: str, line: int, reference: str | None = None, state: str = "translated") -> Problem:
        return Problem(path, ctx.locale, document, key, finding.check, finding.severity, finding.message, reference, line, state)

    problems = [placed(f, "(header)", _header_line(catalog)) for f in check_header(catalog, ctx, config)]
    checked = 0
    for message in catalog.active:
        state = message.state
        if state is MessageState.UNTRANSLATED or (state is not MessageState.TRANSLATED and not include_fuzzy):
            continue
        checked += 1
        reference = message.locations[0] if message.locations else None
        problems += [placed(f, message.shown_key, message.lineno, reference, state) for f in check_message(message, ctx, config)]
    return problems, checked


def check_project(
    config: Config,
    *,
    locale: str | None = None,
    document: str | None = None,
    include_fuzzy: bool = False,
) -> CheckReport:
    """Run every check on the project's catalogs (reads only; writes nothing)."""
    from i18n_pipeline.config import wanted_locale
    from i18n_pipeline.project import document_locales, load_documents, read_catalog
    from i18n_pipeline.translate.glossary import load_glossary

    settings = check_settings(config)
    wanted = wanted_locale(config, locale)
    report = CheckReport()
    glossaries: dict[str, Glossary] = {}
    for doc, target in document_locales(config, load_documents(config, document), wanted):
        path = config.po_path(target, doc.id)
        catalog = read_catalog(config, path)
        if catalog is None:
            continue
        if target not in glossaries:
            glossaries[target] = load_glossary(config, target)
        ctx = CheckContext(locale=target, source_locale=doc.lang, glossary=glossaries[target])
        shown = config.relative(path)
        report.add(shown, *check_catalog(catalog, ctx, path=shown, document=doc.id, include_fuzzy=include_fuzzy, config=settings))
    return report


def check_po_files(
    paths: list[Path],
    *,
    locale: str | None = None,
    document: str | None = None,
    include_fuzzy: bool = False,
    source_locale: str = "en",
) -> CheckReport:
    """Run every check on PO files of any project (reads only): each file's locale from its header or path."""
    from i18n_pipeline.config import same_locale
    from i18n_pipeline.errors import PipelineError
    from i18n_pipeline.gettext.catalog import place_in_tree
    from i18n_pipeline.gettext.pofile import read_po

    report = CheckReport()
    for path in map(Path, paths):
        catalog = read_po(path)
        tree_locale, doc = place_in_tree(path)
        found = catalog.locale or tree_locale
        if found is None:
            raise PipelineError(
                "the catalog has no Language header and is not in a …/LOCALE/LC_MESSAGES/ folder: "
                "add 'Language: xx' to its header",
                path=str(path),
            )
        if locale is not None and not same_locale(found, locale):
            continue
        if document is not None and doc != document:
            continue
        ctx = CheckContext(locale=found, source_locale=source_locale)
        report.add(str(path), *check_catalog(catalog, ctx, path=str(path), document=doc, include_fuzzy=include_fuzzy))
    return report


# --------------------------------------------------------------------------
# Renderings
# --------------------------------------------------------------------------


def _summary(report: CheckReport) -> str:
    if report.problems:
        return (
            f"{len(report.errors)} error(s), {len(report.warnings)} warning(s) in {report.checked} checked message(s) "
            f"of {len(report.catalogs)} catalog(s)"
        )
    return f"no problems in {report.checked} checked message(s) of {len(report.catalogs)} catalog(s)"


def render_text(report: CheckReport) -> str:
    """One line per problem, ``file:line: severity [check] key (reference): message``, then a summary."""
    lines = []
    for p in report.problems:
        where = f"{p.path}:{p.line}" if p.line else p.path
        ref = f" ({p.reference})" if p.reference else ""
        draft = "" if p.state == "translated" else f" [{p.state.replace('_', ' ')}]"
        lines.append(f"{where}: {p.severity} [{p.check}] {p.key}{ref}{draft}: {p.message}")
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def render_json(report: CheckReport) -> str:
    import json

    return json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n"


def render_csv(report: CheckReport) -> str:
    """One row per problem; ``file`` is the shortest path that tells the catalogs apart."""
    import io

    from i18n_pipeline.report.spreadsheet import SafeCsv

    labels = distinct_labels(report.catalogs)
    out = io.StringIO()
    writer = SafeCsv(out)
    writer.writerow(["file", "line", "locale", "severity", "check", "key", "reference", "message"])
    for p in report.problems:
        writer.writerow([labels.get(p.path, p.path), p.line or "", p.locale, p.severity, p.check, p.key,
                         p.reference or "", p.message])
    return out.getvalue()


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: CheckReport) -> str:
    """A table of problems (file named by the shortest distinguishing path), then the summary."""
    labels = distinct_labels(report.catalogs)
    lines = ["| File | Line | Severity | Check | Key | Problem |", "|---|---:|---|---|---|---|"]
    for p in report.problems:
        lines.append(
            f"| `{_md(labels.get(p.path, p.path))}` | {p.line or ''} | {p.severity} | {p.check} | "
            f"`{_md(p.key)}` | {_md(p.message)} |"
        )
    return "\n".join([*lines, "", _summary(report)]) + "\n"


def render(report: CheckReport, fmt: str) -> str:
    # "text" is the name the table had before every command's --format said "table".
    return {"table": render_text, "text": render_text, "json": render_json, "csv": render_csv, "markdown": render_markdown}[fmt](report)
