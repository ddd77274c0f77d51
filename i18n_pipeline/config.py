"""Project configuration: ``i18n-pipeline.yaml`` at the project root.

Found by walking up from the current directory (like git finds ``.git``) or
given with ``--project DIR``. Only ``source_locale`` and ``locales`` are
required; everything else has a default documented in the README. Sections
owned by later stages (``draft``, ``render``, ``check``, ...) are kept as plain
data in :attr:`Config.sections` and validated by their stage.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from i18n_pipeline.errors import PipelineError

CONFIG_NAME = "i18n-pipeline.yaml"
#: Every stage's cache (update, render, drafts, the kept config); ignored by git, always safe to delete.
CACHE_DIR = ".i18n-pipeline-cache"

_CORE_KEYS = (
    "project_name",
    "source_locale",
    "locales",
    "source_dir",
    "catalog_dir",
    "output_dir",
    "templates_dir",
    "wrap_width",
    "memory",
)
#: Sections read by later stages, each with the function (``module:name``, given the
#: Config) that validates it. :func:`load_config` runs them for every command, so a
#: bad section fails the same way everywhere; adding a section is one entry here.
SECTIONS: dict[str, str] = {
    "draft": "i18n_pipeline.translate.providers:validate_section",
    "render": "i18n_pipeline.publish.render:render_settings",
    "status": "i18n_pipeline.config:no_settings_yet",
    "check": "i18n_pipeline.report.checks:check_settings",
    "review": "i18n_pipeline.translate.drafts:_review_settings",
    "documents": "i18n_pipeline.publish.render:render_settings",
    "glossary": "i18n_pipeline.translate.glossary:glossary_settings",
}
_PAGE_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")

_LOCALE_RE = re.compile(r"^[A-Za-z]{2,3}([_-][A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class PageConfig:
    """One entry of ``pages:``: a published page made of documents, in order."""

    id: str
    documents: tuple[str, ...]
    #: Line of the entry in the config, for errors found later (an unknown document).
    line: int | None = None


@dataclass(frozen=True)
class Config:
    root: Path
    source_locale: str
    locales: tuple[str, ...]
    project_name: str = "i18n-pipeline"
    source_dir: str = "source"
    catalog_dir: str = "catalogs"
    output_dir: str = "out"
    templates_dir: str = "templates"
    wrap_width: int = 79
    #: Score (0-100) a translation-memory match needs to be offered as a fuzzy suggestion.
    memory_threshold: float = 90.0
    pages: tuple[PageConfig, ...] = ()
    sections: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    #: Line of each top-level key and section key (``"draft"``, ``"draft.provider"``), for errors found later.
    lines: dict[str, int | None] = field(default_factory=dict, compare=False, hash=False)
    #: ``(key, folder)`` for each output folder outside the project (allowed explicitly), to show at start.
    outside: tuple[tuple[str, Path], ...] = ()
    #: The config file's bytes when this was parsed from them (empty when it came from the cache): the cache's key.
    parsed_from: bytes = field(default=b"", compare=False, repr=False)

    # Cached: a no-op update builds thousands of paths from them.
    @cached_property
    def source_path(self) -> Path:
        return self.root / self.source_dir

    @cached_property
    def catalog_path(self) -> Path:
        return self.root / self.catalog_dir

    @property
    def output_path(self) -> Path:
        return self.root / self.output_dir

    def pot_path(self, doc_id: str) -> Path:
        return self.catalog_path.joinpath("templates", f"{doc_id}.pot")

    def po_path(self, locale: str, doc_id: str) -> Path:
        return self.catalog_path.joinpath(locale, "LC_MESSAGES", f"{doc_id}.po")

    def relative(self, path: Path) -> str:
        """``path`` as shown to users and written in references: relative to the root."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def section(self, name: str) -> dict[str, Any]:
        return dict(self.sections.get(name) or {})

    def line_of(self, key: str) -> int | None:
        """The config file's line for ``key`` (``"render"``, ``"documents.faq/x"``), when the file has it."""
        return self.lines.get(key)


