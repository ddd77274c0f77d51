"""The project on disk: where each file lives, and the read -> compute -> write steps.

Every stage function here reads everything it needs first (so any bad input
stops the run before a single file changes), calls the pure logic, then writes
with atomic writes. Unchanged files are not touched; ``update`` does not even
read the documents that nothing changed since it last ran.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from i18n_pipeline.config import Config, RelativePaths, check_configured_documents, save_config_cache, source_files
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.fileio import atomic_write, check_writable, write_all

if TYPE_CHECKING:
    from i18n_pipeline.gettext.catalog import Catalog
    from i18n_pipeline.manifest import Manifest
    from i18n_pipeline.sources.model import Document
    from i18n_pipeline.translate.memory import TranslationMemory


@dataclass
class WriteReport:
    """What a stage wrote: paths relative to the project root."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, path: str, changed: bool) -> None:
        (self.written if changed else self.unchanged).append(path)


def today() -> str:
    return _dt.date.today().isoformat()


@cache
def language_name(locale: str) -> str:
    from babel import Locale

    return Locale.parse(locale).get_display_name("en") or locale


def load_documents(config: Config, document: str | None = None) -> list[Document]:
    from i18n_pipeline.sources.documents import load_documents as _load

    return select_documents(_load(config), document)


def select_documents(documents: list[Document], document: str | None) -> list[Document]:
    """``documents``, or only the one with id ``document`` (an unknown id is an error naming the closest)."""
    if document is None:
        return documents
    chosen = [d for d in documents if d.id == document]
    if not chosen:
        from i18n_pipeline.sources.yamlio import suggest

        raise PipelineError(f"no document with id '{document}'{suggest(document, [d.id for d in documents])}")
    return chosen


def target_locales(config: Config, document: Document) -> list[str]:
    """Every configured locale except the one the document is written in."""
    return _targets(config, document.lang)


def document_locales(config: Config, documents: Iterable[Document], wanted: str | None = None) -> Iterator[tuple[Document, str]]:
    """Each (document, target locale) a command works on: only ``wanted`` (as ``config.wanted_locale`` returns it) when given."""
    for document in documents:
        for locale in _targets(config, document.lang):
            if wanted is None or locale == wanted:
                yield document, locale


def read_catalog(config: Config, path: Path) -> Catalog | None:
    from i18n_pipeline.gettext.pofile import read_po

    if not path.exists():
        return None
    return read_po(path)


def read_catalog_to_write(config: Config, path: Path) -> Catalog | None:
    """:func:`read_catalog` for a stage that writes the catalog back or compiles it: what msgfmt rejects stops it."""
    from i18n_pipeline.gettext.pofile import check_storable

    catalog = read_catalog(config, path)
    if catalog is not None:
        check_storable(catalog, path, config.relative(path))
    return catalog


def write_catalog(config: Config, path: Path, catalog: Catalog) -> bool:
    from i18n_pipeline.gettext.pofile import write_po

    return atomic_write(path, write_po(catalog, width=config.wrap_width))


def project_catalogs(config: Config, documents: list[Document]) -> dict[tuple[str, str], tuple[Path, Catalog]]:
    """Every existing PO catalog of ``documents``, keyed by (locale, document id)."""
    found: dict[tuple[str, str], tuple[Path, Catalog]] = {}
    for document, locale in document_locales(config, documents):
        path = config.po_path(locale, document.id)
        catalog = read_catalog_to_write(config, path)
        if catalog is not None:
            found[(locale, document.id)] = (path, catalog)
    return found


def extract(config: Config, documents: list[Document] | None = None) -> WriteReport:
    """Write one POT per document under ``catalogs/templates/``."""
    from i18n_pipeline.gettext.extract import template_for

    documents = documents if documents is not None else load_documents(config)
    report = WriteReport()
    rendered = [_template_file(config, template_for(d, config.project_name), d.id) for d in documents]
    check_writable([path for path, _ in rendered], config.root)
    for path, text in rendered:
        report.add(config.relative(path), atomic_write(path, text))
    return report


@dataclass
class UpdateReport(WriteReport):
    #: Per written catalog: counts of kept/changed/added/suggested/obsoleted/revived messages.
    stats: dict[str, dict[str, int]] = field(default_factory=dict)
    #: The POT files written on the way (update extracts first, in the same write phase).
    templates: WriteReport = field(default_factory=WriteReport)


