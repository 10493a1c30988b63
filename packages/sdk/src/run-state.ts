/**
 * The state one run shares with its tasks (and with every handle resumed on
 * it): ids, status, the seq clock's last reading, the cancel signal, and the
 * client's queue its events go to.
 */
import { RunAlreadyFinishedError, RunCancelledError } from "./errors.js";
import type { IdSequence } from "./ids.js";
import type { PendingEvent } from "./pending-event.js";
import type { RunStatus } from "./protocol.js";
import type { EventQueue } from "./queue.js";

/** What a run needs from its client: where its events go, and who hears that it closed. */
export interface RunOwner {
  readonly queue: EventQueue<PendingEvent>;
  /** The client's task ids: `<per-client random prefix>.<n in base 36>`. */
  readonly taskIds: IdSequence;
  /** The run left `running` here (finished, or cancelled): stop heartbeating it. */
  readonly closed: (run: RunContext) => void;
}

/** Mutable state one run shares with its tasks (and with every handle resumed on it). */
export interface RunContext extends RunOwner {
  readonly id: string;
  /**
   * `","runId":<id as JSON>,"seq":`, the envelope between an event's id and its
   * seq, made once per run (escaped: a resumed run's id comes from outside).
   */
  readonly envelopeJson: string;
  readonly name: string;
  /** `Date.now()` when this context was made: events store their time as an offset from it. */
  readonly epochMs: number;
  /** The last `seq` used (or stored on the server, for a resumed run); -1 before any. */
  lastSeq: number;
  status: RunStatus;
  /** An event was recorded since the last heartbeat tick. */
  touched: boolean;
  /** Made on first use of `run.signal`, or when the run is cancelled. */
  abort: AbortController | undefined;
}

function abortedController(reason: RunCancelledError): AbortController {
  const controller = new AbortController();
  controller.abort(reason);
  return controller;
}

/** State of a run known by id: started here, resumed from the server, or started elsewhere. */
export function createRunContext(owner: RunOwner, run: { id: string; name: string; status: RunStatus; lastSeq: number }): RunContext {
  const ctx: RunContext = {
    queue: owner.queue,
    taskIds: owner.taskIds,
    closed: owner.closed,
    id: run.id,
    envelopeJson: `","runId":${JSON.stringify(run.id)},"seq":`,
    name: run.name,
    epochMs: Date.now(),
    lastSeq: run.lastSeq,
    status: run.status,
    touched: false,
    abort: undefined,
  };
  if (run.status === "cancelled") ctx.abort = abortedController(new RunCancelledError(run.id, undefined));
  return ctx;
}

/**
 * The server says the run is cancelled: mark it so, stop heartbeating it and
 * abort `run.signal`. Returns false when the run was not running here.
 */
export function cancelRunContext(ctx: RunContext, reason: string | undefined): boolean {
  if (ctx.status !== "running") return false;
  ctx.status = "cancelled";
  ctx.closed(ctx);
  const error = new RunCancelledError(ctx.id, reason);
  if (ctx.abort === undefined) ctx.abort = abortedController(error);
  else ctx.abort.abort(error);
  return true;
}

/**
 * What recording on a run that is not running throws: when it was cancelled,
 * the run's own {@link RunCancelledError} (the reason of `run.signal`), else a
 * `RunAlreadyFinishedError` with its status.
 */
export function notRunningError(run: RunContext): RunAlreadyFinishedError {
  const reason: unknown = run.abort?.signal.reason;
  if (run.status === "cancelled" && reason instanceof RunCancelledError) return reason;
  return new RunAlreadyFinishedError(run.id, run.status);
}
