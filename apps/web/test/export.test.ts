import { testStoreKinds } from "@runtrail/db/testing";
import { describe, expect, it } from "vitest";
import { DashboardClient } from "./dashboard";
import { emitter, referenceRun, uid, useServer } from "./harness";

/**
 * Over real HTTP on both stores: a run's export as CSV and JSON from the API (API key)
 * and from the dashboard (session), its errors, and project scoping. The 100,000-task
 * export and its memory are in export-big.test.ts.
 */

const ADMIN = { email: "admin@example.com", password: "admin password 1" };

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(cell), (cell = "");
    else if (c === "\r" && text[i + 1] === "\n") row.push(cell), rows.push(row), (row = []), (cell = ""), i++;
    else cell += c;
  }
  if (cell !== "" || row.length > 0) throw new Error(`CSV does not end with CRLF: ${JSON.stringify(text.slice(-40))}`);
  return rows;
}

for (const kind of await testStoreKinds()) {
  describe(`run export on ${kind.name}`, () => {
    const api = useServer(kind, { RUNTRAIL_ADMIN_EMAIL: ADMIN.email, RUNTRAIL_ADMIN_PASSWORD: ADMIN.password });
    const get = (path: string, key: string | null = api.apiKey) => fetch(`${api.url}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

    async function recorded(): Promise<string> {
      const runId = uid("export");
      const ev = emitter(runId, 10_000);
      const hostile = { taskId: "t7", name: '=HYPERLINK("http://evil.example","click")', input: { text: "Grüße, 東京 🚀\n\"quoted\"" } };
      const batch = referenceRun(runId).slice(0, -1);
      batch.push(ev("task.start", 500, hostile), ev("task.fail", 501, { taskId: "t7", errorMessage: "-1 + 2, then\r\nboom" }));
      batch.push(ev("run.complete", 502, { output: {} }));
      // Seqs continue the reference run's.
      const seqBase = 100;
      for (const [i, e] of batch.entries()) Object.assign(e, { seq: seqBase + i, id: `${runId}-x${i}` });
      const r = await api.ingest(batch);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return runId;
    }

    it("answers the JSON export as the run and its tasks exactly as GET /runs/:id has them", async () => {
      const runId = await recorded();
      const res = await get(`/api/v1/runs/${runId}/export?format=json`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="runtrail-run-${runId}.json"`);
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.json()).toEqual(await api.getRun(runId));
      // json is the default format.
      expect((await (await get(`/api/v1/runs/${runId}/export`)).json()).tasks).toHaveLength(7);
    });

    it("answers the CSV export: a header, one RFC 4180 row per task in timeline order, formulas defused", async () => {
      const runId = await recorded();
      const res = await get(`/api/v1/runs/${runId}/export?format=csv`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8; header=present");
      const rows = parseCsv(await res.text());
      const { tasks } = await api.getRun(runId);
      expect(rows[0]).toEqual(["id", "parentTaskId", "name", "status", "startedAt", "endedAt", "durationMs", "statusMessage", "progress", "inputTokens", "outputTokens", "costUsd", "errorMessage", "errorStack", "input", "output"]);
      expect(rows.slice(1).map((r) => r[0])).toEqual(tasks.map((t) => t.id));
      const byId = new Map(rows.slice(1).map((r) => [r[0], r]));
      const t5 = tasks.find((t) => t.id === "t5");
      expect(byId.get("t5")).toEqual(["t5", "t4", "ocr-page", "failed", t5.startedAt, t5.endedAt, String(t5.durationMs), "", "", "", "", "", "Connection refused", "Error: Connection refused", "", ""]);
      expect(byId.get("t6")?.[7]).toBe("cache hit");
      expect(JSON.parse(byId.get("t1")?.[15] ?? "")).toEqual({ pages: 3 });
      const t7 = byId.get("t7") ?? [];
      expect(t7[2]).toBe(`'=HYPERLINK("http://evil.example","click")`);
      expect(t7[12]).toBe("'-1 + 2, then\r\nboom");
      expect(JSON.parse(t7[14] ?? "")).toEqual({ text: "Grüße, 東京 🚀\n\"quoted\"" });
    });

    it("says which field is wrong, and answers 404 for an unknown run or another project's", async () => {
      const runId = await recorded();
      const bad = await get(`/api/v1/runs/${runId}/export?format=xml`);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({ error: { code: "invalid_params", message: 'format: must be csv or json, got "xml"', field: "format" } });
      expect((await get(`/api/v1/runs/nope-${runId}/export?format=csv`)).status).toBe(404);
      expect((await get(`/api/v1/runs/${runId}/export?format=csv`, null)).status).toBe(401);

      const web = new DashboardClient(api.url);
      expect((await web.login(ADMIN.email, ADMIN.password)).status).toBe(200);
      const project = await web.send("/manage/projects", { name: `Other ${uid("p")}` });
      const key = await web.send("/manage/keys", { projectId: project.body.project.id, name: "export" });
      expect(key.status, key.text).toBe(201);
      const other = await get(`/api/v1/runs/${runId}/export?format=json`, key.body.key);
      expect(other.status).toBe(404);
      expect(await other.text()).not.toContain("HYPERLINK");
    });

    it("serves the run page's download to a signed-in viewer of the project, and nobody else", async () => {
      const runId = await recorded();
      const web = new DashboardClient(api.url);
      expect((await web.login(ADMIN.email, ADMIN.password)).status).toBe(200);
      const csv = await web.request(`/runs/${runId}/export?format=csv`);
      expect(csv.status).toBe(200);
      expect(csv.headers.get("content-disposition")).toBe(`attachment; filename="runtrail-run-${runId}.csv"`);
      expect(parseCsv(csv.text)).toHaveLength(8);
      const json = await web.request(`/runs/${runId}/export?format=json`);
      expect(JSON.parse(json.text)).toEqual(await api.getRun(runId));
      expect((await web.request(`/runs/${runId}/export?format=pdf`)).status).toBe(400);
      expect((await new DashboardClient(api.url).request(`/runs/${runId}/export?format=csv`)).status).toBe(401);
    });
  });
}
