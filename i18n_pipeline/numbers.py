"""How numbers are shown to people, the same way in every command and page."""

from __future__ import annotations


def truncated(value: float, digits: int = 1) -> float:
    """A percentage cut (not rounded) to ``digits`` decimals, for JSON reports: 99.96 is 99.9, not 100.0."""
    if value >= 100:
        return 100.0
    scale: int = 10**digits
    return int(max(value, 0.0) * scale + 1e-9) / scale


def format_percent(value: float) -> str:
    """One decimal, truncated rather than rounded: ``93.75`` is ``93.7%`` everywhere.

    Truncating never shows a catalog as done (``100%``) or past a
    ``--fail-under`` line before it is: 99.96 shows as ``99.9%``. Exactly 100
    is ``100%``.
    """
    if value >= 100:
        return "100%"
    return f"{truncated(value):.1f}%"
