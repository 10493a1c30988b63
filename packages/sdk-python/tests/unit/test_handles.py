"""Handles: typed misuse errors, task scopes and decorators, the current run and task across threads and tasks."""

import asyncio
import contextvars
import threading

import pytest

import runtrail
from fake_ingest import FakeIngest
from runtrail import (
    ClientClosedError,
    InvalidArgumentError,
    RunAlreadyFinishedError,
    Runtrail,
    TaskAlreadyFinishedError,
)


@pytest.fixture
def server():
    fake = FakeIngest()
    yield fake
    fake.close()


@pytest.fixture
def client(server):
    client = Runtrail(base_url=server.url, api_key="k", flush_interval=0.05)
    yield client
    client.shutdown(10)


def by_type(server, kind):
    return [event for event in server.events if event["type"] == kind]


def test_misuse_raises_typed_errors_and_sends_nothing_invalid(client, server):
    run = client.start_run(name="misuse")
    task = run.start_task("once")
    task.complete()
    with pytest.raises(TaskAlreadyFinishedError) as raised:
        task.fail(error_message="late")
    assert (raised.value.code, raised.value.status) == ("task_already_finished", "completed")
    with pytest.raises(TaskAlreadyFinishedError):
        task.update(progress=0.5)
    with pytest.raises(TaskAlreadyFinishedError):
        task.start_task("child")
    other = run.start_task("bad calls")
    with pytest.raises(InvalidArgumentError, match="progress"):
        other.update(progress=2)
    with pytest.raises(InvalidArgumentError, match="fail"):
        other.fail()
    assert other.status == "running"  # a bad call can be corrected
    other.fail(error_message="Connection refused")
    with pytest.raises(InvalidArgumentError, match="name"):
        run.start_task("  ")
    with pytest.raises(InvalidArgumentError, match="level"):
        run.log("x", level="loud")
    run.complete()
    with pytest.raises(RunAlreadyFinishedError):
        run.start_task("after")
    with pytest.raises(RunAlreadyFinishedError):
        run.fail(error_message="again")
    client.flush(10)
    assert [e["type"] for e in server.events] == ["run.start", "task.start", "task.complete", "task.start", "task.fail", "run.complete"]
    client.shutdown(10)
    with pytest.raises(ClientClosedError):
        client.start_run()


def test_task_scopes_complete_or_fail_with_the_exception(client, server):
    run = client.start_run(name="scopes")
    with run.task("ok", input={"a": 1}) as t:
        t.log("working", level="warning", attributes={"n": 1})
        t.update(status_message="half", progress=0.5)
    with pytest.raises(ZeroDivisionError):
        with run.task("boom"):
            1 / 0
    with run.task("skipped") as s:
        s.skip(reason="cache hit")
    client.flush(10)
    failed = by_type(server, "task.fail")[0]
    assert failed["errorMessage"] == "ZeroDivisionError: division by zero"
    assert "Traceback" in failed["errorStack"] and "1 / 0" in failed["errorStack"]
    assert by_type(server, "task.log")[0]["level"] == "warn"
    assert [e["type"] for e in server.events if e.get("taskId") == s.id] == ["task.start", "task.skip"]


def test_nested_scopes_find_their_parent_in_threads_and_asyncio_tasks(client, server):
    @runtrail.task()
    def leaf(n):
        return runtrail.current_task()

    @runtrail.task("async-leaf")
    async def async_leaf():
        await asyncio.sleep(0)
        return runtrail.current_task()

    assert leaf(0) is None  # outside any run: runs untraced
    with client.start_run(name="nested") as run:
        assert runtrail.current_run().id == run.id
        with run.task("parent") as parent:
            child = run.start_task("child")  # nests under the current task
            child.complete()
            top = run.start_task("top", parent_task_id=None)
            top.complete()
            found = []
            thread = threading.Thread(target=contextvars.copy_context().run, args=(lambda: found.append(leaf(1)),))
            thread.start()
            thread.join()

            async def both():
                return await asyncio.gather(async_leaf(), async_leaf())

            tasks = asyncio.run(both())
        assert runtrail.current_task() is None
    client.flush(10)
    starts = {e["taskId"]: e for e in by_type(server, "task.start")}
    assert starts[child.id]["parentTaskId"] == parent.id
    assert "parentTaskId" not in starts[top.id]
    assert starts[found[0].id]["parentTaskId"] == parent.id and starts[found[0].id]["name"].endswith("leaf")
    assert all(starts[t.id]["parentTaskId"] == parent.id for t in tasks)
    assert by_type(server, "run.complete")  # `with run:` completed it
    assert [e["type"] for e in server.events].count("task.complete") == 6


def test_a_scope_needs_a_current_run():
    with pytest.raises(InvalidArgumentError, match="no current run"):
        with runtrail.task("orphan"):
            pass


def test_values_are_captured_at_the_call(client, server):
    run = client.start_run(name="capture")
    data = {"pages": [1]}
    task = run.start_task("t", input=data)
    data["pages"].append(2)
    task.complete(output=data)
    data["pages"].append(3)
    run.complete(output=None)
    client.flush(10)
    assert by_type(server, "task.start")[0]["input"] == {"pages": [1]}
    assert by_type(server, "task.complete")[0]["output"] == {"pages": [1, 2]}
    assert by_type(server, "run.complete")[0]["output"] is None  # None is recorded as null, omitted is omitted
    assert "output" not in by_type(server, "task.start")[0]


def test_many_threads_on_one_run(client, server):
    run = client.start_run(name="threads")

    def work(n):
        for i in range(50):
            with run.task(f"w{n}-{i}") as t:
                t.log("x")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    run.complete()
    report = client.flush(20)
    assert report.sent == 2 + 8 * 50 * 3 and report.pending == 0
    seqs = [e["seq"] for e in server.events]
    assert len(set(seqs)) == len(seqs)
    assert len({e["id"] for e in server.events}) == len(server.events)