class RelativePaths:
    """:meth:`Config.relative` for thousands of paths under a few folders, each folder resolved once.

    A folder below one of the ``anchors`` (the folders the paths were built
    from) that is not a symlink shows as its parent's path and its name; a
    symlinked file or folder, or anything outside the anchors, is resolved as
    :meth:`Config.relative` does. The result is the same; resolving every path
    component by component took most of a no-op update or render.
    """

    def __init__(self, config: Config, anchors: list[Path]) -> None:
        self.config = config
        self.anchors = [os.fspath(anchor) for anchor in anchors]
        self.folders: dict[str, str] = {}

    def __call__(self, path: Path | str) -> str:
        if os.path.islink(path):
            return self.config.relative(Path(path))
        folder, name = os.path.split(os.fspath(path))
        shown = self.folder(folder)
        return name if shown == "." else f"{shown}/{name}"

    def folder(self, folder: str) -> str:
        found = self.folders.get(folder)
        if found is None:
            parent, name = os.path.split(folder)
            if any(folder.startswith(anchor + os.sep) for anchor in self.anchors) and not os.path.islink(folder):
                shown = self.folder(parent)
                found = name if shown == "." else f"{shown}/{name}"
            else:
                found = self.config.relative(Path(folder))
            self.folders[folder] = found
        return found


def source_files(config: Config) -> list[Path]:
    """Every ``.yaml``/``.yml`` file under the source folder (symlinked folders not entered), in a stable order."""
    folder = config.source_path
    if not folder.is_dir():
        raise PipelineError(f"source folder {config.source_dir}/ does not exist", config.root)
    # A symlink must not make the tool read (and quote in errors) a file from elsewhere.
    inside = os.path.realpath(folder) + os.sep if Path(config.source_dir).is_absolute() else f"{config.root}{os.sep}"
    found: list[tuple[str, Path]] = []
    folders = [(os.fspath(folder), os.path.realpath(folder))]
    while folders:
        parent, real = folders.pop()
        try:
            entries = list(os.scandir(parent))
        except PermissionError:
            continue
        for entry in entries:
            if entry.is_dir() and not entry.is_symlink():
                folders.append((entry.path, os.path.join(real, entry.name)))
            elif os.path.splitext(entry.name)[1] in (".yaml", ".yml") and entry.is_file():
                # A file that is no symlink resolves to its folder's real path plus its name: no stat per level.
                if not (os.path.realpath(entry.path) if entry.is_symlink() else os.path.join(real, entry.name)).startswith(inside):
                    where = Path(entry.path)
                    raise PipelineError("this source resolves to a file outside the project (a symlink?); refused, copy the file into the project",
                                        where.relative_to(config.root).as_posix() if config.root in where.parents else where)
                found.append((entry.path[len(str(folder)) + 1 :].replace(os.sep, "/"), Path(entry.path)))
    return [path for _, path in sorted(found)]


def check_configured_documents(config: Config, ids: list[str]) -> None:
    """``documents:`` and ``pages:`` in the config may only name documents that exist (a typo would be ignored)."""
    known = set(ids)
    problems = [(f"page '{spec.id}' lists document '{doc_id}', which does not exist", doc_id, spec.line)
                for spec in config.pages for doc_id in spec.documents if doc_id not in known]
    problems += [(f"'documents' names '{doc_id}', which is no document of the project", doc_id, config.line_of(f"documents.{doc_id}"))
                 for doc_id in sorted(set(config.section("documents")) - known)]
    if problems:
        from i18n_pipeline.sources.yamlio import suggest  # only now: ruamel.yaml takes long to import

        message, doc_id, line = problems[0]
        raise PipelineError(message + suggest(doc_id, ids), config_path(config), line)


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding ``i18n-pipeline.yaml``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise PipelineError(
        f"no {CONFIG_NAME} found in {start} or any parent folder "
        "(run 'i18n-pipeline init' to create a project, or pass --project DIR)"
    )


def normalize_locale(code: object) -> str:
    """``pt-BR`` -> ``pt_BR`` (gettext's spelling); raises ValueError if malformed."""
    if not isinstance(code, str) or not _LOCALE_RE.match(code):
        raise ValueError(f"malformed locale code {code!r}")
    parts = re.split(r"[_-]", code)
    head = parts[0].lower()
    rest = [p.upper() if len(p) == 2 else (p.title() if len(p) == 4 else p) for p in parts[1:]]
    return "_".join([head, *rest])


