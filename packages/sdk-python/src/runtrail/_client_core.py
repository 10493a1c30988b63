"""What ``Runtrail`` and ``AsyncRuntrail`` share: options, queue, recorder, open runs, cancels, fork."""

from __future__ import annotations

import os
import weakref
from typing import Any, Callable, List, Optional, Tuple

from ._batch import safe_report
from ._checks import check_id, check_metadata, check_name, check_tags
from ._config import DEFAULTS, OnError, resolve_config
from ._core import MISSING, Recorder, RunState, run_start_suffix
from ._exit_hooks import exit_hooks
from ._ids import uuid7
from ._open_runs import OpenRuns
from ._queue import EventQueue
from .errors import ClientClosedError
from .protocol import RunInfo


class ClientCore:
    """Options are keyword arguments; every one is optional.

    :param base_url: server address. Default ``RUNTRAIL_URL``, else ``http://127.0.0.1:3000``.
    :param api_key: default ``RUNTRAIL_API_KEY``; required unless disabled.
    :param enabled: ``False`` makes every call a no-op; ``RUNTRAIL_DISABLED=1`` (or true, yes) too.
    :param flush_interval: seconds between sends while events wait (0.5).
    :param max_batch_size: events per request; a full batch goes at once (200).
    :param max_batch_bytes: bytes per request (1 MiB).
    :param max_queue_size: queue bound in events (10,000); see ``backpressure_timeout``.
    :param max_queue_bytes: queue bound in bytes (16 MiB).
    :param max_value_bytes: inputs, outputs, metadata and log attributes larger than this (as JSON)
        are replaced by a ``$truncated`` marker; texts are cut past it or the server's 65,536
        characters, ending in "… [truncated]" (256 KiB).
    :param request_timeout: per request, seconds (10).
    :param heartbeat_interval: seconds between ``run.heartbeat`` of quiet open runs (10); 0 turns
        heartbeats off (and ``heartbeat_timeout`` is then only sent when given).
    :param heartbeat_timeout: declared on every ``run.start``: the server marks a running run
        ``timed_out`` after this long without events (60 s; 1 s .. 7 days).
    :param exit_flush_timeout: at exit, give up after this long without progress; on SIGTERM, flush
        at most this long before the signal takes effect (5 s).
    :param backpressure_timeout: when the queue is full, ``start_run``, ``start_task``, ``complete``,
        ``fail`` and ``skip`` wait for room while delivery makes progress, and drop (counted) once it
        has made none for this long (5 s). ``log`` and ``update`` drop at once.
    :param gzip: compress request bodies over 1 KiB. A server that refuses them (HTTP 415, or 400 on
        the body) makes the client send plain JSON from then on.
    :param on_error: receives background delivery failures (:class:`DeliveryError`); never raised.
    """

    def __init__(
        self,
        base_url: Optional[str] = None,
        api_key: Optional[str] = None,
        *,
        enabled: Optional[bool] = None,
        flush_interval: float = DEFAULTS.flush_interval,
        max_batch_size: int = DEFAULTS.max_batch_size,
        max_batch_bytes: int = DEFAULTS.max_batch_bytes,
        max_queue_size: int = DEFAULTS.max_queue_size,
        max_queue_bytes: int = DEFAULTS.max_queue_bytes,
        max_value_bytes: int = DEFAULTS.max_value_bytes,
        request_timeout: float = DEFAULTS.request_timeout,
        heartbeat_interval: float = DEFAULTS.heartbeat_interval,
        heartbeat_timeout: Optional[float] = None,
        exit_flush_timeout: float = DEFAULTS.exit_flush_timeout,
        backpressure_timeout: float = DEFAULTS.backpressure_timeout,
        gzip: bool = False,
        on_error: Optional[OnError] = None,
    ) -> None:
        config = resolve_config(
            base_url=base_url, api_key=api_key, enabled=enabled, flush_interval=flush_interval,
            max_batch_size=max_batch_size, max_batch_bytes=max_batch_bytes, max_queue_size=max_queue_size,
            max_queue_bytes=max_queue_bytes, max_value_bytes=max_value_bytes, request_timeout=request_timeout,
            heartbeat_interval=heartbeat_interval, heartbeat_timeout=heartbeat_timeout,
            exit_flush_timeout=exit_flush_timeout, backpressure_timeout=backpressure_timeout, gzip=gzip,
            on_error=on_error,
        )
        self._config = config
        #: False when built with ``enabled=False`` or ``RUNTRAIL_DISABLED=1``: every call is a no-op.
        self.enabled = config.enabled
        self.exit_flush_timeout = config.exit_flush_timeout
        queue = EventQueue(config.max_queue_size, config.max_queue_bytes, config.max_batch_size, config.max_batch_bytes)
        self._queue = queue
        self._report = safe_report(config.on_error)
        self._open_runs = OpenRuns(pending=lambda: queue.length, delivered=lambda: queue.head)
        self._recorder = Recorder(
            queue,
            active=config.enabled,
            max_value_bytes=config.max_value_bytes,
            backpressure_timeout=config.backpressure_timeout,
            heartbeat_timeout_ms=config.heartbeat_timeout_ms,
            on_first_record=self._first_record,
            run_closed=self._open_runs.remove,
            handle_of=self._handle,
        )
        self._closed = False
        self._setup()
        if config.enabled:
            exit_hooks().install()
            _after_fork_in_child(self)

    def _setup(self) -> None:
        """The subclass's own parts (read API, delivery), made at the end of construction."""
        raise NotImplementedError

    def _handle(self, state: RunState) -> Any:
        raise NotImplementedError

    def flush_for_exit(self, stall_timeout: float, deadline: Optional[float], in_signal: bool) -> None:
        """At exit or on a signal (see _exit_hooks.py): deliver what is queued, without raising."""
        raise NotImplementedError

    def send_soon(self) -> None:
        """From a signal handler: start sending what is queued, without waiting."""
        raise NotImplementedError

    def _first_record(self) -> None:
        exit_hooks().register(self)

    def pending(self) -> int:
        """Events queued and not yet delivered."""
        return self._queue.length

    def _apply_cancels(self, runs: List[Tuple[str, Optional[str]]]) -> None:
        """An ingest answer listed runs cancelled on the server: mark the open ones."""
        for run_id, reason in runs:
            state = self._open_runs.get(run_id)
            if state is not None:
                state.mark_cancelled(reason)

    def _new_run(
        self, name: Optional[str], input: Any, metadata: Any, tags: Any, parent_run_id: Optional[str]
    ) -> Tuple[RunState, str]:
        if self._closed:
            raise ClientClosedError()
        run_name = "run" if name is None else check_name(name, "Run")
        meta = None if metadata is None else dict(check_metadata(metadata))
        tag_list = None if tags is None else check_tags(tags)
        if parent_run_id is not None:
            check_id(parent_run_id, "start_run(): parent_run_id")
        state = RunState(self._recorder, uuid7(), run_name, "running", -1)
        if self.enabled:
            self._open_runs.add(state)
        suffix = run_start_suffix(
            run_name, input, MISSING if meta is None else meta, tag_list, parent_run_id,
            self._recorder.heartbeat_timeout_ms, self._config.max_value_bytes,
        )
        return state, suffix

    def _known_run(self, run_id: str) -> Optional[RunState]:
        """``client.run(id)`` without asking the server: the open run, or a local one when disabled."""
        check_id(run_id, "run(): run id")
        if self._closed:
            raise ClientClosedError()
        state = self._open_runs.get(run_id)
        if state is not None:
            return state
        if not self.enabled:
            return RunState(self._recorder, run_id, "run", "running", -1)
        return None

    def _resumed(self, run_id: str, info: RunInfo) -> RunState:
        # Another call may have opened it while this one waited for the server.
        state = self._open_runs.get(run_id)
        if state is not None:
            return state
        last_seq = info.get("lastSeq")
        name = info.get("name")
        state = RunState(
            self._recorder,
            run_id,
            name if isinstance(name, str) and name else "run",
            str(info.get("status", "running")),
            last_seq if isinstance(last_seq, int) and not isinstance(last_seq, bool) else -1,
        )
        if not self._closed:
            self._open_runs.add(state)
        return state

    def _begin_shutdown(self) -> None:
        self._closed = True
        self._recorder.active = False
        self._open_runs.stopped = True

    def _end_shutdown(self) -> None:
        exit_hooks().unregister(self)

    def _reset_after_fork(self) -> None:
        self._queue.reset_after_fork()
        self._recorder.reseed_after_fork()


def _after_fork_in_child(client: ClientCore) -> None:
    """A forked child keeps the client but not its threads or locks, and must not repeat its ids."""
    register: Optional[Callable[..., None]] = getattr(os, "register_at_fork", None)
    if register is None:  # pragma: no cover - Windows
        return
    ref = weakref.ref(client)

    def reset() -> None:
        alive = ref()
        if alive is not None:
            alive._reset_after_fork()  # pyright: ignore[reportPrivateUsage]

    register(after_in_child=reset)
