"""Writing files without ever leaving a half-written one behind.

Every file the tool writes goes through :func:`atomic_write`: a temp file in
the same folder, flushed and fsynced, then renamed over the target. A crash
leaves either the old file or the new one, never a mix. Unchanged content is
not rewritten at all, so a no-op run leaves mtimes (and git) untouched.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

#: Temp files are ``.i18n-tmp-XXXXXXXX.tmp``: short, so any name that fits the file
#: system has a temp name that fits too, and recognizably ours (see :func:`remove_stale_temp_files`).
TEMP_PREFIX = ".i18n-tmp-"
TEMP_SUFFIX = ".tmp"
#: What earlier versions wrote: ``.<target name>.<8 random characters>.tmp``.
_LEGACY_TEMP_RE = re.compile(r"^\.(.+)\.[A-Za-z0-9_]{8}\.tmp$")


def atomic_write(path: Path, data: str | bytes) -> bool:
    """Write ``data`` to ``path`` atomically; return False when it was already identical.

    One file, so no whole-disk ``sync``: its temp file and then its folder are fsynced (:class:`Staging`).
    """
    return write_all([(Path(path), data)], sync=False)[0][0]


class Staging:
    """Files written to temp files beside their targets as they are made, renamed over them at the end.

    A render then holds one page at a time, not every page of the run (420 MB
    at 400 documents), and still changes nothing a publisher sees until
    :meth:`commit`: one ``sync`` puts every temp file on disk, they are renamed
    over their targets, and a second ``sync`` makes the renames durable (two
    waits for the disk, not two per file as :func:`atomic_write`). A
    crash leaves each file old or new, never half-written; a failure before the
    renames (:meth:`discard`) removes the temp files and the folders made for them.
    """

    def __init__(self, sync: bool = True) -> None:
        self.pending: list[tuple[str, Path]] = []
        self.renamed = 0
        #: Folders this run made (a folder before the ones it holds, for each process that made them).
        self.folders: list[Path] = []
        # None (no sync, or Windows): each temp file is fsynced, and after the renames their folders.
        self.sync = getattr(os, "sync", None) if sync else None

    def adopt(self, pending: list[tuple[str, Path]], folders: list[Path]) -> None:
        """Temp files and folders another process staged for this run: renamed or discarded with ours."""
        self.pending += pending
        self.folders += folders

    def stage(self, path: Path, data: str | bytes) -> tuple[bool, str]:
        """``data`` for ``path`` into a temp file unless ``path`` holds it already: (changed, content hash)."""
        from i18n_pipeline.manifest import digest

        payload = data.encode("utf-8") if isinstance(data, str) else data
        hashed = digest(payload)
        try:
            if path.read_bytes() == payload:
                return False, hashed
        except FileNotFoundError:
            pass
        self._make_folder(path.parent)
        import tempfile

        fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=path.parent)
        self.pending.append((temp, path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            if self.sync is None:
                handle.flush()
                os.fsync(handle.fileno())
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            mode = 0o644
        os.chmod(temp, mode)
        return True, hashed

    def _make_folder(self, folder: Path) -> None:
        missing: list[Path] = []
        while not os.path.lexists(folder):
            missing.append(folder)
            folder = folder.parent
        for made in reversed(missing):
            try:
                made.mkdir()
            except FileExistsError:
                continue  # made meanwhile by another process of the same run, which answers for it
            self.folders.append(made)

    def commit(self) -> None:
        if self.pending:
            if self.sync is not None:
                self.sync()
            for temp, path in self.pending:
                os.replace(temp, path)
                self.renamed += 1
            if self.sync is not None:
                self.sync()
            for folder in {path.parent for _, path in self.pending} if self.sync is None else ():
                try:
                    handle = os.open(folder, os.O_RDONLY)
                except OSError:
                    continue  # a folder cannot be opened on Windows
                try:
                    os.fsync(handle)
                except OSError:
                    pass
                finally:
                    os.close(handle)
        self.folders = []

    def discard(self) -> None:
        """Undo what :meth:`commit` did not make final: temp files, then the folders made for them."""
        for temp, _ in self.pending[self.renamed:]:
            try:
                os.unlink(temp)
            except FileNotFoundError:
                pass
        del self.pending[self.renamed:]
        for folder in sorted(self.folders, key=lambda folder: len(folder.parts), reverse=True):  # innermost first
            try:
                folder.rmdir()
            except OSError:
                pass
        self.folders = []


def write_all(files: Iterable[tuple[Path, str | bytes]], sync: bool = True) -> list[tuple[bool, str]]:
    """Write ``files`` atomically with one flush to disk for all (see :class:`Staging`): each one's (changed, content hash)."""
    staging = Staging(sync)
    try:
        changed = [staging.stage(path, data) for path, data in files]
        staging.commit()
    finally:
        staging.discard()
    return changed


