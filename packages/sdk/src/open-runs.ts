/**
 * The runs of one client that are open (running here), by id: where an
 * ingest answer's `cancelledRuns` are looked up, where `client.run(id)` finds
 * a run it already has, and what the heartbeat timer walks.
 *
 * Held weakly. A run stays open while the application can still record on it:
 * while some handle on it is reachable (its `Run` handles, from `startRun` and
 * every `client.run(id)` that found it open, and its `Task` handles all hold the
 * run's state; queued events hold it only until they are encoded). Once none
 * is, nothing can finish the run here: a handler that threw before
 * `run.complete()` in a long-lived service. Heartbeating it for the life of the
 * process would keep it `running` on the server forever, so it leaves the open
 * set when it is collected, and the server times it out (`heartbeatTimeoutMs`),
 * which is what happened to it.
 *
 * Heartbeats: one unref'd interval timer per client, running only while some
 * run is open. On each tick every open run that recorded nothing since the
 * previous tick gets a `run.heartbeat`, unless delivery is stalled (events
 * queued and none delivered since the previous tick) or the queue is full:
 * then the queued events will refresh their runs when they get through, and a
 * server that is down must not make heartbeats pile up in the queue.
 */
import { stamp } from "./pending-event.js";
import type { PendingEvent } from "./pending-event.js";
import type { EventQueue } from "./queue.js";
import type { RunContext } from "./run-state.js";
import { unref } from "./timers.js";

export interface OpenRunsOptions {
  /** Heartbeat period; 0 turns heartbeats off. */
  heartbeatIntervalMs: number;
  /** The client's queue: where heartbeats go, and how delivery progresses. */
  queue: EventQueue<PendingEvent>;
}

/** What the open set holds of a run: a `WeakRef` where the runtime has one. */
interface RunRef {
  deref(): RunContext | undefined;
}

const NativeWeakRef = (globalThis as { WeakRef?: new (target: RunContext) => RunRef }).WeakRef;
const NativeRegistry = (globalThis as { FinalizationRegistry?: typeof FinalizationRegistry }).FinalizationRegistry;

/** A weak reference; a strong one on runtimes without WeakRef (runs then stay open until finished). */
function refTo(run: RunContext): RunRef {
  return NativeWeakRef === undefined ? { deref: () => run } : new NativeWeakRef(run);
}

export class OpenRuns {
  private readonly runs = new Map<string, RunRef>();
  /** Forgets a run once collected, so the map does not keep dead entries until the next tick. */
  private readonly registry: FinalizationRegistry<{ id: string; ref: RunRef }> | undefined =
    NativeRegistry === undefined ? undefined : new NativeRegistry(({ id, ref }) => this.forget(id, ref));
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastDelivered = -1;
  private stopped = false;

  constructor(private readonly options: OpenRunsOptions) {}

  get size(): number {
    return this.runs.size;
  }

  get(runId: string): RunContext | undefined {
    const ref = this.runs.get(runId);
    const run = ref?.deref();
    if (ref !== undefined && run === undefined) this.forget(runId, ref);
    return run;
  }

  /** Adds a running run; starts the heartbeat timer with the first one. */
  add(run: RunContext): void {
    if (run.status !== "running") return;
    const previous = this.runs.get(run.id);
    if (previous?.deref() === run) return;
    if (previous !== undefined) this.registry?.unregister(previous);
    const ref = refTo(run);
    this.runs.set(run.id, ref);
    this.registry?.register(run, { id: run.id, ref }, ref);
    if (this.timer === undefined && !this.stopped && this.options.heartbeatIntervalMs > 0) {
      this.lastDelivered = this.options.queue.removed;
      this.timer = unref(setInterval(() => this.tick(), this.options.heartbeatIntervalMs));
    }
  }

  /** Removes a run that is no longer running here; stops the timer with the last one. */
  remove(run: RunContext): void {
    const ref = this.runs.get(run.id);
    if (ref !== undefined && ref.deref() === run) this.forget(run.id, ref);
    if (this.runs.size === 0) this.clearTimer();
  }

  /** At shutdown: no more heartbeats. */
  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  private forget(runId: string, ref: RunRef): void {
    if (this.runs.get(runId) !== ref) return;
    this.runs.delete(runId);
    this.registry?.unregister(ref);
    if (this.runs.size === 0) this.clearTimer();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const queue = this.options.queue;
    const delivered = queue.removed;
    const stalled = (queue.length > 0 && delivered === this.lastDelivered) || queue.full;
    this.lastDelivered = delivered;
    for (const [id, ref] of this.runs) {
      const run = ref.deref();
      if (run === undefined) {
        this.forget(id, ref);
        continue;
      }
      if (!stalled && !run.touched) queue.push(stamp(run, "run.heartbeat", undefined, undefined, undefined, undefined));
      // Cleared after the heartbeat too: recording it marks the run touched.
      run.touched = false;
    }
  }
}
