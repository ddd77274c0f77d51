"""The render stage: documents + catalogs -> pages for publishers (HTML, Markdown, text).

Reads everything first (sources, catalogs, templates), decides per document
and language whether a version may be published (:mod:`layout`'s policies),
renders every page in memory, and only then writes, atomically. Any bad input
stops the run before a file changes.

Output paths say what a file is::

    build/<doc-id>/<layout>/<locales>.<format>          final pages
    build/preview/<doc-id>/<layout>/<locales>.preview.<format>

``<locales>`` is one code for ``single`` and ``<source>-<target>`` for the
bilingual layouts (source language first, as on the seed page).

The default policy is a po4a-style threshold of 80%: a language version is
published when at least 80% of its messages are reviewed, with the rest shown
in the source language and marked; below that it is withheld, and ``render``
exits 1 unless ``--allow-incomplete``. A withheld version's old output files
are removed, so a stale translation is never left in ``build/`` to be posted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from i18n_pipeline.config import Config, config_path, validate_locale
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.fileio import atomic_write
from i18n_pipeline.publish.layout import BILINGUAL, LAYOUTS, MODES, Coverage, Decision, Entry, Missing, Page, Policy, coverage, decide
from i18n_pipeline.sources.model import Document
from i18n_pipeline.project import WriteReport

FORMATS = ("html", "md", "txt")
DEFAULT_POLICY = Policy("threshold", 80.0)
DEFAULT_TEXT_WIDTH = 72
_RENDER_KEYS = ("layouts", "formats", "policy", "text_width", "standard_labels")
_DOCUMENT_KEYS = ("policy",)


@dataclass(frozen=True)
class RenderSettings:
    """The ``render:`` section (and per-document policies) of the config, validated."""

    layouts: tuple[str, ...] = LAYOUTS
    formats: tuple[str, ...] = FORMATS
    policy: Policy = DEFAULT_POLICY
    #: Policies from ``documents: {<doc-id>: {policy: ...}}``.
    document_policies: dict[str, Policy] = field(default_factory=dict)
    text_width: int = DEFAULT_TEXT_WIDTH
    #: Use the tool's reviewed labels ("FAQ" -> "PREGUNTAS FRECUENTES") where a catalog has none.
    standard_labels: bool = True

    def policy_for(self, document: Document) -> Policy:
        """Config ``documents:`` entry first, then the document's own ``policy:``, then the default."""
        if document.id in self.document_policies:
            return self.document_policies[document.id]
        if "policy" in document.options:
            try:
                return Policy.parse(document.options["policy"])
            except ValueError as exc:
                raise PipelineError(f"'policy': {exc}", document.path) from None
        return self.policy


def render_settings(config: Config) -> RenderSettings:
    where = config_path(config)
    lines = config.sections.get("_lines", {})
    section = config.section("render")
    line = lines.get("render")
    unknown = sorted(set(section) - set(_RENDER_KEYS))
    if unknown:
        raise PipelineError(f"unknown key 'render.{unknown[0]}' (allowed: {', '.join(_RENDER_KEYS)})", where, line)
    kwargs: dict[str, Any] = {}
    for key, allowed in (("layouts", LAYOUTS), ("formats", FORMATS)):
        if key in section:
            value = section[key]
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not value or any(v not in allowed for v in value):
                raise PipelineError(f"'render.{key}' must be a list from: {', '.join(allowed)}", where, line)
            kwargs[key] = tuple(dict.fromkeys(value))
    if "policy" in section:
        try:
            kwargs["policy"] = Policy.parse(section["policy"])
        except ValueError as exc:
            raise PipelineError(f"'render.policy': {exc}", where, line) from None
    if "text_width" in section:
        width = section["text_width"]
        if isinstance(width, bool) or not isinstance(width, int) or width < 30:
            raise PipelineError("'render.text_width' must be a whole number >= 30", where, line)
        kwargs["text_width"] = width
    if "standard_labels" in section:
        if not isinstance(section["standard_labels"], bool):
            raise PipelineError("'render.standard_labels' must be true or false", where, line)
        kwargs["standard_labels"] = section["standard_labels"]
    policies: dict[str, Policy] = {}
    for doc_id, options in config.section("documents").items():
        doc_line = lines.get("documents")
        if not isinstance(options, dict):
            raise PipelineError(f"'documents.{doc_id}' must be a mapping (e.g. {{policy: strict}})", where, doc_line)
        if "policy" in options:
            try:
                policies[str(doc_id)] = Policy.parse(options["policy"])
            except ValueError as exc:
                raise PipelineError(f"'documents.{doc_id}.policy': {exc}", where, doc_line) from None
    return RenderSettings(document_policies=policies, **kwargs)


