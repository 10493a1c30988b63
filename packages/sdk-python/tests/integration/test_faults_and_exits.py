"""Delivery under faults against the real server: killed mid-stream (SIGKILL, restarted on the same
store), and processes that end without shutdown() (atexit, SIGTERM)."""

import signal
import subprocess
import sys
import textwrap
import threading
import time

from runtrail import Runtrail

RUNS = 4
TASKS = 250  # each: task.start, task.log, task.complete; plus run.start and run.complete per run


def test_every_event_is_stored_exactly_once_when_the_server_is_killed_mid_stream(server):
    errors = []
    client = Runtrail(base_url=server.url, api_key=server.api_key, flush_interval=0.05,
                      on_error=lambda err: errors.append(err.code))
    emitted = {}

    def record(n):
        with client.start_run(name=f"fault-{n}", tags=["fault"]) as run:
            order = emitted.setdefault(run.id, [])
            for i in range(TASKS):
                with run.task(f"task-{i:03d}", input={"i": i}) as task:
                    order.append(task.name)
                    task.log(f"line {n}-{i}")
                time.sleep(0.01)

    workers = [threading.Thread(target=record, args=(n,)) for n in range(RUNS)]
    for worker in workers:
        worker.start()
    time.sleep(1.0)
    server.kill()  # requests in flight get no answer; batches may have been stored anyway
    time.sleep(1.0)
    server.start()
    for worker in workers:
        worker.join()
    report = client.shutdown(60)

    total = RUNS * (TASKS * 3 + 2)
    assert report.to_dict() == {"sent": total, "pending": 0, "dropped": {"queue_overflow": 0, "payload_too_large": 0, "rejected": 0}}
    assert "network_error" in errors or "server_error" in errors  # the kill was felt
    for run_id, order in emitted.items():
        detail = server.run_json(run_id)
        assert detail["run"]["status"] == "completed"
        assert [task["name"] for task in detail["tasks"]] == order  # each task once, in emit order
        assert all(task["status"] == "completed" for task in detail["tasks"])
        lines = server.logs(run_id)
        assert len(lines) == TASKS and len({line["message"] for line in lines}) == TASKS  # each log event once
        assert detail["run"]["logCount"] == TASKS


CHILD = textwrap.dedent(
    """
    import sys, time
    from runtrail import Runtrail
    client = Runtrail(flush_interval=60)  # only the exit path sends what the batches left
    run = client.start_run(name=sys.argv[1])
    for n in range(120):
        with run.task(f"t{n}") as t:
            t.log("x")
    run.complete()
    print(run.id, flush=True)
    if sys.argv[1] == "sigterm":
        time.sleep(60)
    """
)

ASYNC_CHILD = textwrap.dedent(
    """
    import asyncio
    from runtrail import AsyncRuntrail

    async def main():
        client = AsyncRuntrail(flush_interval=60)
        run = await client.start_run(name="asyncio")
        for n in range(120):
            async with run.task(f"t{n}") as t:
                t.log("x")
        await run.complete()
        return run.id

    print(asyncio.run(main()), flush=True)
    """
)


def check_child_run(server, run_id):
    detail = server.run_json(run_id)
    assert detail["run"]["status"] == "completed"
    assert [task["name"] for task in detail["tasks"]] == [f"t{n}" for n in range(120)]
    assert detail["run"]["taskCounts"]["completed"] == 120 and detail["run"]["logCount"] == 120


def test_processes_that_end_without_shutdown_lose_nothing(server):
    for script, arg in ((CHILD, "exit"), (ASYNC_CHILD, "asyncio")):
        done = subprocess.run([sys.executable, "-c", script, arg], env=server.env(), capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        check_child_run(server, done.stdout.strip())

    child = subprocess.Popen([sys.executable, "-c", CHILD, "sigterm"], env=server.env(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    run_id = child.stdout.readline().strip()
    child.send_signal(signal.SIGTERM)
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGTERM  # died by the signal, as it would have without the SDK
    check_child_run(server, run_id)


def test_a_tight_loop_past_the_queue_bound_loses_nothing_while_the_server_is_up(server):
    """Issue 15's case: six times more events than the queue holds, recorded faster than they can
    leave. The recording calls wait for room instead of dropping."""
    client = Runtrail(base_url=server.url, api_key=server.api_key, max_queue_size=2_000)
    run = client.start_run(name="tight loop")
    started = time.monotonic()
    for n in range(6_000):
        run.start_task(f"t{n}", input={"n": n}).complete(output={"n": n})
    run.complete()
    loop_seconds = time.monotonic() - started
    report = client.shutdown(120)
    assert report.dropped == {"queue_overflow": 0, "payload_too_large": 0, "rejected": 0}, loop_seconds
    assert report.sent == 12_002
    summary = server.call("GET", f"/api/v1/runs/{run.id}?tasks=false")["run"]
    assert (summary["status"], summary["taskCounts"]["completed"]) == ("completed", 6_000)
