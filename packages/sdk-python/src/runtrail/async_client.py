"""``AsyncRuntrail``: the asyncio client, delivering on the running event loop."""

from __future__ import annotations

from typing import Any, List, Optional

from ._client_core import ClientCore
from ._config import DEFAULTS
from ._core import MISSING, RunState
from ._delivery_async import AsyncDelivery
from ._delivery_thread import drain_blocking
from ._queue import DeliveryReport
from .aio import AsyncRun
from .runs_api_async import AsyncRunsApi


class AsyncRuntrail(ClientCore):
    """The same as :class:`runtrail.Runtrail` for asyncio: recording calls are awaited (they
    return without suspending while the queue has room), delivery runs as a task on the running
    loop (no thread), and ``client.runs`` is awaited too. Use it from its loop's thread.

    Events still queued when the loop ends (``asyncio.run()`` returned without ``shutdown()``)
    are sent by the next loop that records, or at exit. Options: see
    :class:`runtrail._client_core.ClientCore`.

    Example::

        client = AsyncRuntrail()
        run = await client.start_run(name="report", input={"file": "report.pdf"})
        task = await run.start_task("parse-pdf", input={"file": "report.pdf"})
        await task.complete(output={"pages": 3})
        async with run.task("summarise") as t:
            t.log("working")
        await run.complete()
        await client.shutdown()
    """

    runs: AsyncRunsApi

    def _setup(self) -> None:
        config = self._config
        #: Read and control runs over the HTTP API (same ``base_url`` and ``api_key``).
        self.runs = AsyncRunsApi(config.base_url, config.api_key, config.request_timeout, config.enabled)
        self._delivery: Optional[AsyncDelivery] = (
            AsyncDelivery(self._queue, config, self._report, self._apply_cancels, self._open_runs)
            if config.enabled
            else None
        )
        self._shutdown_report: Optional[DeliveryReport] = None

    def _handle(self, state: RunState) -> AsyncRun:
        return AsyncRun(state)

    async def start_run(
        self,
        name: Optional[str] = None,
        input: Any = MISSING,
        *,
        metadata: Optional[Any] = None,
        tags: Optional[List[str]] = None,
        parent_run_id: Optional[str] = None,
    ) -> AsyncRun:
        """Starts a run and queues its ``run.start``; see ``Runtrail.start_run``."""
        state, suffix = self._new_run(name, input, metadata, tags, parent_run_id)
        await self._recorder.record_async(state, suffix)
        return AsyncRun(state)

    async def run(self, run_id: str) -> AsyncRun:
        """A handle on a run recorded elsewhere, to add tasks and finish it; see ``Runtrail.run``."""
        known = self._known_run(run_id)
        if known is not None:
            return AsyncRun(known)
        info = await self.runs.fetch_run(run_id, "run()")
        return AsyncRun(self._resumed(run_id, info))

    async def flush(self, timeout: float = DEFAULTS.flush_timeout) -> DeliveryReport:
        """Sends everything queued now and waits for it, at most ``timeout`` seconds; never raises."""
        if self._delivery is None:
            return self._queue.report()
        return await self._delivery.flush(timeout)

    async def shutdown(self, timeout: float = DEFAULTS.flush_timeout) -> DeliveryReport:
        """Stops heartbeats, flushes (at most ``timeout`` seconds), then stops delivery. Safe to call twice."""
        if self._shutdown_report is None:
            self._begin_shutdown()
            report = self._queue.report() if self._delivery is None else await self._delivery.close(timeout)
            self._shutdown_report = report
            self._end_shutdown()
        return self._shutdown_report

    async def __aenter__(self) -> "AsyncRuntrail":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.shutdown()

    # ---- exit hooks (see _exit_hooks.py)

    def flush_for_exit(self, stall_timeout: float, deadline: Optional[float], in_signal: bool) -> None:
        # The loop is gone (atexit) or stopped under us (a signal handler on its thread): send from here.
        # Should its task still hold a batch in flight, the server stores the repeated events once.
        if self._delivery is not None and self._shutdown_report is None and self._queue.length:
            drain_blocking(self._queue, self._config, self._report, self._apply_cancels, stall_timeout, deadline)

    def send_soon(self) -> None:
        if self._delivery is not None and self._shutdown_report is None:
            self._delivery.wake_soon()

    def _reset_after_fork(self) -> None:
        super()._reset_after_fork()
        if self._delivery is not None:
            self._delivery = AsyncDelivery(self._queue, self._config, self._report, self._apply_cancels, self._open_runs)

