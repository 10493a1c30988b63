"""``client.runs``: read and control runs over the HTTP API (blocking) — list, get, poll, wait,
stream, cancel. Reads are retried a few times on network errors, 429 and 5xx (honouring
``Retry-After``); errors are typed (RunNotFoundError, RunAlreadyFinishedError, ApiError, ...)."""

from __future__ import annotations

import json
import random
import time
from typing import Any, Callable, Dict, Iterator, Optional, cast

from . import _api as api
from ._http_sync import Endpoint, Response, SyncConnection, SyncStream, is_timeout
from ._ingest import backoff_delay, parse_retry_after
from ._sse import SseParser
from .errors import ApiError, RuntrailError, WaitTimeoutError
from .protocol import RunDetail, RunInfo, RunPage, RunStreamEvent, RunSummaryInfo, is_terminal_run_status


class RunList:
    """What ``client.runs.list()`` returns: iterate it for pages, or ``items()`` for runs. Pages are
    fetched lazily, following ``nextCursor``; each iteration starts over.

    Example::

        for run in client.runs.list(status="failed", tag="nightly").items():
            print(run["id"], run["errorMessage"])
    """

    def __init__(self, fetch: Callable[[Optional[str]], RunPage], cursor: Optional[str]) -> None:
        self._fetch = fetch
        self._cursor = cursor

    def __iter__(self) -> Iterator[RunPage]:
        cursor = self._cursor
        while True:
            page = self._fetch(cursor)
            yield page
            following = page.get("nextCursor")
            # A missing or repeated cursor ends the walk rather than looping forever.
            if not isinstance(following, str) or following == "" or following == cursor:
                return
            cursor = following

    def items(self) -> Iterator[RunSummaryInfo]:
        for page in self:
            yield from page["data"]


