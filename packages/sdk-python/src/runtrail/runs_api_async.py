"""``AsyncRuntrail.runs``: the read and control API of :mod:`runtrail.runs_api`, awaited, over asyncio."""

from __future__ import annotations

import asyncio
import json
import random
import time
from typing import Any, AsyncIterator, Awaitable, Callable, Dict, Optional, cast

from . import _api as api
from ._http_async import AsyncConnection, AsyncStream, is_timeout
from ._http_sync import Endpoint, Response
from ._ingest import backoff_delay, parse_retry_after
from ._sse import SseParser
from .errors import ApiError, RuntrailError, WaitTimeoutError
from .protocol import RunDetail, RunInfo, RunPage, RunStreamEvent, RunSummaryInfo, is_terminal_run_status


class AsyncRunList:
    """``async for page in client.runs.list(...)``, or ``async for run in ....items()``."""

    def __init__(self, fetch: Callable[[Optional[str]], Awaitable[RunPage]], cursor: Optional[str]) -> None:
        self._fetch = fetch
        self._cursor = cursor

    async def _pages(self) -> AsyncIterator[RunPage]:
        cursor = self._cursor
        while True:
            page = await self._fetch(cursor)
            yield page
            following = page.get("nextCursor")
            if not isinstance(following, str) or following == "" or following == cursor:
                return
            cursor = following

    def __aiter__(self) -> AsyncIterator[RunPage]:
        return self._pages()

    async def items(self) -> AsyncIterator[RunSummaryInfo]:
        async for page in self._pages():
            for run in page["data"]:
                yield run


