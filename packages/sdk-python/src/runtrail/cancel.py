"""How a process learns that its run was cancelled on the server (``run.cancelled``).

The SDK learns it from the next ingest answer (heartbeats included), no polling.
``Run.cancelled`` is a :class:`CancelEvent` (``threading.Event``-like: ``wait()``
blocks), ``AsyncRun.cancelled`` an :class:`AsyncCancelEvent` (``asyncio.Event``-like:
``await wait()``). Both carry the :class:`~runtrail.errors.RunCancelledError`.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any, Callable, List, Optional, Tuple

from ._aio_wait import resolve
from .errors import RunCancelledError

logger = logging.getLogger("runtrail")

CancelCallback = Callable[[RunCancelledError], None]


class CancelState:
    """Shared by every handle on one run."""

    __slots__ = ("_event", "error", "_callbacks", "_waiters", "_lock")

    def __init__(self) -> None:
        self._event = threading.Event()
        self.error: Optional[RunCancelledError] = None
        self._callbacks: List[CancelCallback] = []
        self._waiters: List[Tuple[Any, Any]] = []
        self._lock = threading.Lock()

    def set(self, error: RunCancelledError) -> bool:
        """Marks the run cancelled; False if it already was. Runs the callbacks here."""
        with self._lock:
            if self.error is not None:
                return False
            self.error = error
            callbacks, self._callbacks = self._callbacks, []
            waiters, self._waiters = self._waiters, []
        self._event.set()
        for loop, future in waiters:
            try:
                loop.call_soon_threadsafe(resolve, future)
            except RuntimeError:  # that loop is closed: nobody waits there any more
                pass
        for callback in callbacks:
            _call(callback, error)
        return True

    def add_callback(self, callback: CancelCallback) -> None:
        with self._lock:
            error = self.error
            if error is None:
                self._callbacks.append(callback)
                return
        _call(callback, error)

    def wait(self, timeout: Optional[float]) -> bool:
        return self._event.wait(timeout)

    async def wait_async(self) -> None:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        with self._lock:
            if self.error is not None:
                return
            self._waiters.append((loop, future))
        await future


def _call(callback: CancelCallback, error: RunCancelledError) -> None:
    try:
        callback(error)
    except Exception:  # the application's bug; delivery goes on
        logger.exception("[runtrail] a run.cancelled callback raised")


class _CancelView:
    __slots__ = ("_state",)

    def __init__(self, state: CancelState) -> None:
        self._state = state

    def is_set(self) -> bool:
        """True once the run is known to be cancelled on the server."""
        return self._state.error is not None

    def __bool__(self) -> bool:
        return self._state.error is not None

    @property
    def error(self) -> Optional[RunCancelledError]:
        """The run's :class:`RunCancelledError` once cancelled, else None."""
        return self._state.error

    @property
    def reason(self) -> Optional[str]:
        """The reason given to the cancel, if any."""
        error = self._state.error
        return None if error is None else error.reason

    def add_callback(self, callback: CancelCallback) -> None:
        """Calls ``callback(error)`` once the run is cancelled (at once if it already is), on the
        thread (or loop) that delivers events. It must not block."""
        self._state.add_callback(callback)


class CancelEvent(_CancelView):
    """``threading.Event``-like view of a run's cancel.

    Example::

        while not run.cancelled.is_set():
            step()
        # or, in a watchdog thread:
        if run.cancelled.wait(timeout=60):
            print("cancelled:", run.cancelled.reason)
    """

    __slots__ = ()

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Blocks until the run is cancelled or ``timeout`` seconds pass; True when cancelled."""
        return self._state.wait(timeout)


class AsyncCancelEvent(_CancelView):
    """``asyncio.Event``-like view of a run's cancel.

    Example::

        watcher = asyncio.ensure_future(run.cancelled.wait())
        done, _ = await asyncio.wait({work, watcher}, return_when=asyncio.FIRST_COMPLETED)
    """

    __slots__ = ()

    async def wait(self) -> bool:
        """Returns True once the run is cancelled."""
        await self._state.wait_async()
        return True
