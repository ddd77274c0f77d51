"""Commands of the status stage (registered on the main group)."""

from __future__ import annotations

from .base import main  # noqa: F401
