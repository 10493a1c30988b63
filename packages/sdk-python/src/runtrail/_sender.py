"""Sending one batch to ``POST /api/v1/ingest`` until it gets through: blocking and asyncio forms.

Both retry network errors, timeouts, 408, 429 and 5xx after ``Retry-After`` or a
jittered backoff (see ``_ingest``), report each failure to ``on_error`` (never
raising), and stop when aborted: the blocking one when its stop event is set or
its deadline passes, the asyncio one when its task is cancelled.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Callable, List, Optional, Sequence

from . import _ingest as ingest
from ._batch import ABORTED, REJECTED, SENT, TOO_LARGE, Outcome, ReportError
from ._config import DEFAULTS, Config
from ._http_async import AsyncConnection
from ._http_async import is_timeout as async_is_timeout
from ._http_sync import Endpoint, Response, SyncConnection, is_timeout
from .errors import DeliveryError

logger = logging.getLogger("runtrail")

INGEST_PATH = "/api/v1/ingest?results=errors"


class _Attempts:
    """The retry bookkeeping both senders share: one request's answer (or failure) to an outcome or a delay."""

    def __init__(self, config: Config, report: ReportError) -> None:
        self.api_key = config.api_key
        self.gzip = config.gzip
        self.report = report

    def body(self, events: Sequence[bytes]) -> bytes:
        return ingest.batch_body(events)

    def payload(self, body: bytes) -> "tuple[bytes, bool]":
        compressed = self.gzip and len(body) >= ingest.GZIP_MIN_BYTES
        return (ingest.compress(body) if compressed else body), compressed

    def judge(
        self, attempt: int, count: int, response: Optional[Response], failure: Optional[BaseException], timed_out: bool,
        compressed: bool,
    ) -> "tuple[Optional[Outcome], float]":
        """(outcome, 0) when the batch is settled, (None, delay) to retry, (None, -1) to resend at once."""
        status: Optional[int] = None
        retry_after: Optional[float] = None
        details: List[str] = []
        if response is None:
            code = "timeout" if timed_out else "network_error"
        else:
            status = response.status
            if 200 <= status < 300:
                return Outcome(SENT, ingest.parse_ingest_body(status, response.body)), 0.0
            if compressed and ingest.refused_compression(status, response.body):
                self.gzip = False
                logger.warning(
                    "[runtrail] the server does not accept gzip request bodies (HTTP %d); sending plain JSON from now on.",
                    status,
                )
                return None, -1.0
            if status == 413:
                return Outcome(TOO_LARGE), 0.0
            details = [ingest.error_detail(response.body)]
            retryable = ingest.retry_code(status)
            if retryable is None:
                self.report(
                    DeliveryError(
                        "rejected", f"Runtrail rejected a batch of {count} events: HTTP {status}.",
                        status=status, event_count=count, will_retry=False, details=details,
                    )
                )
                return Outcome(REJECTED), 0.0
            code = retryable
            retry_after = ingest.parse_retry_after(response.headers.get("retry-after"))
        delay = (
            retry_after
            if retry_after is not None
            else ingest.backoff_delay(attempt, DEFAULTS.retry_base, DEFAULTS.retry_max, ingest.jitter())
        )
        what = code if status is None else f"HTTP {status}"
        self.report(
            DeliveryError(
                code, f"Sending {count} events to Runtrail failed ({what}); retrying in {round(delay * 1000)} ms.",
                status=status, event_count=count, will_retry=True, details=details, cause=failure,
            )
        )
        return None, delay


class BlockingSender:
    """For the delivery thread and the exit drain."""

    def __init__(self, config: Config, report: ReportError, stop: threading.Event, timeout: Optional[float] = None) -> None:
        self._attempts = _Attempts(config, report)
        self._conn = SyncConnection(Endpoint.parse(config.base_url), timeout or config.request_timeout)
        self._stop = stop
        #: Monotonic time after which sending gives up (ABORTED); None: never.
        self.deadline: Optional[float] = None

    def _aborted(self) -> bool:
        return self._stop.is_set() or (self.deadline is not None and time.monotonic() >= self.deadline)

    def send(self, events: Sequence[bytes]) -> Outcome:
        attempts = self._attempts
        body = attempts.body(events)
        attempt = 0
        while not self._aborted():
            payload, compressed = attempts.payload(body)
            headers = ingest.ingest_headers(attempts.api_key, compressed)
            try:
                response, failure = self._conn.request("POST", INGEST_PATH, headers, payload), None
            except Exception as err:
                response, failure = None, err
            outcome, delay = attempts.judge(
                attempt, len(events), response, failure, failure is not None and is_timeout(failure), compressed
            )
            if outcome is not None:
                return outcome
            if delay < 0:
                continue
            attempt += 1
            if self.deadline is not None:
                delay = min(delay, max(0.0, self.deadline - time.monotonic()))
            if self._stop.wait(delay):
                break
        return Outcome(ABORTED)

    def close(self) -> None:
        self._conn.close()


class AsyncSender:
    """For the asyncio runner; cancelling its task aborts the send."""

    def __init__(self, config: Config, report: ReportError, stopped: Callable[[], bool]) -> None:
        self._attempts = _Attempts(config, report)
        self._conn = AsyncConnection(Endpoint.parse(config.base_url), config.request_timeout)
        self._stopped = stopped

    async def send(self, events: Sequence[bytes]) -> Outcome:
        attempts = self._attempts
        body = attempts.body(events)
        attempt = 0
        while not self._stopped():
            payload, compressed = attempts.payload(body)
            headers = ingest.ingest_headers(attempts.api_key, compressed)
            try:
                response, failure = await self._conn.request("POST", INGEST_PATH, headers, payload), None
            except asyncio.CancelledError:
                raise
            except Exception as err:
                response, failure = None, err
            outcome, delay = attempts.judge(
                attempt, len(events), response, failure, failure is not None and async_is_timeout(failure), compressed
            )
            if outcome is not None:
                return outcome
            if delay >= 0:
                attempt += 1
                await asyncio.sleep(delay)
        return Outcome(ABORTED)

    async def close(self) -> None:
        await self._conn.close()
