"""The queue: per-run hybrid clock, bounds with drop counts, backpressure, positional acks."""

import json
import threading
import time

from runtrail._ids import IdSequence, uuid7
from runtrail._queue import DROPPED, FULL, PUSHED, EventQueue, RunClock


def queue(size=10, max_bytes=1 << 20, batch=3):
    return EventQueue(size, max_bytes, batch, 1 << 20)


def record(q, clock, n, wait=None, may_block=True):
    return q.record(clock, '","runId":"r","seq":', '","type":"run.log","message":"m%d"}' % n, wait, may_block)


def events(q):
    return [json.loads(data) for data in q._items]


def test_seq_is_a_hybrid_clock_per_run():
    q = queue()
    clock = RunClock(-1)
    before = time.time_ns() // 1_000_000 * 1000
    for n in range(5):
        assert record(q, clock, n) == PUSHED
    seqs = [event["seq"] for event in events(q)]
    assert seqs == sorted(set(seqs)) and seqs[0] >= before
    ids = [event["id"] for event in events(q)]
    assert len(set(ids)) == 5 and ids[0].endswith(".0") and ids[4].endswith(".4")
    # A resumed run whose server-side lastSeq is ahead of this clock continues after it.
    ahead = RunClock(seqs[-1] + 10**9)
    record(q, ahead, 9)
    assert events(q)[-1]["seq"] == seqs[-1] + 10**9 + 1
    assert clock.touched


def test_bounds_drop_and_count_and_the_report_says_so():
    q = queue(size=2)
    clock = RunClock(-1)
    assert [record(q, clock, n) for n in range(4)] == [PUSHED, PUSHED, DROPPED, DROPPED]
    report = q.report()
    assert (report.pending, report.dropped["queue_overflow"]) == (2, 2)
    assert report.to_dict() == {"sent": 0, "pending": 2, "dropped": {"queue_overflow": 2, "payload_too_large": 0, "rejected": 0}}
    small = queue(max_bytes=300)
    assert [record(small, clock, n) for n in range(5)].count(DROPPED) >= 1


def test_a_waiting_call_resumes_when_delivery_makes_room():
    q = queue(size=2)
    clock = RunClock(-1)
    record(q, clock, 0)
    record(q, clock, 1)
    result = []
    waiter = threading.Thread(target=lambda: result.append(record(q, clock, 2, wait=30.0)))
    waiter.start()
    waiter.join(0.2)
    assert waiter.is_alive() and q.length == 2  # blocked on the full queue
    first, batch = q.peek_batch()
    assert q.ack(first, len(batch)) == 2
    waiter.join(10)
    assert result == [PUSHED] and q.report().dropped["queue_overflow"] == 0
    assert q.report().sent == 2


def test_a_waiting_call_drops_once_delivery_stalled_and_later_calls_drop_at_once():
    q = queue(size=1)
    clock = RunClock(-1)
    record(q, clock, 0)
    assert record(q, clock, 1, wait=0.05) == DROPPED
    assert record(q, clock, 2, wait=0.05) == DROPPED
    assert record(q, clock, 3, wait=0.05, may_block=False) == DROPPED  # still no progress since it filled
    q.ack(0, 1)
    record(q, clock, 4)
    assert record(q, clock, 5, wait=30.0, may_block=False) == FULL  # progress reset the stall clock
    q.close()
    assert record(q, clock, 6, wait=30.0) == DROPPED  # a closed queue never makes a caller wait
    assert q.report().dropped["queue_overflow"] == 4


def test_acks_are_positional_so_a_repeated_ack_removes_nothing():
    q = queue(batch=2)
    clock = RunClock(-1)
    for n in range(5):
        record(q, clock, n)
    first, batch = q.peek_batch()
    assert (first, len(batch)) == (0, 2)
    assert q.ack(first, 2, rejected=1) == 2
    assert q.ack(first, 2) == 0  # the exit drain sent it too
    first, batch = q.peek_batch()
    assert first == 2 and [json.loads(b)["message"] for b in batch] == ["m2", "m3"]
    q.ack(first, 2, reason="payload_too_large")
    report = q.report()
    assert (report.sent, report.pending, report.dropped["rejected"], report.dropped["payload_too_large"]) == (1, 1, 1, 2)


def test_ids():
    ids = [uuid7() for _ in range(200)]
    assert len(set(ids)) == 200
    for text in ids:
        assert len(text) == 36 and text[14] == "7" and text[19] in "89ab"
    assert uuid7(1) < uuid7(2)
    seq = IdSequence()
    made = {seq.next() for _ in range(5000)}
    assert len(made) == 5000
    before = seq.next()
    seq.reseed()
    assert seq.next().split(".")[0] != before.split(".")[0]