def same_locale(a: str, b: str) -> bool:
    """``es-MX`` and ``es_mx`` are one locale; codes that are not locale codes compare as written."""
    def comparable(code: str) -> str:
        try:
            return normalize_locale(code)
        except ValueError:
            return code

    return comparable(a) == comparable(b)


def validate_locale(code: object, where: str, line: int | None = None) -> str:
    """Normalize ``code`` and check Babel knows it; errors name the config file.

    A three-letter code that has a two-letter one (``eng``, ``spa``) is
    refused: Babel accepts it, but catalogs, ``Language`` headers and every
    PO editor use ``en``/``es``, so ``eng`` would start a second, empty tree.
    """
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    try:
        normalized = normalize_locale(code)
        Locale.parse(normalized)
    except (ValueError, TypeError, UnknownLocaleError):
        raise PipelineError(f"unknown locale code {code!r} (use a code Babel knows, e.g. 'en', 'es', 'pt_BR')", where, line) from None
    language, _, rest = normalized.partition("_")
    short = get_global("language_aliases").get(language)
    if len(language) == 3 and isinstance(short, str) and len(short) == 2:
        better = f"{short}_{rest}" if rest else short
        raise PipelineError(f"locale code {code!r}: did you mean '{better}'? (gettext and PO editors use the two-letter code)", where, line)
    return normalized


def wanted_locale(config: Config, code: str | None, option: str = "--locale") -> str | None:
    """The one ``--locale`` filter of every command: normalized, and one of the project's.

    ``ES`` and ``es-MX`` are spelled as the catalogs are (``es``, ``es_MX``);
    a locale the project does not have is an error (exit 2) naming the close
    one, never an empty run that exits 0.
    """
    if code is None:
        return None
    normalized = validate_locale(code, option)
    if normalized not in config.locales:
        language = normalized.partition("_")[0]
        close = [loc for loc in config.locales if loc.partition("_")[0] == language]
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise PipelineError(f"{option} {code}: not one of the project's locales ({', '.join(config.locales)}){hint}")
    return normalized


def locale_warnings(config: Config) -> list[str]:
    """Configured locales with no catalogs while a close one has some (``es_MX`` beside ``es``).

    Such a config is valid, but ``update`` would start an empty tree and
    leave the existing work aside: almost always a typo worth a warning.
    """
    if not config.catalog_path.is_dir():
        return []
    present = {p.name for p in config.catalog_path.iterdir() if (p / "LC_MESSAGES").is_dir()}
    warnings = []
    for locale in config.locales:
        if locale in present:
            continue
        language = locale.partition("_")[0]
        close = sorted(p for p in present - set(config.locales) if p.partition("_")[0] == language)
        if close:
            warnings.append(
                f"locale '{locale}' has no catalogs yet, but {config.catalog_dir}/{close[0]}/ has: "
                f"did you mean '{close[0]}'? (update would start an empty {locale} tree and leave the {close[0]} work aside)"
            )
    return warnings


