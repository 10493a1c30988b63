"""client.runs (list, get, poll, wait, stream, cancel), resume, cancels seen by the process, and
hostile values, against the real server; sync and asyncio."""

import asyncio
import datetime
import math
import threading
import time
import uuid

import pytest

from runtrail import (
    AsyncRuntrail,
    RunAlreadyFinishedError,
    RunCancelledError,
    RunNotFoundError,
    Runtrail,
    WaitTimeoutError,
)


def client_for(server, **options):
    return Runtrail(base_url=server.url, api_key=server.api_key, flush_interval=0.05, heartbeat_interval=0.2,
                    heartbeat_timeout=5, **options)


def test_read_wait_stream_and_cancel(server):
    writer, reader = client_for(server), client_for(server)
    tag = f"tag-{uuid.uuid4().hex[:8]}"
    run = writer.start_run(name="sdk-read", tags=[tag], metadata={"owner": "tests"})
    first = run.start_task("first", input={"n": 1})
    writer.flush(10)

    events = []
    streaming = threading.Thread(target=lambda: events.extend(reader.runs.stream(run.id)))
    streaming.start()
    seen = []
    polling = threading.Thread(target=lambda: seen.extend(f"{r['status']}:{r['taskCounts']['completed']}"
                                                            for r in reader.runs.poll(run.id, interval=0.1)))
    polling.start()
    time.sleep(0.5)
    first.complete(output={"ok": True}, usage={"input_tokens": 10, "output_tokens": 5, "cost_usd": 0.01})
    writer.flush(10)
    time.sleep(0.5)
    run.complete(output={"done": True})
    writer.flush(10)

    final = reader.runs.wait(run.id, timeout=20)
    assert (final["status"], final["usage"]) == ("completed", {"inputTokens": 10, "outputTokens": 5, "costUsd": 0.01})
    streaming.join(20)
    polling.join(20)
    assert seen[0] == "running:0" and "running:1" in seen and seen[-1] == "completed:1"
    assert events[-1]["type"] == "end" and events[-1]["run"]["status"] == "completed"
    streamed = [task["status"] for event in events if event["type"] == "tasks" for task in event["tasks"]]
    assert "completed" in streamed

    detail = reader.runs.get(run.id)
    assert [(t["name"], t["status"], t["input"]) for t in detail["tasks"]] == [("first", "completed", {"n": 1})]
    pages = list(reader.runs.list(tag=tag, limit=1, from_=datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)))
    assert [r["id"] for page in pages for r in page["data"]] == [run.id]
    assert [r["id"] for r in reader.runs.list(tag=tag).items()] == [run.id]

    with pytest.raises(RunNotFoundError):
        reader.runs.get(f"missing-{uuid.uuid4()}")
    never = writer.start_run(name="never ends")
    writer.flush(10)
    with pytest.raises(WaitTimeoutError) as waited:
        reader.runs.wait(never.id, timeout=0.6)
    assert waited.value.last_status == "running"

    cancelled = reader.runs.cancel(never.id, reason="superseded")
    assert cancelled["status"] == "cancelled"
    with pytest.raises(RunAlreadyFinishedError):
        reader.runs.cancel(never.id)
    assert never.cancelled.wait(10)  # the writer learns of it from a heartbeat's answer
    assert never.cancelled.reason == "superseded"
    with pytest.raises(RunCancelledError):
        never.start_task("too late")
    writer.shutdown(10)
    reader.shutdown(10)


def test_another_process_resumes_a_run_and_its_tasks_join_the_timeline(server):
    first, second = client_for(server), client_for(server)
    run = first.start_run(name="resumed")
    run.start_task("step-1").complete()
    first.flush(10)
    resumed = second.run(run.id)
    assert (resumed.id, resumed.name, resumed.status) == (run.id, "resumed", "running")
    resumed.start_task("step-2").complete()
    second.flush(10)
    run.start_task("step-3").complete()
    first.flush(10)
    resumed.complete()
    second.shutdown(10)
    first.shutdown(10)
    detail = first.runs.get(run.id)
    assert [t["name"] for t in detail["tasks"]] == ["step-1", "step-2", "step-3"]
    assert detail["run"]["status"] == "completed"
    with pytest.raises(RunNotFoundError):
        client_for(server).run(f"missing-{uuid.uuid4()}")


