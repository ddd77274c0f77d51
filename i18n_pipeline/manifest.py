"""What the last ``update`` read and wrote, so the next one skips what nothing changed.

``.i18n-pipeline-cache/update/manifest.json`` records, per source document,
the content hash of its source and of the template and catalogs ``update``
wrote for it; ``memory/<name>.json`` holds the final translations of each
catalog as written, for the translation memory. A document whose files all
still hash the same needs no reading and no merging: merging an unchanged
template into the catalog it produced gives that catalog again.

It is only a cache. Every entry is checked against the files (by hash, or by
size, modification time and inode when those are older than the manifest
itself, as git's index does), and a missing, corrupt or stale manifest, or one
written under another configuration or tool version, means a full run, never
an error. Cache files are written after the catalogs, atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from i18n_pipeline.config import CACHE_DIR, CONFIG_NAME, Config
from i18n_pipeline.fileio import atomic_write

_FORMAT = 1
#: Libraries whose versions change what update writes (wrapping, plural forms, YAML reading, scores).
_LIBRARIES = ("babel", "ruamel.yaml", "ruamel.yaml.clib", "unicode-segmentation-rs", "rapidfuzz")
#: A file modified this close to the manifest's writing could keep its recorded modification time.
_RACY_NS = 2_000_000_000


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def fingerprint(config: Config) -> str:
    """Everything besides the documents that decides what update writes.

    The config file (locales, wrap_width, memory threshold, project name...),
    the glossary files, and the tool itself (:func:`tool_key`).
    """
    parts: list[bytes] = [str(_FORMAT).encode(), tool_key().encode(), (config.root / CONFIG_NAME).read_bytes()]
    glossary = config.root / str(config.section("glossary").get("dir", "glossary"))
    if glossary.is_dir():
        for path in sorted(glossary.rglob("*")):
            if path.is_file():
                parts += [path.relative_to(glossary).as_posix().encode(), path.read_bytes()]
    return digest(b"\0".join(parts))


def tool_key() -> str:
    """The tool's version and code, and the libraries it reads and writes with: a cache made by another is stale."""
    import i18n_pipeline

    return _tool_key(i18n_pipeline.__version__)


@cache
def _tool_key(version: str) -> str:
    import i18n_pipeline

    parts: list[bytes] = [version.encode(), *installed_versions(_LIBRARIES)]
    package = os.path.dirname(i18n_pipeline.__file__)
    for folder, subfolders, names in os.walk(package):
        subfolders.sort()
        for name in sorted(names):
            if name.endswith(".py"):
                with open(os.path.join(folder, name), "rb") as handle:
                    parts += [os.path.relpath(os.path.join(folder, name), package).encode(), handle.read()]
    return digest(b"\0".join(parts))


@dataclass(frozen=True)
class Stamp:
    """A file as last seen: content hash, and the stat fields that tell a change without reading it."""

    hash: str
    size: int
    mtime_ns: int
    inode: int


@dataclass
class DocumentEntry:
    """One source document: its id and language, and every file update keeps for it (relative paths)."""

    id: str
    lang: str
    #: Source, template and catalogs, by path relative to the project root.
    files: dict[str, Stamp] = field(default_factory=dict)


@dataclass
class Manifest:
    config: Config
    key: str
    written_at_ns: int = 0
    #: By source path relative to the project root.
    documents: dict[str, DocumentEntry] = field(default_factory=dict)
    #: Some file had to be read to be trusted: saving again (with a later time) spares the next run that.
    reread: bool = False

    @classmethod
    def load(cls, config: Config) -> Manifest:
        """The manifest of the last run, or an empty one (a full run) if it cannot be trusted."""
        key = fingerprint(config)
        manifest = cls(config, key)
        try:
            data = json.loads((stage_folder(config, "update") / "manifest.json").read_bytes())
            if data["format"] != _FORMAT or data["key"] != key:
                return manifest
            manifest.written_at_ns = int(data["written_at_ns"])
            for source, entry in data["documents"].items():
                files = {str(path): Stamp(str(s[0]), int(s[1]), int(s[2]), int(s[3])) for path, s in entry["files"].items()}
                manifest.documents[str(source)] = DocumentEntry(str(entry["id"]), str(entry["lang"]), files)
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return cls(config, key)
        return manifest

    def unchanged(self, source: str, paths: list[str]) -> DocumentEntry | None:
        """The entry of ``source`` if it lists exactly ``paths`` and none of them changed since."""
        entry = self.documents.get(source)
        if entry is None or set(entry.files) != {source, *paths}:
            return None
        for path, stamp in entry.files.items():
            current = current_stamp(os.path.join(self.config.root, path), stamp, self.written_at_ns)
            # Read to be trusted (or changed): saving with a later time spares the next run that.
            self.reread = self.reread or current is not stamp
            if current is None:
                return None
            entry.files[path] = current
        return entry

    def save(self) -> None:
        data = {
            "format": _FORMAT,
            "key": self.key,
            "written_at_ns": self.written_at_ns,
            "documents": {
                source: {
                    "id": entry.id,
                    "lang": entry.lang,
                    "files": {path: [s.hash, s.size, s.mtime_ns, s.inode] for path, s in entry.files.items()},
                }
                for source, entry in self.documents.items()
            },
        }
        atomic_write(stage_folder(self.config, "update") / "manifest.json", json.dumps(data, ensure_ascii=False, separators=(",", ":")))