class RunsApi:
    """Read and control runs: ``client.runs``.

    Example::

        detail = client.runs.get(run_id)            # {"run": {...}, "tasks": [...]}
        final = client.runs.wait(run_id, timeout=60)
        for event in client.runs.stream(run_id):    # {"type": "tasks"|"run"|"end", ...}
            print(event["type"])
        client.runs.cancel(run_id, reason="superseded")
    """

    def __init__(self, base_url: str, api_key: str, timeout: float, enabled: bool) -> None:
        self._endpoint = Endpoint.parse(base_url)
        self._api_key = api_key
        self._timeout = timeout
        self._enabled = enabled

    def _request(self, method: str, path: str, body: Any = None, run_id: Optional[str] = None) -> Any:
        if not self._enabled:
            raise api.disabled_error()
        payload = None if body is None else json.dumps(body).encode()
        extra = None if payload is None else {"content-type": "application/json"}
        headers = api.headers(self._api_key, extra)
        attempt = 0
        while True:
            conn = SyncConnection(self._endpoint, self._timeout)
            try:
                response: Optional[Response] = conn.request(method, path, headers, payload)
                failure: Optional[BaseException] = None
            except Exception as err:
                response, failure = None, err
            finally:
                conn.close()
            if response is None:
                # A POST that got no answer may have been applied: only reads are repeated.
                if method != "GET" or attempt >= api.READ_RETRIES:
                    what = f"timed out after {self._timeout:g} s" if failure and is_timeout(failure) else "could not reach the server"
                    raise ApiError(f"Runtrail API {method} {path} {what}.", cause=failure)
                delay = backoff_delay(attempt, api.READ_RETRY_BASE, api.READ_RETRY_MAX, random.random())
            else:
                if 200 <= response.status < 300:
                    try:
                        return json.loads(response.body)
                    except ValueError as err:
                        raise ApiError(f"Runtrail API {method} {path} answered HTTP {response.status} without JSON.",
                                       status=response.status, cause=err) from err
                retry_after = parse_retry_after(response.headers.get("retry-after"))
                if (not api.is_retryable(response.status, method) or attempt >= api.READ_RETRIES
                        or (retry_after is not None and retry_after > api.MAX_READ_RETRY_AFTER)):
                    raise api.to_api_error(response.status, response.body, method, path, run_id)
                delay = retry_after if retry_after is not None else backoff_delay(
                    attempt, api.READ_RETRY_BASE, api.READ_RETRY_MAX, random.random())
            attempt += 1
            time.sleep(delay)

    def list(self, *, status: Optional[str] = None, name: Optional[str] = None, tag: Optional[str] = None,
             parent_run_id: Optional[str] = None, from_: Optional[api.TimeLike] = None, to: Optional[api.TimeLike] = None,
             limit: Optional[int] = None, cursor: Optional[str] = None) -> RunList:
        """Lists runs, newest first (``from_``/``to``: datetimes or ISO-8601). Bad filters raise at once."""
        query = api.list_query(status, name, tag, parent_run_id, from_, to, limit)

        def fetch(page_cursor: Optional[str]) -> RunPage:
            return cast(RunPage, self._request("GET", api.with_query("/api/v1/runs", {**query, "cursor": page_cursor})))

        return RunList(fetch, cursor)

    def get(self, run_id: str) -> RunDetail:
        """The run and its tasks in timeline order; RunNotFoundError on 404."""
        return cast(RunDetail, self._request("GET", api.run_path(run_id, "get()"), run_id=run_id))

    def fetch_run(self, run_id: str, what: str) -> RunInfo:
        """The run without its tasks (``?tasks=false``); ``client.run(id)`` uses it too."""
        path = api.with_query(api.run_path(run_id, what), {"tasks": "false"})
        return cast(RunInfo, self._request("GET", path, run_id=run_id)["run"])

    def poll(self, run_id: str, *, interval: float = 1.0) -> Iterator[RunInfo]:
        """Yields the run (without tasks) at once, then whenever its status or task counts change;
        ends after yielding a finished run."""
        api.run_path(run_id, "poll()")
        every = api.check_positive(interval, "poll(): interval")

        def polling() -> Iterator[RunInfo]:
            last = ""
            while True:
                run = self.fetch_run(run_id, "poll()")
                key = f"{run['status']} {json.dumps(run.get('taskCounts'), sort_keys=True)}"
                if key != last:
                    last = key
                    yield run
                if is_terminal_run_status(run["status"]):
                    return
                time.sleep(every)

        return polling()

    def wait(self, run_id: str, *, timeout: float = 600.0) -> RunInfo:
        """The run once it has finished, polling with backoff (0.2 s, x1.5, up to 5 s).
        WaitTimeoutError after ``timeout`` seconds (default 10 minutes)."""
        api.run_path(run_id, "wait()")
        limit = api.check_positive(timeout, "wait(): timeout")
        deadline = time.monotonic() + limit
        delay = api.WAIT_FIRST
        last: Optional[RunInfo] = None
        last_error: Optional[BaseException] = None
        while True:
            try:
                last = self.fetch_run(run_id, "wait()")
                if is_terminal_run_status(last["status"]):
                    return last
            except ApiError as err:  # network trouble, 429 or 5xx after the retries: poll again while time is left
                if err.status is not None and err.status != 429 and err.status < 500:
                    raise
                last_error = err
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WaitTimeoutError(run_id, limit, None if last is None else last["status"], cause=last_error)
            time.sleep(min(delay, remaining))
            delay = min(delay * api.WAIT_FACTOR, api.WAIT_MAX)

    def stream(self, run_id: str, *, since: Optional[int] = None) -> Iterator[RunStreamEvent]:
        """Follows the run live (server-sent events): per change zero or more ``{"type": "tasks",
        "tasks"}`` then one ``{"type": "run", "run"}``; ``{"type": "end", "run"}`` last. Reconnects
        with ``Last-Event-ID`` when the connection drops. Close the iterator to stop early."""
        path = api.run_path(run_id, "stream()") + "/stream"
        api.check_since(since)
        if not self._enabled:
            raise api.disabled_error()
        return cast(Iterator[RunStreamEvent], self._stream(path, run_id, since))

    def _stream(self, path: str, run_id: str, since: Optional[int]) -> Iterator[Dict[str, Any]]:
        parser = SseParser()
        failures = 0
        while True:
            last_id = parser.last_event_id
            parser.reset()
            retry_after: Optional[float] = None
            extra = {"accept": "text/event-stream"}
            if last_id is not None:
                extra["last-event-id"] = last_id
            target = api.with_query(path, {"since": since} if last_id is None else None)
            try:
                stream = SyncStream(self._endpoint, target, api.headers(self._api_key, extra), self._timeout, api.STREAM_IDLE)
            except Exception as err:
                last_error: BaseException = ApiError(f"Runtrail API GET {path}: could not connect.", cause=err)
            else:
                try:
                    if not 200 <= stream.status < 300:
                        error = api.to_api_error(stream.status, stream.read_all(), "GET", path, run_id)
                        if not api.is_retryable(stream.status, "GET"):
                            raise error  # 404, 400, 401...: final
                        last_error = error
                        retry_after = parse_retry_after(stream.headers.get("retry-after"))
                    else:
                        for chunk in iter(stream.read, b""):
                            for message in parser.feed(chunk):
                                event = api.stream_event(message)
                                if event is None:
                                    continue
                                failures = 0
                                yield event
                                if event["type"] == "end":
                                    return
                        last_error = ApiError(f"Runtrail API GET {path}: the stream closed before its end event.")
                except RuntrailError:
                    raise
                except Exception as err:
                    last_error = ApiError(f"Runtrail API GET {path}: the stream broke.", cause=err)
                finally:
                    stream.close()
            failures += 1
            if failures > api.STREAM_MAX_FAILURES:
                raise ApiError(f"Runtrail API GET {path}: gave up after {failures} failed connections.", cause=last_error)
            backoff = backoff_delay(failures - 1, api.STREAM_RETRY_BASE, api.STREAM_RETRY_MAX, random.random())
            time.sleep(retry_after if retry_after is not None else max((parser.retry_ms or 0) / 1000, backoff, 0.05))

    def cancel(self, run_id: str, *, reason: Optional[str] = None) -> RunInfo:
        """Cancels a running run (and its running tasks); returns the cancelled run.
        RunNotFoundError (404), RunAlreadyFinishedError (409)."""
        path = api.run_path(run_id, "cancel()") + "/cancel"
        if reason is not None and not isinstance(reason, str):
            raise api.InvalidArgumentError("cancel(): reason must be a string.")
        body = {} if reason is None else {"reason": reason}
        return cast(RunInfo, self._request("POST", path, body, run_id)["run"])
