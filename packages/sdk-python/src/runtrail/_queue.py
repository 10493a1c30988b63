"""The ordered, bounded queue of encoded events, the per-run clock, and the delivery counters.

Recording threads ``record()`` events; one runner at a time (the sync client's
thread, the async client's task, or the exit drain) ``peek_batch()``es the head,
sends it and ``ack()``s it. A batch stays at the head until acknowledged, so a
retried batch keeps its place. Acks name the positions they cover: if two
runners ever sent the same batch (the exit drain while the loop was stopped
mid-request), the second ack removes nothing, and the server stored the
repeated events once (ids are idempotent).

Bounds: ``max_queue_size`` events and ``max_queue_bytes`` bytes. When full, a
call that may wait (``wait`` given: the awaited/blocking recording calls, see
issue 15) waits for room while delivery makes progress, and drops only once
delivery has made none for ``wait`` seconds or the queue is closed; other calls
(``log``, ``update``, heartbeats) drop at once. Drops are counted by reason,
with one warning until ``report()`` is read.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Callable, Deque, Dict, List, Optional, Tuple

from ._aio_wait import resolve
from ._ids import new_id_prefix
from ._isotime import iso_ms

DROP_REASONS = ("queue_overflow", "payload_too_large", "rejected")
#: ``{"batch":[`` + ``]}``
BODY_OVERHEAD = 12

logger = logging.getLogger("runtrail")
_time_ns = time.time_ns

#: ``record()`` outcomes.
PUSHED, DROPPED, FULL = 1, 0, -1


@dataclass(frozen=True)
class DeliveryReport:
    """What ``flush()`` and ``shutdown()`` return. ``sent`` and ``dropped`` are totals for the
    client's lifetime; ``pending`` is what is still queued.

    Example::

        report = client.flush()
        if report.pending or report.dropped["queue_overflow"]:
            print("runtrail lost or delayed events", report)
    """

    sent: int
    pending: int
    dropped: Dict[str, int] = field(default_factory=lambda: dict.fromkeys(DROP_REASONS, 0))

    def to_dict(self) -> Dict[str, Any]:
        """The TypeScript SDK's report shape: ``{"sent", "pending", "dropped": {...}}``."""
        return {"sent": self.sent, "pending": self.pending, "dropped": dict(self.dropped)}


class RunClock:
    """What the queue keeps per run: its clock (``last_seq``) and whether it recorded since the last heartbeat."""

    __slots__ = ("last_seq", "touched")

    def __init__(self, last_seq: int) -> None:
        self.last_seq = last_seq
        self.touched = False


