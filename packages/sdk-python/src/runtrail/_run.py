"""Run handles: one execution of an agent or pipeline. ``Run`` (sync) and what ``AsyncRun`` shares."""

from __future__ import annotations

from typing import Any, Optional

from ._checks import check_id, check_log, check_usage, fail_info
from ._context import TaskScope, ambient_parent, enter, leave
from ._core import BLOCK, MISSING, NO_WAIT, RunState, end_suffix, fail_suffix, log_suffix
from .cancel import CancelEvent
from ._task import Task


class RunBase:
    """State and checks of a run handle; several handles may share one run (``client.run(id)``)."""

    __slots__ = ("_state", "_tokens")

    def __init__(self, state: RunState) -> None:
        self._state = state
        self._tokens: Any = None

    @property
    def id(self) -> str:
        return self._state.id

    @property
    def name(self) -> str:
        return self._state.name

    @property
    def status(self) -> str:
        """``running``, then ``completed`` or ``failed``; ``cancelled`` once an ingest answer says the
        run was cancelled on the server. A resumed run starts with the server's status."""
        return self._state.status

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._state.name!r} {self._state.id} {self._state.status}>"

    def raise_if_cancelled(self) -> None:
        """Raises the run's RunCancelledError once it is known to be cancelled (between steps of a loop)."""
        error = self._state.cancel.error
        if error is not None:
            raise error

    def _parent(self, parent_task_id: Any) -> Optional[str]:
        if parent_task_id is MISSING:
            return ambient_parent(self._state)
        return None if parent_task_id is None else check_id(parent_task_id, "parent_task_id")

    def log(self, message: str, *, level: Optional[str] = None, attributes: Optional[Any] = None) -> None:
        """Records a log line on the run (at any status). Returns at once (dropped and counted when the
        queue is full).

        Example::

            run.log("using cached index", level="debug", attributes={"entries": 1200})
        """
        wire_level = check_log(message, level, attributes)
        suffix = log_suffix("run.log", "", message, wire_level, attributes, self._state.recorder.max_value_bytes)
        self._state.recorder.record(self._state, suffix, NO_WAIT)

    def _complete_suffix(self, output: Any, usage: Any) -> Optional[str]:
        usage_json = None if usage is None else check_usage(usage, "complete()")
        if self._state.ended_elsewhere():
            return None
        self._state.finish("completed")
        return end_suffix("run.complete", "", output, usage_json, self._state.recorder.max_value_bytes)

    def _fail_suffix(self, error: Any, error_message: Any, error_stack: Any, output: Any, usage: Any) -> Optional[str]:
        message, stack = fail_info(error, error_message, error_stack)
        usage_json = check_usage(usage, "fail()")
        if self._state.ended_elsewhere():
            return None
        self._state.finish("failed")
        max_bytes = self._state.recorder.max_value_bytes
        return fail_suffix("run.fail", "", message, stack, output, usage_json, max_bytes)


class Run(RunBase):
    """A run, created ``running`` by ``client.start_run()`` or found by ``client.run(id)``.

    Finishing a run while some of its tasks still run is allowed: those tasks stay
    ``running`` (and may still be finished later). ``with run:`` makes it the current
    run, and completes it on exit (fails it if the block raised).

    Example::

        run = client.start_run(name="report", input={"file": "report.pdf"})
        task = run.start_task("parse-pdf", input={"file": "report.pdf"})
        task.complete(output={"pages": 3})
        run.complete(output={"summary": "..."}, usage={"input_tokens": 1200, "cost_usd": 0.004})
    """

    __slots__ = ()

    @property
    def cancelled(self) -> CancelEvent:
        """Set when the run is cancelled on the server (dashboard, ``client.runs.cancel()``), learnt
        from the next ingest answer. ``threading.Event``-like."""
        return CancelEvent(self._state.cancel)

    def start_task(self, name: str, input: Any = MISSING, *, parent_task_id: Any = MISSING) -> Task:
        """Starts a task, placed after every event recorded before it. It nests under the current task
        (a task scope of this run) unless ``parent_task_id`` says otherwise (None: top level).

        Raises RunAlreadyFinishedError unless the run is running (its RunCancelledError once cancelled).
        ``input`` is encoded now.

        Example::

            task = run.start_task("fetch-data", input={"url": "https://api.example.com"})
        """
        state = self._state
        task = Task(state, name, self._parent(parent_task_id))
        state.recorder.record(state, task._start_suffix(input), BLOCK)  # pyright: ignore[reportPrivateUsage]
        return task

    start_task_now = start_task

    def task(self, name: str, input: Any = MISSING) -> TaskScope:
        """A task as a ``with`` block or a decorator: completed on exit, failed with the exception.

        Example::

            with run.task("summarise", input={"pages": 3}) as t:
                t.update(status_message="half", progress=0.5)
        """
        return TaskScope(self, name, input, MISSING)

    def complete(self, output: Any = MISSING, *, usage: Optional[Any] = None) -> None:
        """Marks the run completed. On a run cancelled (or timed out) on the server it does nothing: the
        cancel came from outside, so racing it is not misuse."""
        suffix = self._complete_suffix(output, usage)
        if suffix is not None:
            self._state.recorder.record(self._state, suffix, BLOCK)

    def fail(
        self,
        error: Any = None,
        *,
        error_message: Optional[str] = None,
        error_stack: Optional[str] = None,
        output: Any = MISSING,
        usage: Optional[Any] = None,
    ) -> None:
        """Marks the run failed: with an exception (its traceback is the stack), a message, or
        ``error_message=``. Like ``complete()``, a no-op on a run cancelled on the server."""
        suffix = self._fail_suffix(error, error_message, error_stack, output, usage)
        if suffix is not None:
            self._state.recorder.record(self._state, suffix, BLOCK)

    def __enter__(self) -> "Run":
        self._tokens = enter(self._state, None)
        return self

    def __exit__(self, kind: Any, error: Optional[BaseException], tb: Any) -> bool:
        tokens, self._tokens = self._tokens, None
        if tokens is not None:
            leave(tokens)
        if self._state.status == "running":
            if error is None:
                self.complete()
            else:
                self.fail(error)
        return False
