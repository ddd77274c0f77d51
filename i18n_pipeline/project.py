"""The project on disk: where each file lives, and the read -> compute -> write steps.

Every stage function here reads everything first (so any bad input stops the
run before a single file changes), calls the pure logic, then writes with
atomic writes. Unchanged files are not touched.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from pathlib import Path

from .catalog import Catalog
from .config import Config
from .errors import PipelineError
from .fileio import atomic_write
from .model import Document


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


def plural_forms(locale: str) -> str:
    """The Plural-Forms header Babel knows for ``locale``."""
    from babel.messages.plurals import get_plural

    plural = get_plural(locale)
    return plural.plural_forms


def language_name(locale: str) -> str:
    from babel import Locale

    return Locale.parse(locale).get_display_name("en") or locale


def load_documents(config: Config, document: str | None = None) -> list[Document]:
    from .sources import load_documents as _load

    documents = _load(config)
    if document is not None:
        chosen = [d for d in documents if d.id == document]
        if not chosen:
            from .yamlio import suggest

            raise PipelineError(f"no document with id '{document}'{suggest(document, [d.id for d in documents])}")
        return chosen
    return documents


def target_locales(config: Config, document: Document) -> list[str]:
    """Every configured locale except the one the document is written in."""
    return [locale for locale in config.locales if locale != document.lang]


def read_catalog(config: Config, path: Path) -> Catalog | None:
    from .pofile import read_po

    if not path.exists():
        return None
    return read_po(path)


def write_catalog(config: Config, path: Path, catalog: Catalog) -> bool:
    from .pofile import write_po

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
    from .extract import template_for

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


def update(
    config: Config,
    documents: list[Document] | None = None,
    *,
    date: str | None = None,
    all_documents: list[Document] | None = None,
) -> UpdateReport:
    """Extract and create or update every PO catalog (msgmerge semantics).

    Templates and catalogs are written together after every PO file has been
    read, so a broken catalog stops the run before anything changes.

    ``all_documents`` (every document of the project, for translation memory)
    can be passed when the caller has loaded them already.
    """
    from .extract import template_for
    from .memory import TranslationMemory
    from .merge import merge_catalog
    from .pofile import write_po

    if all_documents is None:
        all_documents = documents if documents is not None and _is_whole_project(config, documents) else load_documents(config)
    documents = documents if documents is not None else all_documents
    existing = project_catalogs(config, all_documents)
    langs = {d.id: d.lang for d in all_documents}
    date = date or today()
    memories: dict[tuple[str, str], TranslationMemory] = {}

    def memory_for(source_lang: str, target_lang: str) -> TranslationMemory:
        pair = (source_lang, target_lang)
        if pair not in memories:
            memories[pair] = TranslationMemory.from_catalogs(
                ((catalog, langs[doc_id], locale) for (locale, doc_id), (_, catalog) in existing.items()),
                source_lang,
                target_lang,
            )
        return memories[pair]

    report = UpdateReport()
    outputs: list[tuple[Path, str, dict[str, int]]] = []
    templates: list[tuple[Path, str]] = []
    for document in documents:
        template = template_for(document, config.project_name)
        templates.append(_template_file(config, template, document.id))
        for locale in target_locales(config, document):
            path = config.po_path(locale, document.id)
            old = existing.get((locale, document.id), (path, None))[1]
            needs_memory = config.memory_threshold <= 100 and _has_new_keys(template, old)
            catalog, stats = merge_catalog(
                template,
                old,
                locale=locale,
                plural_forms=plural_forms(locale),
                language_name=language_name(locale),
                memory=memory_for(document.lang, locale) if needs_memory else None,
                threshold=config.memory_threshold,
                today=date,
            )
            counts = {k: v for k, v in vars(stats).items() if isinstance(v, int)}
            outputs.append((path, write_po(catalog, width=config.wrap_width), counts))
    # Everything was read and computed above: only now does any file change.
    for path, text in templates:
        report.templates.add(config.relative(path), atomic_write(path, text))
    for path, text, counts in outputs:
        shown = config.relative(path)
        changed = atomic_write(path, text)
        report.add(shown, changed)
        report.stats[shown] = counts
    return report


def _template_file(config: Config, template: Catalog, doc_id: str) -> tuple[Path, str]:
    """Where a document's POT goes and its text: shared by extract and update."""
    from .pofile import write_po

    return config.pot_path(doc_id), write_po(template, width=config.wrap_width)


def _is_whole_project(config: Config, documents: list[Document]) -> bool:
    from .sources import source_files

    return len(documents) == len(source_files(config))


def _has_new_keys(template: Catalog, existing: Catalog | None) -> bool:
    if existing is None:
        return True
    known = {m.key for m in existing.messages}
    return any(m.key not in known for m in template.messages)
