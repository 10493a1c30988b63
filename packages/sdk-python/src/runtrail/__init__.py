"""runtrail — record runs and tasks of agent and pipeline code for Runtrail, and read or control
them over the HTTP API. Standard library only.

Example::

    from runtrail import Runtrail
    client = Runtrail()  # RUNTRAIL_URL, RUNTRAIL_API_KEY
    run = client.start_run(name="report", input={"file": "report.pdf"})
    task = run.start_task("parse-pdf", input={"file": "report.pdf"})
    task.update(status_message="page 1 of 3", progress=0.33)
    task.complete(output={"pages": 3}, usage={"input_tokens": 1200, "cost_usd": 0.002})
    with run.task("summarise") as t:
        t.log("working")
    run.complete()
    client.shutdown()
"""

from ._context import TaskScope, current_run, current_task, task
from ._queue import DeliveryReport
from .aio import AsyncRun, AsyncTask
from .async_client import AsyncRuntrail
from .cancel import AsyncCancelEvent, CancelEvent
from .client import Runtrail
from .errors import (
    ApiError,
    ClientClosedError,
    DeliveryError,
    InvalidArgumentError,
    RunAlreadyFinishedError,
    RunCancelledError,
    RunNotFoundError,
    RuntrailError,
    TaskAlreadyFinishedError,
    WaitTimeoutError,
)
from ._run import Run
from ._task import Task
from .protocol import LIMITS
from .runs_api import RunList, RunsApi
from .runs_api_async import AsyncRunList, AsyncRunsApi

__version__ = "0.1.0"

__all__ = [
    "LIMITS",
    "ApiError",
    "AsyncCancelEvent",
    "AsyncRun",
    "AsyncRunList",
    "AsyncRunsApi",
    "AsyncRuntrail",
    "AsyncTask",
    "CancelEvent",
    "ClientClosedError",
    "DeliveryError",
    "DeliveryReport",
    "InvalidArgumentError",
    "Run",
    "RunAlreadyFinishedError",
    "RunCancelledError",
    "RunList",
    "RunNotFoundError",
    "RunsApi",
    "Runtrail",
    "RuntrailError",
    "Task",
    "TaskAlreadyFinishedError",
    "TaskScope",
    "WaitTimeoutError",
    "current_run",
    "current_task",
    "task",
]