def update(config: Config, documents: list[Document] | None = None, *, date: str | None = None) -> UpdateReport:
    """Extract and create or update every PO catalog (msgmerge semantics).

    Every source and catalog is read, checked and merged before the first
    write, so bad input stops the run before anything changes; one document at
    a time, so that only its own catalogs are in memory, never the project's.

    Without ``documents`` (the whole project) the run is incremental: a
    document whose source, template and catalogs are as the last update left
    them (:mod:`i18n_pipeline.manifest`) is neither read nor merged, and the
    translation memory takes its catalogs' final translations from the cache.
    The files are the same as a full run writes. ``documents`` limits the
    update to some documents (read in full); the translation memory still
    comes from every document's catalogs.
    """
    from i18n_pipeline.manifest import Manifest

    date = date or today()
    selected: set[str] | None = None
    manifest: Manifest | None = None
    if documents is None:
        manifest = Manifest.load(config)
        plan = _plan(config, manifest)
        _merge_sources(config, plan, date)
    else:
        if len(documents) != len(source_files(config)):  # some documents: the memory still needs every catalog
            selected = {d.id for d in documents}
            documents = load_documents(config)
        plan = [_Planned(config.root / d.path, d.path, False, d.id, d.lang, document=d) for d in documents]
        for item, document in zip(plan, documents):
            item.merged = _merge_document(config, document, date, merge=selected is None or document.id in selected)
    if selected is None:
        check_configured_documents(config, [item.id for item in plan])
    _apply_memory(config, plan, manifest, date)

    chosen = [item for item in plan if item.merged is not None and (selected is None or item.id in selected)]
    # Before any write: a name too long or a read-only folder must stop the run with nothing written.
    check_writable([path for item in chosen for path in _output_paths(config, item.id, item.lang)], config.root)

    report = UpdateReport()
    relative = RelativePaths(config, [config.source_path, config.catalog_path])
    files: list[tuple[Path, bytes]] = []
    for item in chosen:
        assert item.merged is not None
        files.append((config.pot_path(item.id), item.merged.template))
        files.extend((catalog.path, catalog.data) for catalog in item.merged.catalogs)
    # Every file atomically, with two waits for the disk for the whole run instead of two per file.
    written = iter(write_all(files))
    for item in chosen:
        assert item.merged is not None
        pot_path = config.pot_path(item.id)
        changed, item.written[pot_path] = next(written)
        report.templates.add(relative(pot_path), changed)
        for catalog in item.merged.catalogs:
            shown = relative(catalog.path)
            changed, item.written[catalog.path] = next(written)
            report.add(shown, changed)
            report.stats[shown] = catalog.counts
    if manifest is not None:
        for item in plan:
            if item.unchanged:
                template, *catalogs = item.outputs
                report.templates.add(template, False)
                for shown in catalogs:
                    report.add(shown, False)
        _remember(config, manifest, plan, relative)
    return report


@dataclass
class _Catalog:
    """One catalog of a document as update will write it."""

    locale: str
    path: Path
    #: The final translations of the catalog as read (None: there is none yet): what the memory learns from.
    before: list[tuple[str, str]] | None
    data: bytes = b""
    counts: dict[str, int] = field(default_factory=dict)
    #: The final translations as written, for the update cache.
    after: list[tuple[str, str]] = field(default_factory=list)
    #: The source texts of the added messages, which the translation memory may fill.
    added: list[str] = field(default_factory=list)


@dataclass
class _Merged:
    """A document's update, computed but not written: its template and catalogs as bytes."""

    id: str
    lang: str
    template: bytes
    catalogs: list[_Catalog]


@dataclass
class _Planned:
    """A source of the update, in project order."""

    path: Path
    #: The source's path relative to the project root.
    source: str
    #: Source, template and catalogs as the last update left them: nothing to read or write.
    unchanged: bool
    id: str = ""
    lang: str = ""
    #: What the update writes for it; for an unchanged source, None.
    merged: _Merged | None = None
    #: The source as read (its stat taken first), for the manifest.
    read: tuple[os.stat_result | None, bytes] | None = None
    #: The hash of each file written for it.
    written: dict[Path, str] = field(default_factory=dict)
    #: The document when the caller gave it (else it is loaded again from ``read`` if the memory needs it).
    document: Document | None = None
    #: For an unchanged source: its template and catalogs relative to the root, as checked.
    outputs: list[str] = field(default_factory=list)


