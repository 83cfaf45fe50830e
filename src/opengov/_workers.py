"""The batch's worker processes: a pool that survives its workers.

:class:`Pool` maps a function over items in worker processes and yields the results in the
order of the items, like ``ProcessPoolExecutor.map``, with what a batch over untrusted files
needs besides:

* **A worker that dies is replaced, and its item is the one that failed.**  A worker marks
  the item it starts in a word of memory it shares with the parent (no message, no system
  call) and sends each result as soon as it has it, so when a worker dies (killed by the
  kernel when out of memory, by SIGKILL, by a crash in a C library) the parent knows which
  item it was reading, if any; that item's result is ``fail(item, reason)`` (the reason names
  the signal), the rest of the worker's chunk is given to the others, and a new worker is
  started.
* **Caps per item** (:class:`Caps`): each worker's address space is capped (``RLIMIT_AS``;
  an allocation beyond it is a ``MemoryError``, the item fails with that reason and the
  worker is replaced, its memory may be in a poor state), and each item's CPU time: the
  parent reads a busy worker's CPU time from ``/proc`` about once a second and kills a worker
  whose item went past the cap (in Python or in C code alike).  ``RLIMIT_CPU`` is not used:
  a process CPU limit armed in the kernel made every item cost about 25 % more CPU (measured:
  docs/performance.md).
* **Workers never outlive the parent.**  A worker exits when the parent's end of its pipe
  closes, and on Linux the kernel kills it when the parent dies, even by SIGKILL
  (``PR_SET_PDEATHSIG``).  Workers ignore SIGINT (Ctrl-C reaches the whole process group:
  the parent decides), and leaving the pool kills every worker and waits for it.

The function and the items must be picklable (module-level functions).  Nothing here is
specific to opengov's documents; :mod:`opengov._batch` gives the functions.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import resource
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, Generic, TypeVar

import attrs

__all__ = ["Caps", "NO_CAPS", "DEFAULT_CAPS", "Pool", "death_reason"]

T = TypeVar("T")
R = TypeVar("R")

_MiB = 1024 * 1024


def _optional_positive(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValueError(f"Caps.{attribute.name} must be a positive int or None, got {value!r}")


@attrs.frozen(kw_only=True)
class Caps:
    """What one item may cost in a worker (``None``: no cap)."""

    memory: int | None = attrs.field(default=4096 * _MiB, validator=_optional_positive)
    """Bytes of address space of a worker process (``RLIMIT_AS``)."""
    cpu: int | None = attrs.field(default=600, validator=_optional_positive)
    """CPU seconds one item may take (watched by the parent)."""

    def describe_memory(self) -> str:
        return f"{(self.memory or 0) // _MiB} MiB"


DEFAULT_CAPS = Caps()
"""4 GiB of address space per worker, 10 CPU minutes per document (the OCR of a long scan
takes a few seconds a page; nothing else comes near)."""
NO_CAPS = Caps(memory=None, cpu=None)

def death_reason(exitcode: int | None) -> str:
    """Why a worker ended, for the item it was reading."""
    if exitcode is not None and exitcode < 0:
        number = -exitcode
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        if number == signal.SIGKILL:
            return f"the worker reading it was killed ({name}; out of memory?)"
        return f"the worker reading it died ({name})"
    return f"the worker reading it exited (status {exitcode})"


def _die_with_parent(parent: int) -> None:
    """Linux: have the kernel SIGKILL this process when its parent dies."""
    with contextlib.suppress(Exception):  # not Linux, or no libc: the pipe's end still stops the worker
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _worker(conn: Connection, caps: Caps, parent: int, inherited: Sequence[int], current: Any) -> None:
    """A worker's life: receive ``(function, [(position, item), …])``, mark each position in
    ``current`` as it starts the item, send one message per item."""
    for fd in inherited:  # the other workers' pipe ends (a fork copies them): their EOF must be theirs
        with contextlib.suppress(OSError):
            os.close(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)
    if caps.memory is not None:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = caps.memory if hard == resource.RLIM_INFINITY else min(caps.memory, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        function, items = message
        for position, item in items:
            current.value = position  # from here on a death is this item's
            try:
                result = function(item)
            except MemoryError:
                conn.send(("failed", f"over the memory cap ({caps.describe_memory()} per worker)"))
                return  # a fresh worker takes over: the interrupted code may have left anything behind
            conn.send(("done", result))


def _cpu_seconds(pid: int) -> float | None:
    """The CPU time a process has used (Linux ``/proc``), or None when it cannot be known."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


@attrs.define
class _Slot:
    """One worker, the positions of the items it holds and has not answered, the shared
    word where it marks the position it is reading, and the position and CPU time at which
    the parent last saw it reading."""

    process: Any
    conn: Connection
    current: Any
    positions: deque[int] = attrs.field(factory=deque)
    seen: tuple[int, float] | None = None

    def running(self) -> bool:
        """Whether the worker has started the first item it has not answered."""
        return bool(self.positions) and self.current.value == self.positions[0]


