"""The sync client's delivery against a scripted stand-in server: order, retries, splits, drops, cancels."""

import time

import pytest

from fake_ingest import FakeIngest
from runtrail import RunCancelledError, Runtrail, RuntrailError


@pytest.fixture
def server():
    fake = FakeIngest()
    yield fake
    fake.close()


def client_for(server, **options):
    errors = []
    options.setdefault("flush_interval", 0.05)
    client = Runtrail(base_url=server.url, api_key="k", on_error=errors.append, **options)
    client.errors = errors
    return client


def test_delivers_in_order_in_batches_with_the_report_of_the_typescript_sdk(server):
    client = client_for(server, max_batch_size=7)
    run = client.start_run(name="ordered")
    for n in range(20):
        run.start_task(f"t{n}", input={"n": n}).complete(output=n)
    run.complete()
    report = client.shutdown(10)
    assert report.to_dict() == {"sent": 42, "pending": 0, "dropped": {"queue_overflow": 0, "payload_too_large": 0, "rejected": 0}}
    seqs = [event["seq"] for event in server.events]
    assert seqs == sorted(seqs) and len(set(seqs)) == 42
    assert max(request["size"] for request in server.requests) <= 7
    headers = server.requests[0]["headers"]
    assert headers["authorization"] == "Bearer k" and headers["x-runtrail-sdk"] == "py/0.1.0"
    assert client.shutdown() is report  # twice: the same report


def test_retries_5xx_and_429_honouring_retry_after_then_delivers(server):
    server.script.extend([(503, {"retry-after": "0"}, {"error": {"message": "store down"}}), (429, {"retry-after": "0"}, {}), None])
    client = client_for(server)
    client.start_run(name="retried").complete()
    report = client.shutdown(10)
    assert report.sent == 2 and server.types() == ["run.start", "run.complete"]
    assert [(e.code, e.status, e.will_retry) for e in client.errors] == [("server_error", 503, True), ("rate_limited", 429, True)]
    assert client.errors[0].details == ("store down",)


def test_a_413_splits_the_batch_and_a_single_event_that_is_still_too_large_is_dropped(server):
    server.max_events = 2
    client = client_for(server, max_batch_size=8)
    run = client.start_run(name="split")
    for n in range(6):
        run.log(f"line {n}")
    report = client.flush(10)
    assert report.sent == 7 and report.pending == 0
    server.max_events = 0  # now even one event is too large
    run.log("too large")
    report = client.shutdown(10)
    assert report.dropped["payload_too_large"] == 1
    assert [e.code for e in client.errors] == ["payload_too_large"]


def test_rejections_are_counted_and_reported_never_raised(server):
    client = client_for(server)
    run = client.start_run(name="rejected")
    run.log("reject me")
    run.log("fine")
    report = client.flush(10)
    assert report.sent == 2 and report.dropped["rejected"] == 1
    assert client.errors[0].code == "rejected" and "batch[1].x: bad" in client.errors[0].details[0]
    server.script.append((400, {}, {"error": {"code": "invalid_body", "message": "batch: must be an array"}}))
    run.log("whole batch refused")
    report = client.shutdown(10)
    assert report.dropped["rejected"] == 2


def test_gzip_bodies_and_the_fallback_for_a_server_that_cannot_read_them(server):
    client = client_for(server, gzip=True)
    run = client.start_run(name="gzip", input={"text": "x" * 5000})
    client.flush(10)
    assert server.requests[-1]["gzip"] is True
    server.accept_gzip = False
    run.complete(output={"text": "y" * 5000})
    report = client.shutdown(10)
    assert report.sent == 2 and report.dropped["rejected"] == 0
    assert server.types() == ["run.start", "run.complete"] and server.requests[-1]["gzip"] is False


def test_learns_of_a_cancel_from_an_ingest_answer(server):
    client = client_for(server, heartbeat_interval=0.1, heartbeat_timeout=5)
    run = client.start_run(name="to cancel")
    seen = []
    run.cancelled.add_callback(lambda error: seen.append(error.reason))
    task = run.start_task("working")
    client.flush(10)
    server.cancelled[run.id] = "user asked"
    assert run.cancelled.wait(10)  # the next heartbeat's answer says so
    assert run.status == "cancelled" and seen == ["user asked"]
    with pytest.raises(RunCancelledError) as raised:
        run.start_task("late")
    assert raised.value is run.cancelled.error and raised.value.reason == "user asked"
    with pytest.raises(RunCancelledError):
        run.raise_if_cancelled()
    run.complete()  # a race with the cancel, not misuse: nothing happens
    task.complete()  # its task may still finish
    client.shutdown(10)
    assert "run.complete" not in server.types() and server.types().count("task.complete") == 1


def test_heartbeats_only_for_quiet_runs(server):
    client = client_for(server, heartbeat_interval=0.1, heartbeat_timeout=5)
    run = client.start_run(name="quiet")
    assert server.wait_for(lambda events: sum(e["type"] == "run.heartbeat" for e in events) >= 2)
    run.complete()
    client.flush(10)
    count = server.types().count("run.heartbeat")
    time.sleep(0.3)
    client.shutdown(10)
    assert server.types().count("run.heartbeat") == count  # a finished run is not heartbeated
    assert server.events[0]["heartbeatTimeoutMs"] == 5000


def test_disabled_mode_records_nothing_and_checks_calls(server, monkeypatch):
    monkeypatch.setenv("RUNTRAIL_DISABLED", "1")
    client = Runtrail(base_url=server.url)  # no API key needed
    assert client.enabled is False
    run = client.start_run(name="nothing")
    task = run.start_task("t")
    task.complete()
    with pytest.raises(RuntrailError):
        task.complete()
    with pytest.raises(RuntrailError) as raised:
        client.runs.get(run.id)
    assert raised.value.code == "disabled"
    assert client.run("any-id").id == "any-id"
    assert client.shutdown().sent == 0 and server.requests == []


def test_options_are_checked():
    with pytest.raises(RuntrailError, match="API key"):
        Runtrail(base_url="http://x", api_key="", enabled=True)
    with pytest.raises(RuntrailError, match="heartbeat_timeout"):
        Runtrail(api_key="k", heartbeat_interval=10, heartbeat_timeout=5)
    with pytest.raises(RuntrailError, match="max_queue_size"):
        Runtrail(api_key="k", max_queue_size=0)
    with pytest.raises(RuntrailError, match="http"):
        Runtrail(api_key="k", base_url="ftp://x")
