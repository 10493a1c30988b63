import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectRows } from "../client.js";
import { seedBigRun } from "../testing/seed-big-run.js";
import { testStoreKinds, type TestStore } from "../testing/stores.js";
import { type IngestEvent, writeEvents } from "./ingest.js";
import { getRunTimeline, InvalidTimelineCursorError, listTimelineTasks, readTimeline, type TimelineTask } from "./timeline.js";
import { ERROR_MESSAGE_PREVIEW } from "./views.js";

const P = "proj-timeline";
const T0 = Date.UTC(2030, 0, 2);

/**
 * Run "odd": b, a and c start at the same seq (two processes can emit one), d fails
 * with usage and a long message, u1 and u2 ended without a start (theirs never arrived).
 */
function oddRun(): IngestEvent[] {
  const ev = (seq: number, type: string, taskId: string | null, ms: number, payload: Record<string, unknown> = {}): IngestEvent => ({
    id: `odd-${seq}-${taskId}-${type}`,
    runId: "odd",
    seq,
    type,
    taskId,
    ts: new Date(T0 + ms),
    payload,
  });
  return [
    ev(1, "run.start", null, 0, { name: "odd" }),
    ev(5, "task.start", "b", 10, { name: "b" }),
    ev(5, "task.start", "a", 10, { name: "a" }),
    ev(5, "task.start", "c", 10, { name: "c", parentTaskId: "a" }),
    ev(6, "task.update", "c", 11, { progress: 0.25, statusMessage: "a quarter" }),
    ev(7, "task.start", "d", 20, { name: "d" }),
    ev(8, "task.fail", "d", 25, { errorMessage: "e".repeat(2000), usage: { inputTokens: 12, outputTokens: 3, costUsd: 0.004 } }),
    ev(9, "task.complete", "u2", 30),
    ev(10, "task.complete", "u1", 31),
  ];
}

