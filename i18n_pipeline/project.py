"""The project on disk: where each file lives, and the read -> compute -> write steps.

Every stage function here reads everything it needs first (so any bad input
stops the run before a single file changes), calls the pure logic, then writes
with atomic writes. Unchanged files are not touched; ``update`` does not even
read the documents that nothing changed since it last ran.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from i18n_pipeline.gettext.catalog import Catalog
from i18n_pipeline.gettext.plurals import plural_forms
from i18n_pipeline.config import Config
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.fileio import atomic_write, check_writable
from i18n_pipeline.sources.model import Document

if TYPE_CHECKING:
    from i18n_pipeline.manifest import Manifest
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

    documents = _load(config)
    if document is not None:
        chosen = [d for d in documents if d.id == document]
        if not chosen:
            from i18n_pipeline.sources.yamlio import suggest

            raise PipelineError(f"no document with id '{document}'{suggest(document, [d.id for d in documents])}")
        return chosen
    return documents


def target_locales(config: Config, document: Document) -> list[str]:
    """Every configured locale except the one the document is written in."""
    return _targets(config, document.lang)


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
    for document in documents:
        for locale in target_locales(config, document):
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

    Templates and catalogs are written together after every PO file has been
    read, so a broken catalog stops the run before anything changes.

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
    else:
        if not _is_whole_project(config, documents):
            selected = {d.id for d in documents}
            documents = load_documents(config)
        plan = [_Planned(d.id, d.lang, d.path, d) for d in documents]
    if selected is None:
        from i18n_pipeline.sources.documents import check_configured_documents

        check_configured_documents(config, [item.id for item in plan])
    existing: dict[tuple[str, str], tuple[Path, Catalog | None]] = {}
    for item in plan:
        if item.document is not None:
            for locale in _targets(config, item.lang):
                path = config.po_path(locale, item.id)
                existing[item.id, locale] = (path, read_catalog_to_write(config, path))
    found: list[list[tuple[str, str, list[tuple[str, str]]]]] = []
    memories: dict[tuple[str, str], TranslationMemory] = {}

    def memory_for(source_lang: str, target_lang: str) -> TranslationMemory:
        from i18n_pipeline.translate.memory import TranslationMemory

        if not found:
            found.append(_final_pairs(config, plan, existing, manifest))
        if (source_lang, target_lang) not in memories:
            memories[source_lang, target_lang] = TranslationMemory.from_pairs(found[0], source_lang, target_lang)
        return memories[source_lang, target_lang]

    templates: list[tuple[_Planned, Path, str]] = []
    catalogs: list[tuple[_Planned, Path, str, Catalog, dict[str, int]]] = []
    for item in plan:
        if item.document is None or (selected is not None and item.id not in selected):
            continue
        # Here, not above: a run with nothing to do never loads the merging and writing code.
        from i18n_pipeline.gettext.extract import template_for
        from i18n_pipeline.gettext.merge import merge_catalog
        from i18n_pipeline.gettext.pofile import write_po

        template = template_for(item.document, config.project_name)
        templates.append((item, *_template_file(config, template, item.id)))
        for locale in _targets(config, item.lang):
            path, old = existing[item.id, locale]
            needs_memory = config.memory_threshold <= 100 and _has_new_keys(template, old)
            catalog, stats = merge_catalog(
                template,
                old,
                locale=locale,
                plural_forms=partial(plural_forms, locale),
                language_name=partial(language_name, locale),
                memory=memory_for(item.lang, locale) if needs_memory else None,
                threshold=config.memory_threshold,
                today=date,
            )
            counts = {k: v for k, v in vars(stats).items() if isinstance(v, int)}
            catalogs.append((item, path, write_po(catalog, width=config.wrap_width), catalog, counts))
    # Before any write: a name too long or a read-only folder must stop the run with nothing written.
    check_writable([path for _, path, _ in templates] + [path for _, path, _, _, _ in catalogs], config.root)
    report = UpdateReport()
    written: dict[str, dict[Path, str]] = {}
    for item, path, text in templates:
        report.templates.add(config.relative(path), atomic_write(path, text))
        written.setdefault(item.source, {})[path] = text
    for item, path, text, _, counts in catalogs:
        shown = config.relative(path)
        report.add(shown, atomic_write(path, text))
        report.stats[shown] = counts
        written.setdefault(item.source, {})[path] = text
    if manifest is not None:
        for item in plan:
            if item.document is None:
                report.templates.add(config.relative(config.pot_path(item.id)), False)
                for locale in _targets(config, item.lang):
                    report.add(config.relative(config.po_path(locale, item.id)), False)
        _remember(config, manifest, plan, written, [(path, catalog) for _, path, _, catalog, _ in catalogs])
    return report


@dataclass
class _Planned:
    """A document of the update: loaded, or (``document`` None) unchanged since the last update."""

    id: str
    lang: str
    #: The source's path relative to the project root.
    source: str
    document: Document | None
    #: The source as read (its stat taken first), for the manifest.
    read: tuple[os.stat_result, bytes] | None = None


def _targets(config: Config, lang: str) -> list[str]:
    return [locale for locale in config.locales if locale != lang]


def _outputs(config: Config, doc_id: str, lang: str) -> list[str]:
    """The template and catalogs update writes for a document, relative to the root."""
    paths = [config.pot_path(doc_id), *(config.po_path(locale, doc_id) for locale in _targets(config, lang))]
    return [config.relative(path) for path in paths]


def _plan(config: Config, manifest: Manifest) -> list[_Planned]:
    """Every source in project order: unchanged ones from the manifest, the others read and parsed.

    Duplicate ids are reported as :func:`load_documents` reports them.
    """
    from i18n_pipeline.sources.documents import claim_id, load_document, source_files
    from i18n_pipeline.sources.yamlio import read_bytes

    planned: list[_Planned] = []
    seen: dict[str, tuple[str, str]] = {}
    for path in source_files(config):
        shown = config.relative(path)
        entry = manifest.documents.get(shown)
        if entry is not None and manifest.unchanged(shown, _outputs(config, entry.id, entry.lang)):
            item = _Planned(entry.id, entry.lang, shown, None)
        else:
            try:
                info = path.stat()
            except OSError:
                info = None
            data = read_bytes(path, shown)
            document = load_document(path, config, data)
            item = _Planned(document.id, document.lang, shown, document, (info, data) if info is not None else None)
        claim_id(seen, item.id, item.source)
        planned.append(item)
    return planned


def _final_pairs(
    config: Config,
    plan: list[_Planned],
    existing: dict[tuple[str, str], tuple[Path, Catalog | None]],
    manifest: Manifest | None,
) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Every existing catalog's final translations in project order: read ones, else the cache."""
    from i18n_pipeline.manifest import MemoryCache
    from i18n_pipeline.translate.memory import final_pairs

    cache = MemoryCache(config)
    found: list[tuple[str, str, list[tuple[str, str]]]] = []
    for item in plan:
        for locale in _targets(config, item.lang):
            if item.document is not None:
                catalog = existing[item.id, locale][1]
                if catalog is not None:
                    found.append((item.lang, locale, final_pairs(catalog)))
                continue
            assert manifest is not None
            path = config.po_path(locale, item.id)
            shown = config.relative(path)
            pairs = cache.get(shown, manifest.documents[item.source].files[shown].hash)
            if pairs is None:
                catalog = read_catalog(config, path)
                pairs = final_pairs(catalog) if catalog is not None else []
            found.append((item.lang, locale, pairs))
    return found


