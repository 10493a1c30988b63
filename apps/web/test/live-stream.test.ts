import { testStoreKinds } from "@runtrail/db/testing";
import { describe, expect, it } from "vitest";
import { emitter, uid, useServer } from "./harness";
import { openSse, type SseMessage, type SseReader } from "./sse";

/** What the live streams send over real HTTP: whole tasks on the API by default, summaries for the run page. */

async function readUntilEnd(sse: SseReader): Promise<SseMessage[]> {
  const out: SseMessage[] = [];
  for (let m = await sse.next(10_000); m; m = await sse.next(10_000)) out.push(m);
  return out;
}

for (const kind of await testStoreKinds()) {
  describe(`live stream shapes on ${kind.name}`, () => {
    const api = useServer(kind);

    async function endedRun(): Promise<string> {
      const r = uid("shape");
      const ev = emitter(r);
      const res = await api.ingest([
        ev("run.start", 0, { name: "shapes", input: { q: "question" }, metadata: { team: "a" } }),
        ev("task.start", 1, { taskId: "a", name: "call", input: { prompt: "secret-input" } }),
        ev("task.fail", 2, { taskId: "a", errorMessage: `boom ${"!".repeat(600)}`, errorStack: "Error: boom\n    at secret-stack" }),
        ev("task.start", 3, { taskId: "b", name: "retry", input: { prompt: "again" } }),
        ev("task.complete", 4, { taskId: "b", output: { answer: "secret-output" }, usage: { inputTokens: 5, outputTokens: 2, costUsd: 0.001 } }),
        ev("run.complete", 5, { output: { answer: "final" } }),
      ]);
      expect(res.status).toBe(200);
      return r;
    }

    it("the API stream sends whole tasks and runs, as GET /runs/:id has them", async () => {
      const r = await endedRun();
      const auth = { authorization: `Bearer ${api.apiKey}` };
      const messages = await readUntilEnd(await openSse(`${api.url}/api/v1/runs/${r}/stream`, auth));
      expect(messages.map((m) => m.event)).toEqual(["tasks", "run", "end"]);
      const stored = await api.getRun(r);
      const byId = (xs: { id: string }[]) => [...xs].sort((x, y) => x.id.localeCompare(y.id));
      expect(byId(messages[0]?.data)).toEqual(byId(stored.tasks));
      expect(messages[1]?.data).toEqual(stored.run);
      expect(messages[2]?.data).toEqual(stored.run);
    });

    it("?payloads=false and the run page's /live send summaries; end brings the whole run", async () => {
      const r = await endedRun();
      const auth = { authorization: `Bearer ${api.apiKey}` };
      const stored = await api.getRun(r);
      for (const sse of [await openSse(`${api.url}/api/v1/runs/${r}/stream?payloads=false`, auth), await openSse(`${api.url}/runs/${r}/live`, {})]) {
        expect(sse.status).toBe(200);
        const messages = await readUntilEnd(sse);
        expect(messages.map((m) => m.event)).toEqual(["tasks", "run", "end"]);
        const text = JSON.stringify(messages.slice(0, 2));
        for (const secret of ["secret-input", "secret-output", "secret-stack", "question", "final", "team"]) expect(text).not.toContain(secret);
        const failed = messages[0]?.data.find((t: { id: string }) => t.id === "a");
        expect(failed).toMatchObject({ name: "call", status: "failed", startedAt: stored.tasks[0].startedAt, endedAt: stored.tasks[0].endedAt });
        expect(failed.errorMessage).toHaveLength(500);
        expect(Object.keys(failed)).not.toContain("input");
        expect(messages[0]?.data.find((t: { id: string }) => t.id === "b")).toMatchObject({ usage: { inputTokens: 5, outputTokens: 2, costUsd: 0.001 } });
        expect(messages[1]?.data).toMatchObject({ id: r, status: "completed", taskCounts: { total: 2, failed: 1, completed: 1 } });
        expect(Object.keys(messages[1]?.data)).not.toContain("output");
        expect(messages[2]?.data).toEqual(stored.run);
      }
    });

    it("a bad payloads value is a 400 naming the field", async () => {
      const r = await endedRun();
      const res = await api.call(`/api/v1/runs/${r}/stream?payloads=maybe`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: "invalid_params", field: "payloads" });
      expect(res.body.error.message).toContain("payloads: must be true or false");
    });
  });
}
