"""Task handles: one step of a run. ``Task`` (sync) and the checks both it and ``AsyncTask`` share.

This is the recording hot path: checks, one JSON text of the event's fields,
one queue push.
"""

from __future__ import annotations

from typing import Any, Optional

from ._checks import check_id, check_log, check_name, check_update, check_usage, fail_info
from ._context import TaskScope, enter, leave
from ._core import BLOCK, MISSING, NO_WAIT, TYPE, RunState, end_suffix, fail_suffix, log_suffix, name_json, text_field
from ._jsonable import encode_text, encode_value
from .errors import InvalidArgumentError, TaskAlreadyFinishedError


class TaskBase:
    """State and checks of a task; the recording methods are the subclasses'."""

    __slots__ = ("run_state", "id", "name", "parent_task_id", "_status", "_open", "_field", "_tokens")

    def __init__(self, run: RunState, name: str, parent_task_id: Optional[str]) -> None:
        check_name(name, "Task")
        if parent_task_id is not None:
            check_id(parent_task_id, "parent_task_id")
        if run.status != "running":
            raise run.not_running_error()
        self.run_state = run
        #: ``<client prefix>.<counter>``: unique across clients; the server treats it as opaque text.
        self.id: str = run.recorder.task_ids.next()
        self.name = name
        #: The enclosing task for nested tasks, else None.
        self.parent_task_id = parent_task_id
        self._status = "running"
        # Popped by whoever ends the task: list.pop is atomic, so two threads cannot both end it.
        self._open = [True]
        self._field = ',"taskId":"' + self.id + '"'
        self._tokens: Any = None

    def _start_suffix(self, input: Any) -> str:
        parent = self.parent_task_id
        return (
            TYPE["task.start"]
            + self._field
            + ',"name":'
            + name_json(self.name)
            + ("" if input is MISSING else ',"input":' + encode_value(input, self.run_state.recorder.max_value_bytes))
            + ("" if parent is None else ',"parentTaskId":' + encode_text(parent))
            + "}"
        )

    @property
    def run_id(self) -> str:
        return self.run_state.id

    @property
    def status(self) -> str:
        """``running``, then ``completed``, ``failed`` or ``skipped`` (a cancel on the server is not seen here)."""
        return self._status

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} {self.id} {self._status}>"

    def _ensure_running(self) -> None:
        if self._status != "running":
            raise TaskAlreadyFinishedError(self.id, self._status)

    def _finish(self, status: str) -> None:
        try:
            self._open.pop()
        except IndexError:
            raise TaskAlreadyFinishedError(self.id, "finished" if self._status == "running" else self._status) from None
        self._status = status

    def _complete_suffix(self, output: Any, usage: Any) -> str:
        usage_json = None if usage is None else check_usage(usage, "complete()")
        self._finish("completed")
        return end_suffix("task.complete", self._field, output, usage_json, self.run_state.recorder.max_value_bytes)

    def _fail_suffix(self, error: Any, error_message: Any, error_stack: Any, output: Any, usage: Any) -> str:
        self._ensure_running()
        # Checked before the state changes, so a bad call can be corrected.
        message, stack = fail_info(error, error_message, error_stack)
        usage_json = check_usage(usage, "fail()")
        self._finish("failed")
        max_bytes = self.run_state.recorder.max_value_bytes
        return fail_suffix("task.fail", self._field, message, stack, output, usage_json, max_bytes)

    def _skip_suffix(self, reason: Optional[str]) -> str:
        if reason is not None and not isinstance(reason, str):
            raise InvalidArgumentError(f"skip(): reason must be a string, got {type(reason).__name__}.")
        self._finish("skipped")
        return TYPE["task.skip"] + self._field + text_field("reason", reason, self.run_state.recorder.max_value_bytes) + "}"

    def update(self, status_message: Optional[str] = None, progress: Optional[float] = None) -> None:
        """Records progress of a running task: a status message, a fraction done (0..1), or both.
        The latest update wins. Returns at once (dropped and counted when the queue is full).

        Example::

            task.update(status_message="page 3 of 10", progress=0.3)
        """
        check_update(status_message, progress)
        self._ensure_running()
        suffix = (
            TYPE["task.update"]
            + self._field
            + text_field("statusMessage", status_message, self.run_state.recorder.max_value_bytes)
            + ("" if progress is None else f',"progress":{float(progress)!r}')
            + "}"
        )
        self.run_state.recorder.record(self.run_state, suffix, NO_WAIT)

    def log(self, message: str, *, level: Optional[str] = None, attributes: Optional[Any] = None) -> None:
        """Records a log line on the task (at any status). Returns at once (dropped and counted when
        the queue is full). ``level``: debug, info (the default), warn (or "warning"), error.

        Example::

            task.log("retrying after 429", level="warn", attributes={"attempt": 2})
        """
        wire_level = check_log(message, level, attributes)
        max_bytes = self.run_state.recorder.max_value_bytes
        suffix = log_suffix("task.log", self._field, message, wire_level, attributes, max_bytes)
        self.run_state.recorder.record(self.run_state, suffix, NO_WAIT)


