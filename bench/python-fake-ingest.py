"""A stand-in for POST /api/v1/ingest for bench/python-overhead.py, in a process of its own so its
work does not share the bench's interpreter: answers every batch at once with HTTP 200 in the shape
the SDK asks for (``?results=errors``: no results, the counts), counting the events it got.
Prints its port, then serves until stdin closes. GET /count answers the events received so far."""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

received = 0
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format, *args):
        pass

    def _answer(self, body):
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        global received
        raw = self.rfile.read(int(self.headers.get("content-length", "0")))
        count = raw.count(b'"seq":')
        with lock:
            received += count
        self._answer({"results": [], "accepted": count, "duplicates": 0, "conflicts": 0, "rejected": 0, "cancelledRuns": []})

    def do_GET(self):
        with lock:
            self._answer({"received": received})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
print(server.server_address[1], flush=True)
sys.stdin.read()
