/**
 * One idle instance of each object the recording path makes, kept for the
 * life of the process.
 *
 * V8 keeps an object layout (a "map") only while some object has it, and it
 * throws away optimized code that depends on a layout once that layout is
 * collected. In a process that records in bursts, every run and task handle
 * and every queued event may be gone by the next full GC: the recording path
 * would then lose its optimized code after each idle GC and run slowly until
 * V8 optimises it again (~3× slower per task in bench/sdk-overhead, which
 * collects garbage between rounds). These few objects keep the layouts.
 */
import { IdSequence } from "./ids.js";
import { PendingEvent, takeSeq } from "./pending-event.js";
import { EventQueue } from "./queue.js";
import { Run } from "./run.js";
import { createRunContext } from "./run-state.js";
import { Task } from "./task.js";

let kept: readonly object[] | undefined;

/** Makes the idle instances, once per process. Records nothing. */
export function keepShapes(): void {
  if (kept !== undefined) return;
  const limits = { maxQueueSize: 1, maxQueueBytes: 1, maxBatchSize: 1, maxBatchBytes: 1 };
  const queue = new EventQueue<PendingEvent>(limits, () => "");
  queue.close();
  const ctx = createRunContext({ queue, taskIds: new IdSequence(), closed: () => {} }, { id: "shape", name: "shape", status: "running", lastSeq: -1 });
  // A recording run's lastSeq holds a µs clock reading, which is not a small integer: take the same layout.
  takeSeq(ctx, Date.now());
  const task = new Task(ctx, "shape", undefined, 0);
  kept = [new Run(ctx), task, new PendingEvent(ctx, 0, 0, "task.start", 0, "shape", undefined, undefined)];
}
