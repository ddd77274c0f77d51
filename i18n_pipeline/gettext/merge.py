"""Update: merge a document's template into an existing catalog, msgmerge-style.

Pure and keyed by msgctxt, so it is linear in the number of messages; fuzzy
search (translation memory) runs only for keys the catalog has never seen.
The rules, each pinned by a test:

- same key, same text: keep everything;
- same key, changed text: keep the translation, mark it fuzzy, keep the old
  source as ``#| msgid`` so the translator sees what changed;
- new key: untranslated, or a memory suggestion marked as a draft;
- a draft mark that no longer describes the text (a person edited it or
  made it final) becomes an ``i18n-pipeline former draft:`` note, and a
  legacy mark without a hash gets one (:func:`provenance.settle_draft_mark`);
- key gone: obsolete (``#~``), with everything kept, revived if it returns.

Translator comments, translator flags and header fields are never dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from i18n_pipeline.gettext.catalog import Catalog, Message
from i18n_pipeline.translate.memory import TranslationMemory
from i18n_pipeline.translate.provenance import mark_draft, settle_draft_mark


@dataclass
class MergeStats:
    kept: int = 0
    changed: int = 0
    added: int = 0
    suggested: int = 0
    obsoleted: int = 0
    revived: int = 0
    suggested_keys: list[str] = field(default_factory=list)


def _is_source_flag(flag: str) -> bool:
    """Format flags describe the source text, so the template owns them."""
    return flag.endswith("-format")


HEADER_ORDER = (
    "Project-Id-Version",
    "Report-Msgid-Bugs-To",
    "POT-Creation-Date",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "Language",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Plural-Forms",
)


def merge_header(
    template: Catalog,
    existing: Catalog | None,
    locale: str,
    plural_forms: str | Callable[[], str],
    language_name: str | Callable[[], str],
) -> dict[str, str]:
    """Existing fields win, except the ones that must describe this file.

    ``plural_forms`` and ``language_name`` may be functions: they are then
    called only when the header lacks them (Babel's locale data is slow to load).
    """
    if existing is not None and existing.header:
        header = dict(existing.header)
    else:
        header = {name: template.header.get(name, "") for name in HEADER_ORDER if name in template.header or name in ("Language", "Plural-Forms")}
        header["Language-Team"] = f"{language_name() if callable(language_name) else language_name} <LL@li.org>".replace("LL", locale.split("_")[0])
    forced = {
        "Project-Id-Version": template.header.get("Project-Id-Version", ""),
        "Language": locale,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    for name, value in forced.items():
        header[name] = value
    if not header.get("Plural-Forms"):
        header["Plural-Forms"] = plural_forms() if callable(plural_forms) else plural_forms
    for name, value in template.header.items():
        if name.startswith("X-"):
            header[name] = value
    ordered = {name: header[name] for name in HEADER_ORDER if name in header}
    ordered.update({name: value for name, value in header.items() if name not in ordered})
    return ordered


def merge_catalog(
    template: Catalog,
    existing: Catalog | None,
    *,
    locale: str,
    plural_forms: str | Callable[[], str],
    language_name: str | Callable[[], str] = "",
    memory: TranslationMemory | None = None,
    threshold: float = 90.0,
    today: str = "",
) -> tuple[Catalog, MergeStats]:
    """The updated catalog for ``locale`` and what changed."""
    stats = MergeStats()
    active: dict[str, Message] = {}
    obsolete: dict[str, Message] = {}
    if existing is not None:
        for message in existing.messages:
            if message.is_header:
                continue
            (obsolete if message.obsolete else active)[message.key] = message

    messages: list[Message] = []
    seen: set[str] = set()
    for source in template.messages:
        key = source.key
        seen.add(key)
        old = active.get(key)
        revived = False
        if old is None and key in obsolete:
            old, revived = obsolete[key], True
        if old is None:
            messages.append(_new_message(source, memory, threshold, today, stats))
            continue
        messages.append(_carry_over(source, old, stats))
        if revived:
            stats.revived += 1

    kept_obsolete: list[Message] = []
    for key, message in obsolete.items():
        if key not in seen and key not in active:
            kept_obsolete.append(message)
    for key, message in active.items():
        if key not in seen:
            stats.obsoleted += 1
            kept_obsolete.append(_obsolete(message))

    header_comments = list(existing.header_comments) if existing is not None else [
        line.replace("Template for", f"'{locale}' translation of", 1) for line in template.header_comments[:1]
    ]
    catalog = Catalog(
        locale=locale,
        header=merge_header(template, existing, locale, plural_forms, language_name),
        header_comments=header_comments,
        header_flags=[f for f in (existing.header_flags if existing is not None else []) if f != "fuzzy"],
        messages=messages + kept_obsolete,
    )
    return catalog, stats


def _base(source: Message) -> Message:
    return Message(
        msgid=source.msgid,
        msgctxt=source.msgctxt,
        msgid_plural=source.msgid_plural,
        locations=list(source.locations),
        auto_comments=list(source.auto_comments),
        flags=list(source.flags),
    )


def _new_message(source: Message, memory: TranslationMemory | None, threshold: float, today: str, stats: MergeStats) -> Message:
    message = _base(source)
    stats.added += 1
    if memory is None or source.msgid_plural is not None:
        return message
    match = memory.lookup(source.msgid, threshold)
    if match is None:
        return message
    mark_draft(message, match.translation, "memory", today, match.score)
    if match.source != source.msgid:
        message.previous_msgid = match.source  # shows the translator what differs
    stats.suggested += 1
    stats.suggested_keys.append(message.key)
    return message


def _carry_over(source: Message, old: Message, stats: MergeStats) -> Message:
    message = _base(source)
    message.msgstr = old.msgstr
    message.msgstr_plural = dict(old.msgstr_plural) if old.msgstr_plural is not None else None
    if source.msgid_plural is not None and message.msgstr_plural is None:
        message.msgstr_plural = {0: old.msgstr} if old.msgstr else None
    if old.flags:
        translator_flags = [f for f in old.flags if not _is_source_flag(f) and f not in message.flags]
        message.flags = message.flags + translator_flags
        if old.fuzzy:
            message.fuzzy = True  # re-insert at the front
    if old.translator_comments:
        message.translator_comments = list(old.translator_comments)
        # Judged on the entry as the translator left it, before a source change makes it fuzzy:
        # a draft they edited or made final is theirs, whatever the source does next.
        settle_draft_mark(message)
    if old.msgid == source.msgid and old.msgid_plural == source.msgid_plural:
        message.previous_msgctxt = old.previous_msgctxt
        message.previous_msgid = old.previous_msgid
        message.previous_msgid_plural = old.previous_msgid_plural
        stats.kept += 1
    else:
        stats.changed += 1
        if any(message.translations):
            if old.fuzzy and old.previous_msgid is not None:
                # Already fuzzy: the translation still matches the older text.
                message.previous_msgid = old.previous_msgid
                message.previous_msgid_plural = old.previous_msgid_plural
            else:
                message.previous_msgid = old.msgid
                message.previous_msgid_plural = old.msgid_plural
            message.fuzzy = True
        else:
            message.fuzzy = False
    if not message.fuzzy:
        message.previous_msgctxt = message.previous_msgid = message.previous_msgid_plural = None
    return message


def _obsolete(message: Message) -> Message:
    """Keep everything a translator wrote; drop references that no longer point anywhere."""
    return Message(
        msgid=message.msgid,
        msgstr=message.msgstr,
        msgctxt=message.msgctxt,
        msgid_plural=message.msgid_plural,
        msgstr_plural=dict(message.msgstr_plural) if message.msgstr_plural is not None else None,
        locations=[],
        auto_comments=list(message.auto_comments),
        translator_comments=list(message.translator_comments),
        flags=list(message.flags),
        previous_msgctxt=message.previous_msgctxt,
        previous_msgid=message.previous_msgid,
        previous_msgid_plural=message.previous_msgid_plural,
        obsolete=True,
    )
