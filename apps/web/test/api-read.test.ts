import { testStoreKinds } from "@runtrail/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { type Api, emitter, iso, prng, type RawEvent, shuffled, uid, useServer } from "./harness";

/** GET /api/v1/runs over real HTTP: keyset pagination and filters. */

const DAY = 86_400_000;

interface Spec {
  id: string;
  name: string;
  tags: string[];
  /** Offset from the crafted-events base time. */
  at: number;
  end?: "completed" | "failed";
}

function runEvents(s: Spec): RawEvent[] {
  const ev = emitter(s.id, s.at);
  const out = [ev("run.start", 0, { name: s.name, tags: s.tags, input: { big: "x".repeat(100) } })];
  out.push(ev("task.start", 10, { taskId: "t", name: "step" }));
  if (s.end === "completed") out.push(ev("task.complete", 20, { taskId: "t" }), ev("run.complete", 30, {}));
  if (s.end === "failed") out.push(ev("task.fail", 20, { taskId: "t", errorMessage: "boom" }), ev("run.fail", 30, { errorMessage: "boom" }));
  return out;
}

// biome-ignore lint/suspicious/noExplicitAny: test JSON
type Row = any;

/** Follows nextCursor from the first page; returns every page's ids. */
async function pages(api: Api, query: string): Promise<{ pages: string[][]; rows: Row[] }> {
  const out: string[][] = [];
  const rows: Row[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const q: string = cursor ? `${query}&cursor=${encodeURIComponent(cursor)}` : query;
    const r = await api.call(`/api/v1/runs?${q}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    out.push(r.body.data.map((d: Row) => d.id));
    rows.push(...r.body.data);
    cursor = r.body.nextCursor;
    if (cursor === null) return { pages: out, rows };
    expect(typeof cursor).toBe("string");
  }
  throw new Error("pagination did not end");
}

for (const kind of await testStoreKinds()) {
  describe(`HTTP read API on ${kind.name}`, () => {
    const api = useServer(kind);

    // Seven runs a day apart (in a window of their own, inserted in shuffled order)
    // with two names, tags and all three statuses.
    const tag = uid("page");
    const nameA = uid("alpha");
    const nameB = uid("beta");
    const specs: Spec[] = Array.from({ length: 7 }, (_, i) => ({
      id: uid(`p${i}`),
      name: i % 2 === 0 ? nameA : nameB,
      tags: i % 3 === 0 ? [tag, `${tag}-third`] : [tag],
      at: 400 * DAY + i * DAY + i * 7,
      end: (["completed", "failed", undefined] as const)[i % 3],
    }));
    const newestFirst = [...specs].reverse().map((s) => s.id);
    const where = (pred: (s: Spec) => boolean) => newestFirst.filter((id) => pred(specs.find((s) => s.id === id) as Spec));

    // Registered after useServer's hook, so it runs once the server is up.
    beforeAll(async () => {
      const r = await api.ingest(shuffled(specs.flatMap(runEvents), prng(7)));
      if (r.status !== 200) throw new Error(`seeding failed: ${JSON.stringify(r.body)}`);
    });

    it("pages newest first with limit=3 via nextCursor, every run exactly once", async () => {
      const { pages: got, rows } = await pages(api, `tag=${encodeURIComponent(tag)}&limit=3`);
      expect(got.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(got.flat()).toEqual(newestFirst);
      const first = rows[0];
      const spec = specs[6] as Spec;
      expect(first).toMatchObject({ id: spec.id, name: spec.name, status: "completed", tags: spec.tags, errorMessage: null });
      expect(first.startedAt).toBe(iso(spec.at));
      expect(first.endedAt).toBe(iso(spec.at + 30));
      expect(first.durationMs).toBe(30);
      expect(first.taskCounts).toMatchObject({ total: 1, completed: 1 });
      expect(first.input).toBeUndefined();
      const failed = rows.find((r) => r.status === "failed");
      expect(failed).toMatchObject({ errorMessage: "boom", taskCounts: { total: 1, failed: 1 } });
      const running = rows.find((r) => r.status === "running");
      expect(running).toMatchObject({ endedAt: null, durationMs: null, taskCounts: { total: 1, running: 1 } });

      // The same window selected by time instead of tag, one run per page.
      const from = iso(400 * DAY);
      const to = iso(407 * DAY);
      const byTime = await pages(api, `from=${from}&to=${to}&limit=1`);
      expect(byTime.pages.flat()).toEqual(newestFirst);
      expect(byTime.pages.every((p) => p.length === 1)).toBe(true);
      // `to` is exclusive, `from` inclusive.
      const edge = await pages(api, `from=${iso((specs[1] as Spec).at)}&to=${iso((specs[5] as Spec).at)}&limit=200`);
      expect(edge.pages.flat()).toEqual(newestFirst.slice(2, 6));
    });

    it("filters by status, name and tag, combined and paged", async () => {
      const ids = async (query: string) => (await pages(api, query)).pages.flat();
      const t = `tag=${encodeURIComponent(tag)}`;
      expect(await ids(`${t}&status=completed`)).toEqual(where((s) => s.end === "completed"));
      expect(await ids(`${t}&status=failed&limit=1`)).toEqual(where((s) => s.end === "failed"));
      expect(await ids(`${t}&status=running&limit=2`)).toEqual(where((s) => s.end === undefined));
      expect(await ids(`${t}&status=cancelled`)).toEqual([]);
      expect(await ids(`name=${encodeURIComponent(nameA)}&limit=2`)).toEqual(where((s) => s.name === nameA));
      expect(await ids(`name=${encodeURIComponent(nameB)}&status=completed`)).toEqual(
        where((s) => s.name === nameB && s.end === "completed"),
      );
      expect(await ids(`tag=${encodeURIComponent(`${tag}-third`)}&limit=1`)).toEqual(where((s) => s.tags.length === 2));
      expect(await ids(`tag=${encodeURIComponent(`${tag}-none`)}`)).toEqual([]);
      expect(await ids(`name=${encodeURIComponent(nameA.slice(0, -1))}`)).toEqual([]); // exact name, not prefix
    });

    it("q is a case-insensitive name prefix; before pages back to newer runs", async () => {
      const ids = async (query: string) => (await pages(api, query)).pages.flat();
      const t = `tag=${encodeURIComponent(tag)}`;
      expect(await ids(`q=${encodeURIComponent(nameA.slice(0, -2).toUpperCase())}&limit=2`)).toEqual(where((s) => s.name === nameA));
      expect(await ids(`q=${encodeURIComponent(nameB)}&status=failed`)).toEqual(where((s) => s.name === nameB && s.end === "failed"));
      expect(await ids(`${t}&q=${encodeURIComponent(nameA.slice(1))}`)).toEqual([]); // a prefix, not a substring

      const first = await api.call(`/api/v1/runs?${t}&limit=3`);
      expect(first.body.prevCursor).toBeNull();
      const second = await api.call(`/api/v1/runs?${t}&limit=3&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      const third = await api.call(`/api/v1/runs?${t}&limit=3&cursor=${encodeURIComponent(second.body.nextCursor)}`);
      expect(third.body.data.map((r: Row) => r.id)).toEqual(newestFirst.slice(6));
      const back = await api.call(`/api/v1/runs?${t}&limit=3&before=${encodeURIComponent(third.body.prevCursor)}`);
      expect(back.body.data.map((r: Row) => r.id)).toEqual(newestFirst.slice(3, 6));
      const top = await api.call(`/api/v1/runs?${t}&limit=3&before=${encodeURIComponent(back.body.prevCursor)}`);
      expect(top.body).toMatchObject({ prevCursor: null, nextCursor: first.body.nextCursor });
      expect(top.body.data.map((r: Row) => r.id)).toEqual(newestFirst.slice(0, 3));
    });

    it("breaks ties on equal start times by id, across page boundaries", async () => {
      const tieTag = uid("tie");
      const at = 500 * DAY;
      const ids = ["tie-a", "tie-b", "tie-c", "tie-d", "tie-e"].map((x) => `${x}-${tieTag}`);
      const batch = ids.map((id) => emitter(id, at)("run.start", 0, { name: "tie", tags: [tieTag] }));
      expect((await api.ingest(batch)).status).toBe(200);
      const got = await pages(api, `tag=${tieTag}&limit=2`);
      expect(got.pages.map((p) => p.length)).toEqual([2, 2, 1]);
      expect(got.pages.flat()).toEqual([...ids].reverse());
    });

    it("walks every run in the store once, in (startedAt, id) descending order", async () => {
      const all = await pages(api, "limit=4");
      const seen = all.rows.map((r) => r.id);
      expect(new Set(seen).size).toBe(seen.length);
      for (const id of newestFirst) expect(seen).toContain(id);
      for (let i = 1; i < all.rows.length; i++) {
        const a = all.rows[i - 1];
        const b = all.rows[i];
        const order = Date.parse(a.startedAt) - Date.parse(b.startedAt) || (a.id > b.id ? 1 : -1);
        expect(order, `${a.id} before ${b.id}`).toBeGreaterThan(0);
      }
      const single = await api.call("/api/v1/runs?limit=200");
      expect(single.body.nextCursor).toBeNull();
      expect(single.body.data.map((r: Row) => r.id)).toEqual(seen);
    });

    it("serves the run page's log lists and comparison, with errors that name the field", async () => {
      const runId = uid("logs");
      const ev = emitter(runId, 900 * DAY);
      const seeded = await api.ingest([
        ev("run.start", 0, { name: uid("logged") }),
        ev("task.start", 1, { taskId: "t", name: "step" }),
        ev("task.log", 2, { taskId: "t", message: "task line 1", level: "warn", attributes: { n: 1 } }),
        ev("run.log", 3, { message: "run line" }),
        ev("task.log", 4, { taskId: "t", message: "task line 2" }),
        ev("task.complete", 5, { taskId: "t" }),
      ]);
      expect(seeded.status).toBe(200);
      const logs = (q: string) => api.call(`/runs/${encodeURIComponent(runId)}/logs${q}`);
      const messages = (r: { body: { data: { message: string }[] } }) => r.body.data.map((l) => l.message);
      expect(messages(await logs(""))).toEqual(["task line 1", "run line", "task line 2"]);
      expect(messages(await logs("?scope=run"))).toEqual(["run line"]);
      const first = await logs("?taskId=t&limit=1");
      expect(first.body.data[0]).toMatchObject({ message: "task line 1", level: "warn", attributes: { n: 1 }, taskId: "t" });
      expect(messages(await logs(`?taskId=t&cursor=${encodeURIComponent(first.body.nextCursor)}`))).toEqual(["task line 2"]);

      const both = await logs("?taskId=t&scope=run");
      expect(both.status).toBe(400);
      expect(both.body.error).toMatchObject({ field: "taskId", message: "taskId: cannot be combined with scope=run" });
      expect((await logs("?limit=0")).body.error.message).toBe("limit: must be >= 1");
      expect((await logs("?scope=tasks")).body.error.field).toBe("scope");
      expect((await logs("?cursor=nonsense")).body.error.field).toBe("cursor");
      expect((await api.call("/runs/no-such-run/logs")).status).toBe(404);

      // nameA's runs: #0 completed, #2 running, #4 failed, #6 completed.
      const failed = await api.call(`/runs/${(specs[4] as Spec).id}/compare`);
      expect(failed.status).toBe(200);
      expect(failed.body.baseline).toMatchObject({ id: (specs[0] as Spec).id, status: "completed" });
      expect(failed.body.names).toEqual([
        { name: "step", run: { count: 1, ended: 1, totalMs: 10, maxMs: 10, failed: 1 }, baseline: { count: 1, ended: 1, totalMs: 10, maxMs: 10, failed: 0 } },
      ]);
      expect((await api.call(`/runs/${(specs[0] as Spec).id}/compare`)).body).toMatchObject({ baseline: null, names: [], nameCount: 0 });
      expect((await api.call("/runs/no-such-run/compare")).status).toBe(404);
    });
  });
}
