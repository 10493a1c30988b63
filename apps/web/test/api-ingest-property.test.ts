import { testStoreKinds } from "@runtrail/db/testing";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { uid, useServer } from "./harness";
import { buildBatch, type Entry, expectedRuns, expectedStatuses, plans, type Status } from "./hostile-batches";

/**
 * Property: whatever a batch holds, the ingest endpoint never answers 5xx (the
 * harness throws on one), each event's result is what the model says (broken →
 * rejected, valid → accepted, or duplicate when its id was stored already), and
 * reading the runs back shows exactly the valid events: none of a rejected one,
 * all of an accepted one, intact (NULs and lone surrogates as U+FFFD).
 *
 * ~100 batches per store (plus a resend of some); a failure prints fast-check's
 * seed and path, which replay it: `fc.assert(…, { seed, path })`.
 */

const NUM_RUNS = 100;

/** The id the server echoes for an entry: a string id of at most 200 characters, else null. */
function echoedId(raw: unknown): string | null {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return null;
  const id = (raw as { id?: unknown }).id;
  return typeof id === "string" && id.length <= 200 ? id : null;
}

const pick = (value: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, value[k]]));

for (const kind of await testStoreKinds()) {
  describe(`ingest property on ${kind.name}`, () => {
    const api = useServer(kind, { RUNTRAIL_MAX_BODY_BYTES: String(4 * 1024 * 1024) });

    async function send(entries: Entry[], expected: Status[]): Promise<void> {
      const raw = `{"batch":[${entries.map((e) => JSON.stringify(e.raw)).join(",")}]}`;
      const r = await api.call("/api/v1/ingest", { raw, method: "POST" });
      const clean = expected.every((s) => s !== "rejected");
      expect(r.status, JSON.stringify(r.body).slice(0, 2000)).toBe(clean ? 200 : 207);
      const got = r.body.results.map((x: { index: number; id: string | null; status: Status; error?: string }, i: number) => {
        expect(x.index).toBe(i);
        expect(x.id).toBe(echoedId(entries[i]?.raw));
        if (x.status === "rejected") expect(x.error?.startsWith(`batch[${i}]`), x.error).toBe(true);
        return x.status === "rejected" ? `rejected: ${x.error}` : x.status;
      });
      // Compared whole, so a failure shows every event's answer beside what was expected.
      const want = expected.map((s, i) => (s === "rejected" ? `rejected: ${r.body.results[i]?.error}` : s));
      expect(got).toEqual(want);
      expect(r.body).toMatchObject({
        accepted: expected.filter((s) => s === "accepted").length,
        duplicates: expected.filter((s) => s === "duplicate").length,
        rejected: expected.filter((s) => s === "rejected").length,
        conflicts: 0,
      });
    }

    it("never answers 5xx, rejects exactly the broken events, and stores exactly the valid ones, intact", async () => {
      await fc.assert(
        fc.asyncProperty(plans, fc.boolean(), async (plan, resend) => {
          const prefix = uid("prop");
          const entries = buildBatch(plan, prefix);
          const storedIds = new Set<string>();
          const first = expectedStatuses(entries, storedIds);
          await send(entries, first.statuses);
          if (resend) {
            // The same batch again (a client retry): nothing new, the broken still rejected.
            const again = expectedStatuses(entries, storedIds);
            expect(again.applied).toEqual([]);
            await send(entries, again.statuses);
          }

          const runs = expectedRuns(first.applied);
          const runIds = new Set(entries.flatMap((e) => (e.valid ? [String(e.valid.runId)] : [])));
          for (const runId of runIds) {
            const path = `/api/v1/runs/${encodeURIComponent(runId)}`;
            const got = await api.call(path);
            const want = runs.get(runId);
            if (!want) {
              expect(got.status, `${runId}: only rejected events, nothing stored`).toBe(404);
              continue;
            }
            expect(got.status, runId).toBe(200);
            expect(pick(got.body.run, Object.keys(want.run))).toEqual(want.run);
            const tasks = [...got.body.tasks].sort((a, b) => (a.id < b.id ? -1 : 1));
            const wantTasks = [...want.tasks.values()].sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
            expect(tasks.map((t) => pick(t, ["id", "name", "status", "input", "output", "errorMessage", "parentTaskId"]))).toEqual(wantTasks);
            expect(got.body.run.taskCounts.total).toBe(wantTasks.length);
            const logs = await api.call(`${path}/logs?limit=1000`);
            expect(logs.body.data.map((l: Record<string, unknown>) => pick(l, ["taskId", "message", "level", "attributes"]))).toEqual(want.logs);
          }
        }),
        { numRuns: NUM_RUNS },
      );
    });
  });
}
