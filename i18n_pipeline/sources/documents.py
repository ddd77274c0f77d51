"""Reading source documents (YAML under ``source/``) into :class:`Document` s.

Validation happens here, once, so every later stage can trust its input:
a missing field, a wrong type, an unknown key or a duplicate id stops the run
with ``file:line: what is wrong`` before anything is written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from i18n_pipeline.config import Config, check_configured_documents, source_files, validate_locale
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.sources.model import Document, Event, Item, Link, Note, Segment

from . import yamlio

KINDS = ("faq", "announcement")
_COMMON_KEYS = ("id", "kind", "lang", "title", "footer", "links", "notes", "policy", "values")
_KEYS = {
    "faq": (*_COMMON_KEYS, "items"),
    "announcement": (*_COMMON_KEYS, "body", "event"),
}
#: Fields a document of each kind must have, with what to say when one is missing.
_REQUIRED = {"faq": {"title": "", "items": " (a list of questions and answers)"}, "announcement": {"title": "", "body": ""}}
_ITEM_KEYS = ("id", "question", "answer", "note")
_ITEM_REQUIRED = {"id": " (a stable id such as 'who-is-this-for')", "question": "", "answer": ""}
_LINK_KEYS = ("id", "label", "url", "note")
_NOTE_KEYS = ("id", "text", "icon", "note")
_EVENT_KEYS = ("start", "timezone", "recurrence", "display_timezones", "duration_minutes")
RECURRENCES = ("once", "weekly", "monthly")
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
#: One segment of a document id: it becomes a folder or file name under catalogs/ and build/.
_DOC_ID_SEGMENT_RE = re.compile(r"^[^\W_][\w.-]*$")  # letters of any script (a file may be qué-esperar.yaml)
_PLACEHOLDER_RE = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Placeholders computed from ``event`` (the keys of publish.schedule.Schedule.placeholders); never set in ``values:``.
EVENT_PLACEHOLDERS = ("schedule", "recurrence", "time", "date")
_PARAGRAPH_SPLIT = re.compile(r"\n[ \t]*\n")
URL_SCHEMES = ("http://", "https://", "mailto:")
#: Characters msgfmt rejects in a msgid (EOT is its context separator) or silently cuts at (NUL).
_UNSTORABLE_RE = re.compile("[\x00\x04]")


def load_documents(config: Config) -> list[Document]:
    """All documents of the project; duplicate document ids are an error."""
    documents: list[Document] = []
    seen: dict[str, tuple[str, str]] = {}
    for path in source_files(config):
        document = load_document(path, config)
        claim_id(seen, document.id, document.path)
        documents.append(document)
    check_configured_documents(config, [d.id for d in documents])
    return documents


def claim_id(seen: dict[str, tuple[str, str]], doc_id: str, shown: str) -> None:
    """Note that the source ``shown`` uses ``doc_id``; a second source with it is an error.

    Case-insensitive, normalizing file systems (macOS, Windows) give 'FAQ/a' and 'faq/a' one catalog file.
    """
    folded = unicodedata.normalize("NFC", doc_id).casefold()
    other = seen.get(folded)
    if other is not None:
        other_id, other_path = other
        same = f"'{doc_id}'" if other_id == doc_id else f"'{doc_id}' (the same files as '{other_id}' where case is ignored)"
        raise PipelineError(f"document id {same} is also used by {other_path}: both would write one catalog", shown)
    seen[folded] = (doc_id, shown)


def document_id_problem(doc_id: str) -> str | None:
    """Why ``doc_id`` cannot name catalog files, or None.

    ``faq/./x``, ``faq//x`` and ``faq/x`` would write one file; ``faq/`` a hidden ``faq/.po``.
    """
    if doc_id.endswith("/"):
        return "it ends with '/'"
    for segment in doc_id.split("/"):
        if segment in ("", ".", ".."):
            return f"it has {'an empty' if not segment else repr(segment)} segment (ids are paths like 'faq/learning-space')"
        if not _DOC_ID_SEGMENT_RE.match(unicodedata.normalize("NFC", segment)):
            return f"segment '{segment}' must start with a letter or digit and hold only letters, digits, '.', '_', '-'"
    return None


def load_document(path: Path, config: Config, data: bytes | None = None) -> Document:
    """The document in ``path``; ``data`` is its content when the caller has read it already.

    Its id, unless the file sets ``id:``, is its path under the source folder without extension.
    """
    shown = config.relative(path)
    text = yamlio.read_text(path, shown) if data is None else yamlio.decode(data, shown)
    return parse_document(text, shown, path.relative_to(config.source_path).with_suffix("").as_posix(), config.source_locale)


def parse_document(text: str, shown: str, default_id: str, default_lang: str) -> Document:
    """Pure: YAML text -> Document. ``shown`` is the path used in references and errors."""
    root = yamlio.compose(text, shown)
    if root is None or yamlio.is_null(root):
        raise PipelineError("document is empty (it needs at least kind and title)", shown, 1)
    reader = _Reader(shown, text.splitlines())
    kind_node = yamlio.mapping_items(root, shown, "the document", required={"kind": f" (one of: {', '.join(KINDS)})"})["kind"][1]
    kind = yamlio.text(kind_node, shown, "'kind'")
    if kind not in KINDS:
        raise PipelineError(f"unknown kind '{kind}'{yamlio.suggest(kind, KINDS)}", shown, yamlio.line_of(kind_node))
    top = yamlio.mapping_items(root, shown, f"the {kind} document", _KEYS[kind], _REQUIRED[kind])

    doc_id = default_id
    if "id" in top:
        doc_id = yamlio.text(top["id"][1], shown, "'id'")
        if (problem := document_id_problem(doc_id)) is not None:
            raise PipelineError(f"invalid document id '{doc_id}': {problem}", shown, yamlio.line_of(top["id"][1]))
    elif (problem := document_id_problem(doc_id)) is not None:
        # The id comes from the file's path, and names catalog files and pages: it obeys the same rules.
        raise PipelineError(f"the file's path gives the document id '{doc_id}', which is invalid: {problem} (rename the file or set 'id:')",
                            shown)
    lang = default_lang
    if "lang" in top:
        lang = validate_locale(yamlio.text(top["lang"][1], shown, "'lang'"), shown, yamlio.line_of(top["lang"][1]))
    document = Document(
        id=doc_id,
        kind=kind,
        lang=lang,
        path=shown,
        title=reader.segment(*top["title"], "'title'", f"{doc_id}/title"),
        body=reader.paragraphs(top["body"], f"{doc_id}/body", "'body'") if kind == "announcement" else (),
        items=reader.items(top["items"][1], doc_id) if kind == "faq" else (),
        footer=reader.paragraphs(top["footer"], f"{doc_id}/footer", "'footer'") if "footer" in top else (),
        links=reader.links(top, doc_id),
        notes=reader.notes(top, doc_id),
        event=reader.event(top["event"][1]) if "event" in top else None,
        values=reader.values(top["values"][1], lang) if "values" in top else {},
        options={"policy": yamlio.plain(top["policy"][1])} if "policy" in top else {},
    )
    _check_placeholders(document)
    return document


def _check_placeholders(document: Document) -> None:
    """Every ``{name}`` must be filled by ``values:`` or the event, or it would stop ``render`` later."""
    for segment in document.segments:
        for match in _PLACEHOLDER_RE.finditer(segment.text) if "{" in segment.text else ():
            name = match.group()[1:-1]
            if name in document.values or (document.event is not None and name in EVENT_PLACEHOLDERS):
                continue
            if name in EVENT_PLACEHOLDERS:
                hint = f"{{{name}}} is computed from an 'event', and this document has none"
            else:
                known = sorted(document.values)
                hint = f"add '{name}' under 'values:'" + (f" (this document has: {', '.join(known)})" if known else "")
            line = int(segment.reference.rpartition(":")[2])  # made by _Reader.make: always path:line
            raise PipelineError(f"placeholder {{{name}}} in '{segment.key}' is not filled: {hint}", document.path, line)


_Entries = dict[str, tuple[yamlio.Node, yamlio.Node]]


@dataclass
class _Reader:
    """Turns validated nodes into segments, remembering the file for messages."""

    shown: str
    lines: list[str]

    def comments(self, key_node: yamlio.Node, note: str | None = None) -> tuple[str, ...]:
        """The YAML comments above the key, then the entry's ``note:``."""
        found = yamlio.comments_above(self.lines, yamlio.line_of(key_node))
        return tuple(found + note.splitlines() if note else found)

    def make(self, key: str, text: str, line: int, comments: tuple[str, ...]) -> Segment:
        bad = _UNSTORABLE_RE.search(text)
        if bad is not None:
            raise PipelineError(
                f"the text contains the control character U+{ord(bad.group()):04X}, which a gettext catalog "
                "cannot hold (NUL ends a string, U+0004 separates the context); remove it",
                self.shown,
                line,
            )
        flags = ("python-brace-format",) if "{" in text and _PLACEHOLDER_RE.search(text) else ()
        return Segment(key=key, text=text, reference=f"{self.shown}:{line}", comments=comments, flags=flags)

    def segment(self, key_node: yamlio.Node, node: yamlio.Node, what: str, key: str, note: str | None = None) -> Segment:
        """One text as one segment: stripped, never empty; a plain note is its own key node."""
        value = yamlio.text(node, self.shown, what).strip()
        if not value:
            raise PipelineError(f"{what} is empty", self.shown, yamlio.line_of(node))
        return self.make(key, value, yamlio.line_of(node), self.comments(key_node, note))

    def optional(self, entries: _Entries, field: str, where: str) -> str | None:
        """An optional text field, stripped; None when it is absent or has no value."""
        if field not in entries or yamlio.is_null(entries[field][1]):
            return None
        return yamlio.text(entries[field][1], self.shown, f"'{field}'{where}").strip()

    def paragraphs(self, entry: tuple[yamlio.Node, yamlio.Node], prefix: str, what: str, note: str | None = None) -> tuple[Segment, ...]:
        """Split a text field on blank lines: one segment per paragraph, numbered from 1."""
        key_node, node = entry
        value = yamlio.text(node, self.shown, what)
        # A block scalar (| or >) starts on the line after its key; its paragraphs on their own lines.
        block = isinstance(node, yamlio.ScalarNode) and node.style in ("|", ">")
        first_line = yamlio.line_of(node) + block
        comments = self.comments(key_node, note)
        segments = tuple(
            self.make(f"{prefix}/{number}", value[start:end], first_line + value.count("\n", 0, start) if block else first_line, comments)
            for number, (start, end) in enumerate(_paragraph_spans(value), start=1)
        )
        if not segments:
            raise PipelineError(f"{what} is empty", self.shown, yamlio.line_of(node))
        return segments

    def items(self, node: yamlio.Node, doc_id: str) -> tuple[Item, ...]:
        if not isinstance(node, yamlio.SequenceNode) or not node.value:
            raise PipelineError(f"'items' must be a non-empty list, not {yamlio.describe(node)}", self.shown, yamlio.line_of(node))
        items: list[Item] = []
        seen: dict[str, int] = {}
        for index, item_node in enumerate(node.value, start=1):
            where = f" in item {index}"
            entries = yamlio.mapping_items(item_node, self.shown, f"item {index}", _ITEM_KEYS, _ITEM_REQUIRED)
            item_id = self.identifier(entries, item_node, where, seen, str(index))
            note = self.optional(entries, "note", where)
            question = self.segment(*entries["question"], f"'question'{where}", f"{doc_id}/{item_id}/question", note)
            answer = self.paragraphs(entries["answer"], f"{doc_id}/{item_id}/answer", f"'answer'{where}", note)
            items.append(Item(id=item_id, question=question, answer=answer))
        return tuple(items)

    def identifier(self, entries: _Entries, node: yamlio.Node, where: str, seen: dict[str, int], position: str) -> str:
        """The entry's ``id``, or its ``position`` when it has none (links, notes); unique in its list."""
        id_node = entries["id"][1] if "id" in entries else None
        value = position if id_node is None else yamlio.text(id_node, self.shown, f"'id'{where}")
        line = yamlio.line_of(node if id_node is None else id_node)
        if id_node is not None and not _ID_RE.match(value):
            raise PipelineError(f"invalid id '{value}'{where} (letters, digits, '.', '_', '-')", self.shown, line)
        if value in seen:
            raise PipelineError(f"duplicate id '{value}'{where} (first used at line {seen[value]})", self.shown, line)
        seen[value] = line
        return value

    def sequence(self, top: _Entries, field: str) -> list[yamlio.Node]:
        node = top[field][1] if field in top else None
        if node is None or yamlio.is_null(node):
            return []
        if not isinstance(node, yamlio.SequenceNode):
            raise PipelineError(f"'{field}' must be a list, not {yamlio.describe(node)}", self.shown, yamlio.line_of(node))
        return list(node.value)

    def links(self, top: _Entries, doc_id: str) -> tuple[Link, ...]:
        links: list[Link] = []
        seen: dict[str, int] = {}
        for index, node in enumerate(self.sequence(top, "links"), start=1):
            where = f" in link {index}"
            entries = yamlio.mapping_items(node, self.shown, f"link {index}", _LINK_KEYS, {"label": ""})
            link_id = self.identifier(entries, node, where, seen, str(index))
            label = self.segment(*entries["label"], f"'label'{where}", f"{doc_id}/links/{link_id}", self.optional(entries, "note", where))
            url = self.optional(entries, "url", where)
            if url is not None and not url.lower().startswith(URL_SCHEMES):
                raise PipelineError(f"link url '{url}'{where} must start with http://, https:// or mailto:", self.shown, yamlio.line_of(entries["url"][1]))
            links.append(Link(id=link_id, label=label, url=url))
        return tuple(links)

    def notes(self, top: _Entries, doc_id: str) -> tuple[Note, ...]:
        """Notes are short lines; a plain string is keyed by position, a mapping by its id."""
        notes: list[Note] = []
        seen: dict[str, int] = {}
        for index, node in enumerate(self.sequence(top, "notes"), start=1):
            where = f" in note {index}"
            if isinstance(node, yamlio.MappingNode):
                entries = yamlio.mapping_items(node, self.shown, f"note {index}", _NOTE_KEYS, {"text": ""})
                note_id = self.identifier(entries, node, where, seen, str(index))
                text = self.segment(*entries["text"], f"'text'{where}", f"{doc_id}/notes/{note_id}", self.optional(entries, "note", where))
                notes.append(Note(id=note_id, text=text, icon=self.optional(entries, "icon", where) or None))
            else:
                note_id = self.identifier({}, node, where, seen, str(index))
                notes.append(Note(id=note_id, text=self.segment(node, node, f"note {index}", f"{doc_id}/notes/{note_id}")))
        return tuple(notes)

    def values(self, node: yamlio.Node, lang: str) -> dict[str, dict[str, str]]:
        """``values:`` -- name: text (every language) or name: {locale: text}, the document's own language first."""
        out: dict[str, dict[str, str]] = {}
        for name, (key_node, value_node) in yamlio.mapping_items(node, self.shown, "'values'").items():
            if not _NAME_RE.match(name):
                raise PipelineError(f"invalid value name '{name}' (letters, digits and '_', as in {{office_hours}})", self.shown, yamlio.line_of(key_node))
            if name in EVENT_PLACEHOLDERS:
                raise PipelineError(f"'values.{name}' cannot be set: {{{name}}} is computed from the document's 'event'", self.shown, yamlio.line_of(key_node))
            if isinstance(value_node, yamlio.MappingNode):
                per_language: dict[str, str] = {}
                for code, (code_node, text_node) in yamlio.mapping_items(value_node, self.shown, f"'values.{name}'").items():
                    locale = validate_locale(code, self.shown, yamlio.line_of(code_node))
                    per_language[locale] = self.value_text(text_node, f"'values.{name}.{code}'")
                if lang not in per_language:
                    raise PipelineError(f"'values.{name}' needs a value in the document's language '{lang}' (the fallback for the others)", self.shown, yamlio.line_of(value_node))
                out[name] = per_language
            else:
                out[name] = {"*": self.value_text(value_node, f"'values.{name}'")}
        return out

    def value_text(self, node: yamlio.Node, what: str) -> str:
        if isinstance(node, yamlio.ScalarNode) and not yamlio.is_null(node):
            text = str(node.value).strip()
            if text and not _UNSTORABLE_RE.search(text):
                return text
        raise PipelineError(f"{what} must be a non-empty text, not {yamlio.describe(node)}", self.shown, yamlio.line_of(node))

    def event(self, node: yamlio.Node) -> Event:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        entries = yamlio.mapping_items(node, self.shown, "'event'", _EVENT_KEYS, {"start": "", "timezone": ""})
        start_node = entries["start"][1]
        raw_start = yamlio.text(start_node, self.shown, "'event.start'")
        try:
            start = datetime.fromisoformat(raw_start.strip().replace(" ", "T", 1))
        except ValueError:
            raise PipelineError(f"'event.start' must be a date-time like 2023-01-10T16:00, not '{raw_start}'", self.shown, yamlio.line_of(start_node)) from None
        if start.tzinfo is not None:
            raise PipelineError("'event.start' is local time in 'event.timezone': leave out the UTC offset", self.shown, yamlio.line_of(start_node))

        def zone(value_node: yamlio.Node, what: str) -> str:
            name = yamlio.text(value_node, self.shown, what).strip()
            try:
                ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                raise PipelineError(f"{what} '{name}' is not an IANA time zone (e.g. America/New_York)", self.shown, yamlio.line_of(value_node)) from None
            return name

        timezone = zone(entries["timezone"][1], "'event.timezone'")
        rec_node = entries.get("recurrence", (None, None))[1]
        recurrence = "once" if rec_node is None else yamlio.text(rec_node, self.shown, "'event.recurrence'").strip()
        if rec_node is not None and recurrence not in RECURRENCES:
            raise PipelineError(f"'event.recurrence' must be one of {', '.join(RECURRENCES)}, not '{recurrence}'", self.shown, yamlio.line_of(rec_node))
        display: tuple[str, ...] = (timezone,)
        if "display_timezones" in entries:
            disp_node = entries["display_timezones"][1]
            if not isinstance(disp_node, yamlio.SequenceNode) or not disp_node.value:
                raise PipelineError("'event.display_timezones' must be a non-empty list of IANA zones", self.shown, yamlio.line_of(disp_node))
            display = tuple(zone(z, "'event.display_timezones'") for z in disp_node.value)
        for name in display:
            try:
                start.replace(tzinfo=ZoneInfo(timezone)).astimezone(ZoneInfo(name))
            except OverflowError:
                raise PipelineError(f"'event.start' {raw_start.strip()} is outside the years 1-9999 in the time zone {name}", self.shown, yamlio.line_of(start_node)) from None
        dur_node = entries.get("duration_minutes", (None, None))[1]
        duration = None if dur_node is None else yamlio.plain(dur_node)
        if dur_node is not None and (isinstance(duration, bool) or not isinstance(duration, int) or duration <= 0):
            raise PipelineError("'event.duration_minutes' must be a positive whole number", self.shown, yamlio.line_of(dur_node))
        return Event(start=start, timezone=timezone, recurrence=recurrence, display_timezones=display, duration_minutes=duration)


def _paragraph_spans(value: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank paragraph, trimmed of surrounding whitespace."""
    stripped = value.strip()
    if "\n" not in stripped:  # one paragraph (or none): no split needed
        start = len(value) - len(value.lstrip())
        return [(start, start + len(stripped))] if stripped else []
    spans: list[tuple[int, int]] = []
    position = 0
    for part in _PARAGRAPH_SPLIT.split(value):
        index = value.index(part, position)
        position = index + len(part)
        stripped = part.strip()
        if stripped:
            start = index + (len(part) - len(part.lstrip()))
            spans.append((start, start + len(stripped)))
    return spans