def load_config(root: Path, *, allow_outside: bool = False) -> Config:
    """Read and validate ``root/i18n-pipeline.yaml``.

    ``catalog_dir``/``output_dir`` outside the project are written to only when
    the config gives them as absolute paths or ``allow_outside`` is set
    (``--allow-outside``): a ``../`` or a symlinked folder must not send the
    tool's writes elsewhere unnoticed.
    """
    path = root / CONFIG_NAME
    shown = str(path)
    if not path.is_file():
        raise PipelineError(f"missing config file {CONFIG_NAME} (run 'i18n-pipeline init')", shown)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PipelineError(f"cannot read file: {exc.strerror}", shown) from exc
    cached = _cached_config(root, data, allow_outside)
    if cached is not None:
        return cached
    from i18n_pipeline.sources import yamlio

    node = yamlio.compose(yamlio.decode(data, shown), shown)
    if node is None or yamlio.is_null(node):
        raise PipelineError("config is empty; it needs at least source_locale and locales", shown)
    entries = yamlio.mapping_items(node, shown, "the config", (*_CORE_KEYS, *SECTIONS, "pages"))
    yamlio.refuse_duplicate_keys(node, shown, "the config")

    def line(key: str) -> int | None:
        return yamlio.line_of(entries[key][1]) if key in entries else None

    values = {key: yamlio.plain(value) for key, (_, value) in entries.items()}
    for key in ("source_locale", "locales"):
        if key not in values:
            raise PipelineError(f"missing required key '{key}'", shown, 1)
    source_locale = validate_locale(values["source_locale"], shown, line("source_locale"))
    raw_locales = values["locales"]
    if not isinstance(raw_locales, list) or not raw_locales:
        raise PipelineError("'locales' must be a non-empty list of locale codes", shown, line("locales"))
    locales: list[str] = []
    for code in raw_locales:
        normalized = validate_locale(code, shown, line("locales"))
        if normalized in locales:
            raise PipelineError(f"locale '{normalized}' is listed twice", shown, line("locales"))
        locales.append(normalized)
    if source_locale not in locales:
        locales.insert(0, source_locale)

    kwargs: dict[str, Any] = {}
    for key in ("project_name", "source_dir", "catalog_dir", "output_dir", "templates_dir"):
        if key in values:
            if not isinstance(values[key], str) or not values[key].strip():
                raise PipelineError(f"'{key}' must be a non-empty text value", shown, line(key))
            kwargs[key] = values[key]
    if "wrap_width" in values:
        width = values["wrap_width"]
        if not isinstance(width, int) or isinstance(width, bool) or not (width == -1 or width >= 20):
            raise PipelineError("'wrap_width' must be an integer >= 20 (or -1 for no wrapping)", shown, line("wrap_width"))
        kwargs["wrap_width"] = width
    if "memory" in values:
        memory = values["memory"]
        if not isinstance(memory, dict) or set(memory) - {"threshold"}:
            raise PipelineError("'memory' must be a mapping with only 'threshold' (0-100)", shown, line("memory"))
        threshold = memory.get("threshold", 90)
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 100:
            raise PipelineError("'memory.threshold' must be a number from 0 to 100", shown, line("memory"))
        kwargs["memory_threshold"] = float(threshold)
    kwargs["outside"] = tuple(_outside_folders(root, kwargs, allow_outside, shown, line))
    sections: dict[str, Any] = {}
    lines = {key: line(key) for key in entries}
    for key in SECTIONS:
        if key in values:
            if values[key] is not None and not isinstance(values[key], dict):
                raise PipelineError(f"'{key}' must be a mapping", shown, line(key))
            sections[key] = values[key] or {}
            lines.update((f"{key}.{yamlio.plain(name)}", yamlio.line_of(name)) for name, _ in (entries[key][1].value if values[key] else ()))
    if "pages" in entries:
        kwargs["pages"] = _pages(entries["pages"][1], shown)
    config = Config(
        root=root.resolve(),
        source_locale=source_locale,
        locales=tuple(locales),
        sections=sections,
        lines=lines,
        parsed_from=data,
        **kwargs,
    )
    validate_sections(config)
    return config


#: The validated config, as JSON, keyed by the file's bytes and the tool (``manifest.tool_key``):
#: reading it spares every command ruamel.yaml and Babel, which take longer to import than a no-op update runs.
_CACHE_FILE = "config.json"
_STORED = [name for name in Config.__dataclass_fields__ if name not in ("root", "outside", "parsed_from")]


def _cached_config(root: Path, data: bytes, allow_outside: bool) -> Config | None:
    """The config as last validated from these very bytes, or None; only the output folders are checked again."""
    import json

    from i18n_pipeline.manifest import digest, tool_key

    try:
        stored = json.loads((root / CACHE_DIR / _CACHE_FILE).read_bytes())
        if stored.pop("key") != digest(tool_key().encode() + b"\0" + data):
            return None
        pages = tuple(PageConfig(page, tuple(documents), line) for page, documents, line in stored["pages"])
        config = Config(root=root.resolve(), **dict(stored, locales=tuple(stored["locales"]), pages=pages))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    # Where the folders resolve depends on the disk (a symlink), not only on the file.
    outside = _outside_folders(root, stored, allow_outside, str(root / CONFIG_NAME), config.lines.get)
    return dataclasses.replace(config, outside=tuple(outside))


