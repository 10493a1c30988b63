"""python-overhead — `npm run bench:python` from the repository root.

What recording one task costs a Python program, against what it already pays to log a line
without blocking: the runtrail SDK's `run.start_task(name, input=...)` + `task.complete(output=...)`
against the standard library's `logger.info(...)` through a `QueueHandler` (a `QueueListener`
thread writes the records to a null stream). Same process, same run, alternating rounds, a
garbage collection between rounds; each side's number is the median of its rounds, the ratio
the median of the ratios of paired rounds (ours against the logging round right after it), so
load that drifts during the run cancels out. Target (issue 12): ratio <= 1 on the caller's path.

The SDK is the real one, delivering over HTTP on its background thread to a stand-in server in
another process (python-fake-ingest.py), which answers every batch at once. Both sides have a
background thread doing their second half (delivery; the listener's formatting and writing)
while the loop runs, and both loops pay for sharing the interpreter with it. "all-in" adds the
wait for that second half to finish (flush; the listener's queue drained) — for information.

Reports; never fails on a missed target. Exits 1 only when the measurement is invalid (events
dropped or not delivered).
"""

import gc
import io
import logging
import logging.handlers
import os
import queue
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "packages", "sdk-python", "src"))

from runtrail import Runtrail  # noqa: E402

OPS, ROUNDS, WARMUP = 20_000, 10, 2
TARGET = 1.0


class NullStream(io.TextIOBase):
    def write(self, text):
        return len(text)


def ours_round(client):
    run = client.start_run(name="bench", input={"round": 1})
    start = time.perf_counter_ns()
    for n in range(OPS):
        task = run.start_task("parse-pdf", input={"file": "report.pdf", "n": n})
        task.complete(output={"pages": 3})
    loop = time.perf_counter_ns() - start
    run.complete()
    report = client.flush(120)
    return loop, time.perf_counter_ns() - start, report


def logging_round():
    records = queue.SimpleQueue()
    listener = logging.handlers.QueueListener(records, logging.StreamHandler(NullStream()))
    logger = logging.getLogger("bench")
    handler = logging.handlers.QueueHandler(records)
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    listener.start()
    start = time.perf_counter_ns()
    for n in range(OPS):
        logger.info("task %s done: %d pages", "parse-pdf", n)
    loop = time.perf_counter_ns() - start
    listener.stop()  # drains the queue: every record formatted and written
    return loop, time.perf_counter_ns() - start


def main():
    fake = subprocess.Popen([sys.executable, os.path.join(HERE, "python-fake-ingest.py")], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    port = int(fake.stdout.readline())
    client = Runtrail(base_url=f"http://127.0.0.1:{port}", api_key="bench", max_queue_size=4 * OPS,
                      max_queue_bytes=1 << 30, heartbeat_interval=0)
    ours, theirs, ours_all, theirs_all, ratios, all_ratios = [], [], [], [], [], []
    try:
        for index in range(WARMUP + ROUNDS):
            gc.collect()
            loop, total, report = ours_round(client)
            gc.collect()
            log_loop, log_total = logging_round()
            if index < WARMUP:
                continue
            if report.pending or any(report.dropped.values()):
                print(f"invalid: events left or dropped: {report}")
                return 1
            ours.append(loop / OPS)
            theirs.append(log_loop / OPS)
            ours_all.append(total / OPS)
            theirs_all.append(log_total / OPS)
            ratios.append(loop / log_loop)
            all_ratios.append(total / log_total)
        final = client.shutdown(60)
        expected = (WARMUP + ROUNDS) * (2 * OPS + 2)
        if final.sent != expected:
            print(f"invalid: {final.sent} of {expected} events delivered")
            return 1
    finally:
        fake.stdin.close()
        fake.wait(10)

    def line(label, values):
        return f"  {label:<46}: {statistics.median(values):7,.0f} ns/op  (rounds {min(values):,.0f}–{max(values):,.0f})"

    ratio = statistics.median(ratios)
    print(f"python-overhead  (Python {sys.version.split()[0]}, {OPS:,} ops × {ROUNDS} rounds, median; GC between rounds)")
    print(line("runtrail task (start_task + complete), caller", ours))
    print(line("logging.info via QueueHandler, caller", theirs))
    verdict = "met" if ratio <= TARGET else "over target"
    print(f"  {'ratio runtrail/logging, caller':<46}: {ratio:.2f}  (target ≤ {TARGET:g}: {verdict}; "
          f"paired rounds {min(ratios):.2f}–{max(ratios):.2f})")
    print(line("runtrail all-in (+ flush: delivered over HTTP)", ours_all))
    print(line("logging all-in (+ listener drained)", theirs_all))
    print(f"  {'ratio runtrail/logging, all-in':<46}: {statistics.median(all_ratios):.2f}  (information, no target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