for (const kind of await testStoreKinds()) {
  describe(`timeline pages on ${kind.name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await kind.open();
      await seedBigRun(t.store.db, P, { runId: "big", tasks: 2500, batchSize: 1000 });
      await writeEvents(t.store.db, P, oddRun());
      // The big run's failed tasks come after all the others, beyond any first page:
      // task-late fails last; task-first-a and its child task-first-b fail first, together.
      const early = new Date(Date.UTC(2030, 0, 1, 0, 0, 5));
      await writeEvents(t.store.db, P, [
        { id: "late-start", runId: "big", seq: 9_000_000, type: "task.start", taskId: "task-late", ts: new Date(T0), payload: { name: "late" } },
        { id: "late-fail", runId: "big", seq: 9_000_001, type: "task.fail", taskId: "task-late", ts: new Date(T0), payload: { errorMessage: "boom" } },
        { id: "a-start", runId: "big", seq: 9_000_010, type: "task.start", taskId: "task-first-a", ts: early, payload: { name: "first a" } },
        { id: "b-start", runId: "big", seq: 9_000_011, type: "task.start", taskId: "task-first-b", ts: early, payload: { name: "first b", parentTaskId: "task-first-a" } },
        { id: "b-fail", runId: "big", seq: 9_000_012, type: "task.fail", taskId: "task-first-b", ts: early, payload: { errorMessage: "first" } },
        { id: "a-fail", runId: "big", seq: 9_000_013, type: "task.fail", taskId: "task-first-a", ts: early, payload: { errorMessage: "its child" } },
      ]);
    }, 120_000);
    afterAll(async () => {
      await t.cleanup();
    });

    async function all(runId: string, limit: number): Promise<{ tasks: TimelineTask[]; pages: number }> {
      const tasks: TimelineTask[] = [];
      let after: string | undefined;
      let pages = 0;
      for (;;) {
        const page = await listTimelineTasks(t.store.db, P, runId, { after, limit });
        pages += 1;
        expect(page.tasks.length).toBeLessThanOrEqual(limit);
        tasks.push(...page.tasks);
        if (page.next === null) return { tasks, pages };
        after = page.next;
      }
    }

    it("pages through a big run in timeline order, every task once", async () => {
      const { tasks, pages } = await all("big", 1000);
      expect(pages).toBe(3);
      expect(tasks.map((x) => x.id)).toEqual([...Array.from({ length: 2500 }, (_, i) => `task-${i}`), "task-late", "task-first-a", "task-first-b"]);
      expect(tasks[0]).toMatchObject({ parentTaskId: null, name: "task-0", status: "completed", seq: 2 });
      expect(tasks[2499]).toMatchObject({ parentTaskId: "task-2400", startMs: Date.UTC(2030, 0, 1) + 2499, endMs: Date.UTC(2030, 0, 1) + 2500 });
      expect(tasks[1]).not.toHaveProperty("input");
      // A page that ends exactly at the last task says so.
      expect((await listTimelineTasks(t.store.db, P, "big", { limit: 2503 })).next).toBeNull();
      expect((await listTimelineTasks(t.store.db, P, "big", { limit: 2502 })).next).not.toBeNull();
    });

    it("reads the rest of a run in growing pages", async () => {
      const head = await listTimelineTasks(t.store.db, P, "big", { limit: 100 });
      const sizes: number[] = [];
      const ids: string[] = head.tasks.map((x) => x.id);
      for await (const page of readTimeline(t.store.db, P, "big", { after: head.next ?? undefined, first: 200, max: 700 })) {
        sizes.push(page.tasks.length);
        ids.push(...page.tasks.map((x) => x.id));
      }
      expect(sizes).toEqual([200, 400, 700, 700, 403]);
      expect(new Set(ids).size).toBe(2503);
      expect(ids.slice(2500)).toEqual(["task-late", "task-first-a", "task-first-b"]);
    });

    it("orders tasks with one seq by id and puts tasks without a start last, across page boundaries", async () => {
      for (const limit of [1, 2, 3, 100]) {
        expect((await all("odd", limit)).tasks.map((x) => x.id)).toEqual(["a", "b", "c", "d", "u1", "u2"]);
      }
      const { tasks } = await all("odd", 100);
      expect(tasks[2]).toMatchObject({ parentTaskId: "a", progress: 0.25, statusMessage: "a quarter", status: "running", endMs: null, startMs: T0 + 10 });
      expect(tasks[3]).toMatchObject({ status: "failed", inputTokens: 12, outputTokens: 3, costUsd: 0.004, startMs: T0 + 20, endMs: T0 + 25 });
      expect(tasks[3]?.errorMessage).toHaveLength(ERROR_MESSAGE_PREVIEW);
      expect(tasks[4]).toMatchObject({ seq: null, startMs: null, endMs: T0 + 31, inputTokens: null });
      expect(typeof tasks[0]?.version).toBe("number");
    });

    it("answers the head of a run: its first tasks, the first to fail and a linked task when beyond them", async () => {
      const head = await getRunTimeline(t.store.db, P, "big", { limit: 100, taskId: "task-2400" });
      expect(head?.run.taskCounts).toMatchObject({ total: 2503, failed: 3 });
      expect(head?.tasks.map((x) => x.id)).toEqual(Array.from({ length: 100 }, (_, i) => `task-${i}`));
      // The two that failed first, at the same moment (the banner picks between them), not the first failed in timeline order.
      expect(head?.pinned.map((x) => [x.id, x.status])).toEqual([
        ["task-first-a", "failed"],
        ["task-first-b", "failed"],
        ["task-2400", "completed"],
      ]);
      // The rest continues right after the first page.
      const rest = await listTimelineTasks(t.store.db, P, "big", { after: head?.next ?? undefined, limit: 1 });
      expect(rest.tasks[0]?.id).toBe("task-100");

      const linkedIsFailed = await getRunTimeline(t.store.db, P, "big", { limit: 100, taskId: "task-first-b" });
      expect(linkedIsFailed?.pinned.map((x) => x.id)).toEqual(["task-first-a", "task-first-b"]);
      const within = await getRunTimeline(t.store.db, P, "big", { limit: 2503, taskId: "task-2400" });
      expect(within?.pinned).toEqual([]);
      expect(within?.next).toBeNull();
      const unknownLink = await getRunTimeline(t.store.db, P, "odd", { limit: 1, taskId: "nope" });
      expect(unknownLink?.pinned.map((x) => x.id)).toEqual(["d"]);
      expect(await getRunTimeline(t.store.db, P, "nope", { limit: 10 })).toBeNull();
      expect(await getRunTimeline(t.store.db, "other", "big", { limit: 10 })).toBeNull();
    });

    it("refuses a cursor it did not make", async () => {
      const crafted = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
      // A NUL or lone surrogate in the id would reach Postgres, which refuses the first and cannot encode the second.
      for (const after of ["nope", crafted([1]), crafted(["x", "y"]), crafted([1, "\u0000"]), crafted([null, "a\ud800"])]) {
        await expect(listTimelineTasks(t.store.db, P, "big", { after, limit: 10 })).rejects.toBeInstanceOf(InvalidTimelineCursorError);
      }
    });

    it("reads a page deep in a run as a range of tasks_timeline_idx, and the first to fail from tasks_failed_idx", async () => {
      await t.store.db.execute(sql`analyze tasks`);
      const plan = async (q: ReturnType<typeof sql>) =>
        (await selectRows<Record<string, string>>(t.store.db, sql`explain ${q}`)).map((r) => Object.values(r)[0]).join("\n");
      const deep = await plan(
        sql`select id from tasks where project_id = ${P} and run_id = 'big' and start_seq >= 4000 and (start_seq > 4000 or id > 'task-1999') order by start_seq, id limit 1001`,
      );
      expect(deep).toMatch(/Index Scan on tasks_timeline_idx|Index Scan using tasks_timeline_idx/);
      expect(deep).toMatch(/Index Cond: .*start_seq >= /);
      expect(deep).not.toMatch(/Seq Scan/);
      const failed = await plan(
        sql`select id from tasks where project_id = ${P} and run_id = 'big' and status = 'failed'
            and ended_at = (select min(ended_at) from tasks where project_id = ${P} and run_id = 'big' and status = 'failed') order by start_seq, id limit 20`,
      );
      expect(failed).toMatch(/tasks_failed_idx/);
    });
  });
}