def save_config_cache(config: Config) -> None:
    """Keep a parsed ``config`` for the next command (its values are plain YAML data: JSON holds them).

    Called by update when it has run through (a failed run changes no file, the cache included).
    """
    import json

    from i18n_pipeline.manifest import digest, tool_key, write_cache_file

    if not config.parsed_from:
        return
    stored = {name: getattr(config, name) for name in _STORED}
    stored["pages"] = [[page.id, page.documents, page.line] for page in config.pages]
    key = digest(tool_key().encode() + b"\0" + config.parsed_from)
    with contextlib.suppress(OSError):  # a cache: the next command parses the file again
        write_cache_file(config.root / CACHE_DIR / _CACHE_FILE, json.dumps({"key": key, **stored}, ensure_ascii=False))


def _outside_folders(root: Path, values: dict[str, Any], allow: bool, shown: str, line: Any) -> list[tuple[str, Path]]:
    """The output folders that resolve outside the project; an error unless explicitly allowed."""
    project = root.resolve()
    found: list[tuple[str, Path]] = []
    for key in ("catalog_dir", "output_dir"):
        value = values.get(key, getattr(Config, key))
        folder = (root / value).resolve()
        if folder == project or project in folder.parents:
            continue
        if not (Path(value).is_absolute() or allow):
            raise PipelineError(
                f"'{key}' ({value}) resolves to {folder}, outside the project; write it as an absolute path "
                "in the config or pass --allow-outside to write there",
                shown,
                line(key) or 1,
            )
        found.append((key, folder))
    return found


def validate_sections(config: Config) -> None:
    """Run the validator of every section the file has (each function once)."""
    from importlib import import_module

    done: set[str] = set()
    for name, target in SECTIONS.items():
        if name in config.sections and target not in done:
            done.add(target)
            module, function = target.split(":")
            getattr(import_module(module), function)(config)


def no_settings_yet(config: Config) -> None:
    """For the ``status`` section: it has no settings, so any key is a typo."""
    section = config.section("status")
    if section:
        raise PipelineError(
            f"unknown key 'status.{sorted(section)[0]}' (the status section has no settings; use the command's options)",
            config_path(config),
            config.line_of("status"),
        )


def _pages(node: Any, shown: str) -> tuple[PageConfig, ...]:
    """``pages: {<id>: {documents: [<doc-id>, ...]}}``, every key checked."""
    from i18n_pipeline.sources import yamlio

    if yamlio.is_null(node):
        return ()
    pages: list[PageConfig] = []
    for page_id, (key_node, value_node) in yamlio.mapping_items(node, shown, "'pages'").items():
        where = yamlio.line_of(key_node)
        if not _PAGE_ID_RE.match(page_id) or ".." in page_id.split("/"):
            raise PipelineError(f"invalid page id '{page_id}' (letters, digits, '.', '_', '-', '/')", shown, where)
        entries = yamlio.mapping_items(value_node, shown, f"'pages.{page_id}'", ("documents",))
        if "documents" not in entries:
            raise PipelineError(f"'pages.{page_id}' needs 'documents' (a list of document ids)", shown, where)
        list_node = entries["documents"][1]
        documents = yamlio.plain(list_node)
        if not isinstance(documents, list) or not documents or not all(isinstance(d, str) and d.strip() for d in documents):
            raise PipelineError(f"'pages.{page_id}.documents' must be a non-empty list of document ids", shown, yamlio.line_of(list_node))
        ids = tuple(d.strip() for d in documents)
        twice = [d for d in ids if ids.count(d) > 1]
        if twice:
            raise PipelineError(f"'pages.{page_id}.documents' lists '{twice[0]}' twice", shown, yamlio.line_of(list_node))
        pages.append(PageConfig(page_id, ids, where))
    return tuple(pages)


def config_path(config: Config) -> str:
    return str(config.root / CONFIG_NAME)
