import { testStoreKinds } from "@runtrail/db/testing";
import { Runtrail } from "@runtrail/sdk";
import { describe, expect, it } from "vitest";
import { useServer } from "./harness";

/**
 * The seed's loop (`await run.startTask(…)`, `await task.complete(…)`) far past the
 * SDK's queue bound, against the real server: with the server up, the awaited calls
 * wait for delivery instead of dropping, so every event is stored and the run ends
 * completed. A small queue (200 events) stands in for the default 10,000 with
 * 100,000 tasks (`npm run bench:loop`).
 */

const TASKS = 5_000;
const QUEUE = 200;

for (const kind of await testStoreKinds()) {
  describe(`SDK backpressure on ${kind.name}`, () => {
    const api = useServer(kind);

    it(`stores all ${2 * TASKS + 2} events of a ${TASKS}-task loop through a ${QUEUE}-event queue, and the run ends completed`, async () => {
      const client = new Runtrail({ baseUrl: api.url, apiKey: api.apiKey, maxQueueSize: QUEUE, heartbeatIntervalMs: 0 });
      const run = await client.startRun({ name: "backpressure-loop" });
      for (let i = 0; i < TASKS; i++) {
        const task = await run.startTask(`step-${i}`, { i });
        await task.complete({ output: { i } });
      }
      await run.complete({ output: { tasks: TASKS } });
      const report = await client.flush(60_000);
      await client.shutdown(1_000);
      expect(report).toEqual({ sent: 2 * TASKS + 2, pending: 0, dropped: { queue_overflow: 0, payload_too_large: 0, rejected: 0 } });

      const { run: stored, tasks } = await api.getRun(run.id);
      expect(stored).toMatchObject({ name: "backpressure-loop", status: "completed", output: { tasks: TASKS } });
      expect(stored.taskCounts).toMatchObject({ total: TASKS, completed: TASKS });
      // Every task.start (its seq) and task.complete (its end) is stored, in loop order.
      expect(tasks.filter((task) => task.seq !== null && task.endedAt !== null)).toHaveLength(TASKS);
      expect(tasks.map((task) => task.name)).toEqual(Array.from({ length: TASKS }, (_, i) => `step-${i}`));
    });
  });
}
