import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectRows } from "../client.js";
import type { RunStatus } from "../schema.js";
import { testStoreKinds, type TestStore } from "../testing/stores.js";
import { type IngestEvent, writeEvents } from "./ingest.js";
import { countRunsByStatus, RUN_COUNT_CAP, runCountsStatement } from "./run-counts.js";
import { type RunFilter, listRuns } from "./runs.js";

const P = "proj-list";
const T0 = Date.UTC(2030, 0, 1);
const MIN = 60_000;

interface Spec {
  id: string;
  name: string;
  tags: string[];
  /** Minutes after T0. */
  at: number;
  end: "running" | "complete" | "fail" | "cancel";
}

/** 30 runs a minute apart: three names (one upper case), two tags, four statuses. */
const SPECS: Spec[] = Array.from({ length: 30 }, (_, i) => ({
  id: `run-${String(i).padStart(2, "0")}`,
  name: ["Deploy-web", "deploy-api", "nightly report"][i % 3] as string,
  tags: i % 2 ? ["odd"] : ["even"],
  at: i,
  end: (["complete", "fail", "running", "complete", "cancel"] as const)[i % 5] as Spec["end"],
}));
const STATUS: Record<Spec["end"], RunStatus> = { running: "running", complete: "completed", fail: "failed", cancel: "cancelled" };
const newestFirst = (pred: (s: Spec) => boolean = () => true) =>
  SPECS.filter(pred)
    .sort((a, b) => b.at - a.at)
    .map((s) => s.id);

function eventsOf(s: Spec): IngestEvent[] {
  const ts = new Date(T0 + s.at * MIN);
  const out: IngestEvent[] = [{ id: `${s.id}-0`, runId: s.id, seq: 1, type: "run.start", taskId: null, ts, payload: { name: s.name, tags: s.tags } }];
  if (s.end !== "running") out.push({ id: `${s.id}-1`, runId: s.id, seq: 2, type: `run.${s.end}`, taskId: null, ts, payload: {} });
  return out;
}

