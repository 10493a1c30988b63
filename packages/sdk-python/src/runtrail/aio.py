"""Async handles (``AsyncRuntrail``): the same as ``Run`` and ``Task``, with the recording calls awaited.

An awaited call returns without suspending while the queue has room; when it is
full it waits (suspending, so delivery on the loop goes on) for room while
delivery makes progress. ``log`` and ``update`` stay plain calls that drop (and
count) when the queue is full.
"""

from __future__ import annotations

from typing import Any, Optional

from ._context import TaskScope, enter, leave
from ._core import MISSING, NO_WAIT, RunState
from .cancel import AsyncCancelEvent
from ._run import RunBase
from ._task import TaskBase


class AsyncTask(TaskBase):
    """A step of a run of an ``AsyncRuntrail``; see :class:`runtrail.Task`.

    Example::

        task = await run.start_task("parse-pdf", input={"file": "report.pdf"})
        task.update(progress=0.5)
        await task.complete(output={"pages": 3})
    """

    __slots__ = ()

    async def start_task(self, name: str, input: Any = MISSING) -> "AsyncTask":
        """Starts a task nested under this one."""
        self._ensure_running()
        task = AsyncTask(self.run_state, name, self.id)
        await self.run_state.recorder.record_async(self.run_state, task._start_suffix(input))
        return task

    def task(self, name: str, input: Any = MISSING) -> TaskScope:
        """A nested task as ``async with`` block or decorator (see ``AsyncRun.task``)."""
        return TaskScope(self.run_state.recorder.handle_of(self.run_state), name, input, self.id)

    async def complete(self, output: Any = MISSING, *, usage: Optional[Any] = None) -> None:
        """Marks the task completed (``output`` is encoded now)."""
        await self.run_state.recorder.record_async(self.run_state, self._complete_suffix(output, usage))

    async def fail(
        self,
        error: Any = None,
        *,
        error_message: Optional[str] = None,
        error_stack: Optional[str] = None,
        output: Any = MISSING,
        usage: Optional[Any] = None,
    ) -> None:
        """Marks the task failed: with an exception (its traceback is the stack), a message, or ``error_message=``."""
        suffix = self._fail_suffix(error, error_message, error_stack, output, usage)
        await self.run_state.recorder.record_async(self.run_state, suffix)

    async def skip(self, reason: Optional[str] = None) -> None:
        """Marks the task intentionally skipped."""
        await self.run_state.recorder.record_async(self.run_state, self._skip_suffix(reason))

    # For sync task scopes and decorated sync functions: they cannot wait on the loop, so they drop
    # (and count) when the queue is full, like log().
    def complete_now(self) -> None:
        self.run_state.recorder.record(self.run_state, self._complete_suffix(MISSING, None), NO_WAIT)

    def fail_now(self, error: BaseException) -> None:
        suffix = self._fail_suffix(error, None, None, MISSING, None)
        self.run_state.recorder.record(self.run_state, suffix, NO_WAIT)


class AsyncRun(RunBase):
    """A run of an ``AsyncRuntrail``; see :class:`runtrail.Run`. ``async with run:`` makes it the
    current run and completes it on exit (fails it if the block raised).

    Example::

        run = await client.start_run(name="report", input={"file": "report.pdf"})
        async with run.task("parse-pdf") as t:
            t.log("reading")
        await run.complete(output={"pages": 3})
    """

    __slots__ = ()

    @property
    def cancelled(self) -> AsyncCancelEvent:
        """Set when the run is cancelled on the server, learnt from the next ingest answer.
        ``asyncio.Event``-like: ``await run.cancelled.wait()``."""
        return AsyncCancelEvent(self._state.cancel)

    async def start_task(self, name: str, input: Any = MISSING, *, parent_task_id: Any = MISSING) -> AsyncTask:
        """Starts a task after every event recorded before it; nests under the current task of this run
        unless ``parent_task_id`` says otherwise (None: top level)."""
        state: RunState = self._state
        task = AsyncTask(state, name, self._parent(parent_task_id))
        await state.recorder.record_async(state, task._start_suffix(input))  # pyright: ignore[reportPrivateUsage]
        return task

    def start_task_now(self, name: str, input: Any = MISSING, *, parent_task_id: Any = MISSING) -> AsyncTask:
        """``start_task`` for sync code on this run: never waits, so it drops (and counts) on a full queue."""
        state: RunState = self._state
        task = AsyncTask(state, name, self._parent(parent_task_id))
        state.recorder.record(state, task._start_suffix(input), NO_WAIT)  # pyright: ignore[reportPrivateUsage]
        return task

    def task(self, name: str, input: Any = MISSING) -> TaskScope:
        """A task as an ``async with`` block or a decorator: completed on exit, failed with the exception."""
        return TaskScope(self, name, input, MISSING)

    async def complete(self, output: Any = MISSING, *, usage: Optional[Any] = None) -> None:
        """Marks the run completed; a no-op on a run cancelled (or timed out) on the server."""
        suffix = self._complete_suffix(output, usage)
        if suffix is not None:
            await self._state.recorder.record_async(self._state, suffix)

    async def fail(
        self,
        error: Any = None,
        *,
        error_message: Optional[str] = None,
        error_stack: Optional[str] = None,
        output: Any = MISSING,
        usage: Optional[Any] = None,
    ) -> None:
        """Marks the run failed; a no-op on a run cancelled on the server."""
        suffix = self._fail_suffix(error, error_message, error_stack, output, usage)
        if suffix is not None:
            await self._state.recorder.record_async(self._state, suffix)

    async def __aenter__(self) -> "AsyncRun":
        self._tokens = enter(self._state, None)
        return self

    async def __aexit__(self, kind: Any, error: Optional[BaseException], tb: Any) -> bool:
        tokens, self._tokens = self._tokens, None
        if tokens is not None:
            leave(tokens)
        if self._state.status == "running":
            if error is None:
                await self.complete()
            else:
                await self.fail(error)
        return False
