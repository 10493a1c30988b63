"""An in-process stand-in for ``POST /api/v1/ingest``, for unit tests of delivery (the real server
is used by the integration tests). It records what arrives and answers as scripted."""

from __future__ import annotations

import gzip
import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Deque, Dict, List, Optional, Set, Tuple

Answer = Tuple[int, Dict[str, str], Any]


class FakeIngest:
    def __init__(self) -> None:
        self.events: List[Dict[str, Any]] = []
        self.requests: List[Dict[str, Any]] = []
        #: Answers for the next requests, in order; a callable gets the batch.
        self.script: Deque[Any] = deque()
        self.cancelled: Dict[str, Optional[str]] = {}
        self.accept_gzip = True
        #: Batches with more events than this get 413 (like the server's batch limit).
        self.max_events: Optional[int] = None
        self.reject_ids: Set[str] = set()
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                raw = self.rfile.read(length)
                status, headers, body = fake._answer(dict(self.headers.items()), raw)
                data = json.dumps(body).encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def _answer(self, headers: Dict[str, str], raw: bytes) -> Answer:
        lower = {k.lower(): v for k, v in headers.items()}
        encoding = lower.get("content-encoding")
        if encoding == "gzip":
            if not self.accept_gzip:
                return 400, {}, {"error": {"code": "invalid_body", "message": "body: not JSON", "field": "body"}}
            raw = gzip.decompress(raw)
        batch = json.loads(raw)["batch"]
        with self.lock:
            self.requests.append({"headers": lower, "size": len(batch), "gzip": encoding == "gzip"})
            scripted = self.script.popleft() if self.script else None
        if callable(scripted):
            scripted = scripted(batch)
        if scripted is not None:
            return scripted
        if self.max_events is not None and len(batch) > self.max_events:
            return 413, {}, {"error": {"code": "payload_too_large", "message": "batch too large", "field": "batch"}}
        results = []
        with self.lock:
            for index, event in enumerate(batch):
                if event.get("id") in self.reject_ids or event.get("message") == "reject me":
                    results.append({"index": index, "id": event.get("id"), "status": "rejected", "error": f"batch[{index}].x: bad"})
                else:
                    self.events.append(event)
            self.arrived.notify_all()
            run_ids = {event.get("runId") for event in batch}
            cancelled = [{"runId": r, "reason": why} for r, why in self.cancelled.items() if r in run_ids]
        body = {"results": results, "accepted": len(batch) - len(results), "duplicates": 0, "conflicts": 0,
                "rejected": len(results), "cancelledRuns": cancelled}
        return (207 if results else 200), {}, body

    def wait_for(self, predicate: Callable[[List[Dict[str, Any]]], bool], timeout: float = 10.0) -> bool:
        with self.lock:
            return self.arrived.wait_for(lambda: predicate(self.events), timeout)

    def unique(self) -> int:
        """Distinct event ids received: what the real server stores (a batch sent twice counts once)."""
        with self.lock:
            return len({event["id"] for event in self.events})

    def types(self) -> List[str]:
        with self.lock:
            return [event["type"] for event in self.events]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