class EventQueue:
    def __init__(self, max_size: int, max_bytes: int, batch_size: int, batch_bytes: int) -> None:
        self.lock = threading.Lock()
        self._progress = threading.Condition(self.lock)
        self._items: Deque[bytes] = deque()
        #: Position of the oldest queued event; positions count every event ever queued.
        self.head = 0
        self._bytes = 0
        self._max_size = max_size
        self._max_bytes = max_bytes
        self._batch_size = batch_size
        self._batch_bytes = batch_bytes
        self._sent = 0
        self._dropped: Dict[str, int] = dict.fromkeys(DROP_REASONS, 0)
        self._warned = False
        self._full_since: Optional[float] = None
        self._async_waiters: List[Tuple[Any, Any]] = []
        #: Called (outside the lock) when the queue gets its first event or a full batch.
        self.wake: Callable[[], None] = lambda: None
        #: Once closed, full-queue waits end and calls drop at once.
        self.closed = False
        #: The thread that delivers (sync client): a call it makes (a cancel callback) never waits for
        #: room, since only it could make some.
        self.runner_ident: Optional[int] = None
        self._iso_ms = -1
        self._iso = ""
        self._next_id = 0
        self._id_prefix = new_id_prefix()

    # ------------------------------------------------------------------ recording

    def record(self, clock: RunClock, envelope: str, suffix: str, wait: Optional[float], may_block: bool = True) -> int:
        """Queues one event of the run whose clock is ``clock``, stamped now, with the next event id.

        ``envelope`` is the run's JSON between the event id and its seq, ``suffix`` what follows
        its ``ts`` string. Returns PUSHED or DROPPED; with ``may_block=False`` (an awaited async
        call) FULL instead of waiting. The recording hot path: keep it lean.
        """
        with self.lock:
            items = self._items
            if len(items) >= self._max_size or self._bytes >= self._max_bytes:
                outcome = self._wait_for_room(wait, may_block)
                if outcome != PUSHED:
                    return outcome
            ms = _time_ns() // 1_000_000
            seq = ms * 1000
            if seq <= clock.last_seq:
                seq = clock.last_seq + 1
            clock.last_seq = seq
            clock.touched = True
            if ms != self._iso_ms:
                self._iso_ms = ms
                self._iso = iso_ms(ms)
            number = self._next_id
            self._next_id = number + 1
            text = f'{{"id":"{self._id_prefix}{number:x}{envelope}{seq},"ts":"{self._iso}{suffix}'
            try:
                data = text.encode()
            except UnicodeEncodeError:
                # Lone surrogates can only sit inside JSON strings, where "\udXXX" is their escape.
                data = text.encode("utf-8", "backslashreplace")
            size = len(data)
            if self._bytes + size > self._max_bytes and items:
                return self._overflow()
            items.append(data)
            self._bytes += size
            count = len(items)
        if count == 1 or count % self._batch_size == 0:
            self.wake()
        return PUSHED

    def _wait_for_room(self, wait: Optional[float], may_block: bool) -> int:
        """The queue is full (lock held): PUSHED once there is room, else DROPPED or FULL."""
        while len(self._items) >= self._max_size or self._bytes >= self._max_bytes:
            if wait is None or self.closed or threading.get_ident() == self.runner_ident:
                return self._overflow()
            now = time.monotonic()
            if self._full_since is None:
                self._full_since = now
            remaining = self._full_since + wait - now
            if remaining <= 0:
                return self._overflow()
            if not may_block:
                return FULL
            self._progress.wait(remaining)
        return PUSHED

    def room_or_stalled(self, wait: float) -> Tuple[bool, float]:
        """For an async caller after FULL: (True, 0) if it may retry now, else (False, seconds to wait at most)."""
        with self.lock:
            if self.closed or len(self._items) < self._max_size and self._bytes < self._max_bytes:
                return True, 0.0
            now = time.monotonic()
            if self._full_since is None:
                self._full_since = now
            return False, max(0.0, self._full_since + wait - now)

    def add_async_waiter(self, loop: Any, future: Any) -> None:
        """Resolves ``future`` (on ``loop``) at the next progress or close."""
        with self.lock:
            self._async_waiters.append((loop, future))

    def _overflow(self) -> int:
        self._dropped["queue_overflow"] += 1
        if not self._warned:
            self._warned = True
            logger.warning(
                "[runtrail] event queue full (%d events, %d bytes; limits %d events / %d bytes): dropping new "
                "events. Dropped so far: %s. Further drops are counted silently; see the report of client.flush().",
                len(self._items), self._bytes, self._max_size, self._max_bytes, dict(self._dropped),
            )
        return DROPPED

    # ------------------------------------------------------------------ delivery

    @property
    def length(self) -> int:
        return len(self._items)

    @property
    def pushed(self) -> int:
        """Position the next event will get."""
        return self.head + len(self._items)

    def batch_ready(self) -> bool:
        return len(self._items) >= self._batch_size or self._bytes + BODY_OVERHEAD >= self._batch_bytes

    def peek_batch(self, lock_timeout: float = -1) -> Tuple[int, List[bytes]]:
        """The next batch from the head (position of its first event, its events), without removing it.
        With ``lock_timeout`` (exit paths, which may run in a signal handler that interrupted the
        lock's holder) an empty batch when the lock is not had in time."""
        if not self.lock.acquire(timeout=lock_timeout):
            return self.head, []
        try:
            out: List[bytes] = []
            size = BODY_OVERHEAD
            for data in islice(self._items, 0, self._batch_size):
                if out and size + len(data) + 1 > self._batch_bytes:
                    break
                out.append(data)
                size += len(data) + 1
            return self.head, out
        finally:
            self.lock.release()

    def ack(self, first: int, count: int, reason: Optional[str] = None, rejected: int = 0, lock_timeout: float = -1) -> int:
        """Removes the events at positions ``first .. first+count-1`` that are still queued and counts
        them: dropped for ``reason``, else sent (``rejected`` of them refused by the server).
        Positions before ``head`` were removed already (by another runner): they are skipped."""
        if not self.lock.acquire(timeout=lock_timeout):
            return 0
        try:
            start = max(first, self.head)
            removed = max(0, min(first + count - start, len(self._items))) if start == self.head else 0
            for _ in range(removed):
                self._bytes -= len(self._items.popleft())
            self.head += removed
            if removed:
                if reason is not None:
                    self._dropped[reason] += removed
                else:
                    refused = min(rejected, removed)
                    self._dropped["rejected"] += refused
                    self._sent += removed - refused
            self._notify()
            return removed
        finally:
            self.lock.release()

    def close(self) -> None:
        with self.lock:
            self.closed = True
            self._notify()

    def _notify(self) -> None:
        """Progress (or close): wake blocked recording calls and flushes. Lock held."""
        self._full_since = None
        self._progress.notify_all()
        waiters, self._async_waiters = self._async_waiters, []
        for loop, future in waiters:
            try:
                loop.call_soon_threadsafe(resolve, future)
            except RuntimeError:  # its loop is closed: nobody waits there any more
                pass

    def wait_progress(self, until: Callable[[], bool], deadline: float) -> bool:
        """Blocks until ``until()`` (checked under the lock) or the monotonic ``deadline``."""
        with self.lock:
            while not until():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._progress.wait(remaining)
            return True

    def report(self) -> "DeliveryReport":
        """Totals so far; re-arms the overflow warning, since the counts are now reported."""
        with self.lock:
            self._warned = False
            return DeliveryReport(self._sent, len(self._items), dict(self._dropped))

    def reset_after_fork(self) -> None:
        """In a forked child: new locks (another thread may have held them), and the parent's
        queued events left to the parent."""
        self.lock = threading.Lock()
        self._progress = threading.Condition(self.lock)
        self._items.clear()
        self._bytes = 0
        self._async_waiters = []
        self._full_since = None
        # Event ids are <prefix>.<n>: the child must not repeat its parent's.
        self._id_prefix = new_id_prefix()
        self._next_id = 0
