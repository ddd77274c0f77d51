"""Compile: PO catalogs -> binary MO files for apps that use gettext at run time.

Only messages whose state (:attr:`catalog.Message.state`) is ``translated``
go in: fuzzy entries and drafts awaiting review are left out, as msgfmt
does, so nothing unreviewed reaches a running app.
"""

from __future__ import annotations

import io

from i18n_pipeline.gettext.catalog import Catalog, MessageState
from i18n_pipeline.config import Config
from i18n_pipeline.fileio import atomic_write
from i18n_pipeline.project import WriteReport, load_documents, read_catalog, target_locales


def mo_bytes(catalog: Catalog) -> bytes:
    """The MO image of ``catalog`` (final translations only), written by Babel."""
    from babel.messages.catalog import Catalog as BabelCatalog
    from babel.messages.mofile import write_mo

    babel = BabelCatalog(locale=catalog.locale, fuzzy=False)
    header_lines = [f"{k}: {v}" for k, v in catalog.header.items()]
    babel.mime_headers = [tuple(line.split(": ", 1)) for line in header_lines if ": " in line]  # type: ignore[misc]
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


def compile_project(config: Config, *, locale: str | None = None, document: str | None = None) -> WriteReport:
    """Write ``<output>/locale/<locale>/LC_MESSAGES/<doc-id>.mo`` for every catalog."""
    report = WriteReport()
    jobs = []
    for doc in load_documents(config, document):
        for loc in target_locales(config, doc):
            if locale is not None and loc != locale:
                continue
            catalog = read_catalog(config, config.po_path(loc, doc.id))
            if catalog is None:
                report.notes.append(f"no catalog for {doc.id} in '{loc}' yet (run update)")
                continue
            jobs.append((config.output_path / "locale" / loc / "LC_MESSAGES" / f"{doc.id}.mo", mo_bytes(catalog)))
    for path, data in jobs:
        report.add(config.relative(path), atomic_write(path, data))
    return report
