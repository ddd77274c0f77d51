"""The drafts stage: fill untranslated messages with drafts a person must review.

``draft_project`` reads every catalog first (bad input stops the run before
anything is written), picks the messages that need a draft, asks the
provider, and writes drafts *as they arrive*: every ``batch_size`` drafts
(or two seconds) each changed catalog is saved atomically, so a killed run
or a provider failing midway leaves valid catalogs holding every draft
received so far. Before each save the file on disk is compared with what was
read; if someone saved it meanwhile (an editor, a translator), it is read
again and only messages still untranslated there receive drafts.

Drafts are fuzzy with provenance (see :mod:`provenance`), so ``status``
counts them as needs-review and renders leave them out. A non-empty human
translation is never replaced; ``retranslate_fuzzy`` replaces drafts only.

The review side (listing drafts, saving a decision) is here too, because it
reads and writes the same catalogs; the decisions themselves are pure
functions in :mod:`review`.

Callers hold the project lock (:class:`fileio.ProjectLock`).
"""

from __future__ import annotations

import itertools
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from i18n_pipeline.choices import MEMORY, OPENAI_COMPATIBLE
from i18n_pipeline.config import Config, config_path, wanted_locale
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.fileio import check_writable
from i18n_pipeline.gettext.catalog import Catalog, Message, MessageState
from i18n_pipeline.project import WriteReport, document_locales, load_documents, project_catalogs, today, write_catalog
from i18n_pipeline.sources.model import Document
from i18n_pipeline.translate.provenance import mark_draft
from i18n_pipeline.translate.providers import DraftSettings, load_settings
from i18n_pipeline.translate.review import ReviewItem, rejected_providers

if TYPE_CHECKING:
    from i18n_pipeline.translate.protect import Protected
    from i18n_pipeline.translate.providers import DraftCache

#: Seconds between saves while drafts keep arriving.
SAVE_INTERVAL = 2.0

ProgressCallback = Callable[[int, int], None]
Decision = Literal["accept", "edit", "reject"]


@dataclass(frozen=True)
class PlannedDraft:
    locale: str
    document: str
    path: str
    key: str
    source: str
    #: The draft being replaced (``retranslate_fuzzy``), else "".
    replaces: str = ""


@dataclass
class DraftReport(WriteReport):
    provider: str = MEMORY
    dry_run: bool = False
    planned: list[PlannedDraft] = field(default_factory=list)
    drafted: int = 0
    #: Memory: no match above the threshold. Machine: the service gave no usable answer.
    without_draft: int = 0
    skipped_rejected: int = 0
    from_cache: int = 0
    requests: int = 0
    retries: int = 0
    #: ``path: key: problem`` for protected text the machine mangled (recorded in the entry).
    problems: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def failure_summary(self) -> str | None:
        """One line for every message left without a draft, grouped by reason (``failures`` has each)."""
        if not self.failures:
            return None
        reasons = Counter(failure.split(": ", 2)[-1] for failure in self.failures)  # "path: key: reason"
        grouped = "; ".join(f"{count} × {reason}" for reason, count in reasons.most_common())
        return f"{len(self.failures)} message(s) got no draft: {grouped} (--verbose or --format json lists them)"


# ---------------------------------------------------------------------------
# Pure parts


def needs_draft(message: Message, *, retranslate_fuzzy: bool = False, provider: str | None = None) -> bool:
    """Untranslated messages always; earlier drafts only with ``retranslate_fuzzy``.

    A non-empty translation that is not a draft (a translator's work, or one
    ``update`` kept as fuzzy after the source changed) is never a candidate.
    ``retranslate_fuzzy`` replaces only text proven to be the unedited draft:
    a draft awaiting review whose mark carries the hash of the text now
    there (a legacy mark without a hash gets one from ``update`` first).
    Messages whose draft from ``provider`` a reviewer rejected are left alone.
    """
    if message.obsolete or message.is_header or not message.msgid or message.msgid_plural is not None:
        return False
    if provider is not None and provider in rejected_providers(message):
        return False
    if all(t == "" for t in message.translations):
        return True
    return retranslate_fuzzy and is_unedited_draft(message)


def is_unedited_draft(message: Message) -> bool:
    """Awaiting review, and its text provably the drafted text (the mark has the text's hash)."""
    return message.state is MessageState.NEEDS_REVIEW and "hash" in (message.draft or {})


# ---------------------------------------------------------------------------
# Saving as drafts arrive


