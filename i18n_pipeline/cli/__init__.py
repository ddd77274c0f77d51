"""The command line. ``base`` holds the group; each module adds one stage's commands."""

from __future__ import annotations

from i18n_pipeline.cli.base import main, run

from . import catalogs, drafts, render, status  # noqa: F401  (registers the commands)

__all__ = ["main", "run"]
