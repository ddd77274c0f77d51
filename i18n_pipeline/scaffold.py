"""``init``: a new project in an empty folder, so any organization can start from it."""

from __future__ import annotations

from pathlib import Path

from i18n_pipeline.config import CONFIG_NAME, validate_locale
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.fileio import atomic_write

CONFIG_TEMPLATE = """\
# i18n-pipeline project configuration (see the README for every key).
project_name: {name}
source_locale: {source}
locales: [{locales}]
# source_dir: source        # YAML documents
# catalog_dir: catalogs     # POT templates and PO catalogs
# output_dir: build         # rendered pages, status page, MO files
# memory:
#   threshold: 90           # translation-memory suggestions on update (0-100)
glossary:
  do_not_translate: []      # names and acronyms kept as written in every language
"""

EXAMPLE_FAQ = """\
# An example FAQ. One file per document; its id is its path under source/
# without the extension (here: faq/example).
kind: faq
title: Frequently asked questions
items:
  - id: who-is-this-for        # stable id: reordering items never changes catalog keys
    question: Who is this space for?
    answer: |
      A first paragraph. Each paragraph is one message for translators.

      A second paragraph.
    note: Shown to translators as a comment.
notes:
  - id: no-recording
    text: We do not record these sessions.
"""


def init_project(folder: Path, *, name: str, source_locale: str, locales: list[str]) -> list[Path]:
    """Create config, folders and one example document; refuse to overwrite anything."""
    shown = str(folder / CONFIG_NAME)
    source = validate_locale(source_locale, "--source-locale")
    targets = [validate_locale(code, "--locale") for code in locales]
    all_locales = list(dict.fromkeys([source, *targets]))
    if (folder / CONFIG_NAME).exists():
        raise PipelineError(f"{CONFIG_NAME} already exists; this folder is already a project", shown)
    if folder.exists() and any(p for p in folder.iterdir() if not p.name.startswith(".")):
        raise PipelineError("folder is not empty; run init in an empty folder", folder)
    files = {
        folder / CONFIG_NAME: CONFIG_TEMPLATE.format(name=name, source=source, locales=", ".join(all_locales)),
        folder / "source" / "faq" / "example.yaml": EXAMPLE_FAQ,
        folder / "catalogs" / "templates" / ".gitkeep": "",
        folder / ".gitignore": "build/\n.i18n-pipeline.lock\n.i18n-pipeline-cache/\n.i18n-tmp-*.tmp\n",
    }
    for path, text in files.items():
        atomic_write(path, text)
    return list(files)
