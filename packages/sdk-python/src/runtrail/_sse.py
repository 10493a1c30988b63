"""A parser for ``text/event-stream`` (WHATWG server-sent events): ``event:``, multi-line ``data:``,
``id:``, ``retry:`` and comment lines, with LF, CR or CRLF line ends, fed text split anywhere."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import List, Optional


@dataclass
class SseMessage:
    event: str
    data: str
    #: The last event id seen so far on the stream.
    id: Optional[str]


class SseParser:
    def __init__(self) -> None:
        #: Last ``id:`` seen (it persists across messages, as the spec says).
        self.last_event_id: Optional[str] = None
        #: Last valid ``retry:``, in milliseconds.
        self.retry_ms: Optional[int] = None
        self.reset()

    def reset(self) -> None:
        """A new connection: drops a half-received message, keeps the last event id."""
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._buffer = ""
        self._event = ""
        self._data: List[str] = []
        self._saw_cr = False
        self._started = False

    def feed(self, chunk: bytes) -> List[SseMessage]:
        return self.push(self._decoder.decode(chunk))

    def push(self, text: str) -> List[SseMessage]:
        """Feeds decoded text; returns the messages it completed."""
        if not text:
            return []
        if not self._started:
            self._started = True
            if text.startswith("\ufeff"):
                text = text[1:]
        # A CR ended the previous chunk: an LF starting this one belongs to it.
        if self._saw_cr and text.startswith("\n"):
            text = text[1:]
        self._saw_cr = False
        messages: List[SseMessage] = []
        start = 0
        i = 0
        length = len(text)
        while i < length:
            c = text[i]
            if c == "\n" or c == "\r":
                self._line(self._buffer + text[start:i], messages)
                self._buffer = ""
                if c == "\r":
                    if i + 1 == length:
                        self._saw_cr = True
                    elif text[i + 1] == "\n":
                        i += 1
                start = i + 1
            i += 1
        self._buffer += text[start:]
        return messages

    def _line(self, line: str, messages: List[SseMessage]) -> None:
        if line == "":
            if self._data:
                messages.append(SseMessage(self._event or "message", "\n".join(self._data), self.last_event_id))
            self._event = ""
            self._data = []
            return
        if line.startswith(":"):  # a comment, e.g. ": ping"
            return
        field, colon, value = line.partition(":")
        if colon and value.startswith(" "):
            value = value[1:]
        if field == "event":
            self._event = value
        elif field == "data":
            self._data.append(value)
        elif field == "id":
            if "\0" not in value:
                self.last_event_id = value
        elif field == "retry":
            if value.isdigit() and value.isascii():
                self.retry_ms = int(value)
        # Unknown fields are ignored, as the spec says.
