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
