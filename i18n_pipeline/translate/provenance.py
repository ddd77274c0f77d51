"""Where a translation came from, recorded in the PO entry itself.

A draft (machine translation or translation-memory suggestion) is a fuzzy
entry carrying a translator comment ``i18n-pipeline draft: provider=...``.
Every PO editor keeps fuzzy flags and translator comments, so the mark
survives Poedit, Lokalize and Weblate. When a person clears fuzzy, the entry
is final whatever comment remains; ``review`` replaces the draft comment with
``i18n-pipeline reviewed: by=...; date=...`` so the history stays visible.
"""

from __future__ import annotations

from i18n_pipeline.gettext.catalog import Message

DRAFT_PREFIX = "i18n-pipeline draft:"
REVIEWED_PREFIX = "i18n-pipeline reviewed:"
PROBLEM_PREFIX = "i18n-pipeline problem:"


def draft_comment(provider: str, date: str, score: float | None = None, model: str | None = None) -> str:
    parts = [f"provider={provider}"]
    if model:
        parts.append(f"model={model}")
    if score is not None:
        parts.append(f"score={score:g}")
    parts.append(f"date={date}")
    return f"{DRAFT_PREFIX} {'; '.join(parts)}"


def reviewed_comment(reviewer: str, date: str, provider: str | None = None) -> str:
    parts = [f"by={reviewer}", f"date={date}"]
    if provider:
        parts.append(f"draft={provider}")
    return f"{REVIEWED_PREFIX} {'; '.join(parts)}"


def parse_fields(comment: str) -> dict[str, str]:
    """``"i18n-pipeline draft: provider=x; date=y"`` -> ``{"provider": "x", "date": "y"}``."""
    _, _, rest = comment.partition(":")
    fields: dict[str, str] = {}
    for part in rest.split(";"):
        key, sep, value = part.strip().partition("=")
        if sep:
            fields[key.strip()] = value.strip()
    return fields


def draft_info(message: Message) -> dict[str, str] | None:
    """The draft provenance of a message, or None if it carries none."""
    for comment in message.translator_comments:
        if comment.startswith(DRAFT_PREFIX):
            return parse_fields(comment)
    return None


def is_draft(message: Message) -> bool:
    """A draft awaiting review: fuzzy *and* marked with draft provenance."""
    return message.fuzzy and draft_info(message) is not None


def mark_draft(message: Message, translation: str, provider: str, date: str, score: float | None = None, model: str | None = None) -> None:
    """Fill ``message`` with a draft: fuzzy, provenance replacing any older draft mark."""
    message.msgstr = translation
    message.fuzzy = True
    message.translator_comments = [
        c for c in message.translator_comments if not c.startswith((DRAFT_PREFIX, PROBLEM_PREFIX))
    ] + [draft_comment(provider, date, score, model)]
