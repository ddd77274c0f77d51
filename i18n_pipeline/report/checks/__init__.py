"""Quality checks on translations, in three parts as translate-toolkit's ``filters`` has them.

- :mod:`.registry` — every check is a small function registered by name
  (:mod:`.library` holds them; :mod:`.formats` and :mod:`.plurals` are
  msgfmt's rules for format strings and ``Plural-Forms``);
- :mod:`.config` — what a project disables or re-grades, what an entry's
  ``no-check-NAME`` flag silences;
- :mod:`.standard` — the standard set: what runs on a message or a catalog.

Running them over a project or any PO files and printing the result is
:mod:`.run`'s job.
"""

from __future__ import annotations

from i18n_pipeline.choices import CHECK_FORMATS as FORMATS
from i18n_pipeline.report.checks.config import CheckConfig, check_settings, silenced
from i18n_pipeline.report.checks.library import check_spanish_marks
from i18n_pipeline.report.checks.registry import ERROR, REGISTRY, WARNING, CheckContext
from i18n_pipeline.report.checks.run import CheckReport, Problem, check_catalog, check_po_files, check_project, render
from i18n_pipeline.report.checks.standard import STANDARD, check_message

__all__ = [
    "ERROR", "FORMATS", "REGISTRY", "STANDARD", "WARNING", "CheckConfig", "CheckContext", "CheckReport", "Problem",
    "check_catalog", "check_message", "check_po_files", "check_project", "check_settings", "check_spanish_marks",
    "render", "silenced",
]
