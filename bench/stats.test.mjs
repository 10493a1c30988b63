import assert from "node:assert/strict";
import { test } from "node:test";
import { median, p90, timed } from "./stats.mjs";

test("median and p90 of unsorted samples, without changing them", () => {
  const xs = [5, 1, 4, 2, 3];
  assert.equal(median(xs), 3);
  assert.equal(median([4, 1, 3, 2]), 3);
  assert.equal(p90(Array.from({ length: 10 }, (_, i) => 10 - i)), 10);
  assert.equal(p90([7, 1, 9]), 9);
  assert.deepEqual(xs, [5, 1, 4, 2, 3]);
  assert.ok(Number.isNaN(median([])));
});

test("timed calls once to warm up, then `repeat` times, and keeps the last value", async () => {
  let calls = 0;
  const result = await timed(async () => ++calls, 4);
  assert.equal(calls, 5);
  assert.equal(result.last, 5);
  assert.ok(result.ms >= 0);
});