def _merge_document(
    config: Config,
    document: Document,
    date: str,
    *,
    merge: bool = True,
    memory: Callable[[str, str], TranslationMemory] | None = None,
) -> _Merged:
    """Read a document's catalogs and merge its template into them, without writing.

    Pure apart from reading the catalogs. ``merge=False`` only reads them
    (for the memory, when another document is being updated). ``memory``
    gives the translation memory for a (source, target) language pair; a
    catalog's added messages are looked up in it.
    """
    from i18n_pipeline.gettext.extract import template_for
    from i18n_pipeline.gettext.merge import merge_catalog
    from i18n_pipeline.gettext.plurals import plural_forms
    from i18n_pipeline.gettext.pofile import write_po
    from i18n_pipeline.translate.memory import final_pairs

    template = template_for(document, config.project_name) if merge else None
    # The template first: its msgids are wrapped once for it and the catalogs alike (pofile's cache).
    text = "" if template is None else _template_file(config, template, document.id)[1]
    merged = _Merged(document.id, document.lang, text.encode("utf-8"), [])
    for locale in _targets(config, document.lang):
        path = config.po_path(locale, document.id)
        old = read_catalog_to_write(config, path)
        result = _Catalog(locale, path, final_pairs(old) if old is not None else None)
        merged.catalogs.append(result)
        if template is None:
            continue
        known = {m.key for m in old.messages} if old is not None else set()
        result.added = [m.msgid for m in template.messages if m.key not in known and m.msgid_plural is None]
        catalog, stats = merge_catalog(
            template,
            old,
            locale=locale,
            plural_forms=partial(plural_forms, locale),
            language_name=partial(language_name, locale),
            memory=memory(document.lang, locale) if memory is not None and result.added else None,
            threshold=config.memory_threshold,
            today=date,
        )
        result.counts = {k: v for k, v in vars(stats).items() if isinstance(v, int)}
        result.data = write_po(catalog, width=config.wrap_width).encode("utf-8")
        result.after = final_pairs(catalog)
    return merged


def _read_and_merge(config: Config, date: str, path: Path) -> tuple[_Merged, tuple[os.stat_result | None, bytes]]:
    """Load one source and merge it (:func:`_merge_document`); also what was read, for the manifest."""
    from i18n_pipeline.sources.documents import load_document
    from i18n_pipeline.sources.yamlio import read_bytes

    try:
        info: os.stat_result | None = path.stat()
    except OSError:
        info = None
    data = read_bytes(path, config.relative(path))
    return _merge_document(config, load_document(path, config, data), date), (info, data)


def _merge_sources(config: Config, plan: list[_Planned], date: str) -> None:
    """Load and merge every source of the plan that changed; duplicate ids are reported as load_documents does."""
    changed = [item.path for item in plan if not item.unchanged]
    if not changed:
        return  # the manifest's ids: distinct when it was written
    from i18n_pipeline.sources.documents import claim_id

    results = map(partial(_read_and_merge, config, date), changed)
    seen: dict[str, tuple[str, str]] = {}
    for item in plan:
        if not item.unchanged:
            item.merged, item.read = next(results)
            item.id, item.lang = item.merged.id, item.merged.lang
        claim_id(seen, item.id, item.source)


def _apply_memory(config: Config, plan: list[_Planned], manifest: Manifest | None, date: str) -> None:
    """Merge again, with the translation memory, the documents it has a suggestion for.

    The memory holds the final translations of every catalog as it was before
    this run, so it can only be built once all are read; most added messages
    have no match, and their documents stay as merged.
    """
    if config.memory_threshold > 100 or not any(c.added for item in plan if item.merged is not None for c in item.merged.catalogs):
        return
    from i18n_pipeline.translate.memory import TranslationMemory

    found: list[list[tuple[str, str, list[tuple[str, str]]]]] = []
    memories: dict[tuple[str, str], TranslationMemory] = {}

    def memory_for(source_lang: str, target_lang: str) -> TranslationMemory:
        if not found:
            found.append(_final_pairs(config, plan, manifest))
        if (source_lang, target_lang) not in memories:
            memories[source_lang, target_lang] = TranslationMemory.from_pairs(found[0], source_lang, target_lang)
        return memories[source_lang, target_lang]

    for item in plan:
        merged = item.merged
        if merged is None or not any(
            memory_for(merged.lang, catalog.locale).lookup(text, config.memory_threshold) is not None
            for catalog in merged.catalogs
            for text in catalog.added
        ):
            continue
        from i18n_pipeline.sources.documents import load_document

        document = item.document or load_document(item.path, config, item.read[1] if item.read is not None else None)
        item.merged = _merge_document(config, document, date, memory=memory_for)


