"""Translation status: what is translated, waiting for review or missing.

Every message (header excluded; obsolete entries counted apart) is in
exactly one state, :attr:`catalog.Message.state` — decided on the model, the
same for check, review, render and compile; these are GNU
``msgfmt --statistics``' rules (``needs_review`` + ``fuzzy`` = msgfmt's
fuzzy). Word counts are of the source text (msgid and msgid_plural) the way
translate-toolkit's ``pocount`` counts.

Catalogs are read by the one PO reader (:func:`pofile.read_po`): no second
parser that would have to agree with it. One :class:`StatusReport` is
computed; table, JSON, CSV, Markdown and HTML are renderings of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from unicode_segmentation_rs import unicode_words

from i18n_pipeline.choices import GROUPINGS, STATUS_FORMATS as FORMATS  # noqa: F401  (one list, shared with the CLI)
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.gettext.catalog import ACTIVE_STATES, MessageState
from i18n_pipeline.numbers import format_percent as _percent, truncated  # one rounding for every command

if TYPE_CHECKING:
    from rich.console import RenderableType

    from i18n_pipeline.config import Config
    from i18n_pipeline.gettext.catalog import Catalog, Message
    from i18n_pipeline.sources.model import Document

#: How each state is worded for people.
STATE_LABELS = {state: state.label for state in ACTIVE_STATES}

# --------------------------------------------------------------------------
# Words, as pocount counts them
# --------------------------------------------------------------------------

_BR_TAG_RE = re.compile(r"<br\s*?/?>")
_XML_TAG_RE = re.compile(
    r"""<([\w.:]+)(\s([\w.:]+=((".*?")|('.*?')))?)*/?>|</([\w.]+)>""",
)
_NUMBER_DOT_RE = re.compile(r"\D\.\D")


def word_count(text: str) -> int:
    """Words in ``text`` exactly as translate-toolkit's ``pocount`` counts them.

    Its quirks are kept on purpose (tags removed, ``a.b`` split, UAX #29 words)
    so that our totals can be checked against pocount's.
    """
    if not text:
        return 0
    if "<" in text:
        text = _XML_TAG_RE.sub("", _BR_TAG_RE.sub("\n", text))
    if 0 <= text.find(".") < len(text) - 1:  # a final full stop alone has nothing after it to match
        text = _NUMBER_DOT_RE.sub(" ", text)
    return len(unicode_words(text))


def source_words(message: Message) -> int:
    words = word_count(message.msgid)
    if message.msgid_plural is not None:
        words += word_count(message.msgid_plural)
    return words


# --------------------------------------------------------------------------
# The result
# --------------------------------------------------------------------------


class MessageStatus(NamedTuple):
    """One message's state and where a translator finds it.

    A named tuple rather than a dataclass: big catalogs make hundreds of
    thousands of these, and tuple construction is several times cheaper.
    """

    key: str
    state: MessageState
    words: int
    msgid: str
    #: First ``#:`` reference (``source/...yaml:LINE``), if any.
    reference: str | None = None
    #: Line of the msgid in the PO file (0 when the catalog does not exist yet).
    line: int = 0
    #: FAQ item id (or ``title``, ``body``, ``footer``, ``links``, ``notes``).
    item: str | None = None


@dataclass
class Counts:
    """Message and source-word counts per state; sums like a vector."""

    translated: int = 0
    needs_review: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    translated_words: int = 0
    needs_review_words: int = 0
    fuzzy_words: int = 0
    untranslated_words: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.needs_review + self.fuzzy + self.untranslated

    @property
    def source_words(self) -> int:
        return self.translated_words + self.needs_review_words + self.fuzzy_words + self.untranslated_words

    @property
    def percent_translated(self) -> float:
        """Share of messages that are final; 100 when there is nothing to translate."""
        return 100.0 if self.total == 0 else 100.0 * self.translated / self.total

    @property
    def percent_translated_words(self) -> float:
        return 100.0 if self.source_words == 0 else 100.0 * self.translated_words / self.source_words

    def below(self, percent: float) -> bool:
        """Coverage by messages under ``percent``, compared exactly (no float rounding)."""
        return self.total > 0 and self.translated * 100 < percent * self.total

    def count(self, state: str, words: int) -> None:
        state = MessageState(state).value
        setattr(self, state, getattr(self, state) + 1)
        word_field = state + "_words"
        setattr(self, word_field, getattr(self, word_field) + words)

    def add(self, other: Counts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int | float]:
        return {
            "total": self.total,
            "translated": self.translated,
            "needs_review": self.needs_review,
            "fuzzy": self.fuzzy,
            "untranslated": self.untranslated,
            "obsolete": self.obsolete,
            "source_words": self.source_words,
            "translated_words": self.translated_words,
            "needs_review_words": self.needs_review_words,
            "fuzzy_words": self.fuzzy_words,
            "untranslated_words": self.untranslated_words,
            "percent_translated": truncated(self.percent_translated, 2),
            "percent_translated_words": truncated(self.percent_translated_words, 2),
        }


@dataclass
class CatalogStatus:
    """The status of one PO file (or of one that should exist and does not)."""

    path: str
    locale: str
    document: str
    messages: list[MessageStatus] = field(default_factory=list)
    obsolete: int = 0
    #: False when the catalog has not been created yet: every message counts as untranslated.
    exists: bool = True

    @cached_property
    def counts(self) -> Counts:
        """Computed once: every report sums it, and a status is built whole (``catalog_status``, ``document_status``)."""
        messages = dict.fromkeys((s.value for s in ACTIVE_STATES), 0)
        words = dict.fromkeys((s.value for s in ACTIVE_STATES), 0)
        for message in self.messages:
            messages[message.state] += 1
            words[message.state] += message.words
        return Counts(
            **messages,
            **{f"{state}_words": number for state, number in words.items()},
            obsolete=self.obsolete,
        )

    @property
    def missing(self) -> list[MessageStatus]:
        """Messages that are not final, in file order."""
        return [m for m in self.messages if m.state is not MessageState.TRANSLATED]


@dataclass(frozen=True)
class Row:
    """One line of a report grouped ``--by`` locale, document or item."""

    locale: str
    document: str | None
    item: str | None
    counts: Counts

    @property
    def label(self) -> str:
        return " ".join(part for part in (self.locale, self.document, self.item) if part)


@dataclass
class StatusReport:
    catalogs: list[CatalogStatus] = field(default_factory=list)

    @property
    def locales(self) -> dict[str, Counts]:
        totals: dict[str, Counts] = {}
        for catalog in self.catalogs:
            totals.setdefault(catalog.locale, Counts()).add(catalog.counts)
        return dict(sorted(totals.items()))

    @property
    def total(self) -> Counts:
        counts = Counts()
        for catalog in self.catalogs:
            counts.add(catalog.counts)
        return counts

    def rows(self, by: str = "document") -> list[Row]:
        if by == "locale":
            return [Row(locale, None, None, counts) for locale, counts in self.locales.items()]
        if by == "document":
            return [Row(c.locale, c.document, None, c.counts) for c in self.catalogs]
        if by != "item":
            raise ValueError(f"unknown grouping {by!r}")
        rows: list[Row] = []
        for catalog in self.catalogs:
            items: dict[str, Counts] = {}
            for message in catalog.messages:
                items.setdefault(message.item or "(other)", Counts()).count(message.state, message.words)
            rows.extend(Row(catalog.locale, catalog.document, item, counts) for item, counts in items.items())
        return rows

    def failing(self, percent: float) -> dict[str, Counts]:
        """Locales whose coverage (by messages) is below ``percent``."""
        return {locale: counts for locale, counts in self.locales.items() if counts.below(percent)}

    def missing(self) -> list[tuple[CatalogStatus, MessageStatus]]:
        return [(catalog, message) for catalog in self.catalogs for message in catalog.missing]

    def as_dict(self, *, by: str | None = None, missing: bool = False) -> dict[str, object]:
        """The JSON shape: ``{"catalogs": [...], "locales": {...}}`` (+ ``items``/``missing``)."""
        catalogs = []
        for catalog in self.catalogs:
            entry: dict[str, object] = {
                "path": catalog.path,
                "locale": catalog.locale,
                "document": catalog.document,
                "exists": catalog.exists,
                **catalog.counts.as_dict(),
            }
            if missing:
                entry["missing"] = [
                    {
                        "key": m.key,
                        "state": m.state,
                        "reference": m.reference,
                        "line": m.line,
                        "source": m.msgid,
                    }
                    for m in catalog.missing
                ]
            catalogs.append(entry)
        result: dict[str, object] = {
            "catalogs": catalogs,
            "locales": {locale: counts.as_dict() for locale, counts in self.locales.items()},
        }
        if by == "item":
            result["items"] = [
                {"locale": r.locale, "document": r.document, "item": r.item, **r.counts.as_dict()}
                for r in self.rows("item")
            ]
        return result


# --------------------------------------------------------------------------
# Computing the status of catalogs (pure)
# --------------------------------------------------------------------------


def item_of(key: str, document: str) -> str | None:
    """``faq/x/who-is-this-for/answer/1`` in document ``faq/x`` -> ``who-is-this-for``."""
    prefix = document + "/"
    if key.startswith(prefix):
        return key[len(prefix) :].split("/", 1)[0] or None
    return None


def catalog_status(catalog: Catalog, *, path: str, document: str, locale: str | None = None) -> CatalogStatus:
    """The status of a parsed catalog; ``locale`` defaults to its Language header."""
    result = CatalogStatus(path=path, locale=locale or catalog.locale or "", document=document)
    for message in catalog.messages:
        if message.obsolete:
            result.obsolete += 1
            continue
        key = message.shown_key
        reference = message.locations[0] if message.locations else None
        result.messages.append(
            MessageStatus(key, message.state, source_words(message), message.msgid, reference, message.lineno, item_of(key, document))
        )
    return result


def document_status(document: Document, *, path: str, locale: str) -> CatalogStatus:
    """Status of a catalog not created yet: every segment of the document is untranslated."""
    result = CatalogStatus(path=path, locale=locale, document=document.id, exists=False)
    for segment in document.segments:
        result.messages.append(
            MessageStatus(
                key=segment.key,
                state=MessageState.UNTRANSLATED,
                words=word_count(segment.text),
                msgid=segment.text,
                reference=segment.reference,
                item=item_of(segment.key, document.id),
            )
        )
    return result


def status_of_file(path: Path, *, document: str | None = None, locale: str | None = None, shown: str | None = None) -> CatalogStatus:
    """The status of the PO file at ``path``, read by the one PO reader (:func:`pofile.read_po`).

    The locale is ``locale``, else the Language header, else the folder above
    ``LC_MESSAGES``; ``shown`` is the path as reports print it; a broken file
    gets the reader's error, with the file and line.
    """
    from i18n_pipeline.gettext.catalog import place_in_tree
    from i18n_pipeline.gettext.pofile import read_po

    path = Path(path)
    shown = shown if shown is not None else str(path)
    tree_locale, tree_document = place_in_tree(path)
    try:
        catalog = read_po(path)
    except PipelineError as exc:
        if exc.path == str(path):
            exc.path = shown  # the error names the file as the report does
        raise
    return catalog_status(catalog, path=shown, document=document or tree_document, locale=locale or catalog.locale or tree_locale)


# --------------------------------------------------------------------------
# Collecting (I/O edge)
# --------------------------------------------------------------------------


def status_of_files(paths: Iterable[Path], *, locale: str | None = None, document: str | None = None) -> StatusReport:
    """Status of explicit PO files (any project's); locale from each Language header or folder."""
    report = StatusReport()
    for path in paths:
        status = status_of_file(Path(path))
        if locale is not None:
            from i18n_pipeline.config import same_locale  # only here: `status FILE` need not load the config

            if not same_locale(status.locale, locale):
                continue
        if document is not None and status.document != document:
            continue
        report.catalogs.append(status)
    return report


def collect_status(
    config: Config | None,
    *,
    locale: str | None = None,
    document: str | None = None,
    paths: Iterable[Path] | None = None,
    documents: list[Document] | None = None,
) -> StatusReport:
    """The status of the project's catalogs, or of ``paths`` when given.

    A catalog that a document should have but that does not exist yet is
    reported with every message untranslated, so coverage never looks better
    than it is. ``documents``: the project's documents, when the caller has
    loaded them already.
    """
    if paths:
        return status_of_files(paths, locale=locale, document=document)
    if config is None:
        raise PipelineError("no project and no PO files given")
    from i18n_pipeline.config import wanted_locale
    from i18n_pipeline.project import document_locales, load_documents, select_documents

    wanted = wanted_locale(config, locale)
    report = StatusReport()
    chosen = select_documents(documents, document) if documents is not None else load_documents(config, document)
    for doc, target in document_locales(config, chosen, wanted):
        path = config.po_path(target, doc.id)
        shown = config.relative(path)
        if path.exists():
            report.catalogs.append(status_of_file(path, document=doc.id, locale=target, shown=shown))
        else:
            report.catalogs.append(document_status(doc, path=shown, locale=target))
    return report


# --------------------------------------------------------------------------
# Renderings
# --------------------------------------------------------------------------


def _labelled_rows(report: StatusReport, by: str) -> list[Row]:
    """``report.rows(by)``, with the document named by its path when two files share locale and name.

    Three ``es django.po`` files given on the command line become
    ``conf/locale/es/LC_MESSAGES/django.po``, ``admin/locale/...`` and so on:
    the shortest path suffix that tells them apart.
    """
    from collections import Counter

    rows = report.rows(by)
    if by == "locale":
        return rows
    names = Counter((c.locale, c.document) for c in report.catalogs)
    if all(count == 1 for count in names.values()):
        return rows
    from dataclasses import replace

    from i18n_pipeline.report.paths import distinct_labels

    labels = distinct_labels([c.path for c in report.catalogs])
    by_document: list[str] = []
    for catalog in report.catalogs:
        shown = labels[catalog.path] if names[(catalog.locale, catalog.document)] > 1 else catalog.document
        if by == "document":
            by_document.append(shown)
        else:
            items = dict.fromkeys(m.item or "(other)" for m in catalog.messages)
            by_document.extend([shown] * len(items))
    return [replace(row, document=name) for row, name in zip(rows, by_document)]


def _bar(percent: float, width: int = 20) -> str:
    filled = int(percent * width / 100 + 1e-9)
    return "█" * filled + "░" * (width - filled)


def _cells(counts: Counts) -> list[str]:
    return [
        str(counts.translated),
        str(counts.needs_review),
        str(counts.fuzzy),
        str(counts.untranslated),
        f"{counts.translated_words}/{counts.source_words}",
    ]


def render_json(report: StatusReport, *, by: str = "document", missing: bool = False) -> str:
    import json

    return json.dumps(report.as_dict(by=by, missing=missing), ensure_ascii=False, indent=2) + "\n"


def render_csv(report: StatusReport, *, by: str = "document", missing: bool = False) -> str:
    """Summary rows; with ``missing`` one row per message that is not final instead."""
    import io

    from i18n_pipeline.report.spreadsheet import SafeCsv

    out = io.StringIO()
    writer = SafeCsv(out)
    if missing:
        writer.writerow(["path", "locale", "document", "key", "state", "reference", "line", "source"])
        for catalog, message in report.missing():
            writer.writerow([catalog.path, catalog.locale, catalog.document, message.key, message.state,
                             message.reference or "", message.line or "", message.msgid])
        return out.getvalue()
    names = list(Counts().as_dict())
    writer.writerow(["locale", "document", "item", *names])
    for row in _labelled_rows(report, by):
        values = row.counts.as_dict()
        writer.writerow([row.locale, row.document or "", row.item or "", *(values[n] for n in names)])
    return out.getvalue()


def _badge(locale: str, counts: Counts) -> str:
    """Plain text, no image: a PR comment or README must not load anything from another host."""
    return f"**{locale}** `{_bar(counts.percent_translated, 10)}` {_percent(counts.percent_translated)} ({counts.translated}/{counts.total})"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: StatusReport, *, by: str = "document", missing: bool = False) -> str:
    """A badge line per locale and a table; pastes into an issue or a README."""
    lines = [" · ".join(_badge(locale, counts) for locale, counts in report.locales.items()), ""]
    head = {"locale": ["Locale"], "document": ["Locale", "Document"], "item": ["Locale", "Document", "Item"]}[by]
    columns = [*head, "Progress", "Translated", "Needs review", "Fuzzy", "Untranslated", "Words translated"]
    lines.append("| " + " | ".join(columns) + " |")
    lines.append("|" + "|".join("---" if i < len(head) else "---:" for i in range(len(columns))) + "|")
    for row in _labelled_rows(report, by):
        parts = [row.locale, row.document or "", row.item or ""][: len(head)]
        counts = row.counts
        lines.append(
            "| " + " | ".join(_md_cell(p) for p in parts)
            + f" | `{_bar(counts.percent_translated, 10)}` {_percent(counts.percent_translated)} | "
            + " | ".join(_cells(counts)) + " |"
        )
    if missing:
        lines += ["", "## Missing", ""]
        for catalog, message in report.missing():
            where = message.reference or f"{catalog.path}:{message.line}"
            lines.append(
                f"- **{STATE_LABELS[message.state]}** `{_md_cell(message.key)}` ({catalog.locale}, `{where}`): "
                f"{_md_cell(_shorten(message.msgid, 80))}"
            )
    return "\n".join(lines) + "\n"


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


#: The terminal table fits this many columns: long labels go on a line of their own.
TEXT_WIDTH = 80
_SHORT_COLUMNS = ("final", "review", "fuzzy", "untr.", "words")
_SHORT_WIDTHS = (5, 6, 5, 5, 9)


def render_text(report: StatusReport, *, by: str = "document", missing: bool = False, width: int = TEXT_WIDTH) -> str:
    """The table as plain aligned text (for pipes, logs and CI), at most ``width`` columns.

    Every column is always there; a label too long for its column is written
    on a line of its own, with its numbers on the next line.
    """
    rows = [(row.label, row.counts) for row in _labelled_rows(report, by)]
    if by != "locale":
        rows += [(f"total {locale}", counts) for locale, counts in report.locales.items()]

    def numbers(counts: Counts) -> str:
        cells = "  ".join(f"{c:>{w}}" for c, w in zip(_cells(counts), _SHORT_WIDTHS))
        return f"{_bar(counts.percent_translated, 8)}  {_percent(counts.percent_translated):>6}  {cells}"

    fixed = len(numbers(Counts()))
    room = max(6, width - fixed - 2)
    label_width = min(room, max([len(label) for label, _ in rows] + [6]))
    header = f"{'':<{label_width}}  {'':8}  {'%':>6}  " + "  ".join(f"{c:>{w}}" for c, w in zip(_SHORT_COLUMNS, _SHORT_WIDTHS))
    out = [header.rstrip()]
    for label, counts in rows:
        if len(label) > label_width:
            out.append(label)
            out.append(f"{'':<{label_width}}  {numbers(counts)}")
        else:
            out.append(f"{label:<{label_width}}  {numbers(counts)}")
    out.append("final: reviewed; review: drafts; untr.: untranslated; words: final/source")
    if missing:
        out += ["", *_missing_lines(report)]
    return "\n".join(out) + "\n"


def _missing_lines(report: StatusReport) -> list[str]:
    lines = []
    for catalog, message in report.missing():
        where = f"{catalog.path}:{message.line}" if message.line else catalog.path
        source = f"  ({message.reference})" if message.reference else ""
        lines.append(f"{STATE_LABELS[message.state]:>12}  {catalog.locale}  {message.key}  {where}{source}")
    return lines


def render_rich(report: StatusReport, *, by: str = "document", missing: bool = False, width: int | None = None) -> RenderableType:
    """A rich renderable for terminals: a row per group, a coloured bar per row."""
    from rich import box
    from rich.console import Group
    from rich.progress_bar import ProgressBar
    from rich.table import Table

    # Fits 80 columns: narrow bar, short headers, the document name folds onto more lines.
    table = Table(title="Translation status", title_justify="left", show_footer=False, box=box.SIMPLE_HEAD,
                  padding=(0, 1), pad_edge=False, collapse_padding=True, show_edge=False)
    names = {"locale": ["lang"], "document": ["lang", "document"], "item": ["lang", "document", "item"]}[by]
    for name in names:
        table.add_column(name, overflow="fold", no_wrap=name == "lang")
    table.add_column("progress", width=8, no_wrap=True)
    table.add_column("%", justify="right", no_wrap=True)
    for name in _SHORT_COLUMNS:
        table.add_column(name, justify="right", no_wrap=True)
    rows = _labelled_rows(report, by)
    if by != "locale":
        rows += [Row(locale, "(total)", None, counts) for locale, counts in report.locales.items()]
    for row in rows:
        counts = row.counts
        style = "green" if counts.percent_translated >= 100 else "yellow" if counts.needs_review or counts.fuzzy else "red"
        bar = ProgressBar(total=max(counts.total, 1), completed=counts.translated, width=8,
                          complete_style=style, finished_style="green")
        head = {"locale": [row.locale], "document": [row.locale, row.document or ""],
                "item": [row.locale, row.document or "", row.item or ""]}[by]
        table.add_row(*head, bar, _percent(counts.percent_translated), *_cells(counts))
    table.caption = "final: reviewed; review: drafts to review; untr.: untranslated; words: final/source"
    table.caption_justify = "left"
    if not missing:
        return table
    missing_table = Table(title="Not final yet", title_justify="left")
    for name in ("state", "locale", "key", "where", "source reference"):
        missing_table.add_column(name)
    colors = {MessageState.NEEDS_REVIEW: "yellow", MessageState.FUZZY: "magenta", MessageState.UNTRANSLATED: "red"}
    for catalog, message in report.missing():
        where = f"{catalog.path}:{message.line}" if message.line else catalog.path
        missing_table.add_row(f"[{colors[message.state]}]{STATE_LABELS[message.state]}[/]", catalog.locale,
                              message.key, where, message.reference or "")
    return Group(table, missing_table)


def render_html(
    report: StatusReport,
    *,
    title: str = "Translation status",
    project: str | None = None,
    publishing: Iterable[Any] | None = None,
    generated: str | None = None,
) -> str:
    """A self-contained coverage page: what is published first, then bars per locale and document, then what is missing.

    ``publishing`` holds render's per document and language decisions
    (``VersionReport``: published, with fallback, or withheld and why);
    ``generated`` defaults to today's date (UTC), so a rerun on the same day
    rewrites nothing.
    """
    from datetime import datetime, timezone

    from jinja2 import Environment, FileSystemLoader

    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = env.get_template("status.html.j2")
    versions = []
    for version in publishing or ():
        state = "withheld" if not version.published else "fallback" if version.missing else "published"
        versions.append({"document": version.document, "locale": version.locale, "state": state, "reason": version.reason, "policy": version.policy})
    return template.render(
        title=f"{title} — {project}" if project else title,
        project=project,
        generated=generated or datetime.now(timezone.utc).date().isoformat(),
        report=report,
        locales=report.locales,
        labels=STATE_LABELS,
        states=[state.value for state in ACTIVE_STATES],
        percent=_percent,
        missing=report.missing(),
        publishing=versions if publishing is not None else None,
    )


def render(report: StatusReport, fmt: str, *, by: str = "document", missing: bool = False, **html: Any) -> str:
    """The report in ``fmt`` (``table`` here is the plain-text table); ``html`` options go to :func:`render_html`."""
    if fmt == "json":
        return render_json(report, by=by, missing=missing)
    if fmt == "csv":
        return render_csv(report, by=by, missing=missing)
    if fmt == "markdown":
        return render_markdown(report, by=by, missing=missing)
    if fmt == "html":
        return render_html(report, **html)
    if fmt == "table":
        return render_text(report, by=by, missing=missing)
    raise ValueError(f"unknown format {fmt!r}")


def write_status_html(report: StatusReport, path: Path, **options: Any) -> bool:
    """Write the HTML coverage page atomically; False when it was already identical (``options``: see :func:`render_html`)."""
    from i18n_pipeline.fileio import atomic_write

    return atomic_write(Path(path), render_html(report, **options))