class AsyncRunsApi:
    """Read and control runs: ``AsyncRuntrail.runs``; see :class:`runtrail.runs_api.RunsApi`."""

    def __init__(self, base_url: str, api_key: str, timeout: float, enabled: bool) -> None:
        self._endpoint = Endpoint.parse(base_url)
        self._api_key = api_key
        self._timeout = timeout
        self._enabled = enabled

    async def _request(self, method: str, path: str, body: Any = None, run_id: Optional[str] = None) -> Any:
        if not self._enabled:
            raise api.disabled_error()
        payload = None if body is None else json.dumps(body).encode()
        headers = api.headers(self._api_key, None if payload is None else {"content-type": "application/json"})
        attempt = 0
        while True:
            conn = AsyncConnection(self._endpoint, self._timeout)
            failure: Optional[BaseException] = None
            response: Optional[Response] = None
            try:
                response = await conn.request(method, path, headers, payload)
            except asyncio.CancelledError:
                raise
            except Exception as err:
                failure = err
            finally:
                await conn.close()
            if response is None:
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
            await asyncio.sleep(delay)

    def list(self, *, status: Optional[str] = None, name: Optional[str] = None, tag: Optional[str] = None,
             parent_run_id: Optional[str] = None, from_: Optional[api.TimeLike] = None, to: Optional[api.TimeLike] = None,
             limit: Optional[int] = None, cursor: Optional[str] = None) -> AsyncRunList:
        """Lists runs, newest first, as pages or ``items()``. Bad filters raise at once."""
        query = api.list_query(status, name, tag, parent_run_id, from_, to, limit)

        async def fetch(page_cursor: Optional[str]) -> RunPage:
            return cast(RunPage, await self._request("GET", api.with_query("/api/v1/runs", {**query, "cursor": page_cursor})))

        return AsyncRunList(fetch, cursor)

    async def get(self, run_id: str) -> RunDetail:
        return cast(RunDetail, await self._request("GET", api.run_path(run_id, "get()"), run_id=run_id))

    async def fetch_run(self, run_id: str, what: str) -> RunInfo:
        path = api.with_query(api.run_path(run_id, what), {"tasks": "false"})
        return cast(RunInfo, (await self._request("GET", path, run_id=run_id))["run"])

    def poll(self, run_id: str, *, interval: float = 1.0) -> AsyncIterator[RunInfo]:
        """Yields the run at once, then on each change of status or task counts; ends with the run."""
        api.run_path(run_id, "poll()")
        every = api.check_positive(interval, "poll(): interval")

        async def polling() -> AsyncIterator[RunInfo]:
            last = ""
            while True:
                run = await self.fetch_run(run_id, "poll()")
                key = f"{run['status']} {json.dumps(run.get('taskCounts'), sort_keys=True)}"
                if key != last:
                    last = key
                    yield run
                if is_terminal_run_status(run["status"]):
                    return
                await asyncio.sleep(every)

        return polling()

    async def wait(self, run_id: str, *, timeout: float = 600.0) -> RunInfo:
        """The run once finished; WaitTimeoutError after ``timeout`` seconds."""
        api.run_path(run_id, "wait()")
        limit = api.check_positive(timeout, "wait(): timeout")
        deadline = time.monotonic() + limit
        delay = api.WAIT_FIRST
        last: Optional[RunInfo] = None
        last_error: Optional[BaseException] = None
        while True:
            try:
                last = await asyncio.wait_for(self.fetch_run(run_id, "wait()"), max(0.001, deadline - time.monotonic()))
                if is_terminal_run_status(last["status"]):
                    return last
            except ApiError as err:
                if err.status is not None and err.status != 429 and err.status < 500:
                    raise
                last_error = err
            except asyncio.TimeoutError as err:
                last_error = err
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WaitTimeoutError(run_id, limit, None if last is None else last["status"], cause=last_error)
            await asyncio.sleep(min(delay, remaining))
            delay = min(delay * api.WAIT_FACTOR, api.WAIT_MAX)

    def stream(self, run_id: str, *, since: Optional[int] = None) -> AsyncIterator[RunStreamEvent]:
        """Follows the run live; see ``RunsApi.stream``. ``aclose()`` the iterator to stop early."""
        path = api.run_path(run_id, "stream()") + "/stream"
        api.check_since(since)
        if not self._enabled:
            raise api.disabled_error()
        return cast(AsyncIterator[RunStreamEvent], self._stream(path, run_id, since))

    async def _stream(self, path: str, run_id: str, since: Optional[int]) -> AsyncIterator[Dict[str, Any]]:
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
                stream = await AsyncStream.open(self._endpoint, target, api.headers(self._api_key, extra), self._timeout)
            except asyncio.CancelledError:
                raise
            except Exception as err:
                last_error: BaseException = ApiError(f"Runtrail API GET {path}: could not connect.", cause=err)
            else:
                try:
                    if not 200 <= stream.status < 300:
                        error = api.to_api_error(stream.status, await stream.read_all(), "GET", path, run_id)
                        if not api.is_retryable(stream.status, "GET"):
                            raise error
                        last_error = error
                        retry_after = parse_retry_after(stream.headers.get("retry-after"))
                    else:
                        while True:
                            chunk = await asyncio.wait_for(stream.read(), api.STREAM_IDLE)
                            if not chunk:
                                break
                            for message in parser.feed(chunk):
                                event = api.stream_event(message)
                                if event is None:
                                    continue
                                failures = 0
                                yield event
                                if event["type"] == "end":
                                    return
                        last_error = ApiError(f"Runtrail API GET {path}: the stream closed before its end event.")
                except (RuntrailError, asyncio.CancelledError, GeneratorExit):
                    raise
                except Exception as err:
                    last_error = ApiError(f"Runtrail API GET {path}: the stream broke.", cause=err)
                finally:
                    stream.close()
            failures += 1
            if failures > api.STREAM_MAX_FAILURES:
                raise ApiError(f"Runtrail API GET {path}: gave up after {failures} failed connections.", cause=last_error)
            backoff = backoff_delay(failures - 1, api.STREAM_RETRY_BASE, api.STREAM_RETRY_MAX, random.random())
            await asyncio.sleep(retry_after if retry_after is not None else max((parser.retry_ms or 0) / 1000, backoff, 0.05))

    async def cancel(self, run_id: str, *, reason: Optional[str] = None) -> RunInfo:
        """Cancels a running run; RunNotFoundError (404), RunAlreadyFinishedError (409)."""
        path = api.run_path(run_id, "cancel()") + "/cancel"
        if reason is not None and not isinstance(reason, str):
            raise api.InvalidArgumentError("cancel(): reason must be a string.")
        body = {} if reason is None else {"reason": reason}
        return cast(RunInfo, (await self._request("POST", path, body, run_id))["run"])
