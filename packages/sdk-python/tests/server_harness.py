"""The real Runtrail server for integration tests: the built Next app (``next start``) as a child
process on a free port, on a throwaway Postgres database or a PGlite directory (apps/web/test/server.ts
and harness.ts do the same for the TypeScript tests). Needs ``next build`` first (turbo's test task does it).

Postgres: ``TEST_POSTGRES_URL`` (default the local server). Off CI an unreachable Postgres is announced
loudly and only PGlite runs; with CI=true it is a failure.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Dict, Optional
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[3]
WEB = REPO / "apps" / "web"
SDK_ENTRY = REPO / "packages" / "sdk" / "dist" / "index.js"
ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def next_bin() -> str:
    for candidate in (WEB / "node_modules" / ".bin" / "next", REPO / "node_modules" / ".bin" / "next"):
        if candidate.exists():
            return str(candidate)
    raise RuntimeError("next is not installed: run npm ci")


def _dying_with_us() -> list:
    """A prefix that makes the server get SIGKILL when this process dies, however it dies (Linux's
    parent-death signal, through util-linux's setpriv), so a killed test run leaves no server behind."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "KILL", "--"] if setpriv and sys.platform == "linux" else []


def psql(sql: str, url: str = ADMIN_URL) -> subprocess.CompletedProcess:
    env = {**os.environ, "PGCONNECT_TIMEOUT": "3"}
    return subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qtAc", sql], env=env, capture_output=True, text=True)


def postgres_available() -> bool:
    problem = None
    if shutil.which("psql") is None:
        problem = "psql is not installed (Debian: postgresql-client)"
    else:
        answer = psql("select 1")
        if answer.returncode != 0:
            problem = answer.stderr.strip()
    if problem is None:
        return True
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI=true but Postgres at {ADMIN_URL} is unusable: {problem}")
    line = "!" * 78
    sys.stderr.write(f"\n{line}\n!! Postgres at {ADMIN_URL} is NOT reachable: Python tests run on PGlite only.\n!! ({problem})\n{line}\n")
    return False


class Store:
    """A throwaway Postgres database or a PGlite directory; ``env`` starts a server on it."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.dir = tempfile.mkdtemp(prefix=f"runtrail-py-{kind}-")
        self._db: Optional[str] = None
        self.env: Dict[str, Optional[str]] = {"RUNTRAIL_DATA_DIR": self.dir, "DATABASE_URL": None}
        if kind == "postgres":
            self._db = f"runtrail_test_{secrets.token_hex(6)}"
            made = psql(f"create database {self._db}")
            if made.returncode != 0:
                raise RuntimeError(f"create database failed: {made.stderr}")
            parts = urlsplit(ADMIN_URL)
            self.env["DATABASE_URL"] = urlunsplit((parts.scheme, parts.netloc, f"/{self._db}", parts.query, ""))

    def cleanup(self) -> None:
        if self._db is not None:
            psql(f"drop database if exists {self._db} with (force)")
        shutil.rmtree(self.dir, ignore_errors=True)


class Server:
    """``next start`` on a store; ``kill()`` (SIGKILL) and ``start()`` again on the same port and store."""

    def __init__(self, store: Store, extra_env: Optional[Dict[str, str]] = None) -> None:
        self.store = store
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.api_key = f"rt_pytest_{secrets.token_hex(12)}"
        self._extra = extra_env or {}
        self._process: Optional[subprocess.Popen] = None
        self._log = tempfile.NamedTemporaryFile(prefix="runtrail-py-server-", suffix=".log", delete=False)

    def start(self, within: float = 120.0) -> "Server":
        env = {k: v for k, v in os.environ.items() if k not in ("RUNTRAIL_ADMIN_EMAIL", "RUNTRAIL_ADMIN_PASSWORD")}
        env.update({"NEXT_TELEMETRY_DISABLED": "1", "RUNTRAIL_QUIET": "1", "RUNTRAIL_SWEEP_INTERVAL_MS": "200"})
        for name, value in {**self.store.env, **self._extra, "RUNTRAIL_API_KEY": self.api_key}.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        self._process = subprocess.Popen(
            [*_dying_with_us(), next_bin(), "start", "-H", "127.0.0.1", "-p", str(self.port)],
            cwd=WEB, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + within
        while True:
            if self._process.poll() is not None:
                raise RuntimeError(f"server exited early ({self._process.returncode}):\n{self.output()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/health", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except (OSError, urllib.error.URLError):
                pass
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"server did not become healthy within {within:g} s:\n{self.output()}")
            time.sleep(0.1)

    def output(self) -> str:
        return Path(self._log.name).read_text(errors="replace")[-5000:]

    def kill(self) -> None:
        """At once (SIGKILL): no cleanup, no answers to requests in flight."""
        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)
            try:
                self._process.wait(5)
            except subprocess.TimeoutExpired:
                self.kill()

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}{path}", data=data, method=method)
        request.add_header("authorization", f"Bearer {self.api_key}")
        if data is not None:
            request.add_header("content-type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read())

    def run_json(self, run_id: str) -> Dict[str, Any]:
        return self.call("GET", f"/api/v1/runs/{run_id}")

    def logs(self, run_id: str) -> list:
        lines: list = []
        cursor = None
        while True:
            query = "?limit=1000" + (f"&cursor={urllib.request.quote(cursor)}" if cursor else "")
            page = self.call("GET", f"/api/v1/runs/{run_id}/logs{query}")
            lines += page["data"]
            cursor = page.get("nextCursor")
            if not cursor:
                return lines

    def env(self) -> Dict[str, str]:
        """What a child process needs to record here."""
        return {**os.environ, "RUNTRAIL_URL": self.url, "RUNTRAIL_API_KEY": self.api_key,
                "PYTHONPATH": str(REPO / "packages" / "sdk-python" / "src")}


def run_node(script: str, server: Server) -> str:
    """Runs a Node ES module script importing the built TypeScript SDK as ``SDK``; returns its stdout."""
    source = f"import * as SDK from {json.dumps(SDK_ENTRY.as_uri())};\n{script}"
    done = subprocess.run(["node", "--input-type=module", "-e", source], env=server.env(), capture_output=True,
                          text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"node failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def run_python(script: str, server: Server) -> str:
    done = subprocess.run([sys.executable, "-c", script], env=server.env(), capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"python failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


VOLATILE = {"id", "runId", "startedAt", "endedAt", "durationMs", "lastEventAt", "lastSeq", "seq", "version", "ts"}


def shape(detail: Dict[str, Any]) -> Dict[str, Any]:
    """A run's JSON without ids and times (parents named instead of numbered): what two runs recorded
    from the same script by different SDKs must share."""
    names = {task["id"]: task["name"] for task in detail.get("tasks", [])}

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                if key in VOLATILE:
                    continue
                out[key] = names.get(item, item) if key == "parentTaskId" else clean(item)
            return out
        if isinstance(value, list):
            return [clean(item) for item in value]
        return value

    return clean(detail)
