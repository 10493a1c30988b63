"""Server-sent events parsing, Retry-After, backoff, ingest answers, API error mapping."""

import email.utils

from runtrail import ApiError, InvalidArgumentError, RunAlreadyFinishedError, RunNotFoundError
from runtrail._api import to_api_error
from runtrail._ingest import backoff_delay, parse_ingest_body, parse_retry_after
from runtrail._sse import SseParser


def test_sse_parser_handles_any_split_and_line_end():
    text = ": ping\r\nevent: tasks\r\ndata: [1,\r\ndata: 2]\r\nid: 7\r\n\r\nevent: run\ndata: {}\n\nretry: 1500\rdata: x\r\r"
    for size in (1, 2, 3, len(text)):
        parser = SseParser()
        messages = []
        for i in range(0, len(text), size):
            messages += parser.push(text[i : i + size])
        assert [(m.event, m.data, m.id) for m in messages] == [("tasks", "[1,\n2]", "7"), ("run", "{}", "7"), ("message", "x", "7")]
        assert parser.retry_ms == 1500
    parser = SseParser()
    assert [m.data for m in parser.feed("data: é\n\n".encode()[:7]) + parser.feed("data: é\n\n".encode()[7:])] == ["é"]


def test_retry_after_and_backoff():
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    assert parse_retry_after("99999") == 600.0
    date = email.utils.formatdate(1_000_010, usegmt=True)
    assert parse_retry_after(date, now=1_000_000) == 10.0
    assert 0 <= backoff_delay(0, 0.1, 5.0, 0.999) < 0.1
    assert backoff_delay(50, 0.1, 5.0, 0.5) == 2.5


def test_ingest_answers():
    body = b'{"results":[{"index":2,"id":"e2","status":"rejected","error":"batch[2].taskId: required"},' \
           b'{"index":3,"id":"e3","status":"conflict"}],"cancelledRuns":[{"runId":"r1","reason":"user asked"},{"runId":"r2"}]}'
    answer = parse_ingest_body(207, body)
    assert answer.rejected == ["batch[2] (event e2): batch[2].taskId: required"]
    assert answer.cancelled_runs == [("r1", "user asked"), ("r2", None)]
    assert parse_ingest_body(200, b"not json").rejected == []


def test_api_errors_are_typed():
    assert isinstance(to_api_error(404, b'{"error":{"message":"no"}}', "GET", "/x", "r1"), RunNotFoundError)
    conflict = to_api_error(409, b'{"error":{"code":"already_finished","message":"run is completed"}}', "POST", "/x", "r1")
    assert isinstance(conflict, RunAlreadyFinishedError) and conflict.status == "completed"
    assert isinstance(to_api_error(400, b'{"error":{"message":"limit: bad"}}', "GET", "/x", None), InvalidArgumentError)
    other = to_api_error(401, b"<html>", "GET", "/x", None)
    assert isinstance(other, ApiError) and other.status == 401 and other.code == "api_error"
