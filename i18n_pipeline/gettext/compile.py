"""Compile: PO catalogs -> binary MO files for apps that use gettext at run time.

Only messages whose state (:attr:`catalog.Message.state`) is ``translated``
go in: fuzzy entries and drafts awaiting review are left out, as msgfmt
does, so nothing unreviewed reaches a running app.
"""

from __future__ import annotations

import io
from pathlib import Path

from i18n_pipeline.config import Config, wanted_locale
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.fileio import atomic_write, check_writable
from i18n_pipeline.gettext.catalog import Catalog, MessageState
from i18n_pipeline.project import WriteReport, document_locales, load_documents, read_catalog_to_write


def mo_bytes(catalog: Catalog) -> bytes:
    """The MO image of ``catalog`` (final translations only), written by Babel."""
    from babel.messages.catalog import Catalog as BabelCatalog
    from babel.messages.mofile import write_mo

    babel = BabelCatalog(locale=catalog.locale, fuzzy=False)
    header_lines = [f"{k}: {v}" for k, v in catalog.header.items()]
    babel.mime_headers = [(name, value) for name, _, value in (line.partition(": ") for line in header_lines if ": " in line)]
    for message in catalog.active:
        if message.is_header or message.state is not MessageState.TRANSLATED:
            continue
        if message.msgid_plural is not None:
            babel.add((message.msgid, message.msgid_plural), tuple(message.translations), context=message.msgctxt)
        else:
            babel.add(message.msgid, message.msgstr, context=message.msgctxt)
    buffer = io.BytesIO()
    write_mo(buffer, babel, use_fuzzy=False)
    return buffer.getvalue()


def _check_language(catalog: Catalog, path: Path, shown: str) -> None:
    """Babel builds the MO header from ``Language``; a value it cannot parse is the file's error."""
    from babel import Locale, UnknownLocaleError

    if catalog.locale is None:
        return
    try:
        Locale.parse(catalog.locale)
    except (ValueError, TypeError, UnknownLocaleError):
        lines = path.read_bytes().split(b"\n")
        line = next((n for n, value in enumerate(lines, 1) if b'"Language:' in value), None)
        raise PipelineError(
            f"the Language header {catalog.locale!r} is not a locale code (e.g. 'es', 'pt_BR'); run update to reset it",
            shown,
            line,
        ) from None


def compile_project(config: Config, *, locale: str | None = None, document: str | None = None) -> WriteReport:
    """Write ``<output>/locale/<locale>/LC_MESSAGES/<doc-id>.mo`` for every catalog."""
    locale = wanted_locale(config, locale)
    report = WriteReport()
    jobs = []
    for doc, loc in document_locales(config, load_documents(config, document), locale):
        catalog = read_catalog_to_write(config, config.po_path(loc, doc.id))
        if catalog is None:
            report.notes.append(f"no catalog for {doc.id} in '{loc}' yet (run update)")
            continue
        _check_language(catalog, config.po_path(loc, doc.id), config.relative(config.po_path(loc, doc.id)))
        jobs.append((config.output_path / "locale" / loc / "LC_MESSAGES" / f"{doc.id}.mo", mo_bytes(catalog)))
    check_writable([path for path, _ in jobs], config.root)
    for path, data in jobs:
        report.add(config.relative(path), atomic_write(path, data))
    return report
