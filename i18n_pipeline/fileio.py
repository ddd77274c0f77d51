"""Writing files without ever leaving a half-written one behind.

Every file the tool writes goes through :func:`atomic_write`: a temp file in
the same folder, flushed and fsynced, then renamed over the target. A crash
leaves either the old file or the new one, never a mix. Unchanged content is
not rewritten at all, so a no-op run leaves mtimes (and git) untouched.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write(path: Path, data: str | bytes, *, encoding: str = "utf-8") -> bool:
    """Write ``data`` to ``path`` atomically; return False when it was already identical."""
    payload = data.encode(encoding) if isinstance(data, str) else data
    path = Path(path)
    try:
        if path.read_bytes() == payload:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return True
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
    return True


LOCK_NAME = ".i18n-pipeline.lock"


class ProjectLock:
    """An exclusive lock per project so two runs never interleave their writes.

    Uses ``flock`` on a lock file at the project root: the kernel releases it
    when the process dies, so a killed run never leaves a stale lock behind.
    """

    def __init__(self, root: Path, timeout: float = 10.0) -> None:
        self.path = Path(root) / LOCK_NAME
        self.timeout = timeout
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
        return self

    def __exit__(self, *exc: object) -> None:
        import fcntl

        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            os.close(self._handle)
            self._handle = None
