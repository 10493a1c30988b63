"""AsyncRuntrail against the stand-in server, and backpressure (issue 15) in both clients."""

import asyncio

import pytest

import runtrail
from fake_ingest import FakeIngest
from runtrail import AsyncRuntrail, Runtrail


@pytest.fixture
def server():
    fake = FakeIngest()
    yield fake
    fake.close()


def test_async_client_records_and_delivers_on_the_loop(server):
    async def main():
        client = AsyncRuntrail(base_url=server.url, api_key="k", flush_interval=0.05)
        run = await client.start_run(name="async", input={"file": "report.pdf"})
        task = await run.start_task("parse-pdf", input={"file": "report.pdf"})
        task.update(progress=0.5)
        nested = await task.start_task("page")
        await nested.complete()
        await task.complete(output={"pages": 3}, usage={"input_tokens": 10})
        async with run.task("summarise") as t:
            t.log("working")

        @runtrail.task()
        async def decorated():
            return runtrail.current_task().name

        async with run:  # the current run: the decorated function records a task on it
            name = await decorated()
        report = await client.shutdown(10)
        return report, name, run

    report, name, run = asyncio.run(main())
    assert report.sent == 12 and report.pending == 0 and name.endswith("decorated")
    assert [e["type"] for e in server.events][:4] == ["run.start", "task.start", "task.update", "task.start"]
    assert run.status == "completed"


def test_events_left_by_one_loop_are_sent_by_the_next(server):
    client = AsyncRuntrail(base_url=server.url, api_key="k", flush_interval=60)

    async def record():
        run = await client.start_run(name="first loop")
        await run.complete()

    asyncio.run(record())  # the loop ends without flush or shutdown
    assert len(server.events) == 0 and client.pending() == 2

    async def later():
        return await client.shutdown(10)

    report = asyncio.run(later())
    assert report.sent == 2 and server.types() == ["run.start", "run.complete"]


def test_async_cancel_event(server):
    async def main():
        client = AsyncRuntrail(base_url=server.url, api_key="k", flush_interval=0.05, heartbeat_interval=0.1,
                               heartbeat_timeout=5)
        run = await client.start_run(name="cancel me")
        await client.flush(10)
        server.cancelled[run.id] = "stop"
        await asyncio.wait_for(run.cancelled.wait(), 10)
        await client.shutdown(10)
        return run

    run = asyncio.run(main())
    assert run.status == "cancelled" and run.cancelled.reason == "stop"


@pytest.mark.parametrize("events", [3_000])
def test_a_loop_that_never_yields_loses_nothing_with_a_small_queue(server, events):
    """Issue 15: the awaits of a tight loop never yield to the loop, so without backpressure a bounded
    queue overflows before one batch leaves."""

    async def main():
        client = AsyncRuntrail(base_url=server.url, api_key="k", max_queue_size=100, max_batch_size=50)
        run = await client.start_run(name="tight loop")
        for n in range(events // 2):
            task = await run.start_task(f"t{n}")
            await task.complete()
        await run.complete()
        return await client.shutdown(30)

    report = asyncio.run(main())
    assert report.dropped == {"queue_overflow": 0, "payload_too_large": 0, "rejected": 0}
    assert report.sent == events + 2 and len(server.events) == events + 2


def test_sync_calls_wait_for_room_while_delivery_progresses(server):
    client = Runtrail(base_url=server.url, api_key="k", max_queue_size=100, max_batch_size=50)
    run = client.start_run(name="tight sync loop")
    for n in range(1_500):
        run.start_task(f"t{n}").complete()
    run.complete()
    report = client.shutdown(30)
    assert report.dropped["queue_overflow"] == 0 and report.sent == 3_002


def test_when_delivery_stalls_awaited_calls_drop_after_the_backpressure_timeout(server):
    server.script.extend([(503, {"retry-after": "5"}, {})] * 3)  # the server is down for a while

    async def main():
        client = AsyncRuntrail(base_url=server.url, api_key="k", max_queue_size=5, backpressure_timeout=0.2,
                               flush_interval=0.01)
        run = await client.start_run(name="stalled")
        for n in range(10):
            await run.start_task(f"t{n}")
        run.log("dropped at once")
        report = await client.flush(0.1)
        await client.shutdown(0.1)
        return report

    report = asyncio.run(main())
    assert report.dropped["queue_overflow"] >= 5 and report.pending == 5
