/**
 * A recorded event before it is encoded, and the per-run clock that stamps it.
 *
 * A recording call checks its arguments, then `stamp()` takes the run's next
 * `seq` and the time and makes one {@link PendingEvent} holding references to
 * the values it was given. The queue keeps it until the encode pass turns it
 * into JSON (`encode.ts`), off the caller's path.
 */
import type { IdSequence } from "./ids.js";
import type { EventType } from "./protocol.js";

/**
 * What an event and the clock use of their run: run-state.ts's `RunContext` is one.
 * Named here so this file need not import run-state.ts, whose queue holds these events.
 */
export interface EventRun {
  readonly envelopeJson: string;
  /** `Date.now()` when the run's context was made: events store their time as an offset from it. */
  readonly epochMs: number;
  readonly taskIds: IdSequence;
  lastSeq: number;
  touched: boolean;
}

/** The fields of a `run.start` after `name` and `input`; the small ones checked and copied when it is recorded. */
export interface RunStartExtras {
  metadata: Record<string, unknown> | undefined;
  tags: string[] | undefined;
  parentRunId: string | undefined;
  heartbeatTimeoutMs: number | undefined;
}

/**
 * One recorded event, not yet encoded: its run, clock reading, type and task,
 * and three slots whose meaning depends on the type. User values (`input`,
 * `output`, `metadata`, `attributes`) are references, read when the event is
 * encoded; the other slots hold strings, numbers or copies checked at the call.
 * Kept small: in a loop that never yields to the event loop, every event stays
 * alive until it is encoded.
 *
 * Times are kept as offsets (`ms` from the run's `epochMs`, `seq` from `ms` in
 * µs): small integers, which V8 stores in the object itself, where the ~1.7e15
 * of a seq would cost a separate heap number per event. Beyond ~12 days from
 * the epoch they are still exact, only boxed.
 *
 * | type                          | a             | b          | c              |
 * |-------------------------------|---------------|------------|----------------|
 * | run.start                     | name          | input      | RunStartExtras |
 * | run.complete, task.complete   |               | output     | usage copy     |
 * | run.fail, task.fail           | FailInfo      |            |                |
 * | run.log, task.log             | message       | attributes | level          |
 * | task.start                    | name          | input      | parentTaskId   |
 * | task.update                   | statusMessage |            | progress       |
 * | task.skip                     | reason        |            |                |
 * | run.heartbeat                 |               |            |                |
 */
export class PendingEvent {
  constructor(
    readonly run: EventRun,
    /** `Date.now()` at the call (the event's `ts`) minus `run.epochMs`. */
    readonly msOffset: number,
    /** `seq` minus the call's `Date.now()` in µs: 0 .. 999 while the clock runs ahead of the run's events. */
    readonly seqOffset: number,
    readonly type: EventType,
    /** The task's number in the client's task id sequence (`run.taskIds`); undefined for run events. */
    readonly task: number | undefined,
    readonly a: unknown,
    readonly b: unknown,
    readonly c: unknown,
  ) {}

  /** `Date.now()` at the call. */
  get ms(): number {
    return this.run.epochMs + this.msOffset;
  }

  get seq(): number {
    return this.ms * 1000 + this.seqOffset;
  }
}

/**
 * The run's next `seq`, a hybrid logical clock: `max(previous + 1, ms in µs)`.
 * Strictly increasing for this run in this process even if the clock steps
 * back, and interleaved by wall-clock with the events other processes record
 * on the same run. Marks the run touched (heartbeats skip it this tick).
 * (µs since 1970 stay below 2^53 until 2255.)
 */
export function takeSeq(run: EventRun, ms: number): number {
  const clock = ms * 1000;
  const next = run.lastSeq + 1;
  const seq = Math.max(clock, next);
  run.lastSeq = seq;
  run.touched = true;
  return seq;
}

/** One event of `run`, stamped now; the slots `a`..`c` hold what the type needs (see {@link PendingEvent}). */
export function stamp(run: EventRun, type: EventType, task: number | undefined, a: unknown, b: unknown, c: unknown): PendingEvent {
  const ms = Date.now();
  const seqOffset = takeSeq(run, ms) - ms * 1000;
  return new PendingEvent(run, ms - run.epochMs, seqOffset, type, task, a, b, c);
}

/**
 * Events of the calls the application awaits (`startRun`, `startTask`,
 * `complete`, `fail`, `skip`): while delivery makes progress the queue makes
 * such a call wait for room rather than drop its event, and keeps the event
 * past the byte bound. Logs, updates and heartbeats are dropped when full.
 * A new event type counts as awaited unless listed here: the type of a new
 * synchronous call (a `message`, say) belongs in this list.
 */
export function isAwaitedEvent(event: PendingEvent): boolean {
  switch (event.type) {
    case "run.log":
    case "task.log":
    case "task.update":
    case "run.heartbeat":
      return false;
    default:
      return true;
  }
}