class Pool:
    """Worker processes under :class:`Caps`; use it as a context manager."""

    def __init__(self, workers: int, *, caps: Caps = DEFAULT_CAPS) -> None:
        self.workers = max(1, workers)
        self.caps = caps
        self._context = multiprocessing.get_context()
        self._slots: list[_Slot] = []
        self._watched = 0.0

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> _Slot:
        parent_end, child_end = self._context.Pipe()
        inherited = [slot.conn.fileno() for slot in self._slots] + [parent_end.fileno()]
        current = self._context.RawValue("q", -1)
        process = self._context.Process(
            target=_worker, args=(child_end, self.caps, os.getpid(), inherited, current), daemon=True
        )
        process.start()
        child_end.close()
        slot = _Slot(process=process, conn=parent_end, current=current)
        self._slots.append(slot)
        return slot

    def _retire(self, slot: _Slot) -> None:
        self._slots.remove(slot)
        slot.conn.close()
        if slot.process.is_alive():
            slot.process.kill()
        slot.process.join()

    def close(self) -> None:
        """Kill every worker and wait for it (whatever it was doing)."""
        for slot in list(self._slots):
            self._retire(slot)

    def map(
        self,
        function: Callable[[T], R],
        items: Sequence[T],
        *,
        fail: Callable[[T, str], R],
        chunksize: int = 1,
        done: Callable[[], None] | None = None,
    ) -> Iterator[R]:
        """``function(item)`` for each item, in order.  An item whose worker died or went over
        a cap gives ``fail(item, reason)`` instead.  ``done()`` is called as each item is
        finished (in any order: for a progress display)."""
        run = _Run(items=items, fail=fail, done=done)
        chunksize = max(1, chunksize)
        window = max(2 * self.workers * chunksize, 64)  # results held ahead of the one awaited
        while run.following < len(items):
            self._dispatch(function, run, chunksize, window)
            while run.following in run.results:
                yield run.results.pop(run.following)
                run.following += 1
            if run.following >= len(items):
                break
            busy = [s for s in self._slots if s.positions]
            ready = set(wait([s.conn for s in busy] + [s.process.sentinel for s in busy], timeout=1.0))
            for slot in busy:
                if slot.conn in ready or slot.process.sentinel in ready:
                    self._collect(slot, run)
            self._watch_time(run)

    def _dispatch(self, function: Callable[[Any], Any], run: _Run[Any, Any], chunksize: int, window: int) -> None:
        """Give chunks to idle workers (starting workers up to the pool's size)."""
        limit = run.following + window
        while run.pending and run.pending[0] < limit:
            idle = next((s for s in self._slots if not s.positions), None)
            if idle is None:
                if len(self._slots) >= self.workers:
                    return
                idle = self._start()
            chunk: list[int] = []
            while run.pending and len(chunk) < chunksize and run.pending[0] < limit:
                chunk.append(run.pending.popleft())
            idle.positions.extend(chunk)
            with contextlib.suppress(OSError, ValueError):  # a worker dead already is seen by wait()
                idle.conn.send((function, [(i, run.items[i]) for i in chunk]))

    def _receive(self, slot: _Slot, run: _Run[Any, Any]) -> bool:
        """Take the messages a worker has sent; False when it has ended (its pipe closed, or
        it left after an item over a cap)."""
        while True:
            try:
                if not slot.conn.poll():
                    return True
                kind, value = slot.conn.recv()
            except (EOFError, OSError):
                return False
            if not slot.positions:  # pragma: no cover - a worker answers only what it was given
                continue
            position = slot.positions.popleft()
            if kind == "done":
                run.finish(position, value)
            else:  # over a cap: the worker leaves
                run.finish(position, run.fail(run.items[position], value))
                return False

    def _collect(self, slot: _Slot, run: _Run[Any, Any]) -> None:
        """Take a worker's messages; if it ended, fail the item it was reading (if it was
        reading one) and give the rest of its chunk back."""
        alive = self._receive(slot, run)
        if alive and slot.process.is_alive():
            return
        slot.process.join(timeout=5)
        if not alive and slot.process.is_alive():  # left after a cap: it exits by itself
            slot.process.join()
        self._end(slot, run, death_reason(slot.process.exitcode))

    def _end(self, slot: _Slot, run: _Run[Any, Any], reason: str) -> None:
        """Retire an ended worker: the item it was running fails with ``reason``; the
        unanswered rest of its chunk goes back to the front of the queue."""
        if slot.running():
            position = slot.positions.popleft()
            run.finish(position, run.fail(run.items[position], reason))
        run.pending.extendleft(reversed(slot.positions))
        slot.positions.clear()
        self._retire(slot)

    def _watch_time(self, run: _Run[Any, Any]) -> None:
        """Kill a worker whose current item has taken more CPU time than the cap, failing
        that item.  Looked at about once a second."""
        if self.caps.cpu is None:
            return
        now = time.monotonic()
        if now - self._watched < 1.0:
            return
        self._watched = now
        for slot in [s for s in self._slots if s.running()]:
            used = _cpu_seconds(slot.process.pid)
            if used is None:
                continue
            position = slot.positions[0]
            if slot.seen is None or slot.seen[0] != position:
                slot.seen = (position, used)  # first seen on this item: its CPU time counts from here
            elif used - slot.seen[1] > self.caps.cpu:
                slot.process.kill()
                slot.process.join()
                self._receive(slot, run)
                reason = f"over the time cap ({self.caps.cpu} CPU seconds per document)"
                self._end(slot, run, reason if slot.running() else death_reason(slot.process.exitcode))


@attrs.define
class _Run(Generic[T, R]):
    """The state of one :meth:`Pool.map`."""

    items: Sequence[T]
    fail: Callable[[T, str], R]
    done: Callable[[], None] | None
    pending: deque[int] = attrs.field(init=False)
    results: dict[int, R] = attrs.field(factory=dict)
    following: int = 0
    """The position to yield next."""

    def __attrs_post_init__(self) -> None:
        self.pending = deque(range(len(self.items)))

    def finish(self, position: int, result: R) -> None:
        self.results[position] = result
        if self.done is not None:
            self.done()
