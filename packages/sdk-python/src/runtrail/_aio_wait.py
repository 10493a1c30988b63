"""Waiting on a future with a time limit, without ``asyncio.wait_for``: on Python 3.9 to 3.11 that
can swallow a cancellation that arrives as the future completes, and a delivery task that misses
its cancel waits forever."""

from __future__ import annotations

import asyncio
from typing import Any, Optional


def resolve(future: "asyncio.Future[Any]") -> None:
    if not future.done():
        future.set_result(None)


async def wait_until(future: "asyncio.Future[Any]", timeout: Optional[float]) -> None:
    """Returns when ``future`` is done or ``timeout`` seconds passed (None: no limit); never raises on timeout."""
    loop = asyncio.get_running_loop()
    timer = None if timeout is None else loop.call_later(max(0.0, timeout), resolve, future)
    try:
        await future
    finally:
        if timer is not None:
            timer.cancel()
