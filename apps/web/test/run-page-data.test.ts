import { request } from "node:http";
import { gunzipSync } from "node:zlib";
import { testStoreKinds } from "@runtrail/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeTasks } from "@/lib/timeline-codec";
import type { TimelineChunk } from "@/lib/timeline-stream";
import { emitter, type RawEvent, uid, useServer } from "./harness";

/** The run page's data path over real HTTP: the page's first tasks and /runs/:id/timeline. */

const TASKS = 2600;

function bigRun(runId: string, failAt: number): RawEvent[] {
  const ev = emitter(runId);
  const out = [ev("run.start", 0, { name: "big page" })];
  for (let i = 0; i < TASKS; i++) {
    out.push(ev("task.start", i, { taskId: `t${i}`, name: `step-${i}`, input: { secret: `payload-${i}` } }));
    out.push(i === failAt ? ev("task.fail", i + 1, { taskId: `t${i}`, errorMessage: `broke at ${i}` }) : ev("task.complete", i + 1, { taskId: `t${i}` }));
  }
  out.push(ev("run.complete", TASKS + 1));
  return out;
}

/** GET with gzip asked for, raw: the bytes on the wire and the headers. */
function getRaw(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { "accept-encoding": "gzip" } }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (b: Buffer) => parts.push(b));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

const lines = (text: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as TimelineChunk);

for (const kind of await testStoreKinds()) {
  describe(`run page data on ${kind.name}`, () => {
    const api = useServer(kind);
    const run = uid("big");
    let version = 0;

    beforeAll(async () => {
      const all = bigRun(run, 2500);
      // 300 events stay under the test server's 64 KiB body limit.
      for (let i = 0; i < all.length; i += 300) {
        const r = await api.ingest(all.slice(i, i + 300));
        if (r.status !== 200) throw new Error(`seeding failed: ${JSON.stringify(r.body)}`);
      }
      version = (await api.getRun(run)).run.version;
    });

    it("the page carries the first 1,000 tasks, the failed one and the linked one; no payloads", async () => {
      const html = await (await fetch(`${api.url}/runs/${run}?task=t2200`)).text();
      expect(html).toContain("step-999");
      expect(html).not.toContain("step-1000");
      // The failure banner names the first failed task, though it lies far beyond the first tasks.
      expect(html).toMatch(/Failed at task “(<!-- -->)?step-2500(<!-- -->)?”/);
      expect(html).toContain("broke at 2500");
      expect(html).toContain("step-2200");
      expect(html).not.toMatch(/payload-\d/);
      // Far smaller than the tasks as objects would be.
      expect(html.length).toBeLessThan(200_000);
    });

    it("streams every task from the start, in timeline order, gzipped, in growing chunks", async () => {
      const res = await getRaw(`${api.url}/runs/${run}/timeline`);
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toBe("text/x-ndjson; charset=utf-8");
      expect(res.headers["content-encoding"]).toBe("gzip");
      expect(res.headers["cache-control"]).toBe("no-store");
      const text = gunzipSync(res.body).toString("utf8");
      expect(res.body.length * 3).toBeLessThan(text.length);
      const chunks = lines(text);
      expect(chunks.map((c) => c.tasks.idRest.length)).toEqual([2000, 600]);
      expect(chunks.map((c) => c.next === null)).toEqual([false, true]);
      const tasks = chunks.flatMap((c) => decodeTasks(run, c.tasks));
      expect(tasks.map((t) => t.id)).toEqual(Array.from({ length: TASKS }, (_, i) => `t${i}`));
      expect(tasks[2500]).toMatchObject({ status: "failed", errorMessage: "broke at 2500", name: "step-2500", runId: run });
      expect(tasks[7]).not.toHaveProperty("input");
    });

    it("continues after a cursor; an ended run's answer for its version may be kept", async () => {
      const first = lines(await (await fetch(`${api.url}/runs/${run}/timeline`)).text())[0];
      const after = encodeURIComponent(first?.next ?? "");
      const res = await fetch(`${api.url}/runs/${run}/timeline?after=${after}&v=${version}`);
      // Kept, but revalidated on every use (its ETag names the version and project): never a long-lived copy.
      expect(res.headers.get("cache-control")).toBe("private, no-cache");
      expect(res.headers.get("etag")).toMatch(new RegExp(`^"${version}-`));
      const rest = lines(await res.text()).flatMap((c) => decodeTasks(run, c.tasks));
      expect(rest.map((t) => t.id)).toEqual(Array.from({ length: TASKS - 2000 }, (_, i) => `t${i + 2000}`));
      // Another version (the page is stale, or the run moved on) is not kept.
      const stale = await fetch(`${api.url}/runs/${run}/timeline?after=${after}&v=${version - 1}`);
      expect(stale.headers.get("cache-control")).toBe("no-store");
      await stale.body?.cancel();
    });

    it("answers 400 for a bad cursor or version and 404 for an unknown run", async () => {
      const bad = await fetch(`${api.url}/runs/${run}/timeline?after=nonsense`);
      expect(bad.status).toBe(400);
      expect((await bad.json()).error).toMatchObject({ code: "invalid_cursor", field: "after" });
      const badV = await fetch(`${api.url}/runs/${run}/timeline?v=-1`);
      expect(badV.status).toBe(400);
      expect((await badV.json()).error).toMatchObject({ field: "v" });
      expect((await fetch(`${api.url}/runs/${uid("nope")}/timeline`)).status).toBe(404);
      const nul = await fetch(`${api.url}/runs/a%00b/timeline`);
      expect(nul.status).toBe(400);
      expect((await nul.json()).error).toMatchObject({ field: "id" });
      // A link to a task no stored id could equal is ignored, not a failed page.
      expect((await fetch(`${api.url}/runs/${run}?task=a%00b`)).status).toBe(200);
    });
  });
}
