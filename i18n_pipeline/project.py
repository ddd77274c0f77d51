"""The project on disk: where each file lives, and the read -> compute -> write steps.

Every stage function here reads everything first (so any bad input stops the
run before a single file changes), calls the pure logic, then writes with
atomic writes. Unchanged files are not touched.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path

from i18n_pipeline.gettext.catalog import Catalog
from i18n_pipeline.gettext.plurals import plural_forms
from i18n_pipeline.config import Config
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.fileio import atomic_write
from i18n_pipeline.sources.model import Document


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


def write_catalog(config: Config, path: Path, catalog: Catalog) -> bool:
    from i18n_pipeline.gettext.pofile import write_po

    return atomic_write(path, write_po(catalog, width=config.wrap_width))


def project_catalogs(config: Config, documents: list[Document]) -> dict[tuple[str, str], tuple[Path, Catalog]]:
    """Every existing PO catalog of ``documents``, keyed by (locale, document id)."""
    found: dict[tuple[str, str], tuple[Path, Catalog]] = {}
    for document in documents:
        for locale in target_locales(config, document):
            path = config.po_path(locale, document.id)
            catalog = read_catalog(config, path)
            if catalog is not None:
                found[(locale, document.id)] = (path, catalog)
    return found


def extract(config: Config, documents: list[Document] | None = None) -> WriteReport:
    """Write one POT per document under ``catalogs/templates/``."""
    from i18n_pipeline.gettext.extract import template_for

    documents = documents if documents is not None else load_documents(config)
    report = WriteReport()
    rendered = [_template_file(config, template_for(d, config.project_name), d.id) for d in documents]
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
    still comes from every document's catalogs.
    """
    from i18n_pipeline.gettext.extract import template_for
    from i18n_pipeline.gettext.merge import merge_catalog
    from i18n_pipeline.gettext.pofile import write_po
    from i18n_pipeline.translate.memory import TranslationMemory, final_pairs

    date = date or today()
    selected: set[str] | None = None
    if documents is None:
        documents = load_documents(config)
    elif not _is_whole_project(config, documents):
        selected = {d.id for d in documents}
        documents = load_documents(config)
    existing: dict[tuple[str, str], tuple[Path, Catalog | None]] = {}
    for document in documents:
        for locale in target_locales(config, document):
            path = config.po_path(locale, document.id)
            existing[document.id, locale] = (path, read_catalog(config, path))
    langs = {d.id: d.lang for d in documents}
    found = [(langs[doc_id], locale, final_pairs(catalog)) for (doc_id, locale), (_, catalog) in existing.items() if catalog is not None]
    memories: dict[tuple[str, str], TranslationMemory] = {}

    def memory_for(source_lang: str, target_lang: str) -> TranslationMemory:
        if (source_lang, target_lang) not in memories:
            memories[source_lang, target_lang] = TranslationMemory.from_pairs(found, source_lang, target_lang)
        return memories[source_lang, target_lang]

    templates: list[tuple[Path, str]] = []
    catalogs: list[tuple[Path, str, dict[str, int]]] = []
    for document in documents:
        if selected is not None and document.id not in selected:
            continue
        template = template_for(document, config.project_name)
        templates.append(_template_file(config, template, document.id))
        for locale in target_locales(config, document):
            path, old = existing[document.id, locale]
            needs_memory = config.memory_threshold <= 100 and _has_new_keys(template, old)
            catalog, stats = merge_catalog(
                template,
                old,
                locale=locale,
                plural_forms=partial(plural_forms, locale),
                language_name=partial(language_name, locale),
                memory=memory_for(document.lang, locale) if needs_memory else None,
                threshold=config.memory_threshold,
                today=date,
            )
            counts = {k: v for k, v in vars(stats).items() if isinstance(v, int)}
            catalogs.append((path, write_po(catalog, width=config.wrap_width), counts))
    report = UpdateReport()
    for path, text in templates:
        report.templates.add(config.relative(path), atomic_write(path, text))
    for path, text, counts in catalogs:
        shown = config.relative(path)
        report.add(shown, atomic_write(path, text))
        report.stats[shown] = counts
    return report


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
