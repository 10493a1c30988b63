"""The runs of one client that are open (running here), by id: where ingest answers' ``cancelledRuns``
are looked up, where ``client.run(id)`` finds a run it already has, and what heartbeats walk.

Held weakly: a run stays open while some handle on it (a ``Run``, one of its
tasks) is alive. A run whose handles are all gone (a request handler that
raised before finishing it) can no longer be finished here; heartbeating it for
the life of the process would keep it ``running`` on the server forever, so it
leaves the set and the server times it out, which is what happened to it.

Heartbeats: on each tick, every open run that recorded nothing since the
previous tick gets a ``run.heartbeat``, unless delivery is stalled (events
queued and none delivered since the previous tick): the queued events will
refresh their runs when they get through, and a server that is down must not
make heartbeats pile up.
"""

from __future__ import annotations

import threading
import weakref
from typing import Callable, List, Optional

from ._core import NO_WAIT, TYPE, RunState

_HEARTBEAT = TYPE["run.heartbeat"] + "}"


class OpenRuns:
    def __init__(self, pending: Callable[[], int], delivered: Callable[[], int]) -> None:
        self._runs: "weakref.WeakValueDictionary[str, RunState]" = weakref.WeakValueDictionary()
        self._lock = threading.Lock()
        self._pending = pending
        self._delivered = delivered
        self._last_delivered = -1
        self.stopped = False

    def __len__(self) -> int:
        return len(self._runs)

    def get(self, run_id: str) -> Optional[RunState]:
        with self._lock:
            return self._runs.get(run_id)

    def add(self, run: RunState) -> None:
        if run.status != "running":
            return
        with self._lock:
            if not self._runs:
                self._last_delivered = self._delivered()
            self._runs[run.id] = run

    def remove(self, run: RunState) -> None:
        with self._lock:
            if self._runs.get(run.id) is run:
                del self._runs[run.id]

    def all(self) -> List[RunState]:
        with self._lock:
            return list(self._runs.values())

    def tick(self) -> None:
        """One heartbeat round (the runner calls it every ``heartbeat_interval``)."""
        if self.stopped:
            return
        delivered = self._delivered()
        stalled = self._pending() > 0 and delivered == self._last_delivered
        self._last_delivered = delivered
        for run in self.all():
            if not stalled and not run.clock.touched:
                run.recorder.record(run, _HEARTBEAT, NO_WAIT)
            # Cleared after the heartbeat too: recording it marks the run touched.
            run.clock.touched = False
