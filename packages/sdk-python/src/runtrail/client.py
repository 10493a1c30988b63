"""``Runtrail``: the synchronous client, delivering on a background daemon thread."""

from __future__ import annotations

from typing import Any, List, Optional

from ._client_core import ClientCore
from ._config import DEFAULTS
from ._core import BLOCK, MISSING, RunState
from ._delivery_thread import ThreadDelivery
from ._queue import DeliveryReport
from ._run import Run
from .runs_api import RunsApi


class Runtrail(ClientCore):
    """Records runs and tasks and delivers them to a Runtrail server in the background: batched, in
    order, retried with backoff, in a bounded queue. Open runs send heartbeats and learn of cancels
    (``run.cancelled``); ``client.runs`` reads and controls runs over the HTTP API.

    Recording never waits for the network: a call checks its arguments, encodes its values and
    queues the event; a daemon thread delivers. Queued events are sent at exit (``atexit``) and
    on SIGTERM (see :mod:`runtrail._exit_hooks`); call ``shutdown()`` before ``os._exit()``.
    Safe to use from several threads. Options: see :class:`runtrail._client_core.ClientCore`.

    Example::

        from runtrail import Runtrail
        client = Runtrail(base_url="http://127.0.0.1:3000", api_key="...")
        run = client.start_run(name="report", input={"file": "report.pdf"})
        task = run.start_task("parse-pdf", input={"file": "report.pdf"})
        task.complete(output={"pages": 3})
        run.complete()
        client.shutdown()
    """

    runs: RunsApi

    def _setup(self) -> None:
        config = self._config
        #: Read and control runs over the HTTP API (same ``base_url`` and ``api_key``).
        self.runs = RunsApi(config.base_url, config.api_key, config.request_timeout, config.enabled)
        self._delivery: Optional[ThreadDelivery] = (
            ThreadDelivery(self._queue, config, self._report, self._apply_cancels, self._open_runs)
            if config.enabled
            else None
        )
        self._shutdown_report: Optional[DeliveryReport] = None

    def _handle(self, state: RunState) -> Run:
        return Run(state)

    def start_run(
        self,
        name: Optional[str] = None,
        input: Any = MISSING,
        *,
        metadata: Optional[Any] = None,
        tags: Optional[List[str]] = None,
        parent_run_id: Optional[str] = None,
    ) -> Run:
        """Starts a run (state ``running``) and queues its ``run.start``. ``name`` defaults to
        ``"run"``; at most 50 ``tags`` of 1..200 characters. Raises ClientClosedError after
        ``shutdown()``, InvalidArgumentError on bad arguments.

        The run is heartbeated while it is open and some handle on it is alive; one whose handles
        are all gone is left to the server's timeout.

        Example::

            run = client.start_run(name="report", input={"file": "report.pdf"}, tags=["nightly"])
        """
        state, suffix = self._new_run(name, input, metadata, tags, parent_run_id)
        self._recorder.record(state, suffix, BLOCK)
        return Run(state)

    def run(self, run_id: str) -> Run:
        """A handle on a run recorded by another process (or earlier by this one), to add tasks and
        finish it: its events sort after everything the server stored for it (``lastSeq``). Raises
        RunNotFoundError (404) or ApiError; a disabled client answers a local handle without asking.

        Example::

            run = client.run(run_id_from_the_queue_message)
            with run.task("worker-step"):
                ...
        """
        known = self._known_run(run_id)
        if known is not None:
            return Run(known)
        return Run(self._resumed(run_id, self.runs.fetch_run(run_id, "run()")))

    def flush(self, timeout: float = DEFAULTS.flush_timeout) -> DeliveryReport:
        """Sends everything queued now and waits for it, at most ``timeout`` seconds. Never raises;
        returns the totals so far and what is still pending (delivery of the rest goes on).

        Example::

            report = client.flush(5)
            # DeliveryReport(sent=42, pending=0, dropped={'queue_overflow': 0, 'payload_too_large': 0, 'rejected': 0})
        """
        if self._delivery is None:
            return self._queue.report()
        return self._delivery.flush(timeout)

    def shutdown(self, timeout: float = DEFAULTS.flush_timeout) -> DeliveryReport:
        """Stops heartbeats, flushes (at most ``timeout`` seconds), then stops delivery. Later
        ``start_run``/``run`` raise ClientClosedError; events from handles still open are ignored.
        Calling it again returns the same report."""
        if self._shutdown_report is None:
            self._begin_shutdown()
            report = self._queue.report() if self._delivery is None else self._delivery.close(timeout)
            self._shutdown_report = report
            self._end_shutdown()
        return self._shutdown_report

    def __enter__(self) -> "Runtrail":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.shutdown()

    # ---- exit hooks (see _exit_hooks.py)

    def flush_for_exit(self, stall_timeout: float, deadline: Optional[float], in_signal: bool) -> None:
        if self._delivery is not None and self._shutdown_report is None:
            self._delivery.flush_for_exit(stall_timeout, deadline, in_signal)

    def send_soon(self) -> None:
        if self._delivery is not None and self._shutdown_report is None:
            self._delivery.request(self._queue.pushed, wake=False)

    def _reset_after_fork(self) -> None:
        super()._reset_after_fork()
        if self._delivery is not None:
            self._delivery.after_fork_in_child()
