"""What the last whole-project ``render`` built, so the next one rebuilds only what changed.

``.i18n-pipeline-cache/render/<options>.json`` (one file per set of render
options: mode, layouts, formats, locale, output folder) records, per source
document, the stamps of what its pages are made of (its source and its
catalogs), the stamps of every file it wrote, the paths it withheld, and the
part of the report it produced (language versions, notes); per page of
``pages:``, the same for its files, keyed by every one of its documents'
inputs. Everything else a page depends on is in the cache's key: the config
file and glossary, the tool's code, templates and interface catalog, the
project's template overrides, the libraries that write the pages, the
options. Nothing rendered depends on the date (an event's dates come from
its source), so the date is not part of it.

A document whose inputs are unchanged and whose files are all still on disk
as written is not read or rendered: its files are reported unchanged and its
report part is replayed. Its withheld paths are still removed when they
exist, exactly as a full render removes them. A translation that went fuzzy
changes its catalog's hash, so the document is rendered again and a version
that is withheld now loses its files. Like the update cache it is only a
cache: files are checked by size, time and inode (or hash, when too recent to
trust), and a missing, corrupt or foreign cache means a full render, never an
error.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from i18n_pipeline.config import Config
from i18n_pipeline.fileio import atomic_write
from i18n_pipeline.manifest import Stamp, current_stamp, digest, fingerprint, installed_versions, stage_folder

_FORMAT = 2
#: Libraries that write pages and calendars (besides those :func:`manifest.fingerprint` names).
_LIBRARIES = ("jinja2", "markupsafe", "icalendar")


@dataclass
class Unit:
    """One document (or one page of ``pages:``) as the last render left it."""

    #: What its pages are made of: path -> stamp, or None for a catalog that did not exist.
    inputs: dict[str, Stamp | None] = field(default_factory=dict)
    #: Files written, in the order a full render reports them; calendars apart (they come last).
    outputs: dict[str, Stamp] = field(default_factory=dict)
    calendars: dict[str, Stamp] = field(default_factory=dict)
    #: Paths of withheld versions (removed whenever they exist).
    stale: list[str] = field(default_factory=list)
    stale_calendars: list[str] = field(default_factory=list)
    #: The report's part: language versions (as :meth:`render.VersionReport.as_dict` gives them) and notes.
    versions: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: Document units: the id and language the source had.
    id: str = ""
    lang: str = ""


@dataclass
class RenderCache:
    key: str
    path: Path
    written_at_ns: int = 0
    #: ``doc:<source path>`` and ``page:<id>``.
    units: dict[str, Unit] = field(default_factory=dict)
    #: Some file had to be read to be trusted: saving again (with a later time) spares the next run that.
    reread: bool = False

    @classmethod
    def load(cls, config: Config, options: dict[str, Any], *, read: bool = True) -> RenderCache:
        """The cache of the last render with these ``options``, or an empty one if it cannot be trusted."""
        key = render_key(config, options)
        name = digest(json.dumps(options, sort_keys=True).encode())
        cache = cls(key, stage_folder(config, "render") / f"{name}.json")
        if not read:
            return cache
        try:
            data = json.loads(cache.path.read_bytes())
            if data["format"] != _FORMAT or data["key"] != key:
                return cache
            cache.written_at_ns = int(data["written_at_ns"])
            cache.units = {str(name): _unit(value) for name, value in data["units"].items()}
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return cls(key, cache.path)
        return cache

    def reusable(self, name: str, inputs: dict[str, Stamp | None] | None = None) -> Unit | None:
        """The unit ``name`` if its inputs (``inputs``, or its recorded ones re-checked) and files are as recorded."""
        unit = self.units.get(name)
        if unit is None:
            return None
        if inputs is not None:
            if inputs != unit.inputs:
                return None
        else:
            for path, stamp in unit.inputs.items():
                if stamp is None:
                    if os.path.exists(path):
                        return None
                    continue
                current = current_stamp(path, stamp, self.written_at_ns)
                if current is None:
                    return None
                self.reread = self.reread or current is not stamp
                unit.inputs[path] = current
        for files in (unit.outputs, unit.calendars):
            for path, stamp in files.items():
                current = current_stamp(path, stamp, self.written_at_ns)
                if current is None:
                    return None
                self.reread = self.reread or current is not stamp
                files[path] = current
        return unit

    def save(self, units: dict[str, Unit], written_at_ns: int) -> None:
        """Record ``units``; a cache that cannot be written only costs the next run its shortcut.

        When every unit was reused as recorded, trusted without reading a file, the cache is exact already.
        """
        if not self.reread and units.keys() == self.units.keys() and all(units[name] is self.units[name] for name in units):
            return
        data = {"format": _FORMAT, "key": self.key, "written_at_ns": written_at_ns,
                "units": {name: _unit_data(unit) for name, unit in units.items()}}
        try:
            atomic_write(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        except OSError:
            pass


def render_key(config: Config, options: dict[str, Any]) -> str:
    """Everything but the documents' own files that decides what render writes."""
    import i18n_pipeline

    package = Path(i18n_pipeline.__file__).parent
    parts: list[bytes] = [str(_FORMAT).encode(), fingerprint(config).encode(), json.dumps(options, sort_keys=True).encode(),
                          *installed_versions(_LIBRARIES)]
    folders = [(package / "publish" / "templates", "templates"), (package / "locale", "locale"),
               (config.root / config.templates_dir, "project templates")]
    for folder, label in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    parts += [label.encode(), path.relative_to(folder).as_posix().encode(), path.read_bytes()]
    return digest(b"\0".join(parts))


def read_inputs(paths: Iterable[Path]) -> dict[str, Stamp | None]:
    """Stamps of files about to be read (stat first, then content), None for a missing one."""
    from i18n_pipeline.manifest import stamp_file

    stamps: dict[str, Stamp | None] = {}
    for path in paths:
        try:
            info = path.stat()
            stamps[str(path)] = stamp_file(path, path.read_bytes(), info)
        except FileNotFoundError:
            stamps[str(path)] = None
    return stamps


def stamp_written(path: str, hashed: str) -> Stamp | None:
    """The stamp of a file render just wrote (or found identical), whose content hashes to ``hashed``: None if it is gone."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return Stamp(hashed, info.st_size, info.st_mtime_ns, info.st_ino)


#: Unit fields holding stamps (kept as ``[hash, size, mtime_ns, inode]`` lists), and the others (kept as they are).
_STAMPED = ("inputs", "outputs", "calendars")
_PLAIN = ("stale", "stale_calendars", "versions", "notes", "id", "lang")


def _unit(data: dict[str, Any]) -> Unit:
    stamped: dict[str, Any] = {
        name: {str(path): None if v is None else Stamp(str(v[0]), int(v[1]), int(v[2]), int(v[3])) for path, v in data[name].items()}
        for name in _STAMPED
    }
    return Unit(**stamped, **{name: data[name] for name in _PLAIN})


def _unit_data(unit: Unit) -> dict[str, Any]:
    data = {name: getattr(unit, name) for name in _PLAIN}
    for name in _STAMPED:
        data[name] = {path: None if s is None else [s.hash, s.size, s.mtime_ns, s.inode] for path, s in getattr(unit, name).items()}
    return data
