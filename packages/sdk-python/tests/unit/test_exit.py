"""Processes that end without shutdown(): atexit, SIGTERM (dying by it, as without the SDK), the
application's own handler, asyncio loops that are gone, and forked children."""

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from fake_ingest import FakeIngest

SRC = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "src")


@pytest.fixture
def server():
    fake = FakeIngest()
    yield fake
    fake.close()


# The exit paths may send a batch that was in flight again (the server stores an event id once), so
# events are counted by id.


def start(server, script):
    env = {**os.environ, "PYTHONPATH": SRC, "RUNTRAIL_URL": server.url, "RUNTRAIL_API_KEY": "k"}
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


RECORD = """
    from runtrail import Runtrail
    client = Runtrail(flush_interval=60)  # nothing leaves on the timer: only the exit path can send
    run = client.start_run(name="child")
    for n in range(300):
        with run.task(f"t{n}") as t:
            t.log("x")
    run.complete()
"""


def test_a_process_that_exits_without_shutdown_loses_nothing(server):
    child = start(server, RECORD)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert server.unique() == 902 and "undelivered" not in err


def test_sigterm_flushes_then_the_process_dies_by_the_signal(server):
    # Idle a moment first: the runner has sent the full batches and waits with a partial one.
    child = start(server, RECORD + "\n    import time\n    time.sleep(0.5)\n    print('ready', flush=True)\n    time.sleep(60)\n")
    assert child.stdout.readline().strip() == "ready"
    child.send_signal(signal.SIGTERM)
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGTERM  # as it would have without the SDK
    assert server.unique() == 902


def test_an_application_handler_decides_and_atexit_sends(server):
    script = """
    import signal, sys, time
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(3))
    """ + RECORD + "\n    print('ready', flush=True)\n    time.sleep(60)\n"
    child = start(server, script)
    assert child.stdout.readline().strip() == "ready"
    child.send_signal(signal.SIGTERM)
    child.communicate(timeout=60)
    assert child.returncode == 3 and server.unique() == 902


def test_an_ignored_sigterm_stays_ignored(server):
    script = """
    import signal, time
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    """ + RECORD + "\n    print('ready', flush=True)\n    time.sleep(1.5)\n"
    child = start(server, script)
    assert child.stdout.readline().strip() == "ready"
    child.send_signal(signal.SIGTERM)
    child.communicate(timeout=60)
    assert child.returncode == 0 and server.unique() == 902


ASYNC_RECORD = """
    import asyncio
    from runtrail import AsyncRuntrail
    client = AsyncRuntrail(flush_interval=60)

    async def main():
        run = await client.start_run(name="async child")
        for n in range(300):
            task = await run.start_task(f"t{n}")
            await task.complete()
        await run.complete()
        HOLD
"""


def test_an_asyncio_process_that_exits_without_shutdown_loses_nothing(server):
    child = start(server, ASYNC_RECORD.replace("HOLD", "") + "\n    asyncio.run(main())\n")
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert server.unique() == 602


def test_sigterm_while_the_loop_runs(server):
    hold = "print('ready', flush=True); await asyncio.sleep(60)"
    child = start(server, ASYNC_RECORD.replace("HOLD", hold) + "\n    asyncio.run(main())\n")
    assert child.stdout.readline().strip() == "ready"
    child.send_signal(signal.SIGTERM)
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGTERM and server.unique() == 602


def test_a_forked_child_records_with_ids_of_its_own(server):
    script = """
        import os
        from runtrail import Runtrail
        client = Runtrail()
        run = client.start_run(name="parent")
        run.start_task("before fork").complete()
        client.flush(10)
        pid = os.fork()
        run.start_task("child" if pid == 0 else "parent").complete()
        client.shutdown(10)
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
    """
    child = start(server, script)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    ids = [event["id"] for event in server.events]
    task_ids = {event["taskId"] for event in server.events if event["type"] == "task.start"}
    assert len(server.events) == 7 and len(set(ids)) == 7 and len(task_ids) == 3
