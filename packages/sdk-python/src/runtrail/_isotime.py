"""ISO-8601 UTC times with milliseconds, as JavaScript's ``toISOString()`` writes them."""

from __future__ import annotations

import time


def iso_ms(ms: int) -> str:
    """``2024-05-01T12:00:00.123Z`` for milliseconds since 1970."""
    t = time.gmtime(ms // 1000)
    return (
        f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}T{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}.{ms % 1000:03d}Z"
    )
