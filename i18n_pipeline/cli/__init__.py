"""The command line. ``base`` holds the group; each module adds one stage's commands."""

from __future__ import annotations

from . import catalogs, drafts, render, status  # noqa: F401  (registers the commands)
from i18n_pipeline.cli.base import main, run

__all__ = ["main", "run"]
