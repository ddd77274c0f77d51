"""``init``: a new project in any folder without a config, so any organization can start from it.

The folder may already be a repository (a README, code, a .gitignore): files
already there are never overwritten, and ``.gitignore`` only gets the lines
it lacks. The config explains itself, because people who install with pip
never see the README.
"""

from __future__ import annotations

from pathlib import Path

from i18n_pipeline.config import CACHE_DIR, CONFIG_NAME, Config, validate_locale
from i18n_pipeline.errors import PipelineError
from i18n_pipeline.fileio import atomic_write

CONFIG_TEMPLATE = """\
# i18n-pipeline project configuration. Every key but source_locale and locales
# is optional; the commented lines show the defaults. `i18n-pipeline --help`
# lists the commands; `i18n-pipeline COMMAND --help` explains each one.

# The name written to the catalogs' Project-Id-Version.
project_name: {name}
# The language documents are written in (a document may set `lang:` to differ).
source_locale: {source}
# Every language of the project; each document gets a catalog for each of the others.
locales: [{locales}]

# source_dir: source          # YAML documents, one per file (see source/faq/example.yaml)
# catalog_dir: catalogs       # POT templates and PO catalogs: translators edit these in Poedit, Lokalize, Weblate
# output_dir: {output:<16}# rendered pages, status page, MO files (git-ignored: rebuilt by `i18n-pipeline build`)
# wrap_width: 79              # PO line width, as msgmerge writes it (-1: no wrapping)
# memory:                     # the translation memory `update` draws suggestions from
#   threshold: 90             # translation-memory suggestions on update: minimum match score (0-100)

glossary:                     # terms machine drafts and `check` must respect; per language: glossary/<locale>.yaml
  do_not_translate: []        # names and acronyms kept as written in every language, e.g. [ASL, Zoom]

# Machine drafts (`i18n-pipeline draft`) are always fuzzy and need a person's review before
# anything is published. Without a provider here, `build` stays offline.
# draft:                      # where `i18n-pipeline draft` gets drafts from
#   provider: openai-compatible  # memory | libre | google | mymemory | deepl | microsoft | openai-compatible
#   url: http://localhost:11434/v1
#   model: llama3.1
#   api_key_env: MY_API_KEY      # the NAME of an environment variable; keys never go in files

# render:                     # how `render` and `build` publish pages
#   policy: 80                # publish a language when 80% is reviewed (or: strict, fallback)
"""

EXAMPLE_FAQ = """\
# An example FAQ. One file per document; its id is its path under source/
# without the extension (here: faq/example). Run `i18n-pipeline build` to see
# its catalogs under catalogs/ and its pages under the output folder.
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

EXAMPLE_ANNOUNCEMENT = """\
# An example announcement with a recurring event. Dates and time zones are
# data: each language's page formats them itself ({schedule} below).
kind: announcement
title: A monthly learning space
body: |
  Join us to learn together.

  This space meets {schedule}.
event:
  start: 2030-01-08T16:00          # local time in `timezone`
  timezone: America/New_York
  recurrence: monthly              # once | weekly | monthly (weekday taken from start)
  display_timezones: [America/New_York, America/Los_Angeles]
links:
  - id: register
    label: Register for the next session
    url: https://example.org/register   # only http(s) and mailto links are accepted
"""


GLOSSARY = """\
# How recurring terms are said in {language}: `i18n-pipeline check` warns when a
# translation of a text with the term lacks the preferred one, and language-model
# drafts are given the terms of each text. Source term: preferred translation.
terms: {{}}
#   learning space: {example}

# Names kept as written in {language} only (the config's glossary.do_not_translate
# covers every language): machine drafts never translate them.
do_not_translate: []
"""


def glossary_text(locale: str) -> str:
    """A commented, empty glossary for ``locale``: where its translators write their terms."""
    from i18n_pipeline.project import language_name

    example = "espacio de aprendizaje" if locale.split("_")[0] == "es" else "(its preferred translation)"
    return GLOSSARY.format(language=language_name(locale), example=example)


def init_project(folder: Path, *, name: str, source_locale: str, locales: list[str]) -> list[tuple[Path, str]]:
    """Create config, folders, examples and .gitignore; never overwrite a file. Returns (path, what was done)."""
    config_file = folder / CONFIG_NAME
    if config_file.exists():
        raise PipelineError("already exists: this folder is already a project (nothing changed)", config_file)
    if folder.exists() and not folder.is_dir():
        raise PipelineError("not a folder", folder)
    source = validate_locale(source_locale, "--source-locale")
    targets = [validate_locale(code, "--locale") for code in locales]
    all_locales = list(dict.fromkeys([source, *targets]))
    output = Config.output_dir
    files = {
        config_file: CONFIG_TEMPLATE.format(name=name, source=source, locales=", ".join(all_locales), output=output),
        folder / "source" / "faq" / "example.yaml": EXAMPLE_FAQ,
        folder / "source" / "announcements" / "example.yaml": EXAMPLE_ANNOUNCEMENT,
        folder / "catalogs" / "templates" / ".gitkeep": "",
        **{folder / "glossary" / f"{code}.yaml": glossary_text(code) for code in all_locales if code != source},
    }
    done: list[tuple[Path, str]] = []
    for path, text in files.items():
        if path.exists():
            done.append((path, "kept existing"))
        else:
            atomic_write(path, text)
            done.append((path, "created"))
    ignore = folder / ".gitignore"
    existing = ignore.read_text(encoding="utf-8") if ignore.exists() else ""
    present = {line.strip() for line in existing.splitlines()}
    # Kept out of git: rendered output, the lock, the caches, temp files of interrupted writes.
    ignored = [f"/{output.strip('/')}/", ".i18n-pipeline.lock", f"{CACHE_DIR}/", ".i18n-tmp-*.tmp"]
    missing = [line for line in ignored if line not in present and line.lstrip("/") not in present]
    if missing:
        joined = existing + ("\n" if existing and not existing.endswith("\n") else "")
        header = "# i18n-pipeline\n" if existing else ""
        atomic_write(ignore, joined + header + "\n".join(missing) + "\n")
        done.append((ignore, "updated" if existing else "created"))
    return done
