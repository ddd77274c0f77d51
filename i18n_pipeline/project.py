"""The project on disk: where each file lives, and the read -> compute -> write steps.

Every stage function here reads everything first (so any bad input stops the
run before a single file changes), calls the pure logic, then writes with
atomic writes. Unchanged files are not touched.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
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
    from i18n_pipeline.translate.memory import PackedPairs


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
    return [locale for locale in config.locales if locale != document.lang]


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

    ``documents`` limits the update to some documents; the translation memory
    still comes from every document's catalogs. With ``documents=None`` the
    sources are loaded as part of the work, which a large project splits over
    processes.
    """
    from i18n_pipeline.parallel import run_sharded

    if documents is None:
        sources: list[Document] | list[Path] = _source_files(config)
        selected = None
    elif _is_whole_project(config, documents):
        sources, selected = documents, None
    else:
        sources, selected = load_documents(config), {d.id for d in documents}
    work = _UpdateWork(config, sources=sources, selected=selected, date=date or today())
    results = None
    shards = work.shards()
    if len(shards) > 1:
        if work.expects_new_messages():
            from i18n_pipeline.translate.memory import preload

            # Once here rather than in every process: imports running side by side slow each other down.
            preload()
        results = run_sharded(shards, work.first, work.combine, work.second, work.write)
    if results is None:
        found, state = work.first(range(len(work.sources)))
        shared = work.combine([found])
        assert shared is not None
        results = [work.write(work.second(state, shared))]
    report = UpdateReport()
    for _, shown, changed in sorted((t for r in results for t in r.templates), key=lambda t: t[0]):
        report.templates.add(shown, changed)
    for _, shown, changed, counts in sorted((c for r in results for c in r.catalogs), key=lambda c: c[0]):
        report.add(shown, changed)
        report.stats[shown] = counts
    return report


#: Below this much source text, forking costs more than it saves.
_SHARDING_MIN_BYTES = 256 * 1024


@dataclass
class _Found:
    """What one shard tells the others after reading: ids, and its final translations."""

    #: (index, document id, source path) per document, for the duplicate-id check.
    ids: list[tuple[int, str, str]]
    needs_memory: bool
    #: Final pairs of this shard's catalogs, in project order.
    pairs: PackedPairs


@dataclass
class _Shared:
    """The exchange: every catalog's final pairs in project order, when any shard needs memory."""

    pairs: PackedPairs | None


@dataclass
class _Texts:
    """The files one shard computed, tagged with their place in project order."""

    templates: list[tuple[int, Path, str]] = field(default_factory=list)
    catalogs: list[tuple[tuple[int, int], Path, str, dict[str, int]]] = field(default_factory=list)


@dataclass
class _Written:
    """What one shard wrote: shown path and whether it changed, in project order."""

    templates: list[tuple[int, str, bool]] = field(default_factory=list)
    catalogs: list[tuple[tuple[int, int], str, bool, dict[str, int]]] = field(default_factory=list)


@dataclass
class _UpdateState:
    documents: list[tuple[int, Document]]
    templates: dict[int, Catalog]
    existing: dict[tuple[int, int], tuple[str, Path, Catalog | None]]