for (const kind of await testStoreKinds()) {
  describe(`run list filters on ${kind.name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await kind.open();
      await writeEvents(t.store.db, P, SPECS.flatMap(eventsOf));
      // Another project's runs never show.
      await writeEvents(t.store.db, "other", SPECS.slice(0, 3).flatMap(eventsOf));
    });
    afterAll(async () => {
      await t.cleanup();
    });
    const list = (f: RunFilter) => listRuns(t.store.db, P, f);
    const plan = async (q: SQL) => (await selectRows<Record<string, string>>(t.store.db, sql`explain ${q}`)).map((r) => Object.values(r)[0]).join("\n");

    /** Walks older pages from the first, then newer pages back: both ways give the same pages. */
    async function walk(f: RunFilter): Promise<string[][]> {
      const pages: string[][] = [];
      const cursors: (string | null)[] = [];
      let page = await list(f);
      expect(page.prevCursor).toBeNull();
      pages.push(page.data.map((r) => r.id));
      while (page.nextCursor) {
        page = await list({ ...f, cursor: page.nextCursor });
        pages.push(page.data.map((r) => r.id));
        cursors.push(page.prevCursor);
      }
      // Back towards the newest: each prevCursor leads to the page before it.
      const back: string[][] = [pages[pages.length - 1] ?? []];
      let prev = cursors[cursors.length - 1] ?? null;
      while (prev) {
        const p = await list({ ...f, before: prev });
        back.unshift(p.data.map((r) => r.id));
        prev = p.prevCursor;
      }
      expect(back).toEqual(pages);
      return pages;
    }

    it("name search is a case-insensitive prefix match", async () => {
      expect((await list({ q: "deploy" })).data.map((r) => r.id)).toEqual(newestFirst((s) => s.name.startsWith("D") || s.name.startsWith("d")));
      expect((await list({ q: "DEPLOY-W" })).data.map((r) => r.id)).toEqual(newestFirst((s) => s.name === "Deploy-web"));
      expect((await list({ q: "Nightly Report" })).data.map((r) => r.id)).toEqual(newestFirst((s) => s.name === "nightly report"));
      expect((await list({ q: "report" })).data).toEqual([]); // prefix, not substring
      expect((await list({ q: "deploy%" })).data).toEqual([]); // no wildcards
      expect((await list({ q: "deploy_api" })).data).toEqual([]);
      expect((await list({ q: "deploy-api", status: "failed", tag: "odd" })).data.map((r) => r.id)).toEqual(
        newestFirst((s) => s.name === "deploy-api" && s.end === "fail" && s.tags[0] === "odd"),
      );
    });

    it("pages older and back newer with the same pages, under every filter", async () => {
      expect(await walk({ limit: 7 })).toEqual([0, 7, 14, 21, 28].map((i) => newestFirst().slice(i, i + 7)));
      expect((await walk({ limit: 4, q: "deploy" })).flat()).toEqual(newestFirst((s) => s.name.toLowerCase().startsWith("deploy")));
      expect((await walk({ limit: 2, status: "completed", tag: "even" })).flat()).toEqual(
        newestFirst((s) => s.end === "complete" && s.tags[0] === "even"),
      );
      const from = new Date(T0 + 5 * MIN);
      const to = new Date(T0 + 20 * MIN);
      expect((await walk({ limit: 3, from, to })).flat()).toEqual(newestFirst((s) => s.at >= 5 && s.at < 20));
    });

    it("a newer page that reaches the newest runs is the full first page", async () => {
      const first = await list({ limit: 7 });
      const second = await list({ limit: 7, cursor: first.nextCursor ?? "" });
      // Only 7 runs are newer than the second page: not a short page of 7, the first page of 10.
      const back = await list({ limit: 10, before: second.prevCursor ?? "" });
      expect(back.data.map((r) => r.id)).toEqual(newestFirst().slice(0, 10));
      expect(back.prevCursor).toBeNull();
      expect(back.nextCursor).not.toBeNull();
    });

    it("counts runs per status for the filter, ignoring status, capped", async () => {
      const all = await countRunsByStatus(t.store.db, P, {});
      const expected = (pred: (s: Spec) => boolean) =>
        Object.fromEntries(
          (["running", "completed", "failed", "cancelled", "timed_out"] as const).map((st) => [
            st,
            { count: SPECS.filter((s) => pred(s) && STATUS[s.end] === st).length, capped: false },
          ]),
        );
      expect(all).toEqual(expected(() => true));
      expect(await countRunsByStatus(t.store.db, P, { q: "deploy-w", tag: "odd" })).toEqual(
        expected((s) => s.name === "Deploy-web" && s.tags[0] === "odd"),
      );
      expect(await countRunsByStatus(t.store.db, P, { from: new Date(T0 + 10 * MIN), to: new Date(T0 + 15 * MIN) })).toEqual(
        expected((s) => s.at >= 10 && s.at < 15),
      );
      const capped = await countRunsByStatus(t.store.db, P, {}, 5);
      expect(capped.completed).toEqual({ count: 5, capped: true }); // 12 completed
      expect(capped.failed).toEqual({ count: 5, capped: true }); // 6 failed: one over the cap
      expect(capped.timed_out).toEqual({ count: 0, capped: false });
      expect((await countRunsByStatus(t.store.db, P, {}, 6)).failed).toEqual({ count: 6, capped: false });
    });

    it("the name search and the counts are index scans, not table scans", async () => {
      // Enough rows in another project that a sequential scan is not simply cheaper.
      await t.store.db.execute(sql`insert into runs (project_id, id, name, status, started_at, last_event_at)
        select case when g <= 3000 then 'bulk' else 'noise' end, 'b' || g, 'job-' || (g % 1000),
               case when g % 10 = 0 then 'failed' else 'completed' end, now() - g * interval '1 second', now()
        from generate_series(1, 30000) g`);
      await t.store.db.execute(sql`analyze runs`);
      const search = await plan(
        sql`select id from runs where project_id = 'bulk' and lower(name) ~>=~ lower('JOB-42') and lower(name) ~<~ (lower('JOB-42') || chr(1114111)) order by started_at desc, id desc limit 51`,
      );
      expect(search).toMatch(/runs_name_prefix_idx|runs_recent_idx/);
      expect(search).not.toMatch(/Seq Scan/);
      const counts = await plan(runCountsStatement("bulk", {}, RUN_COUNT_CAP));
      expect(counts).toMatch(/runs_status_recent_idx/);
      expect(counts).not.toMatch(/Seq Scan/);
      const c = await countRunsByStatus(t.store.db, "bulk", {}, 1_000);
      expect(c.completed).toEqual({ count: 1_000, capped: true });
      expect(c.failed).toEqual({ count: 300, capped: false });
      expect((await listRuns(t.store.db, "bulk", { q: "JOB-42", limit: 200 })).data.every((r) => r.name.startsWith("job-42"))).toBe(true);
    });

    it("counts a project that holds most of the table without scanning it, absent statuses included", async () => {
      // The bench's shape: one project, two statuses present, three absent. Counting an
      // absent status must not read the table looking for rows that are not there.
      await t.store.db.execute(sql`insert into runs (project_id, id, name, status, started_at, last_event_at)
        select 'solo', 's' || g, 'job', case when g % 10 = 0 then 'failed' else 'completed' end,
               now() - g * interval '1 second', now()
        from generate_series(1, 40000) g`);
      await t.store.db.execute(sql`analyze runs`);
      // On Citus a shard holds an eighth of the project, fewer runs than the cap, so reading
      // all of its part (a sequential scan of the shard) is the cheap plan there.
      if (kind.name !== "citus") {
        const counts = await plan(runCountsStatement("solo", {}, RUN_COUNT_CAP));
        expect(counts).not.toMatch(/Seq Scan/);
        for (const filter of [{ from: new Date(Date.now() - 3_600_000) }, { q: "jo" }, { tag: "x" }]) {
          expect(await plan(runCountsStatement("solo", filter, RUN_COUNT_CAP))).not.toMatch(/Seq Scan/);
        }
      }
      const c = await countRunsByStatus(t.store.db, "solo", {});
      expect(c).toEqual({
        running: { count: 0, capped: false },
        completed: { count: RUN_COUNT_CAP, capped: true },
        failed: { count: 4_000, capped: false },
        cancelled: { count: 0, capped: false },
        timed_out: { count: 0, capped: false },
      });
      const recent = (await countRunsByStatus(t.store.db, "solo", { from: new Date(Date.now() - 3_600_000) })).failed.count;
      expect(recent).toBeGreaterThan(300);
      expect(recent).toBeLessThanOrEqual(360);
    });
  });
}
