"""The one error type the user sees.

Raised deep where the problem is found, printed once by the CLI as
``error: file:line: message`` with exit code 2 (usage/input errors), never as a
traceback. Plain Python: the core never imports click; the CLI turns this
into its own exception at the edge (``cli/base.py``).
"""

from __future__ import annotations

from pathlib import Path

#: Exit codes documented in ``i18n-pipeline --help`` (0: ok).
EXIT_FAILED_CHECK = 1
EXIT_INPUT_ERROR = 2


class PipelineError(Exception):
    """Bad input or environment: one clear line naming the file (and line)."""

    exit_code = EXIT_INPUT_ERROR

    def __init__(
        self,
        message: str,
        path: str | Path | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        self.column = column
        self.reason = message
        super().__init__(message)

    def format_message(self) -> str:
        where = ""
        if self.path:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        # One line whatever the input held: a multi-line value quoted in the message stays readable.
        return (where + self.reason).replace("\r", "\\r").replace("\n", "\\n")