@dataclass
class _UpdateWork:
    """``update`` as two phases over shards of documents (see :mod:`.parallel`).

    Phase one loads the shard's documents and catalogs and builds templates;
    phase two merges with the translation memory of the whole project.
    A single shard holding everything is the serial run.
    """

    config: Config
    #: Every document of the project, loaded or still to load from its source file.
    sources: list[Document] | list[Path]
    #: Ids of the documents to update; None for all.
    selected: set[str] | None
    date: str

    def shards(self) -> list[list[int]]:
        """Contiguous runs of documents of about equal size, one per process."""
        from i18n_pipeline.parallel import available_cores, can_fork, requested_jobs

        jobs = requested_jobs()
        if self.selected is not None or not can_fork() or len(self.sources) < 2:
            return [list(range(len(self.sources)))]
        sizes = [_source_size(self.config, source) for source in self.sources]
        if jobs is None:
            jobs = available_cores() if sum(sizes) >= _SHARDING_MIN_BYTES else 1
        jobs = max(1, min(jobs, len(self.sources), 8))
        shards: list[list[int]] = [[] for _ in range(jobs)]
        total, done = sum(sizes) or 1, 0
        for index, size in enumerate(sizes):
            shards[min(jobs - 1, done * jobs // total)].append(index)
            done += size
        return [shard for shard in shards if shard]

    def expects_new_messages(self) -> bool:
        """A guess, for speed only: would near-match lookups run (a source newer than its template)?

        Wrong either way, it costs one import of numpy too many or too late.
        """
        if self.config.memory_threshold > 100:
            return False
        if not any((self.config.catalog_path / locale / "LC_MESSAGES").is_dir() for locale in self.config.locales):
            return False  # no catalogs yet: nothing to remember
        from i18n_pipeline.sources.documents import default_document_id

        for source in self.sources:
            path = _source_path(self.config, source)
            doc_id = default_document_id(path, self.config) if isinstance(source, Path) else source.id
            try:
                if path.stat().st_mtime > self.config.pot_path(doc_id).stat().st_mtime:
                    return True
            except (OSError, ValueError):
                return True
        return False

    def first(self, indexes: Sequence[int]) -> tuple[_Found, _UpdateState]:
        from i18n_pipeline.gettext.extract import template_for
        from i18n_pipeline.translate.memory import PackedPairs, final_pairs
        from i18n_pipeline.sources.documents import load_documents as load_sources

        loaded = [self.sources[i] for i in indexes]
        if loaded and isinstance(loaded[0], Path):
            loaded = load_sources(self.config, loaded)  # type: ignore[arg-type]
        documents = list(zip(indexes, loaded))  # type: ignore[arg-type]
        existing: dict[tuple[int, int], tuple[str, Path, Catalog | None]] = {}
        for index, document in documents:
            for position, locale in enumerate(target_locales(self.config, document)):
                path = self.config.po_path(locale, document.id)
                existing[(index, position)] = (locale, path, read_catalog_to_write(self.config, path))
        templates: dict[int, Catalog] = {}
        needs_memory = False
        for index, document in documents:
            if self.selected is None or document.id in self.selected:
                template = templates[index] = template_for(document, self.config.project_name)
                if self.config.memory_threshold <= 100:
                    needs_memory = needs_memory or any(
                        _has_new_keys(template, existing[(index, position)][2])
                        for position in range(len(target_locales(self.config, document)))
                    )
        langs = dict(documents)
        found = _Found(
            ids=[(index, document.id, document.path) for index, document in documents],
            needs_memory=needs_memory,
            # ``existing`` is in (document, locale) order, and shards are runs of documents in order.
            pairs=PackedPairs.pack(
                (langs[place[0]].lang, locale, final_pairs(catalog))
                for place, (locale, _, catalog) in existing.items()
                if catalog is not None
            ),
        )
        if needs_memory:
            from i18n_pipeline.translate.memory import preload

            # Usually loaded before forking already; if not, this overlaps with the
            # wait for slower shards instead of delaying the merge.
            preload()
        return found, _UpdateState(documents, templates, existing)

    def combine(self, found: list[_Found]) -> _Shared | None:
        ids = [entry for part in found for entry in part.ids]
        if len({doc_id.casefold() for _, doc_id, _ in ids}) != len(ids):
            return None  # duplicate ids across shards: the serial run names them
        if self.selected is None:
            from i18n_pipeline.sources.documents import check_configured_documents

            check_configured_documents(self.config, [doc_id for _, doc_id, _ in ids])
        if not any(part.needs_memory for part in found):
            return _Shared(None)
        from i18n_pipeline.translate.memory import PackedPairs

        return _Shared(PackedPairs.concat(part.pairs for part in found))

    def second(self, state: _UpdateState, shared: _Shared) -> _Texts:
        from i18n_pipeline.translate.memory import TranslationMemory
        from i18n_pipeline.gettext.merge import merge_catalog
        from i18n_pipeline.gettext.pofile import write_po

        memories: dict[tuple[str, str], TranslationMemory] = {}
        unpacked: list[tuple[str, str, list[tuple[str, str]]]] = []

        def memory_for(source_lang: str, target_lang: str) -> TranslationMemory:
            if (source_lang, target_lang) not in memories:
                if not unpacked and shared.pairs is not None:
                    unpacked.extend(shared.pairs.unpack())
                memories[source_lang, target_lang] = TranslationMemory.from_pairs(unpacked, source_lang, target_lang)
            return memories[source_lang, target_lang]

        texts = _Texts()
        for index, document in state.documents:
            template = state.templates.get(index)
            if template is None:
                continue
            path, text = _template_file(self.config, template, document.id)
            texts.templates.append((index, path, text))
            for position, locale in enumerate(target_locales(self.config, document)):
                _, path, old = state.existing[(index, position)]
                needs_memory = self.config.memory_threshold <= 100 and _has_new_keys(template, old)
                catalog, stats = merge_catalog(
                    template,
                    old,
                    locale=locale,
                    plural_forms=partial(plural_forms, locale),
                    language_name=partial(language_name, locale),
                    memory=memory_for(document.lang, locale) if needs_memory else None,
                    threshold=self.config.memory_threshold,
                    today=self.date,
                )
                counts = {k: v for k, v in vars(stats).items() if isinstance(v, int)}
                texts.catalogs.append(((index, position), path, write_po(catalog, width=self.config.wrap_width), counts))
        # Before any shard writes: a name too long or a read-only folder must stop the run with nothing written.
        check_writable([path for _, path, _ in texts.templates] + [path for _, path, _, _ in texts.catalogs], self.config.root)
        return texts

    def write(self, texts: _Texts) -> _Written:
        """Write one shard's files; runs only after every shard has computed its texts."""
        written = _Written()
        for index, path, text in texts.templates:
            written.templates.append((index, self.config.relative(path), atomic_write(path, text)))
        for place, path, text, counts in texts.catalogs:
            written.catalogs.append((place, self.config.relative(path), atomic_write(path, text), counts))
        return written


def _source_files(config: Config) -> list[Path]:
    from i18n_pipeline.sources.documents import source_files

    return source_files(config)


def _source_path(config: Config, source: Document | Path) -> Path:
    return source if isinstance(source, Path) else config.root / source.path


def _source_size(config: Config, source: Document | Path) -> int:
    try:
        return _source_path(config, source).stat().st_size
    except OSError:
        return 0


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
