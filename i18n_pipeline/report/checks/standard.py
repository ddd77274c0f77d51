"""The standard set: which registered checks run, in what order, on a message or a catalog."""

from __future__ import annotations

from dataclasses import dataclass, replace

from i18n_pipeline.gettext.catalog import Catalog, Message
from i18n_pipeline.report.checks import library  # noqa: F401  (registers the checks)
from i18n_pipeline.report.checks.config import CheckConfig, silenced
from i18n_pipeline.report.checks.registry import CATALOG, ENTRY, REGISTRY, CheckContext

#: Every check that runs, in the order findings are listed.
STANDARD: tuple[str, ...] = (
    # What msgfmt -c refuses
    "plural-forms", "python-format", "python-brace-format", "c-format", "newline-edges", "plurals", "control-chars",
    # What readers would lose
    "urls", "emails", "numbers", "placeholders", "markdown", "do-not-translate", "spanish-marks", "draft-problem",
    # Worth a look, may be deliberate
    "spelled-numbers", "whitespace", "newlines", "punctuation", "double-space", "identical", "glossary",
)


@dataclass(frozen=True)
class Finding:
    """A problem in one message, before it is placed in a file."""

    check: str
    severity: str
    message: str


def _pairs(message: Message) -> list[tuple[str, str]]:
    """(source, translation) pairs: msgid with msgstr[0], msgid_plural with the other forms."""
    if message.msgstr_plural is None:
        return [(message.msgid, message.msgstr)]
    plural = message.msgid_plural or message.msgid
    return [(message.msgid if index == 0 else plural, text) for index, text in sorted(message.msgstr_plural.items()) if text]


def check_message(message: Message, ctx: CheckContext, config: CheckConfig = CheckConfig()) -> list[Finding]:
    """Every problem in one message; flags and the config silence checks.

    A plural entry gives one finding per check, whatever the number of forms
    it concerns.
    """
    off = config.disabled | silenced(message.flags)
    ctx = replace(ctx, flags=frozenset(message.flags))
    pairs = _pairs(message)
    findings = []
    for name in STANDARD:
        check = REGISTRY[name]
        if name in off or check.scope == CATALOG:
            continue
        if check.scope == ENTRY:
            texts = check.function(message, ctx)
        else:
            texts = [text for source, target in pairs for text in check.function(source, target, ctx)]
        if texts:
            findings.append(Finding(name, config.severity(name), "; ".join(dict.fromkeys(texts))))
    return findings


def check_header(catalog: Catalog, ctx: CheckContext, config: CheckConfig = CheckConfig()) -> list[Finding]:
    """Problems of the catalog as a whole (its Plural-Forms header)."""
    catalog_checks = [name for name in STANDARD if REGISTRY[name].scope == CATALOG and name not in config.disabled]
    return [Finding(name, config.severity(name), text) for name in catalog_checks for text in REGISTRY[name].function(catalog, ctx)]

