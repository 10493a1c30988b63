"""Identifiers. Run ids are UUIDv7 (time-ordered, so the server's indexes stay
append-friendly). Task and event ids only need to be unique (the server treats
them as opaque text): a per-sequence random prefix plus a counter, cheap on the
recording path. A forked child draws new prefixes (see ``reseed_after_fork``).
"""

from __future__ import annotations

import itertools
import os
import time
from typing import Callable


def uuid7(now_ms: "int | None" = None) -> str:
    """A UUIDv7 (RFC 9562): 48-bit millisecond time, version 7, variant 10, 74 random bits."""
    ms = time.time_ns() // 1_000_000 if now_ms is None else now_ms
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & 0xFFFF_FFFF_FFFF) << 80 | 0x7 << 76 | (rand >> 68 & 0xFFF) << 64 | 0b10 << 62 | (rand & (1 << 62) - 1)
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def new_id_prefix() -> str:
    """80 random bits as hex, and the dot before a counter."""
    return os.urandom(10).hex() + "."


class IdSequence:
    """Ids ``<20 hex>.<n in hex>``: 80 random bits drawn once per sequence, then a counter.

    ``next()`` is safe from any thread: ``itertools.count`` is atomic under the GIL.
    """

    __slots__ = ("prefix", "_counter", "next")

    prefix: str
    next: Callable[[], str]

    def __init__(self) -> None:
        self.reseed()

    def reseed(self) -> None:
        """New random prefix and counter (a forked child must not repeat its parent's ids)."""
        self.prefix = new_id_prefix()
        self._counter = itertools.count()
        prefix = self.prefix
        counter = self._counter
        # A closure over locals: one call, one format, on the recording path.
        self.next = lambda: f"{prefix}{next(counter):x}"
