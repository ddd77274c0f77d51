"""The gettext catalog model: plain data, no file I/O.

``pofile`` reads and writes these; ``merge`` and ``status`` compute on them.
A message is identified by its key: ``(msgctxt, msgid)`` as gettext does, but
every message this tool extracts carries a unique msgctxt, so merging is keyed
by msgctxt alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FUZZY = "fuzzy"


@dataclass
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
    def translated(self) -> bool:
        """Final per msgfmt's rule: not fuzzy, not obsolete, every msgstr non-empty."""
        return (
            not self.obsolete
            and not self.fuzzy
            and all(t != "" for t in self.translations)
        )

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
