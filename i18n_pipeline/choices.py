"""The fixed choice lists of the pipeline, in one place.

The command line offers exactly these (``click.Choice`` over the same
tuples) and the stages validate the config against them, so a provider,
layout or format added here is known everywhere at once. Plain tuples, no
imports: the CLI reads this module while building ``--help``, which must
stay fast.
"""

from __future__ import annotations

#: Draft providers: the offline translation memory, then the machine services.
MEMORY = "memory"
OPENAI_COMPATIBLE = "openai-compatible"
MACHINE_PROVIDERS = ("libre", "google", "mymemory", "deepl", "microsoft", OPENAI_COMPATIBLE)
PROVIDERS = (MEMORY, *MACHINE_PROVIDERS)

#: Page layouts, and those that show two languages.
LAYOUTS = ("single", "sequential", "interleaved", "side-by-side")
BILINGUAL = ("sequential", "interleaved", "side-by-side")
#: Render modes: reviewed text only, or drafts shown in place and flagged.
MODES = ("final", "preview")
#: Page formats written by ``render``.
PAGE_FORMATS = ("html", "md", "txt")

#: How ``status`` groups its rows.
GROUPINGS = ("locale", "document", "item")
#: ``--format`` of every reporting command: ``table`` (for people) first, the default.
REPORT_FORMATS = ("table", "json")
#: ``status`` and ``check`` render their one result in more ways.
STATUS_FORMATS = ("table", "json", "csv", "markdown", "html")
CHECK_FORMATS = ("table", "json", "csv", "markdown")
