"""What happens to a batch after its request: acknowledged, counted, split, reported.

Independent of how the request was made; the thread runner, the asyncio runner
and the exit drain all settle their batches here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence, Tuple

from ._ingest import IngestAnswer
from ._queue import EventQueue
from .errors import DeliveryError

logger = logging.getLogger("runtrail")

SENT, TOO_LARGE, REJECTED, ABORTED = "sent", "too_large", "rejected", "aborted"

ReportError = Callable[[DeliveryError], None]
OnCancelled = Callable[[List[Tuple[str, Optional[str]]]], None]


@dataclass
class Outcome:
    kind: str
    answer: Optional[IngestAnswer] = None


def safe_report(on_error: Optional[Callable[[DeliveryError], None]]) -> ReportError:
    """``on_error`` that never raises into delivery (a throwing callback is the application's bug)."""

    def report(error: DeliveryError) -> None:
        if on_error is None:
            return
        try:
            on_error(error)
        except Exception:
            logger.exception("[runtrail] the on_error callback raised")

    return report


def settle(
    queue: EventQueue,
    first: int,
    events: Sequence[bytes],
    outcome: Outcome,
    report: ReportError,
    on_cancelled: OnCancelled,
    lock_timeout: float = -1,
) -> Optional[List[Tuple[int, Sequence[bytes]]]]:
    """Acknowledges the batch at ``first`` after ``outcome`` (not ABORTED); returns the halves to
    send instead when the server found it too large."""
    count = len(events)
    if outcome.kind == SENT and outcome.answer is not None:
        answer = outcome.answer
        queue.ack(first, count, rejected=len(answer.rejected), lock_timeout=lock_timeout)
        if answer.rejected:
            report(
                DeliveryError(
                    "rejected",
                    f"Runtrail rejected {len(answer.rejected)} of {count} events.",
                    status=answer.status,
                    event_count=len(answer.rejected),
                    will_retry=False,
                    details=answer.rejected,
                )
            )
        if answer.cancelled_runs:
            try:
                on_cancelled(answer.cancelled_runs)
            except Exception:
                logger.exception("[runtrail] applying cancelled runs failed")
        return None
    if outcome.kind == REJECTED:
        queue.ack(first, count, reason="rejected", lock_timeout=lock_timeout)
        return None
    if count > 1:
        half = (count + 1) // 2
        return [(first, events[:half]), (first + half, events[half:])]
    queue.ack(first, 1, reason="payload_too_large", lock_timeout=lock_timeout)
    report(
        DeliveryError(
            "payload_too_large",
            "Runtrail refused an event as too large (HTTP 413); dropped it.",
            status=413,
            event_count=1,
            will_retry=False,
        )
    )
    return None
