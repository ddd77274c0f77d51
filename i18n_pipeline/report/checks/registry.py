"""The registry: every check is a small function registered under a name.

Three scopes: a *text* check looks at one source text and one translation
(``check(source, target, ctx)``), as translate-toolkit's ``filters`` do; an
*entry* check looks at the whole message (``check(message, ctx)``), for what
needs every plural form at once (format strings by msgfmt's rules); a
*catalog* check looks at the header once (``check(catalog, ctx)``). All return
short messages, empty when all is well. The default severity is part of the
registration; :mod:`.config` may change it, :mod:`.standard` decides what runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from i18n_pipeline.translate.glossary import Glossary

if TYPE_CHECKING:
    from i18n_pipeline.report.checks.plurals import PluralRule

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)
TEXT, ENTRY, CATALOG = "text", "entry", "catalog"


@dataclass(frozen=True)
class CheckContext:
    """What a check needs to know besides the texts."""

    #: Locale of the translation (e.g. ``es``).
    locale: str
    #: Locale of the source text (``en``, or ``es`` for a Spanish-authored document).
    source_locale: str = "en"
    glossary: Glossary = field(default_factory=Glossary)
    #: The entry's flags (``python-format``, ``no-check-urls``...), set per message.
    flags: frozenset[str] = frozenset()
    #: The catalog's Plural-Forms rule, when it has a valid one.
    plural: PluralRule | None = None

    @property
    def language(self) -> str:
        return re.split(r"[_-]", self.locale, maxsplit=1)[0].lower()

    @property
    def source_language(self) -> str:
        return re.split(r"[_-]", self.source_locale, maxsplit=1)[0].lower()


@dataclass(frozen=True)
class Check:
    name: str
    severity: str
    description: str
    function: Callable[..., list[str]]
    scope: str = TEXT


#: Every registered check by name, in registration order.
REGISTRY: dict[str, Check] = {}


def register(
    name: str, severity: str, description: str, scope: str = TEXT
) -> Callable[[Callable[..., list[str]]], Callable[..., list[str]]]:
    """Decorator: add the function to :data:`REGISTRY` under ``name``."""

    def decorate(function: Callable[..., list[str]]) -> Callable[..., list[str]]:
        REGISTRY[name] = Check(name, severity, description, function, scope)
        return function

    return decorate
