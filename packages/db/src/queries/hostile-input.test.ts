import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testStoreKinds } from "../testing/stores.js";
import { suiteStore } from "../testing/suite-store.js";
import { type IngestEvent, writeEvents } from "./ingest.js";
import { listLogs } from "./logs.js";
import { decodeCursor, getRun, InvalidCursorError, listRuns, storableId } from "./runs.js";

/** What a hostile or broken client can put in front of the store, short of the HTTP layer's checks. */

const P = "proj-hostile";
const at = (ms: number) => new Date(Date.parse("2026-11-22T10:00:00.000Z") + ms);
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("cursor decoding", () => {
  it("refuses ids Postgres could not compare and times it could not store", () => {
    for (const bad of [
      ["2026-01-01T00:00:00.000Z", "a\u0000b"],
      ["2026-01-01T00:00:00.000Z", "lone \ud800"],
      ["2026-01-01T00:00:00.000Z", "\udc00"],
      ["0000-01-01T00:00:00.000Z", "ok"],
      ["-000001-01-01T00:00:00.000Z", "ok"],
      ["+275760-09-13T00:00:00.000Z", "ok"],
    ]) {
      expect(() => decodeCursor(cursorOf(bad)), JSON.stringify(bad)).toThrow(InvalidCursorError);
    }
    expect(decodeCursor(cursorOf(["0001-01-01T00:00:00.000Z", "pair \ud83d\ude00"]))).toEqual({
      startedAt: new Date("0001-01-01T00:00:00.000Z"),
      id: "pair \u{1F600}",
    });
    expect([storableId("x"), storableId("\u{1F600}"), storableId("\ud83d"), storableId("a\u0000"), storableId(3)]).toEqual([true, true, false, false, false]);
  });
});

for (const kind of await testStoreKinds()) {
  describe(`hostile input on ${kind.name}`, () => {
    const t = suiteStore(kind);

    it("saturates a run's token sums instead of overflowing bigint (which would fail every later batch)", async () => {
      const runId = "r-tokens";
      const ev = (seq: number, type: string, taskId: string | null, payload: Record<string, unknown>): IngestEvent => ({
        id: `e${seq}`,
        runId,
        seq,
        type,
        taskId,
        ts: at(seq),
        payload,
      });
      await writeEvents(t.store.db, P, [ev(0, "run.start", null, { name: "tokens" })]);
      // As if ~9,223 tasks of 1e15 tokens each had been recorded already.
      await t.store.db.execute(sql`update runs set input_tokens = 9223000000000000000 where project_id = ${P} and id = ${runId}`);
      const big = { inputTokens: 1e15, outputTokens: 1e15 };
      const batch = [ev(1, "task.start", "t1", { name: "a" }), ev(2, "task.complete", "t1", { usage: big })];
      expect((await writeEvents(t.store.db, P, batch)).statuses).toEqual(["accepted", "accepted"]);
      const later = await writeEvents(t.store.db, P, [ev(3, "task.start", "t2", { name: "b" }), ev(4, "task.complete", "t2", { usage: big })]);
      expect(later.statuses).toEqual(["accepted", "accepted"]);
      const found = await getRun(t.store.db, P, runId);
      expect(found?.run.usage.inputTokens).toBe(Number.MAX_SAFE_INTEGER);
      expect(found?.run.usage.outputTokens).toBe(2e15);
      expect(found?.run.taskCounts.completed).toBe(2);
    });

    it("answers crafted cursors with InvalidCursorError, never a database error", async () => {
      for (const cursor of [cursorOf(["2026-01-01T00:00:00.000Z", "a\u0000"]), cursorOf(["0000-06-01T00:00:00.000Z", "x"])]) {
        await expect(listRuns(t.store.db, P, { cursor })).rejects.toBeInstanceOf(InvalidCursorError);
        await expect(listRuns(t.store.db, P, { before: cursor })).rejects.toBeInstanceOf(InvalidCursorError);
      }
      await expect(listLogs(t.store.db, P, "r-tokens", { cursor: cursorOf([1, "a\u0000"]) })).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(listLogs(t.store.db, P, "r-tokens", { cursor: cursorOf([1, "\udfff"]) })).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });
}
