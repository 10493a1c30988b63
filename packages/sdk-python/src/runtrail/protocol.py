"""Wire protocol limits and the JSON shapes of the read API (``docs/api.md``).

The read API answers JSON as the server writes it (camelCase keys); these
TypedDicts describe it. Times are ISO-8601 strings.
"""

from __future__ import annotations

from typing import Any, Dict, List, Literal, Optional, TypedDict, Union

__all__ = [
    "LIMITS",
    "LogInfo",
    "LogLevel",
    "RunDetail",
    "RunInfo",
    "RunPage",
    "RunStatus",
    "RunStreamEvent",
    "RunSummaryInfo",
    "TaskCounts",
    "TaskInfo",
    "TaskStatus",
    "Usage",
    "UsageTotals",
]


class _Limits:
    """What the server accepts per event (the same numbers as the TypeScript SDK's ``LIMITS``).

    Lengths are in UTF-16 code units, as the server counts them.
    """

    __slots__ = ()
    #: Run, task and event ids (``run_id``, ``task_id``, ``parent_run_id``, ``parent_task_id``).
    id_chars = 200
    #: Run and task names: 1 .. 500.
    name_chars = 500
    #: ``error_message``, ``error_stack``, ``reason``, ``status_message``, log ``message``.
    text_chars = 65_536
    #: Tags per run, and characters per tag (1 .. 200).
    tags = 50
    tag_chars = 200
    #: Each usage number (tokens, cost).
    usage_max = 1e15
    #: Nesting of ``input``, ``output``, ``metadata`` and log ``attributes`` (``{}`` is 1).
    json_depth = 64


LIMITS = _Limits()

RunStatus = Literal["running", "completed", "failed", "cancelled", "timed_out"]
TaskStatus = Literal["running", "completed", "failed", "skipped", "cancelled"]
LogLevel = Literal["debug", "info", "warn", "error"]

RUN_STATUSES = ("running", "completed", "failed", "cancelled", "timed_out")
LOG_LEVELS = ("debug", "info", "warn", "error")


class Usage(TypedDict, total=False):
    """Tokens and cost of a run or task, given to ``complete`` or ``fail``; each 0 .. 1e15."""

    input_tokens: float
    output_tokens: float
    cost_usd: float


class UsageTotals(TypedDict):
    inputTokens: float
    outputTokens: float
    costUsd: float


class TaskCounts(TypedDict):
    total: int
    running: int
    completed: int
    failed: int
    skipped: int
    cancelled: int


class RunSummaryInfo(TypedDict):
    """A run in a list (``GET /api/v1/runs``): a :class:`RunInfo` without its payloads."""

    id: str
    name: str
    status: str
    errorMessage: Optional[str]
    tags: List[str]
    parentRunId: Optional[str]
    startedAt: str
    endedAt: Optional[str]
    durationMs: Optional[float]
    lastEventAt: str
    heartbeatTimeoutMs: Optional[int]
    #: Highest ``seq`` stored: a process resuming the run starts after it.
    lastSeq: int
    usage: UsageTotals
    taskCounts: TaskCounts
    logCount: int
    #: +1 per stored batch that changes the run; streams resume from it.
    version: int


class RunInfo(RunSummaryInfo):
    """A run as ``GET /api/v1/runs/:id`` shows it."""

    input: Any
    output: Any
    errorStack: Optional[str]
    metadata: Dict[str, Any]


class TaskInfo(TypedDict):
    id: str
    runId: str
    parentTaskId: Optional[str]
    name: str
    status: str
    input: Any
    output: Any
    errorMessage: Optional[str]
    errorStack: Optional[str]
    statusMessage: Optional[str]
    progress: Optional[float]
    usage: Optional[UsageTotals]
    seq: Optional[int]
    startedAt: Optional[str]
    endedAt: Optional[str]
    durationMs: Optional[float]
    version: int


class LogInfo(TypedDict):
    id: str
    runId: str
    taskId: Optional[str]
    seq: int
    ts: str
    level: str
    message: str
    attributes: Optional[Dict[str, Any]]


class RunPage(TypedDict):
    """One page of ``GET /api/v1/runs``; ``nextCursor`` is None on the last page."""

    data: List[RunSummaryInfo]
    nextCursor: Optional[str]


class RunDetail(TypedDict):
    """``GET /api/v1/runs/:id``: the run and its tasks in timeline order."""

    run: RunInfo
    tasks: List[TaskInfo]


class RunEvent(TypedDict):
    type: Literal["run", "end"]
    run: RunInfo


class TasksEvent(TypedDict):
    type: Literal["tasks"]
    tasks: List[TaskInfo]


#: What ``client.runs.stream()`` yields: zero or more ``tasks`` then one ``run`` per
#: change; ``end`` (the final run) last.
RunStreamEvent = Union[RunEvent, TasksEvent]


def is_terminal_run_status(status: str) -> bool:
    """True for the statuses a run never leaves."""
    return status != "running"
