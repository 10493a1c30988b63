import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStoreKinds, type TestStore } from "../testing/stores.js";
import { getRunChanges, getRunChangeSummaries } from "./changes.js";
import { endRun } from "./control.js";
import { type IngestEvent, writeEvents } from "./ingest.js";
import { getRun } from "./runs.js";
import { ERROR_MESSAGE_PREVIEW } from "./views.js";

const P = "proj-changes";
const T0 = Date.UTC(2031, 4, 6, 7, 8, 9, 123);

function ev(runId: string, n: number, type: string, taskId: string | null, payload: Record<string, unknown> = {}): IngestEvent {
  return { id: `${runId}-${n}`, runId, seq: n, type, taskId, ts: new Date(T0 + n * 7), payload };
}

async function collect<T>(pages: AsyncGenerator<T[]> | undefined): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of pages ?? []) out.push(page);
  return out;
}

for (const kind of await testStoreKinds()) {
  describe(`run changes on ${kind.name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await kind.open();
    });
    afterAll(async () => {
      await t.cleanup();
    });
    const db = () => t.store.db;

    it("reads whole tasks exactly as the read API shows them, and summaries without payloads", async () => {
      const r = "r-shapes";
      const long = "x".repeat(ERROR_MESSAGE_PREVIEW + 50);
      await writeEvents(db(), P, [
        ev(r, 1, "run.start", null, { name: "shapes", input: { q: "why" }, metadata: { team: "a" } }),
        ev(r, 2, "task.start", "a", { name: "plain", input: { n: 1, s: "0", nested: { deep: [1, "two", null, true] } } }),
        ev(r, 3, "task.complete", "a", { output: "true", usage: { inputTokens: 12, outputTokens: 3, costUsd: 0.0123 } }),
        ev(r, 4, "task.start", "b", { name: "child", parentTaskId: "a", input: null }),
        ev(r, 5, "task.fail", "b", { errorMessage: long, errorStack: "Error: x\n    at y" }),
        ev(r, 6, "task.start", "c", { name: "emoji ☃ \u{1F600}" }),
        ev(r, 7, "task.update", "c", { statusMessage: "half", progress: 0.5 }),
        ev(r, 9, "task.complete", "d", {}),
      ]);
      // The cancel ends running tasks at the server's now(): microseconds, which both cut to milliseconds.
      expect((await endRun(db(), P, r, { kind: "cancel", reason: "enough" })).ok).toBe(true);
      const whole = await getRun(db(), P, r);
      const changes = await getRunChanges(db(), P, r, 0);
      expect(changes?.run).toEqual(whole?.run);
      const tasks = (await collect(changes?.chunks)).flat();
      const byId = (xs: { id: string }[]) => [...xs].sort((x, y) => x.id.localeCompare(y.id));
      expect(byId(tasks)).toEqual(byId(whole?.tasks ?? []));

      const summaries = await getRunChangeSummaries(db(), P, r, 0);
      const { input: _i, output: _o, errorStack: _s, metadata: _m, ...runSummary } = whole?.run ?? { input: 0, output: 0, errorStack: 0, metadata: 0 };
      expect(summaries?.run).toEqual(runSummary);
      const cut = (whole?.tasks ?? []).map(({ input: _ti, output: _to, errorStack: _ts, ...task }) => ({
        ...task,
        errorMessage: task.errorMessage?.slice(0, ERROR_MESSAGE_PREVIEW) ?? null,
      }));
      expect(byId((await collect(summaries?.chunks)).flat())).toEqual(byId(cut));
      expect(tasks.find((x) => x.id === "b")?.errorMessage).toBe(long);
    });

    it("pages by count and by bytes, in version order, and only what changed since a version", async () => {
      const r = "r-pages";
      const big = "y".repeat(40_000);
      const batch: IngestEvent[] = [ev(r, 1, "run.start", null, { name: "pages" })];
      for (let i = 0; i < 30; i++) batch.push(ev(r, 10 + i, "task.start", `t${String(i).padStart(2, "0")}`, { name: `step-${i}`, input: i % 10 === 0 ? { big } : { i } }));
      await writeEvents(db(), P, batch);
      const v1 = (await getRun(db(), P, r))?.run.version ?? -1;
      await writeEvents(db(), P, [ev(r, 100, "task.complete", "t03"), ev(r, 101, "task.complete", "t17")]);
      await writeEvents(db(), P, [ev(r, 102, "task.complete", "t00", { output: { big } })]);

      const byCount = await collect((await getRunChanges(db(), P, r, 0, 12, 1_000_000))?.chunks);
      expect(byCount.map((p) => p.length)).toEqual([12, 12, 6]);
      const ids = byCount.flat().map((x) => x.id);
      expect(new Set(ids).size).toBe(30);
      // Ordered by the version of each task's last change: the completed ones come last.
      expect(ids.slice(-3)).toEqual(["t03", "t17", "t00"]);

      // 50 kB a page: t10 and t20 carry 40 kB of input, t00 80 kB (input and output), so
      // they end pages; t00 alone is larger than a page and is a page by itself.
      const byBytes = await collect((await getRunChanges(db(), P, r, 0, 1000, 50_000))?.chunks);
      expect(byBytes.flat().map((x) => x.id)).toEqual(ids);
      for (const page of byBytes) {
        const size = JSON.stringify(page).length;
        expect(page.length === 1 || size < 50_000 + 2_000).toBe(true);
      }
      expect(byBytes.map((p) => p[p.length - 1]?.id)).toEqual(["t19", "t17", "t00"]);
      // Summaries carry no payloads: the same tasks fit one page.
      const summaries = await collect((await getRunChangeSummaries(db(), P, r, 0, 1000, 50_000))?.chunks);
      expect(summaries.map((p) => p.length)).toEqual([30]);

      const since = await getRunChanges(db(), P, r, v1);
      expect((await collect(since?.chunks)).flat().map((x) => [x.id, x.status])).toEqual([
        ["t03", "completed"],
        ["t17", "completed"],
        ["t00", "completed"],
      ]);
      expect(since?.run.version).toBe(v1 + 2);
      expect(await collect((await getRunChanges(db(), P, r, v1 + 2))?.chunks)).toEqual([]);
      expect(await getRunChanges(db(), P, "missing", 0)).toBeNull();
      expect(await getRunChangeSummaries(db(), P, "missing", 0)).toBeNull();
    });
  });
}
