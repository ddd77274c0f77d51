"""The tool's own interface text on rendered pages, translated with gettext.

Fixed labels ("Preview — needs review", "Shown in English: ...", the weekday
phrases of a schedule) are not document text, so they live in the package's
own catalog ``i18n_pipeline/locale/<lang>/LC_MESSAGES/i18n_pipeline.po``.
The PO file is the only source: it is compiled in memory with Babel on first
use (no ``.mo`` to keep in sync) and looked up through the standard
:class:`gettext.GNUTranslations`, so fuzzy entries are never used, exactly as
``msgfmt`` would leave them out. English is the msgid language.
"""

from __future__ import annotations

import gettext as _gettext
from functools import cache
from io import BytesIO
from pathlib import Path

DOMAIN = "i18n_pipeline"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
#: msgctxt of the labels that may stand in for identical document text.
STANDARD_LABEL = "standard label"


def catalog_path(locale: str) -> Path | None:
    """The UI catalog for ``locale``, falling back from ``es_MX`` to ``es`` (looked up once per run)."""
    return _catalog_path(locale, LOCALE_DIR)


@cache
def _catalog_path(locale: str, folder: Path) -> Path | None:
    for candidate in (locale, locale.split("_")[0]):
        path = folder / candidate / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return path
    return None


@cache
def translations(locale: str) -> _gettext.NullTranslations:
    """gettext translations for ``locale``; English (or an unknown language) gets the msgids."""
    path = catalog_path(locale)
    if path is None:
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale.split("_")[0])
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def gettext(locale: str, message: str) -> str:
    return translations(locale).gettext(message)


def pgettext(locale: str, context: str, message: str) -> str:
    return translations(locale).pgettext(context, message)


def standard_label(locale: str, text: str) -> str | None:
    """The reviewed UI translation of a fixed label such as "FAQ", or None.

    Only entries under the ``standard label`` context qualify, and only when
    they are really translated (an untranslated entry returns the msgid).
    """
    if catalog_path(locale) is None:
        return None
    translated = pgettext(locale, STANDARD_LABEL, text)
    return translated if translated != text else None


@cache
def language_name(language: str, in_locale: str) -> str:
    """``en`` as named in ``es``: "inglés" (Babel's CLDR data, looked up once per run)."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(in_locale).languages.get(language.split("_")[0])
    except (ValueError, UnknownLocaleError):
        name = None
    return name or language


@cache
def autonym(language: str) -> str:
    """A language's own name, capitalized for a column heading: "Español"."""
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(language).get_display_name(language) or language
    except (ValueError, UnknownLocaleError):
        return language
    return name[:1].upper() + name[1:]