@dataclass
class _Target:
    """One catalog being drafted, and the drafts it received so far."""

    locale: str
    document: Document
    path: Path
    shown: str
    catalog: Catalog
    stamp: tuple[int, int]
    applied: dict[str, tuple[str, Callable[[Message], None]]] = field(default_factory=dict)
    dirty: bool = False
    ever_written: bool = False

    @cached_property
    def index(self) -> dict[str, Message]:
        """The catalog's messages by key (forgotten when the catalog is read again)."""
        return {m.shown_key: m for m in self.catalog.messages if not m.obsolete}


def _stamp(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return (st.st_mtime_ns, st.st_size)


@dataclass
class _Run:
    """One drafting run: the plan, the catalogs its drafts go to (saved as they arrive), and the report."""

    config: Config
    settings: DraftSettings
    plan: list[tuple[_Target, Message]]
    targets: list[_Target]
    report: DraftReport
    date: str
    progress: bool | ProgressCallback
    retranslate: bool
    caches: list[DraftCache] = field(default_factory=list)
    unsaved: int = 0
    last_save: float = field(default_factory=time.monotonic)

    def apply(self, target: _Target, message: Message, fill: Callable[[Message], None]) -> None:
        """Fill the message with this key in the catalog as it is *now* (it may have been re-read)."""
        key = message.shown_key
        current = target.index.get(key)
        if current is None or current.msgid != message.msgid or not needs_draft(current, retranslate_fuzzy=self.retranslate):
            self._left_as_found(target, key)
            return
        fill(current)
        target.applied[key] = (current.msgid, fill)
        target.dirty = True
        self.unsaved += 1
        self.report.drafted += 1
        if self.unsaved >= self.settings.batch_size or time.monotonic() - self.last_save >= SAVE_INTERVAL:
            self.flush()

    def flush(self) -> None:
        for cache in self.caches:
            cache.flush()
        for target in self.targets:
            if target.dirty:
                self._save(target)
        self.unsaved = 0
        self.last_save = time.monotonic()

    def _save(self, target: _Target) -> None:
        from i18n_pipeline.gettext.pofile import read_po

        if target.path.exists() and _stamp(target.path) != target.stamp:
            # Someone saved the file since we read it: their version wins; drafts go only where still wanted.
            target.catalog = read_po(target.path)
            vars(target).pop("index", None)
            for key, (msgid, fill) in list(target.applied.items()):
                message = target.index.get(key)
                if message is not None and message.msgid == msgid:
                    if needs_draft(message, retranslate_fuzzy=self.retranslate, provider=self.settings.provider):
                        fill(message)
                        continue
                    if _already_there(message, fill):
                        continue  # saved by an earlier batch
                del target.applied[key]
                self.report.drafted -= 1
                self._left_as_found(target, key)
        changed = write_catalog(self.config, target.path, target.catalog)
        target.stamp = _stamp(target.path)
        target.dirty = False
        if changed:
            target.ever_written = True

    def _left_as_found(self, target: _Target, key: str) -> None:
        self.report.notes.append(f"{target.shown}: {key}: changed on disk during drafting; left as found")


def _already_there(message: Message, fill: Callable[[Message], None]) -> bool:
    """True when ``message`` already holds exactly the draft ``fill`` writes (saved by an earlier batch)."""
    import copy

    probe = copy.deepcopy(message)
    fill(probe)
    return probe == message


@contextmanager
def _progress(total: int, enabled: bool | ProgressCallback, label: str) -> Iterator[Callable[[], None]]:
    """One step done: the caller's callback, else a rich progress bar on stderr when it is a terminal."""
    import sys

    if callable(enabled):
        done = itertools.count(1)
        yield lambda: enabled(next(done), total)
        return
    if not enabled or total == 0 or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)


# ---------------------------------------------------------------------------
# The stage


