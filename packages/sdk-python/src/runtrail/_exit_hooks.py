"""What happens to queued events when the process ends: one set of hooks per process, shared by
every client (the TypeScript SDK's ``exit-hooks.ts``, in Python's terms).

- Normal exit (the script ended, ``sys.exit()``, an uncaught exception, Ctrl-C's
  ``KeyboardInterrupt``): an ``atexit`` hook flushes each client for as long as
  delivery makes progress (giving up after ``exit_flush_timeout`` without any),
  then warns once if events are left.
- ``SIGTERM`` (and ``SIGINT`` when its disposition is the default, not Python's
  ``KeyboardInterrupt``): if nobody else handles the signal, each client flushes
  for at most its ``exit_flush_timeout``, then the default disposition is put
  back and the signal raised again, so the process dies exactly as it would have
  (killed by the signal). If the application had installed a handler before the
  first client, ours asks the clients to send now and calls the application's
  handler, which decides (its ``sys.exit()`` then runs the ``atexit`` flush). A
  handler installed after ours replaces it; the ``atexit`` hook still runs on the
  exits it makes. An ignored signal stays ignored. A second signal while we flush
  is raised at once.

Signal handlers can only be installed from the main thread: the hooks go in when
a client is made there (or at its first event there). ``os._exit()`` and SIGKILL
skip everything: call ``client.shutdown()`` before ``os._exit()``.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Protocol

logger = logging.getLogger("runtrail")


class ExitParticipant(Protocol):
    """A client as the hooks see it."""

    exit_flush_timeout: float

    def pending(self) -> int: ...

    def flush_for_exit(self, stall_timeout: float, deadline: Optional[float], in_signal: bool) -> None: ...

    def send_soon(self) -> None: ...


_SIGNALS = [signal.SIGTERM, signal.SIGINT]


class ExitHooks:
    def __init__(self) -> None:
        self._participants: List[ExitParticipant] = []
        self._lock = threading.Lock()
        self._atexit = False
        #: Signal -> the disposition found when ours went in.
        self._previous: Dict[int, Any] = {}
        self._flushing = False

    def register(self, participant: ExitParticipant) -> None:
        with self._lock:
            if participant not in self._participants:
                self._participants.append(participant)
        self.install()

    def unregister(self, participant: ExitParticipant) -> None:
        with self._lock:
            if participant in self._participants:
                self._participants.remove(participant)

    def install(self) -> None:
        """atexit once; the signal handlers once, from the main thread."""
        if not self._atexit:
            self._atexit = True
            atexit.register(self._on_exit)
        if threading.current_thread() is not threading.main_thread():
            return
        for signum in _SIGNALS:
            if signum in self._previous:
                continue
            try:
                current = signal.getsignal(signum)
            except (ValueError, OSError):
                continue
            # Ignored stays ignored; Python's own SIGINT handler raises KeyboardInterrupt, which exits through atexit.
            if current in (signal.SIG_IGN, None) or current is signal.default_int_handler:
                self._previous[signum] = None
                continue
            try:
                signal.signal(signum, self._on_signal)
            except (ValueError, OSError):  # pragma: no cover - not the main interpreter
                continue
            self._previous[signum] = current

    def _snapshot(self) -> List[ExitParticipant]:
        with self._lock:
            return list(self._participants)

    def _on_exit(self) -> None:
        participants = self._snapshot()
        for participant in participants:
            try:
                participant.flush_for_exit(participant.exit_flush_timeout, None, False)
            except Exception:
                logger.exception("[runtrail] flushing at exit failed")
        pending = sum(participant.pending() for participant in participants)
        if pending:
            logger.warning("[runtrail] exiting with %d undelivered events", pending)

    def _on_signal(self, signum: int, frame: Any) -> None:
        previous = self._previous.get(signum)
        if callable(previous):
            for participant in self._snapshot():
                participant.send_soon()
            handler: Callable[[int, Any], Any] = previous
            handler(signum, frame)
            return
        if not self._flushing:
            self._flushing = True
            try:
                participants = self._snapshot()
                limit = max((p.exit_flush_timeout for p in participants), default=0.0)
                deadline = time.monotonic() + limit
                for participant in participants:
                    try:
                        participant.flush_for_exit(participant.exit_flush_timeout, deadline, True)
                    except Exception:
                        logger.exception("[runtrail] flushing on signal %d failed", signum)
            finally:
                self._flushing = False
        self._reraise(signum)

    def _reraise(self, signum: int) -> None:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        # The default action of SIGTERM and SIGINT ends the process; should the signal be blocked
        # here, end it the way a shell reports a death by signal.
        time.sleep(1.0)
        os._exit(128 + signum)


_hooks: Optional[ExitHooks] = None
_hooks_lock = threading.Lock()


def _reset_locks_in_child() -> None:
    """A forked child inherits locks that another thread of the parent may have held."""
    global _hooks_lock
    _hooks_lock = threading.Lock()
    if _hooks is not None:
        _hooks._lock = threading.Lock()  # pyright: ignore[reportPrivateUsage]
        _hooks._flushing = False  # pyright: ignore[reportPrivateUsage]


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_locks_in_child)


def exit_hooks() -> ExitHooks:
    """The process-wide hooks every client joins."""
    global _hooks
    if _hooks is None:
        with _hooks_lock:
            if _hooks is None:
                _hooks = ExitHooks()
    return _hooks