def _remember(
    config: Config,
    manifest: Manifest,
    plan: list[_Planned],
    written: dict[str, dict[Path, str]],
    catalogs: list[tuple[Path, Catalog]],
) -> None:
    """Record what this run read and wrote, for the next update; the cache's own trouble is no error."""
    import time

    from i18n_pipeline.manifest import DocumentEntry, MemoryCache, Stamp, digest
    from i18n_pipeline.translate.memory import final_pairs

    try:
        entries: dict[str, DocumentEntry] = {}
        hashes: dict[Path, str] = {}
        for item in plan:
            if item.document is None:
                entries[item.source] = manifest.documents[item.source]
                continue
            if item.read is None or item.source not in written:
                continue
            info, data = item.read
            files = {item.source: Stamp(digest(data), info.st_size, info.st_mtime_ns, info.st_ino)}
            for path, text in written[item.source].items():
                info = path.stat()
                stamp = files[config.relative(path)] = Stamp(digest(text.encode("utf-8")), info.st_size, info.st_mtime_ns, info.st_ino)
                hashes[path] = stamp.hash
            entries[item.source] = DocumentEntry(item.id, item.lang, files)
        if entries == manifest.documents and not manifest.reread:
            return  # nothing read, nothing written: the manifest is still exact
        cache = MemoryCache(config)
        for path, catalog in catalogs:
            cache.put(config.relative(path), hashes[path], final_pairs(catalog))
        manifest.documents = entries
        manifest.written_at_ns = time.time_ns()
        manifest.save()
    except OSError:
        pass  # a read-only or full cache folder only costs the next run its shortcut


def _template_file(config: Config, template: Catalog, doc_id: str) -> tuple[Path, str]:
    """Where a document's POT goes and its text: shared by extract and update."""
    from i18n_pipeline.gettext.pofile import write_po

    return config.pot_path(doc_id), write_po(template, width=config.wrap_width)


def _is_whole_project(config: Config, documents: list[Document]) -> bool:
    from i18n_pipeline.sources.documents import source_files

    return len(documents) == len(source_files(config))


def _has_new_keys(template: Catalog, existing: Catalog | None) -> bool:
    if existing is None:
        return True
    known = {m.key for m in existing.messages}
    return any(m.key not in known for m in template.messages)