def draft_project(
    config: Config,
    *,
    locale: str | None = None,
    document: str | None = None,
    provider: str | None = None,
    url: str | None = None,
    model: str | None = None,
    dry_run: bool = False,
    limit: int | None = None,
    retranslate_fuzzy: bool = False,
    progress: bool | ProgressCallback = True,
    date: str | None = None,
) -> DraftReport:
    """Fill untranslated messages with drafts (fuzzy, with provenance); see the module docstring."""
    from i18n_pipeline.project import select_documents

    started = time.monotonic()
    settings = load_settings(config, provider=provider, url=url, model=model)
    if limit is not None and limit < 0:
        raise PipelineError("--limit must be 0 or more")
    wanted = wanted_locale(config, locale)
    all_documents = load_documents(config)
    documents = select_documents(all_documents, document)
    existing = project_catalogs(config, all_documents)
    report = DraftReport(provider=settings.provider, dry_run=dry_run)

    targets: list[_Target] = []
    plan: list[tuple[_Target, Message]] = []
    legacy = 0
    for doc, loc in document_locales(config, documents, wanted):
        path = config.po_path(loc, doc.id)
        if (loc, doc.id) not in existing:
            report.notes.append(f"{config.relative(path)}: no catalog yet (run 'i18n-pipeline update' first)")
            continue
        target = _Target(loc, doc, path, config.relative(path), existing[(loc, doc.id)][1], _stamp(path))
        targets.append(target)
        for message in target.catalog.messages:
            if retranslate_fuzzy and message.state is MessageState.NEEDS_REVIEW and not is_unedited_draft(message):
                legacy += 1
            if needs_draft(message, retranslate_fuzzy=retranslate_fuzzy):
                if settings.provider in rejected_providers(message):
                    report.skipped_rejected += 1
                    continue
                plan.append((target, message))
    if legacy:
        report.notes.append(f"{legacy} draft(s) marked before drafts carried a hash were not replaced (nothing proves nobody edited them): run 'i18n-pipeline update' first to stamp them")
    if limit is not None:
        plan = plan[:limit]
    report.planned = [
        PlannedDraft(t.locale, t.document.id, t.shown, m.shown_key, m.msgid, m.msgstr if m.state is MessageState.NEEDS_REVIEW else "") for t, m in plan
    ]
    if dry_run or not plan:
        report.seconds = time.monotonic() - started
        return report

    # A read-only catalog folder must stop the run before a single request is sent.
    check_writable([target.path for target in {id(t): t for t, _ in plan}.values()], config.root)
    run = _Run(config, settings, plan, targets, report, date or today(), progress, retranslate_fuzzy)
    try:
        if settings.provider != MEMORY:
            _draft_by_machine(run)
        else:
            _draft_from_memory(run, existing, all_documents)
    finally:
        run.flush()
        for target in targets:
            report.add(target.shown, target.ever_written)
        report.seconds = time.monotonic() - started
    return report


def _draft_from_memory(run: _Run, existing: dict[tuple[str, str], tuple[Path, Catalog]], all_documents: list[Document]) -> None:
    """Exact and fuzzy matches from every final translation in the project, one memory per language pair."""
    from i18n_pipeline.translate.memory import TranslationMemory

    langs = {d.id: d.lang for d in all_documents}
    catalogs = [(catalog, langs[doc_id], loc) for (loc, doc_id), (_, catalog) in existing.items()]
    memories: dict[tuple[str, str], TranslationMemory] = {}
    with _progress(len(run.plan), run.progress, "memory") as advance:
        for target, message in run.plan:
            pair = (target.document.lang, target.locale)
            if pair not in memories:
                memories[pair] = TranslationMemory.from_catalogs(catalogs, *pair)
            match = memories[pair].lookup(message.msgid, run.settings.threshold)
            if match is None or match.translation == "":
                run.report.without_draft += 1
            else:
                run.apply(target, message, partial(mark_draft, translation=match.translation, provider=MEMORY, date=run.date, score=match.score))
            advance()


