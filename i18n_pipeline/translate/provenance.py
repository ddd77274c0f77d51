"""Where a translation came from, recorded in the PO entry itself.

A draft (machine translation or translation-memory suggestion) is a fuzzy
entry carrying a translator comment
``i18n-pipeline draft: provider=...; date=...; hash=...``. Every PO editor
keeps fuzzy flags and translator comments, so the mark survives Poedit,
Lokalize and Weblate. ``hash`` is a short hash of the drafted text
(:func:`catalog.text_hash`): the mark describes that text only, so a
translator who rewrites the entry makes it their own translation even when
the comment stays behind. Whether a mark applies, and so the message's state,
is decided once, on the model (:attr:`catalog.Message.state`).

A mark that no longer applies (the text was edited, or the entry was made
final) is turned into history by ``update``: ``i18n-pipeline former draft:``
with the same fields, which nothing reads to decide a state. Legacy marks
written before the hash existed apply while the entry is fuzzy; ``update``
stamps them with the hash of the text it finds. ``review`` replaces the mark
with ``i18n-pipeline reviewed: by=...; date=...``.
"""

from __future__ import annotations

from i18n_pipeline.gettext.catalog import DRAFT_PREFIX, Message, text_hash

REVIEWED_PREFIX = "i18n-pipeline reviewed:"
PROBLEM_PREFIX = "i18n-pipeline problem:"
#: A draft mark kept for history after the text stopped being the draft.
FORMER_DRAFT_PREFIX = "i18n-pipeline former draft:"


def comment(prefix: str, **fields: object) -> str:
    """``<prefix> key=value; ...`` for the fields that have a value (read back by :func:`catalog.parse_fields`)."""
    return f"{prefix} " + "; ".join(f"{name}={value}" for name, value in fields.items() if value is not None)


def recorded_problems(message: Message) -> list[str]:
    """What drafting found wrong with the machine's answer (``i18n-pipeline problem:`` comments)."""
    return [c[len(PROBLEM_PREFIX) :].strip() for c in message.translator_comments if c.startswith(PROBLEM_PREFIX)]


def mark_draft(
    message: Message, translation: str, provider: str, date: str, score: float | None = None, model: str | None = None, problems: tuple[str, ...] = ()
) -> None:
    """Fill ``message`` with a draft: fuzzy, provenance (with the text's hash) and any ``problems`` found, replacing older marks and notes."""
    message.msgstr = translation
    message.fuzzy = True
    mark = comment(DRAFT_PREFIX, provider=provider, model=model or None, score=None if score is None else f"{score:g}", date=date,
                   hash=text_hash(message.translations))
    kept = [c for c in message.translator_comments if not c.startswith((DRAFT_PREFIX, PROBLEM_PREFIX, FORMER_DRAFT_PREFIX))]
    message.translator_comments = [*kept, mark, *(f"{PROBLEM_PREFIX} {p}" for p in problems)]


def settle_draft_mark(message: Message) -> bool:
    """Make a draft mark say what is true of the text now; True if a comment changed.

    Still applying: kept, and a legacy mark gets the hash of the current text.
    No longer applying (edited, emptied, or made final): the mark becomes an
    ``i18n-pipeline former draft:`` note (replacing an older one, so repeated
    draft-and-edit cycles leave one note, not a pile) and the draft's recorded
    problems go, since they describe text that is gone.
    """
    if message.draft_mark is None:
        return False
    if message.draft is not None:
        if "hash" in message.draft:
            return False
        digest = text_hash(message.translations)
        message.translator_comments = [
            f"{c}; hash={digest}" if c.startswith(DRAFT_PREFIX) else c for c in message.translator_comments
        ]
        return True
    message.translator_comments = [
        FORMER_DRAFT_PREFIX + c[len(DRAFT_PREFIX) :] if c.startswith(DRAFT_PREFIX) else c
        for c in message.translator_comments
        if not c.startswith((PROBLEM_PREFIX, FORMER_DRAFT_PREFIX))  # one former draft: the latest
    ]
    return True