class MemoryCache:
    """Each catalog's final translations as written by update, checked against the catalog's hash."""

    def __init__(self, config: Config) -> None:
        self.config = config

    def _path(self, catalog: str) -> Path:
        return stage_folder(self.config, "update") / "memory" / f"{digest(catalog.encode())}.json"

    def get(self, catalog: str, expected_hash: str) -> list[tuple[str, str]] | None:
        try:
            data = json.loads(self._path(catalog).read_bytes())
            if data["catalog"] != catalog or data["hash"] != expected_hash:
                return None
            return [(str(source), str(translation)) for source, translation in data["pairs"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, catalog: str, file_hash: str, pairs: list[tuple[str, str]]) -> None:
        """Replace the entry (renamed into place, not synced: a crash costs the next run a read, no data)."""
        write_cache_file(self._path(catalog), json.dumps({"catalog": catalog, "hash": file_hash, "pairs": pairs}, ensure_ascii=False, separators=(",", ":")))


# --- shared with other stages' caches (render) ---------------------------------


def write_cache_file(path: Path, text: str) -> None:
    """Renamed into place, not synced: a crash costs the next run a read or a parse, never data."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.stem}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def stage_folder(config: Config, stage: str) -> Path:
    """``.i18n-pipeline-cache/<stage>/``: each stage keeps its cache in a folder of its own."""
    return config.root / CACHE_DIR / stage


def stamp_file(path: Path, data: bytes, info: os.stat_result) -> Stamp:
    """The stamp of a file whose content ``data`` was read (or written) after ``info`` was taken."""
    return Stamp(digest(data), info.st_size, info.st_mtime_ns, info.st_ino)


def current_stamp(path: Path | str, stamp: Stamp, written_at_ns: int) -> Stamp | None:
    """``stamp`` brought up to date if ``path`` still has the recorded content, else None.

    As :meth:`Manifest.unchanged` judges a file: size, modification time and
    inode when they predate the cache's writing by more than the racy window,
    else the content's hash. ``written_at_ns`` is when the recording cache was saved.
    Returns ``stamp`` itself only when the stat alone vouched for the file.
    """
    try:
        info = os.stat(path)
    except OSError:
        return None
    if info.st_size != stamp.size:
        return None
    if (info.st_mtime_ns, info.st_ino) == (stamp.mtime_ns, stamp.inode) and stamp.mtime_ns < written_at_ns - _RACY_NS:
        return stamp
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if digest(data) != stamp.hash:
        return None
    return Stamp(stamp.hash, info.st_size, info.st_mtime_ns, info.st_ino)


def installed_versions(names: tuple[str, ...]) -> list[bytes]:
    """The installed distributions of ``names`` (``jinja2-3.1.4.dist-info``...), by their metadata folders' names.

    (``importlib.metadata`` would take longer to import than a no-op update takes.)
    """
    wanted = tuple(name.replace("-", "_").replace(".", "_").lower() + "-" for name in names)
    found: list[bytes] = []
    for folder in sys.path:
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in entries:
            normal = entry.lower().replace(".", "_", entry.count(".") - 1) if entry.endswith((".dist-info", ".egg-info")) else ""
            if normal.startswith(wanted):
                found.append(entry.encode())
    return sorted(found)