# --- the report --------------------------------------------------------------


@dataclass
class VersionReport:
    """One document in one target language: published or withheld, and why."""

    document: str
    locale: str
    policy: str
    total: int
    final: int
    published: bool
    reason: str
    #: Messages without a reviewed translation (shown in the source language, or withheld).
    missing: list[Missing] = field(default_factory=list)
    from_labels: list[str] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return 100.0 * self.final / self.total if self.total else 100.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "locale": self.locale,
            "policy": self.policy,
            "total": self.total,
            "final": self.final,
            "percent_final": round(self.percent, 1),
            "published": self.published,
            "reason": self.reason,
            "missing": [{"key": m.key, "reference": m.reference, "state": m.state, "problem": m.problem} for m in self.missing],
            "from_labels": list(self.from_labels),
        }


@dataclass
class RenderReport(WriteReport):
    mode: str = "final"
    allow_incomplete: bool = False
    versions: list[VersionReport] = field(default_factory=list)
    #: Outputs of withheld versions removed so nothing stale stays publishable.
    removed: list[str] = field(default_factory=list)

    @property
    def withheld(self) -> list[VersionReport]:
        return [v for v in self.versions if not v.published]

    @property
    def incomplete(self) -> list[VersionReport]:
        """Published versions with some text shown in the source language."""
        return [v for v in self.versions if v.published and v.missing]

    @property
    def failed(self) -> bool:
        """True when a final render withheld something and that was not allowed."""
        return self.mode == "final" and bool(self.withheld) and not self.allow_incomplete

    def as_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "written": list(self.written),
            "unchanged": list(self.unchanged),
            "removed": list(self.removed),
            "notes": list(self.notes),
            "versions": [v.as_dict() for v in self.versions],
        }


# --- rendering ---------------------------------------------------------------


def output_path(out: Path, document: str, layout: str, locales: tuple[str, ...], fmt: str, mode: str) -> Path:
    name = "-".join(locales)
    if mode == "preview":
        return out / "preview" / document / layout / f"{name}.preview.{fmt}"
    return out / document / layout / f"{name}.{fmt}"


def render_project(
    config: Config,
    *,
    document: str | None = None,
    locale: str | None = None,
    mode: str = "final",
    formats: tuple[str, ...] | list[str] | None = None,
    layouts: tuple[str, ...] | list[str] | None = None,
    out: Path | None = None,
    allow_incomplete: bool = False,
) -> RenderReport:
    """Render documents to ``out`` (default ``config.output_path``); see the module docstring."""
    from . import labels as ui_labels
    from i18n_pipeline.publish.layout import build_page, entries_from_messages
    from i18n_pipeline.project import load_documents, read_catalog, target_locales
    from i18n_pipeline.publish.schedule import format_event

    if mode not in MODES:
        raise PipelineError(f"unknown mode '{mode}' (use final or preview)")
    settings = render_settings(config)
    chosen_layouts = _choose(layouts, settings.layouts, LAYOUTS, "layout")
    chosen_formats = _choose(formats, settings.formats, FORMATS, "format")
    wanted = validate_locale(locale, "--locale") if locale is not None else None
    if wanted is not None and wanted not in config.locales:
        raise PipelineError(f"locale '{wanted}' is not configured (locales: {', '.join(config.locales)})", config_path(config))
    out_dir = Path(out) if out is not None else config.output_path
    documents = load_documents(config, document)
    environment = _environment(config)
    report = RenderReport(mode=mode, allow_incomplete=allow_incomplete)
    outputs: list[tuple[Path, str]] = []
    stale: list[Path] = []

    for doc in documents:
        targets = target_locales(config, doc)
        if wanted is not None and wanted != doc.lang:
            targets = [t for t in targets if t == wanted]
        all_locales = (doc.lang, *targets)
        entries: dict[str, dict[str, Entry]] = {}
        standard: dict[str, dict[str, str]] = {}
        published: dict[str, bool] = {doc.lang: True}
        for target in targets:
            path = config.po_path(target, doc.id)
            catalog = read_catalog(config, path)
            if catalog is None:
                report.notes.append(f"{config.relative(path)} does not exist yet (run 'i18n-pipeline update'); {target} is all missing")
            entries[target] = entries_from_messages(doc, catalog.by_key() if catalog is not None else {})
            standard[target] = _standard_labels(doc, target) if settings.standard_labels else {}
            cov = coverage(doc, target, entries[target], standard[target])
            policy = settings.policy_for(doc)
            decision = decide(policy, cov) if mode == "final" else Decision(True, f"{cov.final}/{cov.total} final ({cov.percent:.0f}%); preview shows drafts")
            published[target] = decision.publish
            report.versions.append(_version(cov, policy, decision))
            if cov.from_labels:
                report.notes.append(f"{doc.id} [{target}]: {len(cov.from_labels)} message(s) from the tool's reviewed standard labels")
        for link in doc.links:
            if link.url is None:
                report.notes.append(f"{doc.path}: link '{link.id}' has no url yet; its label is shown without a link")
        placeholders = {code: _placeholders(doc, code, format_event) for code in all_locales}
        ui = {code: _ui(code, doc.lang, ui_labels) for code in all_locales}
        for layout in chosen_layouts:
            for locales in _combinations(doc.lang, targets, layout, wanted):
                page = build_page(doc, layout, locales, entries, mode=mode, labels=standard, placeholders=placeholders, ui=ui)
                for fmt in chosen_formats:
                    path = output_path(out_dir, doc.id, layout, locales, fmt, mode)
                    if all(published[code] for code in locales):
                        outputs.append((path, _render(environment, page, fmt, settings.text_width)))
                    else:
                        stale.append(path)
    for path, text in outputs:
        report.add(_shown(config, path), atomic_write(path, text))
    for path in stale:
        if path.exists():
            path.unlink()
            report.removed.append(_shown(config, path))
    return report


