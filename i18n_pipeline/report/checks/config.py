"""Configuration of the checks: what a project turns off or down, and what one entry silences.

A translator silences a check for one entry with a PO flag, as Weblate's
``ignore-*`` flags do: ``#, no-check-urls`` (``ignore-urls`` works too), or
``no-check-all``. The flags survive every PO editor and ``msgfmt -c``. A
project sets ``check: {disable: [names], severity: {name: error|warning}}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from i18n_pipeline.report.checks.registry import REGISTRY, SEVERITIES

if TYPE_CHECKING:
    from i18n_pipeline.config import Config


@dataclass(frozen=True)
class CheckConfig:
    #: Checks that do not run.
    disabled: frozenset[str] = frozenset()
    #: Severity per check name, over the registered default.
    severities: dict[str, str] = field(default_factory=dict)

    def severity(self, name: str) -> str:
        return self.severities.get(name, REGISTRY[name].severity)


def silenced(flags: list[str] | frozenset[str]) -> frozenset[str]:
    """Checks turned off by the entry's flags (``no-check-NAME``, ``ignore-NAME``, ``no-check-all``)."""
    names = frozenset(flag[len(prefix) :] for flag in flags for prefix in ("no-check-", "ignore-") if flag.startswith(prefix))
    return frozenset(REGISTRY) if "all" in names else names


def check_settings(config: Config) -> CheckConfig:
    """The ``check`` config section: ``disable: [names]`` and ``severity: {name: error|warning}``."""
    from i18n_pipeline.config import config_path
    from i18n_pipeline.errors import PipelineError

    section = config.section("check")
    shown = config_path(config)
    line = config.line_of("check")
    unknown = set(section) - {"disable", "severity"}
    if unknown:
        raise PipelineError(f"unknown key '{sorted(unknown)[0]}' in 'check' (expected disable, severity)", shown, line)
    disable = section.get("disable") or []
    if not isinstance(disable, list) or not all(isinstance(n, str) for n in disable):
        raise PipelineError("'check.disable' must be a list of check names", shown, line)
    severity = section.get("severity") or {}
    if not isinstance(severity, dict):
        raise PipelineError("'check.severity' must map check names to error or warning", shown, line)
    for name in [*disable, *severity]:
        if name not in REGISTRY:
            raise PipelineError(f"unknown check '{name}' in 'check' (known: {', '.join(REGISTRY)})", shown, line)
    for name, value in severity.items():
        if value not in SEVERITIES:
            raise PipelineError(f"severity of check '{name}' must be error or warning, not {value!r}", shown, line)
    return CheckConfig(frozenset(disable), dict(severity))
