"""The gettext catalog model: plain data, no file I/O.

``pofile`` reads and writes these; ``merge`` and ``status`` compute on them.
A message is identified by its key: ``(msgctxt, msgid)`` as gettext does, but
every message this tool extracts carries a unique msgctxt, so merging is keyed
by msgctxt alone.

A message's :class:`MessageState` is decided here and only here
(:attr:`Message.state`); status, check, review, render, compile and build all
read it. The draft mark it depends on is a translator comment
``i18n-pipeline draft: provider=...; date=...; hash=...`` (written by
:mod:`i18n_pipeline.translate.provenance`): the hash is of the drafted text,
so the mark stops applying the moment a person changes that text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import PurePath

FUZZY = "fuzzy"
DRAFT_PREFIX = "i18n-pipeline draft:"


class MessageState(str, Enum):
    """The one state of a message, in the order reports list them.

    ``translated``
        final: not fuzzy and ``msgstr``/``msgstr[0]`` non-empty;
    ``needs_review``
        a draft nobody has touched: fuzzy, with a draft mark that still
        applies (its hash is the text's, or a legacy mark has no hash);
    ``fuzzy``
        any other fuzzy entry with a translation: the source changed under
        it, or a person edited a draft without clearing fuzzy;
    ``untranslated``
        ``msgstr``/``msgstr[0]`` empty, fuzzy or not;
    ``obsolete``
        a ``#~`` entry: kept for history, never counted with the others.

    These are GNU ``msgfmt --statistics``' rules: msgfmt only looks at
    ``msgstr[0]`` (a plural with a later form empty is translated and is
    compiled, as msgfmt does; ``check`` reports the empty form), and counts
    ``needs_review`` and ``fuzzy`` together as fuzzy.
    """

    TRANSLATED = "translated"
    NEEDS_REVIEW = "needs_review"
    FUZZY = "fuzzy"
    UNTRANSLATED = "untranslated"
    OBSOLETE = "obsolete"

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        """How the state is worded for people: ``needs review``."""
        return self.value.replace("_", " ")


_TRANSLATED, _NEEDS_REVIEW, _FUZZY, _UNTRANSLATED, _OBSOLETE = MessageState
#: The states of active messages, in report order (obsolete is counted apart).
ACTIVE_STATES = (MessageState.TRANSLATED, MessageState.NEEDS_REVIEW, MessageState.FUZZY, MessageState.UNTRANSLATED)


def text_hash(translations: list[str]) -> str:
    """Short hash of a message's translation(s): ties a draft mark to the drafted text.

    Eight hex digits: a person's edit matching the draft's hash by chance is a
    one in four billion event, and the comment stays short.
    """
    import hashlib  # here, not at the top: loading OpenSSL costs every command's start-up ~4 ms

    return hashlib.sha256("\x00".join(translations).encode("utf-8")).hexdigest()[:8]


def parse_fields(comment: str) -> dict[str, str]:
    """``"i18n-pipeline draft: provider=x; date=y"`` -> ``{"provider": "x", "date": "y"}``."""
    _, _, rest = comment.partition(":")
    fields: dict[str, str] = {}
    for part in rest.split(";"):
        key, sep, value = part.strip().partition("=")
        if sep:
            fields[key.strip()] = value.strip()
    return fields


@dataclass(slots=True)
class Message:
    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    #: Plural translations by index; ``None`` for singular messages.
    msgstr_plural: dict[int, str] | None = None
    #: ``#:`` references, each ``path:line`` (or a bare path).
    locations: list[str] = field(default_factory=list)
    #: ``#.`` comments written by the extractor (source notes).
    auto_comments: list[str] = field(default_factory=list)
    #: ``#`` comments written by translators and by the review workflow.
    translator_comments: list[str] = field(default_factory=list)
    #: ``#,`` flags in file order (``fuzzy`` first when written).
    flags: list[str] = field(default_factory=list)
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    #: Line of the ``msgid`` keyword in the file it was read from (0 if built).
    lineno: int = 0

    @property
    def key(self) -> str:
        """Merge key: the msgctxt when there is one, else the msgid."""
        return self.msgctxt if self.msgctxt is not None else "\x04" + self.msgid

    @property
    def shown_key(self) -> str:
        """The key as users see it: the msgctxt (this tool's stable keys) or, without one, the msgid."""
        return self.msgctxt or self.msgid

    @property
    def fuzzy(self) -> bool:
        return FUZZY in self.flags

    @fuzzy.setter
    def fuzzy(self, value: bool) -> None:
        if value and FUZZY not in self.flags:
            self.flags.insert(0, FUZZY)
        elif not value:
            self.flags = [f for f in self.flags if f != FUZZY]

    @property
    def translations(self) -> list[str]:
        """Every msgstr of the message (one for singular, n for plural)."""
        if self.msgstr_plural is not None:
            return [self.msgstr_plural[i] for i in sorted(self.msgstr_plural)]
        return [self.msgstr]

    @property
    def _first_translation(self) -> str:
        """``msgstr``, or ``msgstr[0]``: the only one msgfmt looks at."""
        return self.msgstr_plural.get(0, "") if self.msgstr_plural is not None else self.msgstr

    @property
    def draft_mark(self) -> dict[str, str] | None:
        """The fields of the ``i18n-pipeline draft:`` comment, applying or not."""
        for comment in self.translator_comments:
            if comment.startswith(DRAFT_PREFIX):
                return parse_fields(comment)
        return None

    @property
    def draft(self) -> dict[str, str] | None:
        """The draft provenance that still describes this text, or None.

        A mark applies while the entry is fuzzy and its text is the drafted
        text (same hash). A legacy mark without a hash applies while fuzzy
        (``update`` stamps it with the hash of the text it finds).
        """
        mark = self.draft_mark
        if mark is None or not self.fuzzy or self._first_translation == "":
            return None
        if "hash" in mark and mark["hash"] != text_hash(self.translations):
            return None
        return mark

    @property
    def state(self) -> MessageState:
        """The message's one state (see :class:`MessageState`).

        Written flat (no property chain, members bound at import): status
        asks it of every message of catalogs with thousands of them.
        """
        if self.obsolete:
            return _OBSOLETE
        plural = self.msgstr_plural
        if not (self.msgstr if plural is None else plural.get(0, "")):
            return _UNTRANSLATED
        if FUZZY in self.flags:
            return _NEEDS_REVIEW if self.draft is not None else _FUZZY
        return _TRANSLATED

    @property
    def translated(self) -> bool:
        """Final: ``state`` is translated (msgfmt's rule; what compile and render use)."""
        return self.state is MessageState.TRANSLATED

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None and not self.obsolete


@dataclass
class Catalog:
    """A PO or POT file's content. The header is kept as ordered fields."""

    #: ``Language`` header value, or ``None`` for a template.
    locale: str | None = None
    #: Ordered header fields (``Project-Id-Version``, ``Language``, ...).
    header: dict[str, str] = field(default_factory=dict)
    #: ``#`` comment lines above the header entry.
    header_comments: list[str] = field(default_factory=list)
    header_flags: list[str] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)

    @property
    def active(self) -> list[Message]:
        return [m for m in self.messages if not m.obsolete]

    @property
    def obsolete(self) -> list[Message]:
        return [m for m in self.messages if m.obsolete]

    def by_key(self) -> dict[str, Message]:
        return {m.key: m for m in self.messages if not m.obsolete}


def place_in_tree(path: PurePath | str) -> tuple[str | None, str]:
    """What a catalog's place in a gettext tree says: ``…/es/LC_MESSAGES/faq/x.po`` -> ``("es", "faq/x")``.

    A file outside a ``LOCALE/LC_MESSAGES`` folder says no locale, and its stem is its document.
    """
    parts = PurePath(path).parts
    if "LC_MESSAGES" in parts[:-1]:
        index = len(parts) - 1 - parts[::-1].index("LC_MESSAGES")
        return (parts[index - 1] if index > 0 else None), "/".join([*parts[index + 1 : -1], PurePath(parts[-1]).stem])
    return None, PurePath(path).stem