def _draft_by_machine(run: _Run) -> None:
    """Protect each text, ask once per distinct text and language pair, restore the answers and save them as they arrive."""
    from i18n_pipeline.translate.glossary import load_glossary
    from i18n_pipeline.translate.llm import with_context
    from i18n_pipeline.translate.protect import protect, restore
    from i18n_pipeline.translate.providers import DraftCache, MachineTranslator, ProviderError

    config, settings, plan, report, date = run.config, run.settings, run.plan, run.report, run.date
    model = settings.model if settings.provider == OPENAI_COMPATIBLE else None
    groups: dict[tuple[str, str], dict[str, list[tuple[_Target, Message, Protected]]]] = {}
    direct: list[tuple[_Target, Message]] = []
    glossaries = {loc: load_glossary(config, loc) for loc in {t.locale for t, _ in plan}}
    for target, message in plan:
        shielded = protect(message.msgid, glossaries[target.locale].do_not_translate)
        if not shielded.needs_translation:
            direct.append((target, message))
            continue
        pair = (target.document.lang, target.locale)
        key = shielded.text
        if settings.provider == OPENAI_COMPATIBLE:
            # A model reads the author's note and the glossary; they are part of the request (and cache) key.
            key = with_context(key, "\n".join(message.auto_comments), glossaries[target.locale].terms)
        groups.setdefault(pair, {}).setdefault(key, []).append((target, message, shielded))
    translators = {pair: MachineTranslator(settings, *pair, DraftCache(config.root, settings.provider, *pair) if settings.cache else None) for pair in groups}
    run.caches = [translator.cache for translator in translators.values() if translator.cache is not None]
    report.notes.extend(f"{config.relative(cache.path)}: damaged cache ignored (it will be rewritten)" for cache in run.caches if cache.damaged)

    with _progress(len(plan), run.progress, f"drafting with {settings.provider}") as advance:
        for target, message in direct:
            # Nothing translatable (a URL, a name, a placeholder): the draft is the text itself.
            run.apply(target, message, lambda m: mark_draft(m, m.msgid, settings.provider, date))
            advance()
        answered = 0
        try:
            for pair, texts in groups.items():
                for outcome in translators[pair].translate(list(texts)):
                    for target, message, shielded in texts[outcome.text]:
                        key = message.shown_key
                        if outcome.translation is None:
                            report.without_draft += 1
                            report.failures.append(f"{target.shown}: {key}: {outcome.error}")
                        else:
                            answered += not outcome.from_cache
                            restored = restore(shielded, outcome.translation)
                            report.problems.extend(f"{target.shown}: {key}: {p}" for p in restored.problems)
                            run.apply(target, message, partial(mark_draft, translation=restored.text, provider=settings.provider, date=date, model=model, problems=restored.problems))
                        if outcome.from_cache:
                            report.from_cache += 1
                        advance()
            report.requests = sum(translator.stats.requests for translator in translators.values())
            report.retries = sum(translator.stats.retries for translator in translators.values())
            if report.failures and not answered and report.requests:
                # Nothing came back: the service is unreachable or refuses everything. CI must notice.
                raise ProviderError(f"no draft received from {settings.provider}: {report.failure_summary()}")
        except ProviderError as exc:
            run.flush()
            saved = f"{report.drafted} draft(s) received before the failure are saved — run 'draft' again to continue" if report.drafted else "nothing was written"
            raise ProviderError(f"{exc.reason}; {saved}") from None


# ---------------------------------------------------------------------------
# Review: list drafts, save decisions


@dataclass(frozen=True)
class ReviewSettings:
    """The ``review:`` section, validated."""

    reviewer: str | None = None
    #: Neighbouring paragraphs shown each side of a draft.
    context: int = 1


def _review_settings(config: Config) -> ReviewSettings:
    section = config.section("review")
    where = config_path(config)
    line = config.line_of("review")
    if unknown := sorted(set(section) - {"reviewer", "context"}):
        raise PipelineError(f"unknown key 'review.{unknown[0]}' (known: reviewer, context)", where, line)
    if "reviewer" in section and (not isinstance(section["reviewer"], str) or not section["reviewer"].strip()):
        raise PipelineError("'review.reviewer' must be a name", where, line)
    context = section.get("context", 1)
    if not isinstance(context, int) or isinstance(context, bool) or not 0 <= context <= 10:
        raise PipelineError("'review.context' must be an integer from 0 to 10 (neighbouring paragraphs shown)", where, line)
    return ReviewSettings(section.get("reviewer"), context)


def resolve_reviewer(config: Config, given: str | None = None) -> str:
    """``--reviewer``, else ``review.reviewer`` in the config, else ``git config user.name``."""
    import subprocess

    name = given or _review_settings(config).reviewer
    if not name:
        try:
            found = subprocess.run(["git", "config", "user.name"], cwd=config.root, capture_output=True, text=True, timeout=10)
            name = found.stdout.strip() if found.returncode == 0 else ""
        except (OSError, subprocess.TimeoutExpired):
            name = ""
    if not name:
        raise PipelineError("who is reviewing? pass --reviewer NAME, set review.reviewer in i18n-pipeline.yaml, or set git config user.name")
    cleaned = " ".join(name.split())
    if not cleaned or any(ch in cleaned for ch in ";="):  # it goes into a ``key=value; ...`` comment
        raise PipelineError(f"reviewer name {name!r} must be non-empty and contain no ';' or '='")
    return cleaned


def review_queue(config: Config, *, locale: str | None = None, document: str | None = None, context: int | None = None) -> list[ReviewItem]:
    """Every draft awaiting review, in document reading order, with context."""
    wanted = wanted_locale(config, locale)
    documents = load_documents(config, document)
    catalogs = project_catalogs(config, documents)
    chosen = [(loc, doc.id, catalogs[(loc, doc.id)]) for doc, loc in document_locales(config, documents, wanted) if (loc, doc.id) in catalogs]
    return _review_items(config, [(loc, doc_id, config.relative(path), catalog) for loc, doc_id, (path, catalog) in chosen], context)


