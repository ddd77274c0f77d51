"""The bilingual page model: what a rendered page says, in which language, and why.

Pure data in, pure data out. ``render`` reads sources and catalogs and hands
them here; the templates only turn a :class:`Page` into HTML, Markdown or text.

A catalog entry's state is the message's own (:attr:`catalog.Message.state`:
translated, needs_review, fuzzy, untranslated); the page adds only what
belongs to a page: an entry may be unusable here (:data:`STALE`: the catalog
was not updated for the current source; :data:`INVALID`: its
``{placeholders}`` differ from the source's), and every cell knows its
language and its *cell state*: ``source`` (the document's own language), the
message state of the translation shown (``translated``; in preview mode also
``needs_review`` and ``fuzzy``, each labelled), or ``fallback`` (no usable
translation, so the source text is shown, marked and in the source
language). Final mode shows only translated text: that is decided here, once.

A translation can only carry the links its source carries: links are parsed
out of the text (Markdown ``[label](url)``, bare ``http(s)://`` addresses and
e-mail addresses), only http, https and mailto are ever linked, and a link in
a translation whose address is not in the source stays plain text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from i18n_pipeline.choices import BILINGUAL, LAYOUTS, MODES  # noqa: F401  (re-exported)
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.gettext.catalog import Message, MessageState
from i18n_pipeline.numbers import format_percent
from i18n_pipeline.sources.model import Document, Segment

# Message states, from the model (the one definition) ...
TRANSLATED = MessageState.TRANSLATED
NEEDS_REVIEW = MessageState.NEEDS_REVIEW
FUZZY = MessageState.FUZZY
UNTRANSLATED = MessageState.UNTRANSLATED
# ... why a page cannot use an entry whatever its state ...
STALE = "stale"  # the catalog's msgid is not the current source text: run update
INVALID = "invalid"  # placeholders differ from the source's
# ... and the cell states a page adds.
SOURCE = "source"
FALLBACK = "fallback"

_PLACEHOLDER_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_LINK_RE = re.compile(
    r"\[(?P<label>[^\[\]\n]+)\]\((?P<target>[^()\s]+)\)"
    r"|(?P<url>\bhttps?://[^\s<>\"'\]]+[^\s<>\"'\].,;:!?)])"
    r"|(?P<email>\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b)"
)
SAFE_SCHEMES = ("http://", "https://", "mailto:")


@dataclass(frozen=True)
class Entry:
    """One document message in one target language, as the catalog has it."""

    text: str
    #: The message's state, as the model decides it.
    state: MessageState
    #: Why this page cannot use the text at all: :data:`STALE` or :data:`INVALID`.
    problem: str | None = None

    @property
    def usable(self) -> bool:
        """Text a page may show (translated, or a labelled draft/fuzzy entry in preview)."""
        return self.problem is None and self.state != UNTRANSLATED

    @property
    def final(self) -> bool:
        return self.problem is None and self.state == TRANSLATED


def entries_from_messages(document: Document, messages: Mapping[str, Message]) -> dict[str, Entry]:
    """Every segment's catalog entry with its state, and a problem when unusable.

    ``messages`` is ``Catalog.by_key()``. An entry whose msgid is not the
    current source text belongs to older text (``update`` was not run) and is
    never used; nor is one whose ``{placeholders}`` differ from the source's.
    """
    entries: dict[str, Entry] = {}
    for segment in document.segments:
        message = messages.get(segment.key)
        if message is None or message.obsolete or message.msgstr_plural is not None:
            entries[segment.key] = Entry("", UNTRANSLATED)
            continue
        text = message.msgstr
        state = message.state
        if state is UNTRANSLATED:
            entries[segment.key] = Entry("", UNTRANSLATED)
        elif message.msgid != segment.text:
            entries[segment.key] = Entry(text, state, STALE)
        elif _placeholders(text) != _placeholders(segment.text):
            entries[segment.key] = Entry(text, state, INVALID)
        else:
            entries[segment.key] = Entry(text, state)
    return entries


def _placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER_RE.findall(text))


# --- publishing policy -----------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """When a language version may be published in final mode.

    ``strict``: only when every message is final. ``fallback``: always, with
    missing text shown in the source language and marked. A threshold
    (``80`` or ``"80%"``, like po4a's ``--keep``): when at least that share of
    messages is final, with the rest as in ``fallback``.
    """

    name: str  # "strict" | "fallback" | "threshold"
    threshold: float = 100.0

    @classmethod
    def parse(cls, value: object) -> Policy:
        """``strict``, ``fallback``, ``80``, ``"80%"``; ValueError says what is allowed."""
        if isinstance(value, str):
            word = value.strip().lower()
            if word in ("strict", "fallback"):
                return cls(word, 100.0 if word == "strict" else 0.0)
            number = word[:-1].strip() if word.endswith("%") else word
            try:
                value = float(number)
            except ValueError:
                value = None
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 100:
            return cls("threshold", float(value))
        raise ValueError("a policy is 'strict', 'fallback' or a percentage from 0 to 100 (e.g. 80 or '80%')")

    def __str__(self) -> str:
        return self.name if self.name != "threshold" else f"{self.threshold:g}%"


@dataclass(frozen=True)
class Missing:
    key: str
    reference: str
    #: The message's state (never ``translated`` unless ``problem`` is set).
    state: str
    #: :data:`STALE` or :data:`INVALID` when the text exists but cannot be used.
    problem: str | None = None

    @property
    def why(self) -> str:
        """``fuzzy``, or ``translated, invalid``: the state, and the problem if any."""
        return f"{self.state}, {self.problem}" if self.problem else str(self.state)


@dataclass(frozen=True)
class Coverage:
    """How much of one document is final in one target language."""

    document: str
    locale: str
    total: int
    final: int
    missing: tuple[Missing, ...]
    #: Keys filled from the tool's reviewed standard labels (e.g. "FAQ").
    from_labels: tuple[str, ...] = ()

    @property
    def percent(self) -> float:
        return 100.0 * self.final / self.total if self.total else 100.0

    @property
    def complete(self) -> bool:
        return self.final == self.total


def coverage(document: Document, locale: str, entries: Mapping[str, Entry], labels: Mapping[str, str] | None = None) -> Coverage:
    """Count final messages; ``labels`` maps source text to a reviewed standard label."""
    labels = labels or {}
    final = 0
    missing: list[Missing] = []
    from_labels: list[str] = []
    for segment in document.segments:
        entry = entries.get(segment.key, Entry("", UNTRANSLATED))
        if entry.final:
            final += 1
        elif segment.text in labels:
            final += 1
            from_labels.append(segment.key)
        else:
            missing.append(Missing(segment.key, segment.reference, entry.state.value, entry.problem))
    return Coverage(document.id, locale, len(document.segments), final, tuple(missing), tuple(from_labels))


@dataclass(frozen=True)
class Decision:
    publish: bool
    reason: str


def decide(policy: Policy, cov: Coverage) -> Decision:
    """Whether a language version is published under ``policy``, and a one-line reason."""
    share = f"{cov.final}/{cov.total} final ({format_percent(cov.percent)})"
    if policy.name == "strict":
        if cov.complete:
            return Decision(True, f"{share}")
        return Decision(False, f"{share}; policy strict needs every message final")
    if policy.name == "fallback":
        return Decision(True, share if cov.complete else f"{share}; {cov.total - cov.final} shown in the source language")
    if cov.percent + 1e-9 >= policy.threshold:
        return Decision(True, share if cov.complete else f"{share}; {cov.total - cov.final} shown in the source language")
    return Decision(False, f"{share} is below the policy threshold {policy.threshold:g}%")


# --- the page ----------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """A run of text, or a link when ``url`` is set (already checked safe)."""

    text: str
    url: str | None = None


@dataclass(frozen=True)
class Cell:
    """One segment in one language column."""

    key: str
    #: The language the text is really in (the source's for a fallback).
    lang: str
    #: The language column this cell belongs to.
    column: str
    state: str
    parts: tuple[Part, ...]
    #: False where the source text stands right beside it (interleaved, side-by-side):
    #: a fallback then shows only its note instead of repeating the source.
    show_text: bool = True

    @property
    def text(self) -> str:
        return "".join(part.text for part in self.parts)

    @property
    def shown_lang(self) -> str:
        """The language of what is actually shown: the column's when only a note is."""
        return self.lang if self.show_text else self.column


@dataclass(frozen=True)
class Row:
    """One segment across languages, in reading order."""

    kind: str  # title | paragraph | question | answer | footer | link | note
    cells: tuple[Cell, ...]
    item: str | None = None
    url: str | None = None
    icon: str | None = None
    #: A link label's final translations into languages whose version of this
    #: document is withheld: shown beside the label ("Register / Inscríbase").
    also: tuple[Cell, ...] = ()


@dataclass(frozen=True)
class Language:
    """One language column of a page and its interface labels, already translated."""

    code: str
    name: str
    labels: Mapping[str, str] = field(default_factory=dict)
    #: True when some cell of this column falls back to the source language.
    has_fallback: bool = False


class _Shown:
    """What a document page and a composed page both answer: their first language and mode."""

    languages: tuple[Language, ...]
    mode: str

    @property
    def lang(self) -> str:
        return self.languages[0].code

    @property
    def preview(self) -> bool:
        return self.mode == "preview"


@dataclass(frozen=True)
class Page(_Shown):
    document: str
    kind: str
    layout: str
    mode: str
    languages: tuple[Language, ...]
    rows: tuple[Row, ...]
    #: Language code -> address of the event's calendar file, relative to the page.
    calendars: Mapping[str, str] = field(default_factory=dict)
    #: What decides the cells of each column besides its language: document, mode, two-column layout, withheld languages.
    origin: tuple[object, ...] = ()

    @property
    def title(self) -> str:
        """The plain ``<title>``: each language's title, once each."""
        seen: list[str] = []
        for cell in self.rows[0].cells:
            if cell.text not in seen:
                seen.append(cell.text)
        return " / ".join(seen)

    def index(self, code: str) -> int | None:
        """The column of language ``code``, or None when this document is not shown in it."""
        for number, language in enumerate(self.languages):
            if language.code == code:
                return number
        return None


@dataclass(frozen=True)
class ComposedPage(_Shown):
    """What one output file shows: one or more documents' pages, in order.

    A document renders as a composed page of one part; a configured page
    (``pages:``) as the parts of its documents, each part holding only the
    languages its publishing policy lets out (a withheld translation leaves
    that document out of its language's half).
    """

    id: str
    layout: str
    mode: str
    #: Every language column of the page, source first; each part has a subset.
    languages: tuple[Language, ...]
    parts: tuple[Page, ...]
    title: str

    @property
    def rows(self) -> tuple[Row, ...]:
        """Every part's rows in order (what project templates written for one document read)."""
        return tuple(row for part in self.parts for row in part.rows)

    def parts_in(self, code: str) -> list[tuple[Page, int]]:
        """(part, column) for every part shown in language ``code``, in page order."""
        found = []
        for part in self.parts:
            column = part.index(code)
            if column is not None:
                found.append((part, column))
        return found


def compose(page_id: str, layout: str, mode: str, languages: tuple[Language, ...], parts: list[Page], title: str | None = None) -> ComposedPage:
    """A page of ``parts``; its ``<title>`` is ``title`` or the first part's titles."""
    return ComposedPage(page_id, layout, mode, languages, tuple(parts), title or (parts[0].title if parts else page_id))


def build_page(
    document: Document,
    layout: str,
    locales: tuple[str, ...],
    entries: Mapping[str, Mapping[str, Entry]],
    *,
    mode: str = "final",
    labels: Mapping[str, Mapping[str, str]] | None = None,
    placeholders: Mapping[str, Mapping[str, str]] | None = None,
    ui: Mapping[str, Mapping[str, str]] | None = None,
    withheld: tuple[str, ...] = (),
    calendars: Mapping[str, str] | None = None,
    memo: dict[tuple[str, str, bool], Cell] | None = None,
) -> Page:
    """The page of ``document`` in ``locales`` (source first for bilingual layouts).

    ``entries[locale][key]`` are the judged catalog entries of each target
    language; ``labels[locale]`` maps source text to a reviewed standard label;
    ``placeholders[locale]`` fills ``{schedule}`` and friends; ``ui[locale]``
    holds the translated interface labels. Whether a version may be published
    at all is :func:`decide`'s business, not this function's; ``withheld``
    names the languages whose version was not let out, so that a link label
    with a final translation in one of them is shown in both languages.
    ``memo``, kept by the caller for one document, mode and set of entries,
    lets every layout share the cells it has in common.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    labels = labels or {}
    placeholders = placeholders or {}
    ui = ui or {}
    side = layout in ("interleaved", "side-by-side")
    cells = memo if memo is not None else {}
    source_fill = placeholders.get(document.lang, {})

    def cell(segment: Segment, locale: str) -> Cell:
        key = (segment.key, locale, side)
        found = cells.get(key)
        if found is None:
            # Only a fallback differs between one-column and two-column layouts (its text is not repeated).
            other = cells.get((segment.key, locale, not side))
            found = cells[key] = other if other is not None and other.state != FALLBACK else new_cell(segment, locale)
        return found

    def new_cell(segment: Segment, locale: str) -> Cell:
        if locale == document.lang:
            return Cell(segment.key, locale, locale, SOURCE, parse_inline(fill(segment.text, source_fill, segment)))
        entry = entries.get(locale, {}).get(segment.key, Entry("", UNTRANSLATED))
        standard = labels.get(locale, {}).get(segment.text)
        if entry.final or standard is not None:
            text = entry.text if entry.final else standard
            assert text is not None
            parts = parse_inline(fill(text, placeholders.get(locale, {}), segment), allowed=_urls(cell(segment, document.lang).parts))
            return Cell(segment.key, locale, locale, TRANSLATED, parts)
        if mode == "preview" and entry.usable:
            # A draft awaiting review, or a translation whose source changed: shown, labelled with its state.
            parts = parse_inline(fill(entry.text, placeholders.get(locale, {}), segment), allowed=_urls(cell(segment, document.lang).parts))
            return Cell(segment.key, locale, locale, entry.state, parts)
        parts = parse_inline(fill(segment.text, source_fill, segment))
        return Cell(segment.key, document.lang, locale, FALLBACK, parts, show_text=not side)

    def row(
        kind: str, segment: Segment, *, item: str | None = None, url: str | None = None, icon: str | None = None, also: tuple[Cell, ...] = ()
    ) -> Row:
        return Row(kind, tuple([cell(segment, locale) for locale in locales]), item=item, url=url, icon=icon, also=also)

    rows = [row("title", document.title)]
    rows.extend(row("paragraph", s) for s in document.body)
    for item in document.items:
        rows.append(row("question", item.question, item=item.id))
        rows.extend(row("answer", s, item=item.id) for s in item.answer)
    rows.extend(row("footer", s) for s in document.footer)
    def also(segment: Segment) -> tuple[Cell, ...]:
        found = []
        for locale in withheld:
            translated = cell(segment, locale)
            if translated.state == TRANSLATED and translated.text != segment.text:
                found.append(translated)
        return tuple(found)

    rows.extend(row("link", link.label, url=_safe_url(link.url), item=link.id, also=also(link.label)) for link in document.links)
    rows.extend(row("note", note.text, icon=note.icon, item=note.id) for note in document.notes)

    languages = tuple(
        Language(
            code=locale,
            name=ui.get(locale, {}).get("language", locale),
            labels=ui.get(locale, {}),
            has_fallback=any(r.cells[i].state == FALLBACK for r in rows),
        )
        for i, locale in enumerate(locales)
    )
    return Page(document.id, document.kind, layout, mode, languages, tuple(rows), dict(calendars or {}), (document.id, mode, side, withheld))


def fill(text: str, values: Mapping[str, str], segment: Segment) -> str:
    """Replace ``{name}`` placeholders; an unknown or unfillable one is an error in the source."""
    if "{" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in values:
            return values[name]
        path, _, line = segment.reference.rpartition(":")
        known = ", ".join("{" + k + "}" for k in values)
        hint = f" (this document can use {known})" if known else " (give it a value under 'values:')"
        raise PipelineError(f"placeholder {{{name}}} in '{segment.key}' cannot be filled{hint}", path or segment.reference, int(line) if line.isdigit() else None)

    return _PLACEHOLDER_RE.sub(replace, text)


def parse_inline(text: str, allowed: set[str] | None = None) -> tuple[Part, ...]:
    """Split text into plain runs and safe links.

    ``allowed`` (for a translation) is the set of addresses its source links
    to; anything else, and any scheme but http, https and mailto, stays text.
    """
    if "[" not in text and "://" not in text and "@" not in text:
        return (Part(text),) if text else ()  # nothing the link pattern could match
    parts: list[Part] = []
    position = 0
    for match in _LINK_RE.finditer(text):
        if match.group("label") is not None:
            label, url = match.group("label"), match.group("target")
        elif match.group("url") is not None:
            label = url = match.group("url")
        else:
            label, url = match.group("email"), "mailto:" + match.group("email")
        safe = _safe_url(url)
        if safe is None or (allowed is not None and safe not in allowed):
            continue
        if match.start() > position:
            parts.append(Part(text[position : match.start()]))
        parts.append(Part(label, safe))
        position = match.end()
    if position < len(text):
        parts.append(Part(text[position:]))
    return tuple(_merge(parts))


def _merge(parts: list[Part]) -> list[Part]:
    merged: list[Part] = []
    for part in parts:
        if merged and part.url is None and merged[-1].url is None:
            merged[-1] = Part(merged[-1].text + part.text)
        else:
            merged.append(part)
    return merged


def _safe_url(url: str | None) -> str | None:
    if url is None:
        return None
    url = url.strip()
    if not url.lower().startswith(SAFE_SCHEMES) or any(c in url for c in "\"'<>` \t\n\\"):
        return None
    return url


def _urls(parts: tuple[Part, ...]) -> set[str]:
    return {part.url for part in parts if part.url is not None}
