"""The source-document model: what authors write, as plain data.

A :class:`Document` is one YAML file under ``source/``. Everything a
translator sees is a :class:`Segment`: one title, question, paragraph, link
label or note, identified by a stable key (the msgctxt) built from the
document id, the item id and the field, so reordering items never changes a
key. Dates, times and time zones live in :class:`Event` as data, never as
translatable text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Segment:
    """One translatable unit: becomes one message in the document's catalogs."""

    key: str
    text: str
    #: ``source/...yaml:LINE``, relative to the project root.
    reference: str
    #: Notes for translators: ``note:`` fields and YAML comments above the value.
    comments: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """A FAQ entry: a question and its answer paragraphs."""

    id: str
    question: Segment
    answer: tuple[Segment, ...]


@dataclass(frozen=True)
class Link:
    id: str
    label: Segment
    #: Only http(s) and mailto are accepted; ``None`` when the source gives none yet.
    url: str | None


@dataclass(frozen=True)
class Note:
    """A short line such as "We do not record these sessions"."""

    id: str
    text: Segment
    #: Emoji or symbol shown before the text; data, not translatable.
    icon: str | None = None


@dataclass(frozen=True)
class Event:
    """When something happens, as data the renderer localizes with Babel."""

    #: Local wall-clock start in ``timezone``.
    start: datetime
    #: IANA zone name of ``start`` (e.g. ``America/New_York``).
    timezone: str
    #: ``once``, ``weekly`` or ``monthly`` (weekday taken from ``start``).
    recurrence: str = "once"
    #: Zones to show the time in, in order; defaults to ``[timezone]``.
    display_timezones: tuple[str, ...] = ()
    duration_minutes: int | None = None


@dataclass(frozen=True)
class Document:
    id: str
    kind: str  # "faq" or "announcement"
    #: The language the document is written in (its catalogs are for the others).
    lang: str
    #: Path relative to the project root, e.g. ``source/faq/learning-space.yaml``.
    path: str
    title: Segment
    #: Announcement body paragraphs (empty for a FAQ).
    body: tuple[Segment, ...] = ()
    #: FAQ items (empty for an announcement).
    items: tuple[Item, ...] = ()
    #: Closing paragraphs after the body or the FAQ items (e.g. a contact line).
    footer: tuple[Segment, ...] = ()
    links: tuple[Link, ...] = ()
    notes: tuple[Note, ...] = ()
    event: Event | None = None
    #: ``values:`` that fill ``{placeholders}``: name -> {locale: text}; the key ``"*"``
    #: holds a value shared by every language (see :meth:`value`).
    values: dict[str, dict[str, str]] = field(default_factory=dict, compare=False, hash=False)
    #: Extra per-document settings (e.g. ``policy``) passed through to later stages.
    options: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def value(self, name: str, locale: str) -> str | None:
        """The ``values:`` entry ``name`` in ``locale``: its own, else the shared one, else the document language's."""
        given = self.values.get(name, {})
        return next((given[key] for key in (locale, locale.split("_")[0], "*", self.lang) if key in given), None)

    @property
    def segments(self) -> list[Segment]:
        """Every segment in reading order: the order of the catalogs."""
        return [self.title, *self.body, *(s for item in self.items for s in (item.question, *item.answer)), *self.footer,
                *(link.label for link in self.links), *(note.text for note in self.notes)]