def check_writable(paths: Iterable[Path], root: Path | None = None) -> None:
    """Pre-flight before the first write: every file of the run can be written.

    A run must not stop half-way (one catalog rewritten, the next refused), so
    each name is checked against the file system's limits, the place of each
    file against what already exists there (a file where a folder is needed,
    or a folder where the file goes), and the nearest existing folder for
    write access (a read-only folder or file system). Raises the first
    problem as a :class:`PipelineError` naming the file.
    """
    from i18n_pipeline.errors import PipelineError

    def shown(path: Path) -> str:
        if root is not None:
            try:
                return Path(path).relative_to(root).as_posix()
            except ValueError:
                pass
        return str(path)

    folders: dict[Path, tuple[Path, int, int]] = {}
    for path in paths:
        path = Path(path)
        parent = path.parent
        if parent not in folders:
            existing = parent
            while not os.path.lexists(existing) and existing != existing.parent:
                existing = existing.parent
            if not existing.is_dir():
                raise PipelineError(f"cannot write here: {shown(existing)} is a file, but a folder is needed at its place", shown(path))
            if not os.access(existing, os.W_OK | os.X_OK):
                raise PipelineError(f"cannot write: the folder {shown(existing)} is read-only (nothing was written)", shown(path))
            folders[parent] = (existing, _limit(existing, "PC_NAME_MAX", 255), _limit(existing, "PC_PATH_MAX", 4096))
        existing, name_max, path_max = folders[parent]
        for part in (*path.relative_to(existing).parts, TEMP_PREFIX + "XXXXXXXX" + TEMP_SUFFIX):
            size = len(os.fsencode(part))
            if size > name_max:
                raise PipelineError(f"cannot write: the name '{part[:40]}...' is {size} bytes; the file system allows {name_max} (use a shorter document id)", shown(path))
        if len(os.fsencode(str(path.absolute()))) >= path_max:
            raise PipelineError(f"cannot write: the path is longer than the file system allows ({path_max} bytes)", shown(path))
        if path.is_dir():
            raise PipelineError("cannot write: a folder stands where this file goes", shown(path))


def _limit(folder: Path, name: str, default: int) -> int:
    try:
        return os.pathconf(folder, name)
    except (OSError, ValueError):
        return default


def remove_stale_temp_files(folders: Iterable[Path]) -> list[Path]:
    """Remove temp files a killed run of ours left behind (call with the project lock held).

    Only our own names are touched: ``.i18n-tmp-*.tmp``, and the older
    ``.<name>.XXXXXXXX.tmp`` when ``<name>`` exists beside it.
    """
    removed: list[Path] = []
    for folder in folders:
        for directory, _, names in os.walk(folder):
            for name in names:
                if not name.endswith(TEMP_SUFFIX):
                    continue
                legacy = _LEGACY_TEMP_RE.match(name)
                if name.startswith(TEMP_PREFIX) or (legacy is not None and os.path.isfile(os.path.join(directory, legacy.group(1)))):
                    try:
                        os.unlink(os.path.join(directory, name))
                    except FileNotFoundError:
                        continue
                    removed.append(Path(directory, name))
    return removed


LOCK_NAME = ".i18n-pipeline.lock"


class ProjectLock:
    """An exclusive lock per project so two runs never interleave their writes.

    Uses ``flock`` on a lock file at the project root: the kernel releases it
    when the process dies, so a killed run never leaves a stale lock behind.
    """

    def __init__(self, root: Path, timeout: float = 10.0, *, clean: Iterable[Path] = ()) -> None:
        self.path = Path(root) / LOCK_NAME
        self.timeout = timeout
        #: Folders whose stale temp files are removed once the lock is held.
        self.clean = tuple(clean)
        self._handle: int | None = None

    def __enter__(self) -> ProjectLock:
        import fcntl
        import time

        from i18n_pipeline.errors import PipelineError

        handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(handle)
                    raise PipelineError(
                        f"another i18n-pipeline run holds the project lock; waited {self.timeout:g} s "
                        "(try again when it has finished)",
                        self.path,
                    ) from None
                time.sleep(0.05)
        self._handle = handle
        remove_stale_temp_files(self.clean)
        return self

    def __exit__(self, *exc: object) -> None:
        import fcntl

        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            os.close(self._handle)
            self._handle = None
