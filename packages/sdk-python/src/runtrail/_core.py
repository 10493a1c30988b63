"""The recording path shared by the sync and async handles: run state, the recorder, event fields.

A recording call validates its arguments, builds its event's fields as JSON
text (so what is recorded is what the values held at the call, whatever the
caller or another thread does with them afterwards), and hands them to the
queue, which stamps the run's ``seq`` and the time.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable, List, Optional

from ._aio_wait import wait_until
from ._checks import truncate_text
from ._ids import IdSequence
from ._jsonable import encode_text, encode_value
from ._queue import DROPPED, FULL, PUSHED, EventQueue, RunClock
from .cancel import CancelState
from .errors import RunAlreadyFinishedError, RunCancelledError
from .protocol import LIMITS


class _Missing:
    """Marks an argument that was not given (``None`` is recorded as JSON ``null``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()

EVENT_TYPES = (
    "run.start", "run.complete", "run.fail", "run.heartbeat", "run.log",
    "task.start", "task.update", "task.log", "task.complete", "task.fail", "task.skip",
)  # fmt: skip
#: ``","type":"<type>"``: the ``ts`` string's close quote, then the type.
TYPE = {name: f'","type":"{name}"' for name in EVENT_TYPES}

#: Recording modes: wait for room (blocking), report FULL (an awaited async call waits), or drop at once.
BLOCK, ASYNC, NO_WAIT = 0, 1, 2


def name_json(name: str) -> str:
    return encode_text(truncate_text(name, LIMITS.name_chars))


def text_field(key: str, text: Optional[str], max_chars: int) -> str:
    """``,"key":"<text>"``, cut past ``max_chars`` and always within the server's text limit."""
    if text is None:
        return ""
    return f',"{key}":{encode_text(truncate_text(text, max_chars, LIMITS.text_chars))}'


def value_field(key: str, value: Any, max_bytes: int) -> str:
    return "" if value is MISSING else f',"{key}":{encode_value(value, max_bytes)}'


class Recorder:
    """Where handles put their events; inactive when disabled or shut down (calls are still checked)."""

    def __init__(
        self,
        queue: EventQueue,
        *,
        active: bool,
        max_value_bytes: int,
        backpressure_timeout: float,
        heartbeat_timeout_ms: Optional[int],
        on_first_record: Callable[[], None],
        run_closed: Callable[["RunState"], None],
        handle_of: Callable[["RunState"], Any],
    ) -> None:
        self.queue = queue
        self.active = active
        self.max_value_bytes = max_value_bytes
        self.heartbeat_timeout_ms = heartbeat_timeout_ms
        self._wait = backpressure_timeout
        self.task_ids = IdSequence()
        self._on_first_record: Optional[Callable[[], None]] = on_first_record
        self._run_closed = run_closed
        #: A handle (``Run`` or ``AsyncRun``) on a run of this client: what ``current_run()`` returns.
        self.handle_of = handle_of

    def record(self, run: "RunState", suffix: str, mode: int) -> int:
        """Queues one event of ``run``; ``suffix`` is its JSON after ``ts``. PUSHED, DROPPED or (ASYNC) FULL."""
        if not self.active:
            return PUSHED
        if self._on_first_record is not None:
            first, self._on_first_record = self._on_first_record, None
            if first is not None:
                first()
        if mode == BLOCK:
            return self.queue.record(run.clock, run.envelope, suffix, self._wait)
        if mode == ASYNC:
            return self.queue.record(run.clock, run.envelope, suffix, self._wait, may_block=False)
        return self.queue.record(run.clock, run.envelope, suffix, None)

    async def record_async(self, run: "RunState", suffix: str) -> None:
        """An awaited call: waits (without blocking the loop) for room while delivery progresses."""
        while self.record(run, suffix, ASYNC) == FULL:
            room, remaining = self.queue.room_or_stalled(self._wait)
            if room:
                continue
            loop = asyncio.get_running_loop()
            future = loop.create_future()
            self.queue.add_async_waiter(loop, future)
            room, remaining = self.queue.room_or_stalled(self._wait)  # progress between FULL and the waiter
            if room:
                continue
            # The next record() drops it if delivery is still stalled by then.
            await wait_until(future, max(remaining, 0.001))

    def run_closed(self, run: "RunState") -> None:
        self._run_closed(run)

    def reseed_after_fork(self) -> None:
        self.task_ids.reseed()


class RunState:
    """What every handle on one run shares: ids, clock, status, cancel."""

    __slots__ = ("id", "name", "envelope", "clock", "status", "cancel", "recorder", "_open", "__weakref__")

    def __init__(self, recorder: Recorder, run_id: str, name: str, status: str, last_seq: int) -> None:
        self.id = run_id
        self.name = name
        #: ``","runId":<id>,"seq":`` between an event's id and its seq, made once per run.
        self.envelope = f'","runId":{encode_text(run_id)},"seq":'
        self.clock = RunClock(last_seq)
        self.status = status
        self.cancel = CancelState()
        self.recorder = recorder
        # Popped by whoever ends the run here: list.pop is atomic, so two threads cannot both end it.
        self._open: List[bool] = [True] if status == "running" else []
        if status == "cancelled":
            self.cancel.set(RunCancelledError(run_id, None))

    def finish(self, status: str) -> None:
        try:
            self._open.pop()
        except IndexError:
            raise RunAlreadyFinishedError(self.id, "finished" if self.status == "running" else self.status) from None
        self.status = status
        self.recorder.run_closed(self)

    def ended_elsewhere(self) -> bool:
        """Cancelled or timed out on the server: finishing it here is a harmless race, not misuse."""
        return self.status in ("cancelled", "timed_out")

    def mark_cancelled(self, reason: Optional[str]) -> bool:
        """The server says the run is cancelled: no more heartbeats, and ``cancelled`` is set."""
        try:
            self._open.pop()
        except IndexError:
            return False
        self.status = "cancelled"
        self.recorder.run_closed(self)
        self.cancel.set(RunCancelledError(self.id, reason))
        return True

    def not_running_error(self) -> RunAlreadyFinishedError:
        """The run's own RunCancelledError once cancelled, else RunAlreadyFinishedError with its status."""
        if self.status == "cancelled" and self.cancel.error is not None:
            return self.cancel.error
        return RunAlreadyFinishedError(self.id, self.status)


def run_start_suffix(
    name: str,
    input: Any,
    metadata: Any,
    tags: Optional[List[str]],
    parent_run_id: Optional[str],
    heartbeat_timeout_ms: Optional[int],
    max_bytes: int,
) -> str:
    return (
        TYPE["run.start"]
        + ',"name":'
        + name_json(name)
        + value_field("input", input, max_bytes)
        + value_field("metadata", metadata, max_bytes)
        + ("" if tags is None else ',"tags":' + encode_value(tags, max_bytes))
        + ("" if parent_run_id is None else ',"parentRunId":' + encode_text(parent_run_id))
        + ("" if heartbeat_timeout_ms is None else f',"heartbeatTimeoutMs":{heartbeat_timeout_ms}')
        + "}"
    )


def end_suffix(kind: str, task_field: str, output: Any, usage: Optional[str], max_bytes: int) -> str:
    """``run.complete`` / ``task.complete``."""
    usage_json = "" if usage is None else ',"usage":' + usage
    return f"{TYPE[kind]}{task_field}{value_field('output', output, max_bytes)}{usage_json}}}"


def fail_suffix(
    kind: str, task_field: str, message: str, stack: Optional[str], output: Any, usage: Optional[str], max_bytes: int
) -> str:
    return (
        TYPE[kind]
        + task_field
        + text_field("errorMessage", message, max_bytes)
        + text_field("errorStack", stack, max_bytes)
        + value_field("output", output, max_bytes)
        + ("" if usage is None else ',"usage":' + usage)
        + "}"
    )


def log_suffix(kind: str, task_field: str, message: str, level: Optional[str], attributes: Any, max_bytes: int) -> str:
    return (
        TYPE[kind]
        + task_field
        + text_field("message", message, max_bytes)
        + ("" if level is None else f',"level":"{level}"')
        + ("" if attributes is None else value_field("attributes", dict(attributes), max_bytes))
        + "}"
    )


__all__ = ["ASYNC", "BLOCK", "DROPPED", "FULL", "MISSING", "NO_WAIT", "PUSHED", "Recorder", "RunState"]
