"""The sync client's background delivery: one daemon thread, started with the first event.

It sends a batch when one is full, every ``flush_interval`` while events wait,
and on ``flush()``; one request at a time, in queue order; and it ticks the
heartbeats. Background failures go to ``on_error`` and the log, never to user
code. After ``os.fork()`` the child starts its own thread on its next event.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Optional, Sequence

from ._batch import ABORTED, OnCancelled, ReportError, settle
from ._config import Config
from ._open_runs import OpenRuns
from ._queue import DeliveryReport, EventQueue
from ._sender import BlockingSender

logger = logging.getLogger("runtrail")

#: How often a lock-free wait (signal handlers) looks at the queue.
_POLL = 0.01
#: While events wait, the runner looks at its target at least this often: a signal handler sets the
#: target without waking it (see flush_for_exit).
_CHECK = 0.1


def deliver(queue: EventQueue, sender: BlockingSender, first: int, events: Sequence[bytes],
            report: ReportError, on_cancelled: OnCancelled) -> bool:
    """Sends one batch (split on 413) and settles it; False when aborted (it stays queued)."""
    outcome = sender.send(events)
    if outcome.kind == ABORTED:
        return False
    halves = settle(queue, first, events, outcome, report, on_cancelled)
    for start, part in halves or ():
        if not deliver(queue, sender, start, part, report, on_cancelled):
            return False
    return True


class ThreadDelivery:
    def __init__(self, queue: EventQueue, config: Config, report: ReportError, on_cancelled: OnCancelled,
                 open_runs: OpenRuns) -> None:
        self._queue = queue
        self._config = config
        self._report = report
        self._on_cancelled = on_cancelled
        self._open_runs = open_runs
        self._target = 0
        self._closing: Optional[DeliveryReport] = None
        self._start_lock = threading.Lock()
        self._reset()
        queue.wake = self.wake

    def _reset(self) -> None:
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None
        self._sender = BlockingSender(self._config, self._report, self._stop)

    def after_fork_in_child(self) -> None:
        self._start_lock = threading.Lock()
        self._reset()

    @property
    def alive(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

    def wake(self) -> None:
        if self._thread is None and not self._stop.is_set():
            with self._start_lock:
                if self._thread is None:
                    thread = threading.Thread(target=self._loop, name="runtrail-delivery", daemon=True)
                    try:
                        thread.start()
                    except RuntimeError:  # interpreter shutting down: the exit flush sends inline
                        return
                    self._thread = thread
        self._wake.set()

    def request(self, target: int, wake: bool = True) -> None:
        """Deliver everything before position ``target`` now. Without ``wake`` (signal handlers) the
        runner sees it at its next look, within ``_CHECK`` seconds while events wait."""
        if target > self._target:
            self._target = target
        if wake:
            self.wake()

    def flush(self, timeout: float) -> DeliveryReport:
        queue = self._queue
        # On this thread (from on_error or a cancel callback) nobody else could make the progress waited for.
        if self._closing is not None or self._stop.is_set() or threading.current_thread() is self._thread:
            return queue.report()
        target = queue.pushed
        self.request(target)
        queue.wait_progress(lambda: queue.head >= target, time.monotonic() + max(0.0, timeout))
        return queue.report()

    def flush_for_exit(self, stall_timeout: float, deadline: Optional[float], in_signal: bool) -> None:
        """At exit or on a signal: asks the runner for everything queued and waits without taking a
        lock (a signal handler may have interrupted this process's holder of the queue lock) while
        delivery progresses. Without a runner (never started, or the interpreter refuses new threads)
        it sends from here."""
        queue = self._queue
        if self._stop.is_set():
            return
        target = queue.pushed
        if target > self._target:
            self._target = target
        # In a signal handler even an Event's lock may be held by the code it interrupted: a live
        # runner then sees the target at its next flush_interval tick instead of being woken.
        if not (in_signal and self.alive):
            self.wake()
        if self.alive:
            wait_head(queue, target, stall_timeout, deadline, lambda: self.alive)
        else:
            drain_blocking(queue, self._config, self._report, self._on_cancelled, stall_timeout, deadline)

    def close(self, timeout: float) -> DeliveryReport:
        if self._closing is None:
            report = self.flush(timeout)
            self._closing = report
            self._stop.set()
            self._wake.set()
            self._queue.close()
            thread = self._thread
            if thread is not None and thread is not threading.current_thread():
                thread.join(1.0)
            self._sender.close()
        return self._closing

    def _loop(self) -> None:
        self._queue.runner_ident = threading.get_ident()
        config = self._config
        queue = self._queue
        beat_every = config.heartbeat_interval
        next_beat = time.monotonic() + beat_every
        next_send: Optional[float] = None
        while not self._stop.is_set():
            try:
                now = time.monotonic()
                if beat_every > 0 and len(self._open_runs) and now >= next_beat:
                    self._open_runs.tick()
                    next_beat = now + beat_every
                if queue.length:
                    if next_send is None:
                        next_send = now + config.flush_interval
                    if now >= next_send:
                        self._target = max(self._target, queue.pushed)
                        next_send = None
                    if queue.head < self._target or queue.batch_ready():
                        first, events = queue.peek_batch()
                        if events and not deliver(queue, self._sender, first, events, self._report, self._on_cancelled):
                            break
                        continue
                else:
                    next_send = None
                waits = [t - now for t in (next_send, next_beat if beat_every > 0 and len(self._open_runs) else None) if t]
                if queue.length:
                    waits.append(_CHECK)
                self._wake.wait(max(0.0, min(waits)) if waits else None)
                self._wake.clear()
            except Exception:  # pragma: no cover - a bug here must not end delivery
                logger.exception("[runtrail] delivery failed unexpectedly; retrying in 1 s")
                self._stop.wait(1.0)


def drain_blocking(queue: EventQueue, config: Config, report: ReportError, on_cancelled: OnCancelled,
                   stall_timeout: float, deadline: Optional[float]) -> None:
    """Sends what is queued now from this thread (the async client's exit path: its loop is gone).

    Gives up once a batch made no progress for ``stall_timeout`` seconds, or at the monotonic
    ``deadline``. Locks are taken with a timeout: this may run in a signal handler that
    interrupted the holder of the queue's lock.
    """
    stop = threading.Event()
    sender = BlockingSender(config, report, stop, timeout=min(config.request_timeout, max(stall_timeout, 0.1)))
    target = queue.pushed
    try:
        while queue.head < target:
            now = time.monotonic()
            sender.deadline = now + stall_timeout if deadline is None else min(now + stall_timeout, deadline)
            if now >= sender.deadline:
                return
            first, events = queue.peek_batch(lock_timeout=1.0)
            if not events or not _deliver_once(queue, sender, first, events, report, on_cancelled):
                return
    finally:
        sender.close()


def _deliver_once(queue: EventQueue, sender: BlockingSender, first: int, events: Sequence[bytes],
                  report: ReportError, on_cancelled: OnCancelled) -> bool:
    outcome = sender.send(events)
    if outcome.kind == ABORTED:
        return False
    halves = settle(queue, first, events, outcome, report, on_cancelled, lock_timeout=1.0)
    return all(_deliver_once(queue, sender, start, part, report, on_cancelled) for start, part in halves or ())


def wait_head(queue: EventQueue, target: int, stall_timeout: float, deadline: Optional[float],
              alive: Callable[[], bool]) -> None:
    """Lock-free wait until ``queue.head`` reaches ``target``, while delivery progresses (exit paths)."""
    last_head = queue.head
    last_progress = time.monotonic()
    while queue.head < target and alive():
        now = time.monotonic()
        if queue.head != last_head:
            last_head, last_progress = queue.head, now
        if now - last_progress >= stall_timeout or (deadline is not None and now >= deadline):
            return
        time.sleep(_POLL)
