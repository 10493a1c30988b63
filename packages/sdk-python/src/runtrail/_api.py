"""What the read and control API's sync and async clients share: paths, filters, typed errors,
which answers are worth another attempt."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any, Dict, Mapping, Optional, Union
from urllib.parse import quote, urlencode

from ._config import USER_AGENT
from ._sse import SseMessage
from .errors import ApiError, InvalidArgumentError, RunAlreadyFinishedError, RunNotFoundError, RuntrailError
from .protocol import RUN_STATUSES

#: A Retry-After longer than this makes a read give up rather than stall its caller.
MAX_READ_RETRY_AFTER = 60.0
READ_RETRIES = 3
READ_RETRY_BASE = 0.2
READ_RETRY_MAX = 5.0
#: ``runs.wait()``: first poll after 200 ms, then x1.5, at most 5 s apart.
WAIT_FIRST, WAIT_FACTOR, WAIT_MAX = 0.2, 1.5, 5.0
#: ``runs.stream()``: reconnect after silence (the server pings every 15 s), give up after 8 failures in a row.
STREAM_IDLE, STREAM_MAX_FAILURES, STREAM_RETRY_BASE, STREAM_RETRY_MAX = 45.0, 8, 0.25, 5.0
_RUN_STATUS = re.compile(r"\b(completed|failed|cancelled|timed_out)\b")

Query = Mapping[str, Union[str, int, None]]
TimeLike = Union[datetime.datetime, str]


def run_path(run_id: object, what: str) -> str:
    if not isinstance(run_id, str) or run_id == "":
        raise InvalidArgumentError(f"{what}: run id must be a non-empty string.")
    return "/api/v1/runs/" + quote(run_id, safe="")


def with_query(path: str, query: Optional[Query]) -> str:
    items = {k: str(v) for k, v in (query or {}).items() if v is not None}
    return path if not items else f"{path}?{urlencode(items)}"


def headers(api_key: str, extra: Optional[Dict[str, str]] = None) -> Dict[str, str]:
    out = {"authorization": f"Bearer {api_key}", "x-runtrail-sdk": USER_AGENT}
    out.update(extra or {})
    return out


def is_retryable(status: int, method: str) -> bool:
    """POSTs only when the server surely did nothing."""
    if method != "GET":
        return status in (429, 503)
    return status in (408, 429) or status >= 500


def to_api_error(status: int, body: bytes, method: str, path: str, run_id: Optional[str]) -> RuntrailError:
    """Maps a non-2xx answer: 404 RunNotFoundError, 409 RunAlreadyFinishedError, 400
    InvalidArgumentError, anything else ApiError."""
    text = body.decode("utf-8", "replace")
    message: Optional[str] = None
    status_field: Any = None
    try:
        parsed: Any = json.loads(text)
        problem: Any = parsed.get("error") if isinstance(parsed, dict) else None  # pyright: ignore
        if isinstance(problem, dict):
            found: Any = problem.get("message")  # pyright: ignore
            message = found if isinstance(found, str) else None
            status_field = problem.get("status")  # pyright: ignore
        if status_field is None and isinstance(parsed, dict):
            status_field = parsed.get("status")  # pyright: ignore
    except ValueError:  # not JSON (a proxy's HTML page, say): keep a short piece of the raw text
        message = text[:300] or None
    where = f"{method} {path}"
    if status == 404 and run_id is not None:
        return RunNotFoundError(run_id, message=f"Run {run_id} was not found{f' ({message})' if message else ''}.")
    if status == 409 and run_id is not None:
        match = _RUN_STATUS.search(message or "")
        found_status = status_field if isinstance(status_field, str) else (match.group(1) if match else "finished")
        return RunAlreadyFinishedError(run_id, found_status, message=message)
    if status == 400:
        return InvalidArgumentError(message or f"Runtrail refused {where} (HTTP 400).")
    return ApiError(f"Runtrail API {where} failed: HTTP {status}{f': {message}' if message else ''}", status=status)


def _iso(value: Optional[TimeLike], what: str) -> Optional[str]:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise InvalidArgumentError(f"list(): {what} must be timezone-aware (datetime.now(timezone.utc)).")
        return value.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(value, str):  # pyright: ignore[reportUnnecessaryIsInstance]
        try:
            datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidArgumentError(f"list(): {what} must be a datetime or an ISO-8601 string, got {value!r}.") from None
        return value
    raise InvalidArgumentError(f"list(): {what} must be a datetime or an ISO-8601 string.")


def list_query(
    status: Optional[str], name: Optional[str], tag: Optional[str], parent_run_id: Optional[str],
    from_: Optional[TimeLike], to: Optional[TimeLike], limit: Optional[int],
) -> Dict[str, Union[str, int, None]]:
    """Checks a ``runs.list()`` filter at the call (misuse raises there, not on first iteration)."""
    if status is not None and status not in RUN_STATUSES:
        raise InvalidArgumentError(f"list(): status must be one of {', '.join(RUN_STATUSES)}, got {status!r}.")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= 200):
        raise InvalidArgumentError(f"list(): limit must be an integer from 1 to 200, got {limit!r}.")
    for key, value in (("name", name), ("tag", tag), ("parent_run_id", parent_run_id)):
        if value is not None and not isinstance(value, str):
            raise InvalidArgumentError(f"list(): {key} must be a string.")
    return {
        "status": status, "name": name, "tag": tag, "parentRunId": parent_run_id,
        "from": _iso(from_, "from_"), "to": _iso(to, "to"), "limit": limit,
    }


def check_positive(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0 or value == float("inf"):
        raise InvalidArgumentError(f"{what} must be a positive number of seconds, got {value!r}.")
    return float(value)


def check_since(since: Optional[int]) -> None:
    if since is not None and (isinstance(since, bool) or not isinstance(since, int) or since < 0):
        raise InvalidArgumentError(f"stream(): since must be a run version (an integer >= 0), got {since!r}.")


def stream_event(message: SseMessage) -> Optional[Dict[str, Any]]:
    """A stream message as ``{"type": "run"|"end", "run"}`` or ``{"type": "tasks", "tasks"}``; None to skip."""
    try:
        data: Any = json.loads(message.data)
    except ValueError:
        return None  # a malformed message is skipped, not fatal
    if message.event == "tasks":
        return {"type": "tasks", "tasks": data} if isinstance(data, list) else None
    if message.event in ("run", "end") and isinstance(data, dict):
        return {"type": message.event, "run": data}
    return None


def disabled_error() -> RuntrailError:
    return RuntrailError("disabled", "Runtrail is disabled (enabled=False or RUNTRAIL_DISABLED); client.runs needs a server.")
