"""CSV that is safe to open in a spreadsheet, for every reporting command's ``--format csv``.

Source texts, keys and translations come from people outside the tool's
control; a cell such as ``=HYPERLINK(...)`` would run in Excel, LibreOffice or
Google Sheets. ``status`` and ``check`` both write through :class:`SafeCsv`.
"""

from __future__ import annotations

from typing import Any

#: A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def defused(row: list[object]) -> list[object]:
    """The row with formula injection defused as OWASP recommends: such text cells get a leading
    ``'`` (shown as text, never evaluated); numbers are left alone."""
    return [f"'{cell}" if isinstance(cell, str) and cell.startswith(_FORMULA_STARTS) else cell for cell in row]


class SafeCsv:
    """csv rows ending in ``\n``, defused; a row with a CR in a cell is quoted whole (Python < 3.12 leaves a lone CR bare)."""

    def __init__(self, out: Any) -> None:
        import csv

        self._plain = csv.writer(out, lineterminator="\n")
        self._quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, row: list[object]) -> None:
        bare_cr = any(isinstance(cell, str) and "\r" in cell for cell in row)
        (self._quoted if bare_cr else self._plain).writerow(defused(row))
