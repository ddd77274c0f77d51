"""Reading source documents (YAML under ``source/``) into :class:`Document` s.

Validation happens here, once, so every later stage can trust its input:
a missing field, a wrong type, an unknown key or a duplicate id stops the run
with ``file:line: what is wrong`` before anything is written.
"""

from __future__ import annotations

import re
import unicodedata
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
_ITEM_KEYS = ("id", "question", "answer", "note")
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


def default_document_id(path: Path, config: Config) -> str:
    """A document's id unless it sets ``id:``: its path under the source folder, without extension."""
    return path.relative_to(config.source_path).with_suffix("").as_posix()


def load_document(path: Path, config: Config, data: bytes | None = None) -> Document:
    """The document in ``path``; ``data`` is its content when the caller has read it already."""
    shown = config.relative(path)
    text = yamlio.read_text(path, shown) if data is None else yamlio.decode(data, shown)
    return parse_document(text, shown, default_document_id(path, config), config.source_locale)


def parse_document(text: str, shown: str, default_id: str, default_lang: str) -> Document:
    """Pure: YAML text -> Document. ``shown`` is the path used in references and errors."""
    root = yamlio.compose(text, shown)
    if yamlio.is_null(root):
        raise PipelineError("document is empty (it needs at least kind and title)", shown, 1)
    assert root is not None  # is_null is true for None
    reader = _Reader(shown, text.splitlines())
    top = yamlio.mapping_items(root, shown, "the document")
    if "kind" not in top:
        raise PipelineError(f"missing required field 'kind' (one of: {', '.join(KINDS)})", shown, yamlio.line_of(root))
    kind_node = top["kind"][1]
    kind = yamlio.text(kind_node, shown, "'kind'")
    if kind not in KINDS:
        raise PipelineError(f"unknown kind '{kind}'{yamlio.suggest(str(kind), KINDS)}", shown, yamlio.line_of(kind_node))
    top = yamlio.mapping_items(root, shown, f"a {kind} document", _KEYS[kind])

    doc_id = default_id
    if "id" in top:
        doc_id = str(yamlio.text(top["id"][1], shown, "'id'"))
        problem = document_id_problem(doc_id)
        if problem is not None:
            raise PipelineError(f"invalid document id '{doc_id}': {problem}", shown, yamlio.line_of(top["id"][1]))
    elif (problem := document_id_problem(doc_id)) is not None:
        # The id comes from the file's path, and names catalog files and pages: it obeys the same rules.
        raise PipelineError(f"the file's path gives the document id '{doc_id}', which is invalid: {problem} (rename the file or set 'id:')",
                            shown)
    lang = default_lang
    if "lang" in top:
        lang = validate_locale(yamlio.text(top["lang"][1], shown, "'lang'"), shown, yamlio.line_of(top["lang"][1]))
    options: dict[str, object] = {}
    if "policy" in top:
        options["policy"] = yamlio.plain(top["policy"][1])

    title = reader.segment(top, "title", f"{doc_id}/title", required=True)
    assert title is not None
    body: tuple[Segment, ...] = ()
    items: tuple[Item, ...] = ()
    event: Event | None = None
    if kind == "faq":
        items = reader.items(top, doc_id, root)
    else:
        if "body" not in top:
            raise PipelineError("missing required field 'body'", shown, yamlio.line_of(root))
        body = reader.paragraphs(top["body"], f"{doc_id}/body", "'body'")
        if "event" in top:
            event = reader.event(top["event"][1])
    footer: tuple[Segment, ...] = ()
    if "footer" in top:
        footer = reader.paragraphs(top["footer"], f"{doc_id}/footer", "'footer'")
    links = reader.links(top, doc_id)
    notes = reader.notes(top, doc_id)
    values = reader.values(top["values"][1], lang) if "values" in top else {}
    segments = [title, *body, *(s for item in items for s in (item.question, *item.answer)), *footer,
                *(link.label for link in links), *(note.text for note in notes)]
    _check_placeholders(segments, values, event is not None, shown)
    return Document(
        id=doc_id,
        kind=kind,
        lang=lang,
        path=shown,
        title=title,
        body=body,
        items=items,
        footer=footer,
        links=links,
        notes=notes,
        event=event,
        values=values,
        options=options,
    )


