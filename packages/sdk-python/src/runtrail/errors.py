"""Typed errors, mirroring the TypeScript SDK's ``errors.ts`` (same names, same codes).

Misuse at a call site raises one of these at once; background delivery failures are
never raised but handed to ``on_error`` as a :class:`DeliveryError`. The read API
(``client.runs``) raises :class:`RunNotFoundError`, :class:`ApiError`,
:class:`WaitTimeoutError`, ...

Example::

    try:
        task.complete()
    except RuntrailError as err:
        print(err.code)  # "task_already_finished"
"""

from __future__ import annotations

from typing import Optional, Sequence, Tuple

__all__ = [
    "ApiError",
    "ClientClosedError",
    "DeliveryError",
    "InvalidArgumentError",
    "RunAlreadyFinishedError",
    "RunCancelledError",
    "RunNotFoundError",
    "RuntrailError",
    "TaskAlreadyFinishedError",
    "WaitTimeoutError",
]


class RuntrailError(Exception):
    """Base class of every error the SDK creates. ``code`` is stable and machine-readable.

    ``cause`` is the underlying error, if any (also ``__cause__``).
    """

    code: str

    def __init__(self, code: str, message: str, *, cause: Optional[BaseException] = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        if cause is not None:
            self.__cause__ = cause

    @property
    def cause(self) -> Optional[BaseException]:
        return self.__cause__


class InvalidArgumentError(RuntrailError, ValueError):
    """An argument is missing or has the wrong shape (empty task name, no API key, ...).

    Example::

        run.start_task("")  # raises InvalidArgumentError (code "invalid_argument")
    """

    def __init__(self, message: str, *, cause: Optional[BaseException] = None) -> None:
        super().__init__("invalid_argument", message, cause=cause)


class TaskAlreadyFinishedError(RuntrailError):
    """``complete``, ``fail``, ``skip``, ``update`` or ``start_task`` on a task that already finished."""

    def __init__(self, task_id: str, status: str) -> None:
        super().__init__("task_already_finished", f"Task {task_id} is already {status}; it cannot change again.")
        self.task_id = task_id
        #: The status the task already has.
        self.status = status


class RunAlreadyFinishedError(RuntrailError):
    """``start_task``, ``complete`` or ``fail`` on a run that already finished.

    On a run cancelled on the server, ``start_task`` raises the subclass
    :class:`RunCancelledError` (``complete`` and ``fail`` are then no-ops).
    """

    def __init__(
        self,
        run_id: str,
        status: str,
        *,
        message: Optional[str] = None,
        cause: Optional[BaseException] = None,
        code: str = "run_already_finished",
    ) -> None:
        super().__init__(code, message or f"Run {run_id} is already {status}; it cannot change again.", cause=cause)
        self.run_id = run_id
        #: The status the run already has (``"finished"`` when the server did not say which).
        self.status = status


class ClientClosedError(RuntrailError):
    """``start_run`` or ``run`` after ``client.shutdown()``."""

    def __init__(self) -> None:
        super().__init__(
            "client_closed", "This Runtrail client was shut down; create a new client to record more runs."
        )


class DeliveryError(RuntrailError):
    """A background delivery problem, passed to the ``on_error`` option; never raised.

    Example::

        Runtrail(on_error=lambda err: print(err.code, err.status, err.will_retry, err))
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        status: Optional[int] = None,
        event_count: int,
        will_retry: bool,
        details: Sequence[str] = (),
        cause: Optional[BaseException] = None,
    ) -> None:
        super().__init__(code, message, cause=cause)
        #: HTTP status of the answer, if there was one.
        self.status = status
        #: How many events the failed request carried.
        self.event_count = event_count
        #: True when the batch stays queued and will be sent again.
        self.will_retry = will_retry
        #: Per-event error strings from the server (for ``rejected`` events), or the error body.
        self.details: Tuple[str, ...] = tuple(details)


class RunCancelledError(RunAlreadyFinishedError):
    """The run was cancelled on the server (dashboard or ``client.runs.cancel()``).

    ``run.cancelled.error`` holds it once the process learns of the cancel from an
    ingest answer; ``run.start_task()`` and ``task.start_task()`` raise this same object.
    """

    def __init__(self, run_id: str, reason: Optional[str]) -> None:
        suffix = "" if reason is None else f": {reason}"
        super().__init__(run_id, "cancelled", code="run_cancelled", message=f"Run {run_id} was cancelled{suffix}.")
        #: The reason given to the cancel, if any.
        self.reason = reason


class RunNotFoundError(RuntrailError):
    """The server has no run with this id (HTTP 404), or it belongs to another project."""

    def __init__(self, run_id: str, *, message: Optional[str] = None, cause: Optional[BaseException] = None) -> None:
        super().__init__("run_not_found", message or f"Run {run_id} was not found.", cause=cause)
        self.run_id = run_id


class ApiError(RuntrailError):
    """A read or control request failed: an unexpected HTTP status, or no answer at all
    (``status`` None, the network error as ``cause``)."""

    def __init__(self, message: str, *, status: Optional[int] = None, cause: Optional[BaseException] = None) -> None:
        super().__init__("api_error", message, cause=cause)
        self.status = status


class WaitTimeoutError(RuntrailError):
    """``client.runs.wait()`` gave up: the run was still not finished after ``timeout`` seconds."""

    def __init__(
        self, run_id: str, timeout: float, last_status: Optional[str], *, cause: Optional[BaseException] = None
    ) -> None:
        super().__init__(
            "wait_timeout",
            f"Run {run_id} did not finish within {timeout:g} s (last status: {last_status or 'unknown'}).",
            cause=cause,
        )
        self.run_id = run_id
        self.timeout = timeout
        #: The status last seen, or None when no answer came in time.
        self.last_status = last_status
