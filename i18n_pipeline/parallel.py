"""Two-phase work split over forked processes, for large projects on several cores.

``update`` spends its time per document (parse, merge, wrap), but one step in
the middle needs everybody's results: translation memory is built from every
catalog of the project. So each shard runs the first phase, the parent
combines what all shards found, and each shard runs the second phase on the
state it kept. Forking leaves each shard's state in the process that built it:
only the small exchange and the finished texts cross a pipe.

Nothing here writes files. Whenever anything is unusual (an error in any
shard, a child that died, no ``fork`` on this system) :func:`run_sharded`
returns None and the caller does the work in one process, which then reports
errors exactly as a serial run would.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Generic, TypeVar

from .errors import PipelineError

ShardT = TypeVar("ShardT")
FoundT = TypeVar("FoundT")
StateT = TypeVar("StateT")
SharedT = TypeVar("SharedT")
ResultT = TypeVar("ResultT")

#: Environment variable: how many processes a large update may use (1 turns sharding off).
JOBS_VARIABLE = "I18N_PIPELINE_JOBS"



def requested_jobs() -> int | None:
    """The job count set in the environment, or None for automatic."""
    value = os.environ.get(JOBS_VARIABLE, "").strip()
    if not value or value == "auto":
        return None
    if not value.isdigit() or int(value) < 1:
        raise PipelineError(f"{JOBS_VARIABLE} must be a whole number of processes (1 or more) or 'auto', not {value!r}")
    return int(value)


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "win32"


@dataclass
class _Child(Generic[ShardT]):
    pid: int
    to_child: BinaryIO
    from_child: BinaryIO


def run_sharded(
    shards: Sequence[ShardT],
    first: Callable[[ShardT], tuple[FoundT, StateT]],
    combine: Callable[[list[FoundT]], SharedT | None],
    second: Callable[[StateT, SharedT], ResultT],
) -> list[ResultT] | None:
    """``second(state, combine(all found))`` for every shard, in shard order; None to fall back.

    ``first(shard)`` returns what the other shards need (``found``, pickled)
    and what only this shard needs later (``state``, kept in its process).
    ``combine`` may return None to give up (the caller then runs serially).
    The first shard runs in this process, every other one in a forked child.
    """
    if len(shards) < 2 or not can_fork():
        return None
    sys.stdout.flush()
    sys.stderr.flush()
    children: list[_Child[ShardT]] = []
    try:
        for shard in shards[1:]:
            children.append(_fork(shard, first, second, children))
        try:
            found, state = first(shards[0])
        except Exception:
            return None
        everyone = [found]
        for child in children:
            ok, reply = _receive(child)
            if not ok:
                return None
            everyone.append(reply)
        try:
            shared = combine(everyone)
        except Exception:
            return None
        if shared is None:
            return None
        payload = pickle.dumps(shared, protocol=pickle.HIGHEST_PROTOCOL)
        for child in children:
            child.to_child.write(payload)
            child.to_child.flush()
        try:
            results = [second(state, shared)]
        except Exception:
            return None
        for child in children:
            ok, reply = _receive(child)
            if not ok:
                return None
            results.append(reply)
        return results
    except (OSError, EOFError, pickle.PickleError):
        return None
    finally:
        _reap(children)


def _fork(
    shard: ShardT,
    first: Callable[[ShardT], tuple[FoundT, StateT]],
    second: Callable[[StateT, SharedT], ResultT],
    siblings: list[_Child[ShardT]],
) -> _Child[ShardT]:
    up_read, up_write = os.pipe()
    down_read, down_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, which ends with os._exit
        os.close(up_read)
        os.close(down_write)
        for sibling in siblings:
            sibling.to_child.close()
            sibling.from_child.close()
        _child_main(shard, first, second, os.fdopen(up_write, "wb"), os.fdopen(down_read, "rb"))
    os.close(up_write)
    os.close(down_read)
    return _Child(pid, os.fdopen(down_write, "wb"), os.fdopen(up_read, "rb"))


def _child_main(  # pragma: no cover - measured through the tests that force sharding
    shard: ShardT,
    first: Callable[[ShardT], tuple[FoundT, StateT]],
    second: Callable[[StateT, SharedT], ResultT],
    out: BinaryIO,
    inbox: BinaryIO,
) -> None:
    """Run both phases of one shard, report through ``out``, and never return."""
    code = 1
    try:
        # The parent handles Ctrl-C and SIGTERM and kills its children itself.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        try:
            found, state = first(shard)
        except Exception:
            _send(out, False, None)
            return
        _send(out, True, found)
        shared = pickle.load(inbox)
        try:
            result = second(state, shared)
        except Exception:
            _send(out, False, None)
            return
        _send(out, True, result)
        code = 0
    except BaseException:
        pass
    finally:
        os._exit(code)


def _send(out: BinaryIO, ok: bool, value: object) -> None:
    pickle.dump((ok, value), out, protocol=pickle.HIGHEST_PROTOCOL)
    out.flush()


def _receive(child: _Child[ShardT]) -> tuple[bool, object]:
    ok, value = pickle.load(child.from_child)
    return bool(ok), value


def _reap(children: list[_Child[ShardT]]) -> None:
    """Close the pipes and wait for every child; one that is still busy is killed first."""
    for child in children:
        for stream in (child.to_child, child.from_child):
            try:
                stream.close()
            except OSError:
                pass
        try:
            finished, _ = os.waitpid(child.pid, os.WNOHANG)
            if finished == 0:
                os.kill(child.pid, signal.SIGKILL)
                os.waitpid(child.pid, 0)
        except ChildProcessError:
            pass