def current_item(config: Config, item: ReviewItem, *, context: int | None = None) -> ReviewItem | None:
    """``item`` as its catalog on disk has it now, neighbours included; None if no longer awaiting review.

    An interactive review reads this before each screen, so what it shows
    around a draft (``before:``/``after:``) is the text saved by the
    decisions just made, never the text listed when the session started.
    """
    from i18n_pipeline.gettext.pofile import read_po

    path = config.root / item.path
    if not path.exists():
        return None
    fresh = _review_items(config, [(item.locale, item.document, item.path, read_po(path))], context)
    return next((candidate for candidate in fresh if candidate.key == item.key), None)


def _review_items(config: Config, catalogs: list[tuple[str, str, str, Catalog]], context: int | None) -> list[ReviewItem]:
    """The drafts of each (locale, document, shown path, catalog), ``context`` (else ``review.context``) neighbours each side."""
    from i18n_pipeline.translate.glossary import load_glossary
    from i18n_pipeline.translate.review import review_items

    depth = _review_settings(config).context if context is None else context
    terms = {loc: load_glossary(config, loc).do_not_translate for loc in dict.fromkeys(loc for loc, *_ in catalogs)}
    return [item for loc, doc_id, shown, catalog in catalogs
            for item in review_items(catalog, locale=loc, document=doc_id, path=shown, do_not_translate=terms[loc], context=depth)]


def record_decision(config: Config, item: ReviewItem, decision: Decision, reviewer: str, *, text: str | None = None, date: str | None = None) -> bool:
    """Apply one decision to the catalog on disk and save it; False if the file was unchanged.

    The catalog is read again first: if the draft changed since it was
    listed (someone edited the file), nothing is written and the error says so.
    """
    from i18n_pipeline.gettext.pofile import check_storable, read_po
    from i18n_pipeline.translate.review import accept, reject

    path = config.root / item.path
    catalog = read_po(path)
    check_storable(catalog, path, item.path)
    message = next((m for m in catalog.messages if not m.obsolete and m.shown_key == item.key), None)
    if message is None or message.state is not MessageState.NEEDS_REVIEW or message.msgstr != item.draft or message.msgid != item.source:
        raise PipelineError(f"{item.key}: the draft changed on disk since it was listed; run review again", item.path)
    try:
        if decision == "reject":
            reject(message, reviewer, date or today())
        else:
            accept(message, reviewer, date or today(), text if decision == "edit" else None)
    except ValueError as exc:
        raise PipelineError(f"{item.key}: {exc}", item.path) from None
    return write_catalog(config, path, catalog)


def find_items(items: list[ReviewItem], key: str) -> ReviewItem:
    """The draft with message key ``key`` (its msgctxt); ambiguous keys need --locale."""
    found = [item for item in items if item.key == key]
    if not found:
        from i18n_pipeline.sources.yamlio import suggest

        raise PipelineError(f"no draft awaiting review with key '{key}'{suggest(key, [i.key for i in items])}")
    if len(found) > 1:
        raise PipelineError(f"key '{key}' has drafts in several locales ({', '.join(i.locale for i in found)}); pass --locale")
    return found[0]


@dataclass
class ReviewReport:
    accepted: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)


def review_keys(
    config: Config,
    *,
    accept: tuple[str, ...] = (),
    reject: tuple[str, ...] = (),
    reviewer: str | None = None,
    locale: str | None = None,
    document: str | None = None,
    date: str | None = None,
) -> ReviewReport:
    """Non-interactive review: accept or reject drafts by key (all keys checked before any write)."""
    if both := set(accept) & set(reject):
        raise PipelineError(f"key '{sorted(both)[0]}' is both accepted and rejected")
    name = resolve_reviewer(config, reviewer)
    items = review_queue(config, locale=locale, document=document, context=0)
    if not items:
        verb = "accept" if accept else "reject"
        where = "".join(f" {k} {v}" for k, v in (("in", locale), ("of", document)) if v)
        raise PipelineError(f"there are no drafts awaiting review{where}: nothing to {verb} (run 'i18n-pipeline draft' to make some)")
    chosen: list[tuple[ReviewItem, Decision]] = [(find_items(items, key), "accept") for key in accept] + [(find_items(items, key), "reject") for key in reject]
    report = ReviewReport()
    for item, decision in chosen:
        if record_decision(config, item, decision, name, date=date) and item.path not in report.written:
            report.written.append(item.path)
        (report.accepted if decision == "accept" else report.rejected).append(f"{item.locale}: {item.key}")
    return report
