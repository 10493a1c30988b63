/**
 * The recording path: where run and task handles put their events. It is on
 * the caller's `await` chain, so it only takes the run's `seq`, the time and a
 * task id, and queues a {@link PendingEvent} of references; encoding and
 * delivery run later, on a macrotask (see `delivery.ts`).
 */
import type { EventType } from "./protocol.js";
import type { RunContext } from "./events.js";
import { PendingEvent, takeSeq } from "./events.js";
import { IdSequence } from "./ids.js";
import type { EventQueue } from "./queue.js";

export interface RecorderOptions {
  active: boolean;
  /** Declared on every `run.start`; undefined sends nothing. */
  heartbeatTimeoutMs: number | undefined;
  queue: EventQueue<PendingEvent>;
  /** The queue went from no unencoded event to one: schedule the encode pass. Called once per pass. */
  onUnencoded: () => void;
  /** The run left `running` here (finished, or cancelled): stop heartbeating it. */
  runClosed: (run: RunContext) => void;
}

export class Recorder {
  /** False when disabled or shut down: events are not queued (calls are still checked). */
  active: boolean;
  readonly heartbeatTimeoutMs: number | undefined;
  private readonly queue: EventQueue<PendingEvent>;
  private readonly taskIds = new IdSequence();
  private readonly onUnencoded: () => void;
  private readonly onRunClosed: (run: RunContext) => void;

  constructor(options: RecorderOptions) {
    this.active = options.active;
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs;
    this.queue = options.queue;
    this.onUnencoded = options.onUnencoded;
    this.onRunClosed = options.runClosed;
  }

  /** A new task's number; its id (`<per-client random prefix>.<n in base 36>`) is `taskId(n)`, made when needed. */
  nextTask(): number {
    return this.taskIds.nextNumber();
  }

  /** The id of task number `n`. */
  taskId(n: number): string {
    return this.taskIds.idOf(n);
  }

  /**
   * Queues one event of `run`, stamped now. The slots `a`..`c` hold what the
   * type needs (see {@link PendingEvent}); they are encoded later.
   */
  record(run: RunContext, type: EventType, task: number | undefined, a: unknown, b: unknown, c: unknown): void {
    if (!this.active) return;
    const ms = Date.now();
    const seqOffset = takeSeq(run, ms) - ms * 1000;
    const queue = this.queue;
    const event = new PendingEvent(run, ms - run.epochMs, seqOffset, type, task, a, b, c);
    if (queue.push(event) && queue.unencoded === 1) this.onUnencoded();
  }

  runClosed(run: RunContext): void {
    this.onRunClosed(run);
  }
}