def _targets(config: Config, lang: str) -> list[str]:
    return [locale for locale in config.locales if locale != lang]


def _output_paths(config: Config, doc_id: str, lang: str) -> list[Path]:
    """The template and catalogs update writes for a document."""
    return [config.pot_path(doc_id), *(config.po_path(locale, doc_id) for locale in _targets(config, lang))]


def _plan(config: Config, manifest: Manifest) -> list[_Planned]:
    """Every source in project order; those the manifest vouches for are ``unchanged`` (their id and language from it)."""
    planned: list[_Planned] = []
    relative = RelativePaths(config, [config.source_path, config.catalog_path])
    for path in source_files(config):
        shown = relative(path)
        entry = manifest.documents.get(shown)
        outputs = [relative(output) for output in _output_paths(config, entry.id, entry.lang)] if entry is not None else []
        if entry is not None and manifest.unchanged(shown, outputs):
            planned.append(_Planned(path, shown, True, entry.id, entry.lang, outputs=outputs))
        else:
            planned.append(_Planned(path, shown, False))
    return planned


def _final_pairs(config: Config, plan: list[_Planned], manifest: Manifest | None) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Every existing catalog's final translations in project order: read ones, else the cache."""
    from i18n_pipeline.manifest import MemoryCache
    from i18n_pipeline.translate.memory import final_pairs

    cache = MemoryCache(config)
    found: list[tuple[str, str, list[tuple[str, str]]]] = []
    for item in plan:
        if item.merged is not None:
            found.extend((item.lang, c.locale, c.before) for c in item.merged.catalogs if c.before is not None)
            continue
        assert manifest is not None
        for locale, shown in zip(_targets(config, item.lang), item.outputs[1:]):
            pairs = cache.get(shown, manifest.documents[item.source].files[shown].hash)
            if pairs is None:
                catalog = read_catalog(config, config.po_path(locale, item.id))
                pairs = final_pairs(catalog) if catalog is not None else []
            found.append((item.lang, locale, pairs))
    return found


def _remember(config: Config, manifest: Manifest, plan: list[_Planned], relative: RelativePaths) -> None:
    """Record what this run read and wrote, for the next update; the cache's own trouble is no error."""
    import time

    from i18n_pipeline.manifest import DocumentEntry, MemoryCache, Stamp, digest

    try:
        save_config_cache(config)
        entries: dict[str, DocumentEntry] = {}
        for item in plan:
            if item.unchanged:
                entries[item.source] = manifest.documents[item.source]
                continue
            source_info, data = item.read if item.read is not None else (None, b"")
            if source_info is None or not item.written:
                continue
            files = {item.source: Stamp(digest(data), source_info.st_size, source_info.st_mtime_ns, source_info.st_ino)}
            for path, file_hash in item.written.items():
                info = path.stat()
                files[relative(path)] = Stamp(file_hash, info.st_size, info.st_mtime_ns, info.st_ino)
            entries[item.source] = DocumentEntry(item.id, item.lang, files)
        if entries == manifest.documents and not manifest.reread:
            return  # nothing read, nothing written: the manifest is still exact
        cache = MemoryCache(config)
        for item in plan:
            for catalog in item.merged.catalogs if item.merged is not None else []:
                cache.put(relative(catalog.path), item.written[catalog.path], catalog.after)
        manifest.documents = entries
        manifest.written_at_ns = time.time_ns()
        manifest.save()
    except OSError:
        pass  # a read-only or full cache folder only costs the next run its shortcut


def _template_file(config: Config, template: Catalog, doc_id: str) -> tuple[Path, str]:
    """Where a document's POT goes and its text: shared by extract and update."""
    from i18n_pipeline.gettext.pofile import write_po

    return config.pot_path(doc_id), write_po(template, width=config.wrap_width)
