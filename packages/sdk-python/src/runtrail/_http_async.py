"""HTTP/1.1 over asyncio streams (the standard library has no asyncio HTTP client).

Enough of HTTP/1.1 for this API: requests with a body and ``Content-Length``,
answers by ``Content-Length``, ``chunked`` or until close, keep-alive, TLS.
A request on a reused connection that the server had closed idle is sent again
once on a new one, as in ``_http_sync``.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from typing import Dict, Optional, Tuple

from ._http_sync import Endpoint, Response

_STALE = (ConnectionResetError, BrokenPipeError, ConnectionAbortedError, asyncio.IncompleteReadError)


class _Closed(ConnectionResetError):
    """The server closed the connection before answering."""


def is_timeout(error: BaseException) -> bool:
    return isinstance(error, (asyncio.TimeoutError, socket.timeout, TimeoutError))


async def _connect(endpoint: Endpoint) -> Tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    if endpoint.secure:
        context = ssl.create_default_context()
        return await asyncio.open_connection(endpoint.host, endpoint.port, ssl=context, server_hostname=endpoint.host)
    return await asyncio.open_connection(endpoint.host, endpoint.port)


def _request_head(endpoint: Endpoint, method: str, path: str, headers: Dict[str, str], length: Optional[int]) -> bytes:
    lines = [f"{method} {endpoint.base_path}{path} HTTP/1.1", f"Host: {endpoint.host_header}"]
    lines.extend(f"{name}: {value}" for name, value in headers.items())
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _read_head(reader: asyncio.StreamReader) -> Tuple[int, Dict[str, str]]:
    while True:
        line = await reader.readline()
        if not line:
            raise _Closed("the server closed the connection before answering")
        parts = line.decode("latin-1").split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/"):
            raise ConnectionError(f"not an HTTP answer: {line[:80]!r}")
        status = int(parts[1])
        headers: Dict[str, str] = {}
        while True:
            field = await reader.readline()
            if field in (b"\r\n", b"\n", b""):
                break
            name, _, value = field.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if not 100 <= status < 200:  # interim answers (100 Continue) are skipped
            return status, headers


async def _read_chunk(reader: asyncio.StreamReader) -> bytes:
    """One chunk of a chunked body; b"" after the last (trailers read)."""
    size_line = await reader.readline()
    if not size_line:
        raise asyncio.IncompleteReadError(b"", None)
    size = int(size_line.split(b";", 1)[0].strip() or b"0", 16)
    if size == 0:
        while (await reader.readline()) not in (b"\r\n", b"\n", b""):
            pass
        return b""
    data = await reader.readexactly(size)
    await reader.readexactly(2)
    return data


class _Body:
    """Reads an answer's body as it comes."""

    def __init__(self, reader: asyncio.StreamReader, status: int, headers: Dict[str, str], method: str) -> None:
        self._reader = reader
        self.chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        length = headers.get("content-length")
        empty = method == "HEAD" or status in (204, 304)
        self._left: Optional[int] = 0 if empty else (int(length) if length is not None and not self.chunked else None)
        self.until_close = not self.chunked and self._left is None
        self.done = self._left == 0

    async def read(self) -> bytes:
        if self.done:
            return b""
        if self.chunked:
            data = await _read_chunk(self._reader)
        elif self._left is not None:
            data = await self._reader.read(min(self._left, 65536))
            if not data:
                raise asyncio.IncompleteReadError(b"", self._left)
            self._left -= len(data)
        else:
            data = await self._reader.read(65536)
        if not data or self._left == 0:
            self.done = True
        return data

    async def read_all(self) -> bytes:
        parts = []
        while not self.done:
            parts.append(await self.read())
        return b"".join(parts)


class AsyncConnection:
    """A keep-alive connection for one task at a time."""

    def __init__(self, endpoint: Endpoint, timeout: float) -> None:
        self._endpoint = endpoint
        self._timeout = timeout
        self._streams: Optional[Tuple[asyncio.StreamReader, asyncio.StreamWriter]] = None

    async def request(self, method: str, path: str, headers: Dict[str, str], body: Optional[bytes] = None) -> Response:
        """One request within the timeout; raises OSError / asyncio.TimeoutError when no answer came."""
        for attempt in (0, 1):
            reused = self._streams is not None
            try:
                return await asyncio.wait_for(self._exchange(method, path, headers, body), self._timeout)
            except _STALE:
                await self.close()
                if reused and attempt == 0:
                    continue
                raise
            except BaseException:
                await self.close()
                raise
        raise AssertionError("unreachable")  # pragma: no cover

    async def _exchange(self, method: str, path: str, headers: Dict[str, str], body: Optional[bytes]) -> Response:
        if self._streams is None:
            self._streams = await _connect(self._endpoint)
        reader, writer = self._streams
        writer.write(_request_head(self._endpoint, method, path, headers, None if body is None else len(body)))
        if body:
            writer.write(body)
        await writer.drain()
        status, answer_headers = await _read_head(reader)
        reader_body = _Body(reader, status, answer_headers, method)
        data = await reader_body.read_all()
        if reader_body.until_close or answer_headers.get("connection", "").lower() == "close":
            await self.close()
        return Response(status, answer_headers, data)

    async def close(self) -> None:
        streams, self._streams = self._streams, None
        if streams is not None:
            streams[1].close()
            try:
                await asyncio.wait_for(streams[1].wait_closed(), 1.0)
            except (OSError, asyncio.TimeoutError, asyncio.CancelledError, ssl.SSLError):
                pass


class AsyncStream:
    """A streamed GET: ``status`` and ``headers``, then ``read()`` chunks until b""."""

    status: int
    headers: Dict[str, str]

    def __init__(self) -> None:
        self._writer: Optional[asyncio.StreamWriter] = None
        self._body: Optional[_Body] = None

    @staticmethod
    async def open(endpoint: Endpoint, path: str, headers: Dict[str, str], timeout: float) -> "AsyncStream":
        stream = AsyncStream()

        async def start() -> None:
            reader, writer = await _connect(endpoint)
            stream._writer = writer
            writer.write(_request_head(endpoint, "GET", path, {**headers, "connection": "close"}, None))
            await writer.drain()
            stream.status, stream.headers = await _read_head(reader)
            stream._body = _Body(reader, stream.status, stream.headers, "GET")

        try:
            await asyncio.wait_for(start(), timeout)
        except BaseException:
            stream.close()
            raise
        return stream

    async def read(self) -> bytes:
        return b"" if self._body is None else await self._body.read()

    async def read_all(self) -> bytes:
        return b"" if self._body is None else await self._body.read_all()

    def close(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()
