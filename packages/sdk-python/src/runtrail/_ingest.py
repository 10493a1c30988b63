"""What an ingest answer means, independent of how it was fetched (threads or asyncio).

Retried until they get through (a batch is never given up while the client
lives): network errors, timeouts, 408, 429 and 5xx, after ``Retry-After`` when
the server sends one, else an exponential backoff with full jitter. 413 splits
the batch (a single event that still gets 413 is dropped as
``payload_too_large``); any other 4xx drops the batch as ``rejected``.
"""

from __future__ import annotations

import email.utils
import gzip as gzip_module
import json
import random
import re
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ._config import USER_AGENT

#: Longest ``Retry-After`` honoured; longer values are treated as a misconfiguration.
MAX_RETRY_AFTER = 600.0
#: Bodies smaller than this are not worth compressing.
GZIP_MIN_BYTES = 1024


def backoff_delay(attempt: int, base: float, cap: float, rand: float) -> float:
    """Full jitter: uniform in [0, min(cap, base * 2**attempt))."""
    return rand * min(cap, base * 2 ** min(attempt, 30))


def parse_retry_after(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """``Retry-After`` in seconds from now: delay-seconds or an HTTP date; None when absent or unreadable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        seconds = float(text)
    else:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:  # pyright: ignore[reportUnnecessaryComparison] - older Pythons return None
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return min(max(0.0, seconds), MAX_RETRY_AFTER)


def retry_code(status: int) -> Optional[str]:
    if status == 429:
        return "rate_limited"
    if status == 408:
        return "timeout"
    if status >= 500:
        return "server_error"
    return None


def error_detail(body: bytes) -> str:
    """The server's error message from an error body, else the raw text (short)."""
    text = body.decode("utf-8", "replace")
    try:
        message = json.loads(text)["error"]["message"]
        if isinstance(message, str):
            return message
    except (ValueError, KeyError, TypeError):
        pass
    return text[:500]


@dataclass
class IngestAnswer:
    """A 2xx answer: the rejected or conflicting events (``?results=errors``) and the cancelled runs."""

    status: int
    rejected: List[str] = field(default_factory=lambda: [])
    cancelled_runs: List[Tuple[str, Optional[str]]] = field(default_factory=lambda: [])


def parse_ingest_body(status: int, body: bytes) -> IngestAnswer:
    answer = IngestAnswer(status)
    try:
        parsed: Any = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        return answer
    if not isinstance(parsed, dict):
        return answer
    results = parsed.get("results")  # pyright: ignore[reportUnknownMemberType]
    if isinstance(results, list):
        for result in results:  # pyright: ignore[reportUnknownVariableType]
            if isinstance(result, dict) and result.get("status") == "rejected":  # pyright: ignore
                event_id = result.get("id") or "?"  # pyright: ignore
                error = result.get("error") or "rejected"  # pyright: ignore
                answer.rejected.append(f"batch[{result.get('index')}] (event {event_id}): {error}")  # pyright: ignore
    cancelled = parsed.get("cancelledRuns")  # pyright: ignore[reportUnknownMemberType]
    if isinstance(cancelled, list):
        for item in cancelled:  # pyright: ignore[reportUnknownVariableType]
            if isinstance(item, dict) and isinstance(item.get("runId"), str):  # pyright: ignore
                reason = item.get("reason")  # pyright: ignore
                answer.cancelled_runs.append((item["runId"], reason if isinstance(reason, str) else None))  # pyright: ignore
    return answer


def batch_body(events: Sequence[bytes]) -> bytes:
    return b'{"batch":[' + b",".join(events) + b"]}"


def ingest_headers(api_key: str, compressed: bool) -> Dict[str, str]:
    headers = {
        "authorization": f"Bearer {api_key}",
        "content-type": "application/json",
        "x-runtrail-sdk": USER_AGENT,
        "user-agent": f"runtrail-python/{USER_AGENT[3:]}",
    }
    if compressed:
        headers["content-encoding"] = "gzip"
    return headers


def compress(body: bytes) -> bytes:
    # Level 5: most of level 9's gain on JSON at a fraction of its time.
    return gzip_module.compress(body, compresslevel=5, mtime=0)


def refused_compression(status: int, body: bytes) -> bool:
    """A server that cannot read gzip bodies: 415, or a 400 about the body (it parsed the gzip bytes as JSON)."""
    if status == 415:
        return True
    if status != 400:
        return False
    try:
        problem = json.loads(body.decode("utf-8", "replace"))["error"]
        return problem.get("field") == "body" or problem.get("code") == "invalid_body"
    except (ValueError, KeyError, TypeError, AttributeError):
        return True


def jitter() -> float:
    return random.random()


def header(headers: Mapping[str, str], name: str) -> Optional[str]:
    return headers.get(name.lower())
