"""Blocking HTTP over ``http.client``: one keep-alive connection per user, and streamed answers.

A connection reused after the server closed it idle fails before any answer;
such a request is sent again once on a new connection (only then: a request
that got no answer on a fresh connection is the caller's to retry).
"""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass
from typing import Dict, Optional
from urllib.parse import urlsplit

#: A reused keep-alive connection the server had closed.
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, ConnectionAbortedError)


@dataclass(frozen=True)
class Endpoint:
    """Where the API is: scheme, host, port and the base URL's own path (without trailing slash)."""

    secure: bool
    host: str
    port: int
    base_path: str

    @staticmethod
    def parse(base_url: str) -> "Endpoint":
        parts = urlsplit(base_url)
        secure = parts.scheme.lower() == "https"
        host = parts.hostname or "127.0.0.1"
        return Endpoint(secure, host, parts.port or (443 if secure else 80), parts.path.rstrip("/"))

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.secure else 80
        return host if self.port == default else f"{host}:{self.port}"


@dataclass
class Response:
    status: int
    #: Lower-case names.
    headers: Dict[str, str]
    body: bytes


class _Connection(http.client.HTTPConnection):
    """http.client sends a request's head and body in two writes: without TCP_NODELAY the body
    waits for the server's delayed ACK of the head (~40 ms a request on Linux)."""

    def connect(self) -> None:
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _SecureConnection(http.client.HTTPSConnection):
    def connect(self) -> None:
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def is_timeout(error: BaseException) -> bool:
    return isinstance(error, (socket.timeout, TimeoutError))


class SyncConnection:
    """A keep-alive HTTP connection for one thread at a time."""

    def __init__(self, endpoint: Endpoint, timeout: float) -> None:
        self._endpoint = endpoint
        self._timeout = timeout
        self._conn: Optional[http.client.HTTPConnection] = None

    def _open(self, timeout: float) -> http.client.HTTPConnection:
        e = self._endpoint
        if e.secure:
            return _SecureConnection(e.host, e.port, timeout=timeout, context=ssl.create_default_context())
        return _Connection(e.host, e.port, timeout=timeout)

    def request(self, method: str, path: str, headers: Dict[str, str], body: Optional[bytes] = None) -> Response:
        """One request; raises OSError / http.client.HTTPException when no answer came."""
        for attempt in (0, 1):
            reused = self._conn is not None
            conn = self._conn if self._conn is not None else self._open(self._timeout)
            self._conn = conn
            try:
                conn.request(method, self._endpoint.base_path + path, body=body, headers=headers)
                answer = conn.getresponse()
                data = answer.read()
            except _STALE:
                self.close()
                if reused and attempt == 0:
                    continue
                raise
            except BaseException:
                self.close()
                raise
            if answer.will_close:
                self.close()
            return Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, data)
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except OSError:
                pass


class SyncStream:
    """A streamed GET: status and headers, then ``read()`` chunks until the body ends."""

    def __init__(self, endpoint: Endpoint, path: str, headers: Dict[str, str], timeout: float, idle: float) -> None:
        self._conn = SyncConnection(endpoint, timeout)._open(timeout)
        try:
            self._conn.request("GET", endpoint.base_path + path, headers=headers)
            self._answer = self._conn.getresponse()
            # From here on a silent connection (no bytes, not even a ping) counts as broken after `idle`.
            if self._conn.sock is not None:
                self._conn.sock.settimeout(idle)
        except BaseException:
            self._conn.close()
            raise
        self.status = self._answer.status
        self.headers = {k.lower(): v for k, v in self._answer.getheaders()}

    def read(self) -> bytes:
        """The next bytes (b"" at the end); raises socket.timeout after the idle time."""
        return self._answer.read1(65536)

    def read_all(self) -> bytes:
        return self._answer.read()

    def close(self) -> None:
        sock = self._conn.sock
        if sock is not None:
            try:  # wakes a read blocked in another thread
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._conn.close()
