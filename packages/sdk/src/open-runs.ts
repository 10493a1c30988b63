/**
 * The runs of one client that are open (running here), by id: where an
 * ingest answer's `cancelledRuns` are looked up, where `client.run(id)` finds
 * a run it already has, and what the heartbeat timer walks.
 *
 * Heartbeats: one unref'd interval timer per client, running only while some
 * run is open. On each tick every open run that recorded nothing since the
 * previous tick gets a `run.heartbeat`, unless delivery is stalled (events
 * queued and none delivered since the previous tick): then the queued events
 * will refresh their runs when they get through, and a server that is down
 * must not make heartbeats pile up in the queue.
 */
import type { RunContext } from "./events.js";
import { unref } from "./timers.js";

export interface OpenRunsOptions {
  /** Heartbeat period; 0 turns heartbeats off. */
  heartbeatIntervalMs: number;
  /** Events queued (including a batch in flight). */
  pending(): number;
  /** Events taken off the queue so far (sent or dropped): progress of delivery. */
  delivered(): number;
}

export class OpenRuns {
  private readonly runs = new Map<string, RunContext>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastDelivered = -1;
  private stopped = false;

  constructor(private readonly options: OpenRunsOptions) {}

  get size(): number {
    return this.runs.size;
  }

  get(runId: string): RunContext | undefined {
    return this.runs.get(runId);
  }

  /** Adds a running run; starts the heartbeat timer with the first one. */
  add(run: RunContext): void {
    if (run.status !== "running") return;
    this.runs.set(run.id, run);
    if (this.timer === undefined && !this.stopped && this.options.heartbeatIntervalMs > 0) {
      this.lastDelivered = this.options.delivered();
      this.timer = unref(setInterval(() => this.tick(), this.options.heartbeatIntervalMs));
    }
  }

  /** Removes a run that is no longer running here; stops the timer with the last one. */
  remove(run: RunContext): void {
    if (this.runs.get(run.id) === run) this.runs.delete(run.id);
    if (this.runs.size === 0) this.clearTimer();
  }

  /** At shutdown: no more heartbeats. */
  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const delivered = this.options.delivered();
    const stalled = this.options.pending() > 0 && delivered === this.lastDelivered;
    this.lastDelivered = delivered;
    for (const run of this.runs.values()) {
      if (!stalled && !run.touched) run.recorder.record(run, "run.heartbeat", undefined, undefined, undefined, undefined);
      // Cleared after the heartbeat too: recording it marks the run touched.
      run.touched = false;
    }
  }
}
