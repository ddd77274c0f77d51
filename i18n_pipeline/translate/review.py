"""Review decisions on drafts: accept, edit, reject; and what a reviewer sees.

Pure functions on :class:`~i18n_pipeline.gettext.catalog.Message` objects; reading
and saving catalogs is done by :mod:`i18n_pipeline.translate.drafts`.

Accepting clears fuzzy (so every tool counts the entry as final) and swaps
the draft provenance for ``i18n-pipeline reviewed: by=...; date=...;
draft=<provider>``: the PO file itself shows who approved which machine's
draft, and when. Rejecting clears the translation and leaves
``i18n-pipeline rejected: ...`` so ``draft`` does not offer the same
provider's text again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from i18n_pipeline.gettext.catalog import DRAFT_PREFIX, Catalog, Message, MessageState, parse_fields
from i18n_pipeline.translate.provenance import PROBLEM_PREFIX, REVIEWED_PREFIX, comment, recorded_problems

REJECTED_PREFIX = "i18n-pipeline rejected:"


@dataclass(frozen=True)
class Neighbour:
    """A paragraph next to the draft, for context."""

    key: str
    source: str
    translation: str
    #: The message's state (:class:`MessageState`), as status reports it.
    state: str


@dataclass(frozen=True)
class ReviewItem:
    """One draft awaiting review, with everything needed to judge it."""

    locale: str
    document: str
    #: Catalog path relative to the project root.
    path: str
    key: str
    source: str
    draft: str
    provenance: dict[str, str]
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    #: The source text before it changed, when ``update`` kept an older translation.
    previous_source: str | None = None
    before: tuple[Neighbour, ...] = ()
    after: tuple[Neighbour, ...] = ()


def draft_problems(message: Message, do_not_translate: Iterable[str] = ()) -> list[str]:
    """Problems ``draft`` recorded, plus protected text missing from the draft now."""
    from i18n_pipeline.translate.protect import protected_parts

    found = recorded_problems(message)
    for part in dict.fromkeys(protected_parts(message.msgid, tuple(do_not_translate))):
        if part not in message.msgstr:
            problem = f"{part!r} is in the source but not in the translation"
            if not any(part in f for f in found):
                found.append(problem)
    return found


def review_items(
    catalog: Catalog,
    *,
    locale: str,
    document: str,
    path: str,
    do_not_translate: Iterable[str] = (),
    context: int = 1,
) -> list[ReviewItem]:
    """Every draft of ``catalog`` in reading order, with ``context`` neighbours each side."""
    terms = tuple(do_not_translate)
    active = [m for m in catalog.messages if not m.obsolete and not m.is_header]
    return [
        ReviewItem(
            locale=locale,
            document=document,
            path=path,
            key=message.shown_key,
            source=message.msgid,
            draft=message.msgstr,
            provenance=dict(message.draft or {}),
            problems=tuple(draft_problems(message, terms)),
            notes=tuple(message.auto_comments),
            references=tuple(message.locations),
            previous_source=message.previous_msgid,
            before=tuple(map(_neighbour, active[max(0, index - context) : index])),
            after=tuple(map(_neighbour, active[index + 1 : index + 1 + context])),
        )
        for index, message in enumerate(active)
        if message.state is MessageState.NEEDS_REVIEW and message.msgid_plural is None
    ]


def _neighbour(m: Message) -> Neighbour:
    return Neighbour(m.shown_key, m.msgid, m.msgstr, m.state.value)


def fit_whitespace(source: str, text: str) -> str:
    """Give an edited translation the source's leading/trailing whitespace (msgfmt -c checks newlines)."""
    core = text.strip()
    lead = source[: len(source) - len(source.lstrip())]
    trail = source[len(source.rstrip()) :]
    return lead + core + trail


def _take_draft(message: Message) -> str | None:
    """The provider of the draft a reviewer decided on; its marks, fuzzy flag and previous source go (the decision replaces them)."""
    if message.state is not MessageState.NEEDS_REVIEW:
        raise ValueError("not a draft")
    provider = (message.draft or {}).get("provider")
    message.translator_comments = [c for c in message.translator_comments if not c.startswith((DRAFT_PREFIX, PROBLEM_PREFIX))]
    message.fuzzy = False
    message.previous_msgctxt = message.previous_msgid = message.previous_msgid_plural = None
    return provider


def accept(message: Message, reviewer: str, date: str, text: str | None = None) -> None:
    """Make the draft (or the reviewer's edit of it) final, recording who and when."""
    provider = _take_draft(message)
    final = message.msgstr if text is None else fit_whitespace(message.msgid, text)
    if not final.strip():
        raise ValueError("an empty translation cannot be accepted; reject the draft instead")
    edited = final != message.msgstr
    message.msgstr = final
    message.translator_comments.append(comment(REVIEWED_PREFIX, by=reviewer, date=date, draft=provider or None, edited="yes" if edited else None))


def reject(message: Message, reviewer: str, date: str) -> None:
    """Throw the draft away: untranslated again, with a note so the same provider is not asked again."""
    provider = _take_draft(message) or "unknown"
    message.msgstr = ""
    message.translator_comments = [
        c for c in message.translator_comments if not (c.startswith(REJECTED_PREFIX) and parse_fields(c).get("draft") == provider)
    ] + [comment(REJECTED_PREFIX, by=reviewer, date=date, draft=provider)]


def rejected_providers(message: Message) -> set[str]:
    """Providers whose draft of this message a reviewer rejected."""
    return {parse_fields(c).get("draft", "") for c in message.translator_comments if c.startswith(REJECTED_PREFIX)}