def _check_placeholders(segments: list[Segment], values: dict[str, dict[str, str]], has_event: bool, shown: str) -> None:
    """Every ``{name}`` must be filled by ``values:`` or the event, or it would stop ``render`` later."""
    for segment in segments:
        if "{" not in segment.text:
            continue
        for match in _PLACEHOLDER_RE.finditer(segment.text):
            name = match.group()[1:-1]
            if name in values or (has_event and name in EVENT_PLACEHOLDERS):
                continue
            if name in EVENT_PLACEHOLDERS:
                hint = f"{{{name}}} is computed from an 'event', and this document has none"
            else:
                hint = f"add '{name}' under 'values:'" + (f" (this document has: {', '.join(sorted(values))})" if values else "")
            line = segment.reference.rpartition(":")[2]
            raise PipelineError(f"placeholder {{{name}}} in '{segment.key}' is not filled: {hint}", shown, int(line) if line.isdigit() else None)


class _Reader:
    """Turns validated nodes into segments, remembering the file for messages."""

    def __init__(self, shown: str, lines: list[str]) -> None:
        self.shown = shown
        self.lines = lines

    def ref(self, line: int) -> str:
        return f"{self.shown}:{line}"

    def comments(self, key_node: yamlio.Node, note: str | None = None) -> tuple[str, ...]:
        found = yamlio.comments_above(self.lines, yamlio.line_of(key_node))
        if note:
            found.extend(line for line in note.strip().splitlines())
        return tuple(found)

    def make(self, key: str, text: str, line: int, comments: tuple[str, ...]) -> Segment:
        bad = _UNSTORABLE_RE.search(text) if "\x00" in text or "\x04" in text else None
        if bad is not None:
            raise PipelineError(
                f"the text contains the control character U+{ord(bad.group()):04X}, which a gettext catalog "
                "cannot hold (NUL ends a string, U+0004 separates the context); remove it",
                self.shown,
                line,
            )
        flags = ("python-brace-format",) if "{" in text and _PLACEHOLDER_RE.search(text) else ()
        return Segment(key=key, text=text, reference=self.ref(line), comments=comments, flags=flags)

    def segment(
        self,
        entries: dict[str, tuple[yamlio.Node, yamlio.Node]],
        field: str,
        key: str,
        *,
        required: bool,
        note: str | None = None,
        context: str = "",
    ) -> Segment | None:
        if field not in entries:
            if required:
                raise PipelineError(f"missing required field '{field}'{context}", self.shown, self._line_hint(entries))
            return None
        key_node, value_node = entries[field]
        value = yamlio.text(value_node, self.shown, f"'{field}'{context}", required=required)
        if value is None:
            return None
        value = value.strip()
        if not value:
            raise PipelineError(f"'{field}'{context} is empty", self.shown, yamlio.line_of(value_node))
        return self.make(key, value, yamlio.line_of(value_node), self.comments(key_node, note))

    def _line_hint(self, entries: dict[str, tuple[yamlio.Node, yamlio.Node]]) -> int | None:
        for key_node, _ in entries.values():
            return yamlio.line_of(key_node)
        return None

    def paragraphs(
        self, entry: tuple[yamlio.Node, yamlio.Node], prefix: str, what: str, note: str | None = None
    ) -> tuple[Segment, ...]:
        """Split a text field on blank lines: one segment per paragraph, numbered from 1."""
        key_node, node = entry
        value = yamlio.text(node, self.shown, what)
        assert value is not None
        first_line = yamlio.line_of(node)
        block = isinstance(node, yamlio.ScalarNode) and node.style in ("|", ">")
        if block:
            first_line += 1
        comments = self.comments(key_node, note)
        segments: list[Segment] = []
        offset = 0
        for number, match in enumerate(_paragraph_spans(value), start=1):
            start, end = match
            line = first_line + value.count("\n", offset, start) if block else first_line
            segments.append(self.make(f"{prefix}/{number}", value[start:end], line, comments))
        if not segments:
            raise PipelineError(f"{what} is empty", self.shown, yamlio.line_of(node))
        return tuple(segments)

    def items(self, top: dict[str, tuple[yamlio.Node, yamlio.Node]], doc_id: str, root: yamlio.Node) -> tuple[Item, ...]:
        if "items" not in top:
            raise PipelineError("missing required field 'items' (a list of questions and answers)", self.shown, yamlio.line_of(root))
        node = top["items"][1]
        if not isinstance(node, yamlio.SequenceNode) or not node.value:
            raise PipelineError(f"'items' must be a non-empty list, not {yamlio.describe(node)}", self.shown, yamlio.line_of(node))
        items: list[Item] = []
        seen: dict[str, int] = {}
        for index, item_node in enumerate(node.value, start=1):
            where = f" in item {index}"
            entries = yamlio.mapping_items(item_node, self.shown, f"item {index}", _ITEM_KEYS)
            if "id" not in entries:
                raise PipelineError(f"missing required field 'id'{where} (a stable id such as 'who-is-this-for')", self.shown, yamlio.line_of(item_node))
            item_id = self.identifier(entries["id"][1], where, seen)
            note = yamlio.text(entries["note"][1], self.shown, f"'note'{where}", required=False) if "note" in entries else None
            question = self.segment(entries, "question", f"{doc_id}/{item_id}/question", required=True, note=note, context=where)
            assert question is not None
            if "answer" not in entries:
                raise PipelineError(f"missing required field 'answer'{where}", self.shown, yamlio.line_of(item_node))
            answer = self.paragraphs(entries["answer"], f"{doc_id}/{item_id}/answer", f"'answer'{where}", note)
            items.append(Item(id=item_id, question=question, answer=answer))
        return tuple(items)

    def identifier(self, node: yamlio.Node, where: str, seen: dict[str, int]) -> str:
        value = yamlio.text(node, self.shown, f"'id'{where}")
        assert value is not None
        if not _ID_RE.match(value):
            raise PipelineError(f"invalid id '{value}'{where} (letters, digits, '.', '_', '-')", self.shown, yamlio.line_of(node))
        if value in seen:
            raise PipelineError(f"duplicate id '{value}'{where} (first used at line {seen[value]})", self.shown, yamlio.line_of(node))
        seen[value] = yamlio.line_of(node)
        return value

    def sequence(self, top: dict[str, tuple[yamlio.Node, yamlio.Node]], field: str) -> list[yamlio.Node]:
        if field not in top:
            return []
        node = top[field][1]
        if yamlio.is_null(node):
            return []
        if not isinstance(node, yamlio.SequenceNode):
            raise PipelineError(f"'{field}' must be a list, not {yamlio.describe(node)}", self.shown, yamlio.line_of(node))
        return list(node.value)

    def links(self, top: dict[str, tuple[yamlio.Node, yamlio.Node]], doc_id: str) -> tuple[Link, ...]:
        links: list[Link] = []
        seen: dict[str, int] = {}
        for index, node in enumerate(self.sequence(top, "links"), start=1):
            where = f" in link {index}"
            entries = yamlio.mapping_items(node, self.shown, f"link {index}", _LINK_KEYS)
            link_id = self.identifier(entries["id"][1], where, seen) if "id" in entries else self.identifier_default(str(index), where, seen, node)
            note = yamlio.text(entries["note"][1], self.shown, f"'note'{where}", required=False) if "note" in entries else None
            label = self.segment(entries, "label", f"{doc_id}/links/{link_id}", required=True, note=note, context=where)
            assert label is not None
            url = None
            if "url" in entries:
                url = yamlio.text(entries["url"][1], self.shown, f"'url'{where}", required=False)
                if url is not None:
                    url = url.strip()
                    if not url.lower().startswith(URL_SCHEMES):
                        raise PipelineError(f"link url '{url}'{where} must start with http://, https:// or mailto:", self.shown, yamlio.line_of(entries["url"][1]))
            links.append(Link(id=link_id, label=label, url=url))
        return tuple(links)

    def identifier_default(self, value: str, where: str, seen: dict[str, int], node: yamlio.Node) -> str:
        if value in seen:
            raise PipelineError(f"duplicate id '{value}'{where}", self.shown, yamlio.line_of(node))
        seen[value] = yamlio.line_of(node)
        return value

    def notes(self, top: dict[str, tuple[yamlio.Node, yamlio.Node]], doc_id: str) -> tuple[Note, ...]:
        """Notes are short lines; a plain string is keyed by position, a mapping by its id."""
        notes: list[Note] = []
        seen: dict[str, int] = {}
        for index, node in enumerate(self.sequence(top, "notes"), start=1):
            where = f" in note {index}"
            if isinstance(node, yamlio.MappingNode):
                entries = yamlio.mapping_items(node, self.shown, f"note {index}", _NOTE_KEYS)
                note_id = self.identifier(entries["id"][1], where, seen) if "id" in entries else self.identifier_default(str(index), where, seen, node)
                comment = yamlio.text(entries["note"][1], self.shown, f"'note'{where}", required=False) if "note" in entries else None
                segment = self.segment(entries, "text", f"{doc_id}/notes/{note_id}", required=True, note=comment, context=where)
                assert segment is not None
                icon = None
                if "icon" in entries:
                    icon = yamlio.text(entries["icon"][1], self.shown, f"'icon'{where}", required=False)
                    icon = icon.strip() if icon else None
                notes.append(Note(id=note_id, text=segment, icon=icon))
            else:
                note_id = self.identifier_default(str(index), where, seen, node)
                value = yamlio.text(node, self.shown, f"note {index}")
                assert value is not None
                if not value.strip():
                    raise PipelineError(f"note {index} is empty", self.shown, yamlio.line_of(node))
                segment = self.make(f"{doc_id}/notes/{note_id}", value.strip(), yamlio.line_of(node), tuple(yamlio.comments_above(self.lines, yamlio.line_of(node))))
                notes.append(Note(id=note_id, text=segment))
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

        entries = yamlio.mapping_items(node, self.shown, "'event'", _EVENT_KEYS)
        for required in ("start", "timezone"):
            if required not in entries:
                raise PipelineError(f"missing required field '{required}' in 'event'", self.shown, yamlio.line_of(node))
        start_node = entries["start"][1]
        raw_start = str(yamlio.text(start_node, self.shown, "'event.start'"))
        try:
            start = datetime.fromisoformat(raw_start.strip().replace(" ", "T", 1))
        except ValueError:
            raise PipelineError(f"'event.start' must be a date-time like 2023-01-10T16:00, not '{raw_start}'", self.shown, yamlio.line_of(start_node)) from None
        if start.tzinfo is not None:
            raise PipelineError("'event.start' is local time in 'event.timezone': leave out the UTC offset", self.shown, yamlio.line_of(start_node))

        def zone(value_node: yamlio.Node, what: str) -> str:
            name = str(yamlio.text(value_node, self.shown, what)).strip()
            try:
                ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                raise PipelineError(f"{what} '{name}' is not an IANA time zone (e.g. America/New_York)", self.shown, yamlio.line_of(value_node)) from None
            return name

        timezone = zone(entries["timezone"][1], "'event.timezone'")
        recurrence = "once"
        if "recurrence" in entries:
            rec_node = entries["recurrence"][1]
            recurrence = str(yamlio.text(rec_node, self.shown, "'event.recurrence'")).strip()
            if recurrence not in RECURRENCES:
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
        duration = None
        if "duration_minutes" in entries:
            dur_node = entries["duration_minutes"][1]
            value = yamlio.plain(dur_node)
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise PipelineError("'event.duration_minutes' must be a positive whole number", self.shown, yamlio.line_of(dur_node))
            duration = value
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
