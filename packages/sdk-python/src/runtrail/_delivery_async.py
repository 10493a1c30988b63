"""The async client's delivery: one asyncio task on the running loop, started with the first event.

The same schedule as the thread runner (full batch, ``flush_interval``,
``flush()``, heartbeats), with no thread: requests go over asyncio streams. If
that loop ends with events still queued (``asyncio.run()`` returned), the next
loop that records picks the queue up, and the exit hook sends what is left.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any, Optional, Sequence

from ._aio_wait import wait_until
from ._batch import ABORTED, OnCancelled, ReportError, settle
from ._config import Config
from ._open_runs import OpenRuns
from ._queue import DeliveryReport, EventQueue
from ._sender import AsyncSender

logger = logging.getLogger("runtrail")


class AsyncDelivery:
    def __init__(self, queue: EventQueue, config: Config, report: ReportError, on_cancelled: OnCancelled,
                 open_runs: OpenRuns) -> None:
        self._queue = queue
        self._config = config
        self._report = report
        self._on_cancelled = on_cancelled
        self._open_runs = open_runs
        self._target = 0
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread_id = 0
        self._task: Optional["asyncio.Task[None]"] = None
        self._waiter: Optional["asyncio.Future[None]"] = None
        self._sender: Optional[AsyncSender] = None
        self._closed: Optional[DeliveryReport] = None
        self._stopping = False
        queue.wake = self.wake

    def _running(self) -> bool:
        task, loop = self._task, self._loop
        return task is not None and not task.done() and loop is not None and not loop.is_closed()

    def wake(self) -> None:
        if self._closed is not None:
            return
        if not self._running():
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:  # recorded outside a loop: the next loop (or the exit hook) sends it
                return
            self._loop = loop
            self._thread_id = threading.get_ident()
            self._sender = AsyncSender(self._config, self._report, lambda: self._stopping)
            self._task = loop.create_task(self._run())
            return
        if threading.get_ident() == self._thread_id:
            self._poke()
        elif self._loop is not None:
            try:
                self._loop.call_soon_threadsafe(self._poke)
            except RuntimeError:
                pass

    def wake_soon(self) -> None:
        """From a signal handler or another thread: wakes the runner through the loop's own wake-up."""
        loop = self._loop
        if loop is not None and self._running():
            try:
                loop.call_soon_threadsafe(self._poke)
            except RuntimeError:
                pass

    def _poke(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def flush(self, timeout: float) -> DeliveryReport:
        queue = self._queue
        if self._closed is not None:
            return queue.report()
        target = queue.pushed
        if target > self._target:
            self._target = target
        self.wake()
        deadline = time.monotonic() + max(0.0, timeout)
        loop = asyncio.get_running_loop()
        while queue.head < target:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._running():
                break
            future = loop.create_future()
            queue.add_async_waiter(loop, future)
            if queue.head >= target:
                break
            await wait_until(future, remaining)
        return queue.report()

    async def close(self, timeout: float) -> DeliveryReport:
        if self._closed is None:
            report = await self.flush(timeout)
            self._closed = report
            self._queue.close()
            self._stopping = True
            self._poke()
            task = self._task
            if task is not None and self._loop is asyncio.get_running_loop():
                # Again until it ends: a cancel that lands as a request completes can be lost (3.9-3.11).
                while not task.done():
                    task.cancel()
                    await asyncio.wait({task}, timeout=1.0)
                if not task.cancelled() and task.exception() is not None:
                    logger.error("[runtrail] delivery ended with an error", exc_info=task.exception())
            if self._sender is not None:
                await self._sender.close()
        return self._closed

    async def _deliver(self, sender: AsyncSender, first: int, events: Sequence[bytes]) -> None:
        outcome = await sender.send(events)
        if outcome.kind == ABORTED:  # stopping: the batch stays queued for the exit path
            return
        for start, part in settle(self._queue, first, events, outcome, self._report, self._on_cancelled) or ():
            await self._deliver(sender, start, part)

    async def _run(self) -> None:
        config = self._config
        queue = self._queue
        sender = self._sender
        assert sender is not None
        loop: Any = asyncio.get_running_loop()
        beat_every = config.heartbeat_interval
        next_beat = time.monotonic() + beat_every
        next_send: Optional[float] = None
        while not self._stopping:
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
                        if events:
                            await self._deliver(sender, first, events)
                        continue
                else:
                    next_send = None
                waits = [t - now for t in (next_send, next_beat if beat_every > 0 and len(self._open_runs) else None) if t]
                waiter = self._waiter = loop.create_future()
                await wait_until(waiter, max(0.0, min(waits)) if waits else None)
                self._waiter = None
            except asyncio.CancelledError:
                raise
            except Exception:  # pragma: no cover - a bug here must not end delivery
                logger.exception("[runtrail] delivery failed unexpectedly; retrying in 1 s")
                await asyncio.sleep(1.0)