def _choose(given: Any, configured: tuple[str, ...], allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
    if not given:
        return configured
    chosen = tuple(dict.fromkeys(given))
    for value in chosen:
        if value not in allowed:
            raise PipelineError(f"unknown {what} '{value}' (use one of: {', '.join(allowed)})")
    return chosen


def _combinations(source: str, targets: list[str], layout: str, wanted: str | None) -> list[tuple[str, ...]]:
    if layout in BILINGUAL:
        return [(source, target) for target in targets]
    singles = [source, *targets] if wanted in (None, source) else list(targets)
    return [(code,) for code in singles]


def _version(cov: Coverage, policy: Policy, decision: Decision) -> VersionReport:
    return VersionReport(
        document=cov.document,
        locale=cov.locale,
        policy=str(policy),
        total=cov.total,
        final=cov.final,
        published=decision.publish,
        reason=decision.reason,
        missing=list(cov.missing),
        from_labels=list(cov.from_labels),
    )


def _standard_labels(document: Document, locale: str) -> dict[str, str]:
    from . import labels

    found: dict[str, str] = {}
    if document.lang.split("_")[0] != "en":
        return found  # the UI catalog's msgids are English
    for segment in document.segments:
        translated = labels.standard_label(locale, segment.text)
        if translated is not None:
            found[segment.text] = translated
    return found


def _placeholders(document: Document, locale: str, format_event: Any) -> dict[str, str]:
    if document.event is None:
        return {}
    schedule = format_event(document.event, locale)
    return {**schedule.placeholders(), "iso": schedule.iso}


def _ui(locale: str, source: str, labels: Any) -> dict[str, str]:
    source_name = labels.language_name(source, locale)
    return {
        "language": labels.autonym(locale),
        "banner": labels.gettext(locale, "Preview — needs review"),
        "banner_note": labels.gettext(locale, "This is a preview for reviewers. Do not publish it."),
        "draft": labels.gettext(locale, "Draft — needs review"),
        "fuzzy": labels.gettext(locale, "Not confirmed — check against the source"),
        "fallback_note": labels.gettext(locale, "Shown in {language}: no reviewed translation yet").format(language=source_name),
        "in_source": labels.gettext(locale, "in {language}").format(language=source_name),
        "link_pending": labels.gettext(locale, "link coming soon"),
    }


def _shown(config: Config, path: Path) -> str:
    return config.relative(path)


# --- templates ---------------------------------------------------------------


def _environment(config: Config) -> Any:
    """Jinja2 with the project's ``templates/`` first, then the package's; HTML autoescaped."""
    import jinja2

    loaders: list[jinja2.BaseLoader] = []
    project_templates = config.root / config.templates_dir
    if project_templates.is_dir():
        loaders.append(jinja2.FileSystemLoader(str(project_templates)))
    loaders.append(jinja2.PackageLoader("i18n_pipeline.publish", "templates"))
    environment = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=lambda name: name is not None and name.endswith((".html.j2", ".html")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(
        md_inline=md_inline,
        md_escape=md_escape,
        md_cell=md_cell,
        txt_inline=txt_inline,
        wrap=wrap,
        columns=columns,
        underline=underline,
    )
    return environment


def _render(environment: Any, page: Page, fmt: str, width: int) -> str:
    import jinja2

    name = f"render/page.{fmt}.j2"
    try:
        template = environment.get_template(name)
        stylesheet = environment.loader.get_source(environment, "render/style.css")[0] if fmt == "html" else ""
        text = template.render(page=page, width=width, stylesheet=stylesheet)
    except jinja2.TemplateSyntaxError as exc:
        raise PipelineError(f"template error: {exc.message}", exc.filename or name, exc.lineno) from exc
    except jinja2.TemplateError as exc:
        raise PipelineError(f"template error: {exc}", name) from exc
    return _tidy(text)


def _tidy(text: str) -> str:
    """At most one blank line in a row, no trailing spaces, one final newline."""
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


# --- format helpers (Jinja filters; pure) -------------------------------------

_MD_SPECIAL = set("\\`*_{}[]()<>#+-.!|~")


def md_escape(text: str) -> str:
    """Escape what Markdown would read as markup, so text shows exactly as written.

    Only characters that can start markup are escaped (``.`` only after a
    line-initial number, ``-``/``+`` only at the start), keeping the source
    readable as plain text too.
    """
    out: list[str] = []
    for index, char in enumerate(text):
        if char in "\\`*_[]<>|~" or (char == "!" and text[index + 1 : index + 2] == "["):
            out.append("\\" + char)
        elif char in "#+-" and (index == 0 or text[index - 1] == "\n"):
            out.append("\\" + char)
        elif char == "." and index > 0 and text[:index].split("\n")[-1].isdigit():
            out.append("\\.")
        else:
            out.append(char)
    return "".join(out)


def md_inline(cell: Any) -> str:
    """A cell as Markdown: escaped text, links as ``[label](url)`` or ``<url>``."""
    pieces: list[str] = []
    for part in cell.parts:
        if part.url is None:
            pieces.append(md_escape(part.text))
        elif part.text == part.url or "mailto:" + part.text == part.url:
            pieces.append(f"<{part.url.removeprefix('mailto:') if part.url.startswith('mailto:') else part.url}>")
        else:
            pieces.append(f"[{md_escape(part.text)}](<{part.url}>)")
    return "".join(pieces)


def md_cell(text: str) -> str:
    """Markdown already escaped, made safe for one GFM table cell (one line, ``|`` escaped)."""
    import re

    return re.sub(r"(?<!\\)\|", r"\\|", " ".join(text.split("\n")))


def txt_inline(cell: Any) -> str:
    """A cell as plain text; a labelled link shows its address after the label."""
    pieces: list[str] = []
    for part in cell.parts:
        if part.url is None or part.text == part.url or "mailto:" + part.text == part.url:
            pieces.append(part.text)
        else:
            pieces.append(f"{part.text} <{part.url.removeprefix('mailto:')}>")
    return "".join(pieces)


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes (emoji count 2), via unicode-segmentation-rs."""
    from unicode_segmentation_rs import text_width

    return int(text_width(text))


def wrap(text: str, width: int = DEFAULT_TEXT_WIDTH, indent: str = "") -> str:
    """Greedy word wrap by display width; long words (addresses) are never split."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split(" ")
        line = ""
        for word in words:
            candidate = f"{line} {word}" if line else word
            if line and display_width(indent + candidate) > width:
                lines.append(indent + line)
                line = word
            else:
                line = candidate
        lines.append(indent + line)
    return "\n".join(lines)


def columns(left: str, right: str, width: int = DEFAULT_TEXT_WIDTH, gutter: str = " | ") -> str:
    """Two texts side by side, each wrapped to half the width, padded by display width."""
    half = max(10, (width - len(gutter)) // 2)
    a = wrap(left, half).split("\n")
    b = wrap(right, half).split("\n")
    rows = max(len(a), len(b))
    a += [""] * (rows - len(a))
    b += [""] * (rows - len(b))
    out = []
    for x, y in zip(a, b):
        pad = max(0, half - display_width(x))
        out.append((x + " " * pad + gutter + y).rstrip())
    return "\n".join(out)


def underline(text: str, char: str = "=") -> str:
    width = max(display_width(line) for line in text.split("\n"))
    return f"{text}\n{char * width}"
