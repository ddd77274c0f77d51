"""Two-phase work split over forked processes, for large projects on several cores.

``update`` spends its time per document (parse, merge, wrap), but one step in
the middle needs everybody's results: translation memory is built from every
catalog of the project. So each shard runs the first phase, the parent
combines what all shards found, and each shard runs the second phase on the
state it kept. Forking leaves each shard's state in the process that built it:
only the small exchange and each shard's short report cross a pipe. Every
shard writes its own files, and only once all of them have computed theirs.

Whenever anything is unusual (an error in any shard, a child that died, no
``fork`` on this system) :func:`run_sharded` returns None and the caller does
the work in one process, which then reports errors exactly as a serial run
would. (A failure while writing, such as a full disk, falls back too: the
serial rerun rewrites only what differs and reports the error.)
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Generic, TypeVar

from i18n_pipeline.errors import PipelineError

ShardT = TypeVar("ShardT")
FoundT = TypeVar("FoundT")
StateT = TypeVar("StateT")
SharedT = TypeVar("SharedT")
ResultT = TypeVar("ResultT")
FinalT = TypeVar("FinalT")

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
    finish: Callable[[ResultT], FinalT],
) -> list[FinalT] | None:
    """``finish(second(state, combine(all found)))`` for every shard, in shard order; None to fall back.

    ``first(shard)`` returns what the other shards need (``found``, pickled)
    and what only this shard needs later (``state``, kept in its process).
    ``combine`` may return None to give up (the caller then runs serially).
    ``finish`` (the writing) starts in any shard only once every shard's
    ``second`` has succeeded, so an error anywhere changes nothing.
    The first shard runs in this process, every other one in a forked child.
    """
    if len(shards) < 2 or not can_fork():
        return None
    sys.stdout.flush()
    sys.stderr.flush()
    children: list[_Child[ShardT]] = []
    try:
        for shard in shards[1:]:
            children.append(_fork(shard, first, second, finish, children))
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
        _broadcast(children, shared)
        try:
            result = second(state, shared)
        except Exception:
            return None
        for child in children:
            ok, _ = _receive(child)
            if not ok:
                return None
        # Everyone has computed everything: now the files may change, in every shard at once.
        _broadcast(children, True)
        finals = [finish(result)]
        for child in children:
            ok, reply = _receive(child)
            if not ok:
                return None
            finals.append(reply)
        return finals
    except (OSError, EOFError, pickle.PickleError):
        return None
    finally:
        _reap(children)


def _broadcast(children: list[_Child[ShardT]], value: object) -> None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    for child in children:
        child.to_child.write(payload)
        child.to_child.flush()


def _fork(
    shard: ShardT,
    first: Callable[[ShardT], tuple[FoundT, StateT]],
    second: Callable[[StateT, SharedT], ResultT],
    finish: Callable[[ResultT], FinalT],
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
        _child_main(shard, first, second, finish, os.fdopen(up_write, "wb"), os.fdopen(down_read, "rb"))
    os.close(up_write)
    os.close(down_read)
    return _Child(pid, os.fdopen(down_write, "wb"), os.fdopen(up_read, "rb"))


def _child_main(  # pragma: no cover - measured through the tests that force sharding
    shard: ShardT,
    first: Callable[[ShardT], tuple[FoundT, StateT]],
    second: Callable[[StateT, SharedT], ResultT],
    finish: Callable[[ResultT], FinalT],
    out: BinaryIO,
    inbox: BinaryIO,
) -> None:
    """Run every phase of one shard, report through ``out``, and never return."""
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
        _send(out, True, None)
        if pickle.load(inbox) is not True:
            return
        try:
            final = finish(result)
        except Exception:
            _send(out, False, None)
            return
        _send(out, True, final)
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
    """Close the pipes and wait for every child.

    A child that is writing finishes its current file (it ignores Ctrl-C and
    stops at its next message, which the closed pipe refuses); one still busy
    after a grace period is killed.
    """
    for child in children:
        for stream in (child.to_child, child.from_child):
            try:
                stream.close()
            except OSError:
                pass
    deadline = time.monotonic() + _GRACE_SECONDS
    for child in children:
        try:
            while os.waitpid(child.pid, os.WNOHANG)[0] == 0:
                if time.monotonic() > deadline:
                    os.kill(child.pid, signal.SIGKILL)
                    os.waitpid(child.pid, 0)
                    break
                time.sleep(0.005)
        except ChildProcessError:
            pass


#: How long a child may take to finish the file it is writing after the parent stopped.
_GRACE_SECONDS = 5.0