class Task(TaskBase):
    """A step of a run, created ``running`` by ``run.start_task()`` or ``task.start_task()``.

    Tasks are independent: several may run at once, in several threads, and finish in
    any order. Recording calls return at once; when the queue is full, ``start_task``,
    ``complete``, ``fail`` and ``skip`` wait for room while delivery makes progress.

    Example::

        task = run.start_task("parse-pdf", input={"file": "report.pdf"})
        try:
            pages = parse_pdf("report.pdf")
            task.complete(output={"pages": len(pages)})
        except Exception as err:
            task.fail(err)
            raise
    """

    __slots__ = ()

    def start_task(self, name: str, input: Any = MISSING) -> "Task":
        """Starts a task nested under this one. Raises TaskAlreadyFinishedError once this task ended."""
        self._ensure_running()
        task = Task(self.run_state, name, self.id)
        self.run_state.recorder.record(self.run_state, task._start_suffix(input), BLOCK)
        return task

    def task(self, name: str, input: Any = MISSING) -> TaskScope:
        """A nested task as ``with`` block or decorator (see ``Run.task``)."""
        return TaskScope(self.run_state.recorder.handle_of(self.run_state), name, input, self.id)

    def complete(self, output: Any = MISSING, *, usage: Optional[Any] = None) -> None:
        """Marks the task completed. ``output`` is encoded now: changing it afterwards changes nothing.
        ``usage``: ``{"input_tokens", "output_tokens", "cost_usd"}``, summed per run on the server.

        Example::

            task.complete(output={"pages": 3}, usage={"input_tokens": 1200, "cost_usd": 0.002})
        """
        suffix = self._complete_suffix(output, usage)
        self.run_state.recorder.record(self.run_state, suffix, BLOCK)

    def fail(
        self,
        error: Any = None,
        *,
        error_message: Optional[str] = None,
        error_stack: Optional[str] = None,
        output: Any = MISSING,
        usage: Optional[Any] = None,
    ) -> None:
        """Marks the task failed: with an exception (its traceback is the stack), a message, or
        ``error_message=``.

        Example::

            task.fail(err)
            other.fail(error_message="Connection refused")
        """
        suffix = self._fail_suffix(error, error_message, error_stack, output, usage)
        self.run_state.recorder.record(self.run_state, suffix, BLOCK)

    def skip(self, reason: Optional[str] = None) -> None:
        """Marks the task intentionally skipped (e.g. a cache hit made it unnecessary)."""
        suffix = self._skip_suffix(reason)
        self.run_state.recorder.record(self.run_state, suffix, BLOCK)

    # Used by task scopes, which never await for a sync task.
    complete_now = complete

    def fail_now(self, error: BaseException) -> None:
        self.fail(error)

    def __enter__(self) -> "Task":
        """``with run.start_task("x") as t:`` ends the task like a task scope."""
        self._tokens = enter(self.run_state, self)
        return self

    def __exit__(self, kind: Any, error: Optional[BaseException], tb: Any) -> bool:
        tokens, self._tokens = self._tokens, None
        if tokens is not None:
            leave(tokens)
        if self._status == "running":
            if error is None:
                self.complete()
            else:
                self.fail(error)
        return False