def test_async_read_and_control(server):
    async def main():
        client = AsyncRuntrail(base_url=server.url, api_key=server.api_key, flush_interval=0.05)
        run = await client.start_run(name="async-read", tags=["async-read"])
        task = await run.start_task("t")
        await client.flush(10)
        stream = client.runs.stream(run.id)
        first = await stream.__anext__()
        await task.complete()
        await run.complete()
        await client.flush(10)
        rest = [event async for event in stream]
        final = await client.runs.wait(run.id, timeout=20)
        detail = await client.runs.get(run.id)
        listed = [r["id"] async for r in client.runs.list(tag="async-read").items()]
        other = await client.start_run(name="to cancel")
        await client.flush(10)
        cancelled = await client.runs.cancel(other.id, reason="async")
        with pytest.raises(RunNotFoundError):
            await client.runs.get("no-such-run")
        resumed = await client.run(run.id)
        await client.shutdown(10)
        return first, rest, final, detail, listed, cancelled, run, resumed

    first, rest, final, detail, listed, cancelled, run, resumed = asyncio.run(main())
    assert first["type"] in ("tasks", "run") and rest[-1]["type"] == "end"
    assert final["status"] == "completed" and detail["tasks"][0]["status"] == "completed"
    assert run.id in listed and cancelled["status"] == "cancelled"
    assert resumed.id == run.id


def test_hostile_values_are_all_accepted_by_the_server(server, caplog):
    errors = []
    client = Runtrail(base_url=server.url, api_key=server.api_key, on_error=errors.append, gzip=True)
    deep = "bottom"
    for i in range(500):
        deep = [deep] if i % 2 else {"d": deep}
    cyclic = {}
    cyclic["self"] = cyclic
    dirty = "nul\0 lone\ud800 pair\U0001F600 <img src=x onerror=alert(1)>"
    long_text = "é" * 70_000 + "\U0001F600"
    huge = {"blob": "x" * 400 * 1024}
    run = client.start_run(name="n" * 600 + dirty, input=deep, metadata={dirty: deep, "huge": huge, "nan": math.nan},
                           tags=[dirty, "t" * 200])
    task = run.start_task(dirty, input={"cyclic": cyclic, "big": 10**30, "when": datetime.datetime.now(), "set": {1, 2}})
    task.update(status_message=long_text, progress=0.5)
    task.log(long_text, level="warn", attributes={"deep": deep, dirty: dirty, object(): 1})
    task.fail(error_message=long_text, error_stack=long_text, output=deep)
    skipped = run.start_task("s" * 501, input=huge)
    skipped.skip(reason=long_text)
    done = run.start_task("done")
    done.complete(output=[deep, huge, dirty, b"\x00\xff"])
    run.log(dirty, attributes={"deep": deep})
    run.fail(error_message=long_text, error_stack=long_text, output=deep)
    report = client.shutdown(30)
    assert report.to_dict() == {"sent": 11, "pending": 0, "dropped": {"queue_overflow": 0, "payload_too_large": 0, "rejected": 0}}
    assert errors == []
    # The server does not read gzip bodies (400): the client went on in plain JSON and lost nothing.
    assert "does not accept gzip request bodies (HTTP 400)" in caplog.text
    detail = server.run_json(run.id)
    assert detail["run"]["status"] == "failed" and len(detail["run"]["name"]) <= 500
    assert [t["status"] for t in detail["tasks"]] == ["failed", "skipped", "completed"]
    assert detail["tasks"][1]["input"]["$truncated"] is True
