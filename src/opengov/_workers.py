"""The batch's worker processes: a pool that survives its workers.

:class:`Pool` maps a function over items in worker processes and yields the results in the
order of the items, like ``ProcessPoolExecutor.map``, with what a batch over untrusted files
needs besides:

* **A worker that dies is replaced, and its item is the one that failed.**  A worker marks
  the item it starts in a word of memory it shares with the parent (no message, no system
  call) and sends its results in small groups, so when a worker dies (killed by the
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
import heapq
import multiprocessing
import os
import resource
import selectors
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
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


_FLUSH = 8
"""A worker sends its results in groups of this many (and at the end of its chunk): fewer
messages for the parent to wake up for.  The results of a worker that dies before sending
them are computed again by another worker."""


def _worker(conn: Connection, caps: Caps, parent: int, inherited: Sequence[int], current: Any) -> None:
    """A worker's life: receive ``(function, [(position, item), …])``, mark each position in
    ``current`` as it starts the item, send the results (``("done", result)`` or, for an item
    over the memory cap, ``("failed", reason)``) in groups, in the order of the items."""
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
        results: list[tuple[str, Any]] = []
        for position, item in items:
            current.value = position  # from here on a death is this item's
            try:
                results.append(("done", function(item)))
            except MemoryError:
                results.append(("failed", f"over the memory cap ({caps.describe_memory()} per worker)"))
                conn.send(results)
                return  # a fresh worker takes over: the interrupted code may have left anything behind
            if len(results) >= _FLUSH:
                conn.send(results)
                results = []
        if results:
            conn.send(results)


def _cpu_seconds(pid: int) -> float | None:
    """The CPU time a process has used (Linux ``/proc``), or None when it cannot be known."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


@attrs.define(eq=False)
class _Slot:
    """One worker, the positions of the items it holds and has not answered, the shared
    word where it marks the position it is reading, and the position and CPU time at which
    the parent last saw it reading."""

    process: Any
    conn: Connection
    current: Any
    positions: deque[int] = attrs.field(factory=deque)
    seen: tuple[int, float] | None = None

    def reading(self) -> int | None:
        """The position of the item the worker is reading (started, not answered), if any."""
        position: int = self.current.value
        return position if position in self.positions else None


class Pool:
    """Worker processes under :class:`Caps`; use it as a context manager."""

    def __init__(self, workers: int, *, caps: Caps = DEFAULT_CAPS) -> None:
        self.workers = max(1, workers)
        self.caps = caps
        self._context = multiprocessing.get_context()
        self._slots: list[_Slot] = []
        self._watched = 0.0
        self._selector = selectors.DefaultSelector()

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
        self._selector.register(parent_end, selectors.EVENT_READ, (slot, False))
        self._selector.register(process.sentinel, selectors.EVENT_READ, (slot, True))
        return slot

    def _retire(self, slot: _Slot) -> None:
        self._slots.remove(slot)
        self._selector.unregister(slot.conn)
        self._selector.unregister(slot.process.sentinel)
        slot.conn.close()
        if slot.process.is_alive():
            slot.process.kill()
        slot.process.join()

    def close(self) -> None:
        """Kill every worker and wait for it (whatever it was doing)."""
        for slot in list(self._slots):
            self._retire(slot)
        self._selector.close()

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
            ready: dict[_Slot, bool] = {}  # a worker that sent something → whether it ended
            for key, _events in self._selector.select(timeout=1.0):
                slot, sentinel = key.data
                ready[slot] = ready.get(slot, False) or sentinel
            for slot, ended in ready.items():
                if slot in self._slots:
                    self._collect(slot, run, ended)
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
        """Take the results a worker has sent; False when it has ended (its pipe closed, or
        it left after an item over a cap)."""
        while True:
            try:
                if not slot.conn.poll():
                    return True
                results = slot.conn.recv()
            except (EOFError, OSError):
                return False
            for kind, value in results:
                position = slot.positions.popleft()
                if kind == "done":
                    run.finish(position, value)
                else:  # over a cap: the worker leaves
                    run.finish(position, run.fail(run.items[position], value))
                    return False

    def _collect(self, slot: _Slot, run: _Run[Any, Any], ended: bool) -> None:
        """Take a worker's results; if it ended, fail the item it was reading (if it was
        reading one) and give the rest of its chunk back."""
        if self._receive(slot, run) and not ended:
            return
        slot.process.join(timeout=5)  # it ends by itself after its pipe closed or a cap
        if slot.process.is_alive():  # pragma: no cover - a worker that does not
            slot.process.kill()
            slot.process.join()
        self._end(slot, run, death_reason(slot.process.exitcode))

    def _end(self, slot: _Slot, run: _Run[Any, Any], reason: str) -> None:
        """Retire an ended worker: the item it was reading fails with ``reason``; the rest of
        its chunk (results it had not sent included) goes back to the queue, in order."""
        culprit = slot.reading()
        if culprit is not None:
            slot.positions.remove(culprit)
            run.finish(culprit, run.fail(run.items[culprit], reason))
        if slot.positions:
            run.pending = deque(heapq.merge(slot.positions, run.pending))
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
        for slot in list(self._slots):
            position = slot.reading()
            if position is None:
                continue
            used = _cpu_seconds(slot.process.pid)
            if used is None:
                continue
            if slot.seen is None or slot.seen[0] != position:
                slot.seen = (position, used)  # first seen on this item: its CPU time counts from here
            elif used - slot.seen[1] > self.caps.cpu:
                slot.process.kill()
                slot.process.join()
                self._receive(slot, run)
                self._end(slot, run, f"over the time cap ({self.caps.cpu} CPU seconds per document)")


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
