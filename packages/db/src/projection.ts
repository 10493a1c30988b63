import type { RunStatus, TaskStatus, Usage } from "./schema.js";

/**
 * Pure reducers from an entity's own events (any arrival order) to its projection.
 * Sorting by seq first is what makes ingestion order-independent; the first
 * terminal event by seq wins and later conflicting ones are listed as ignored.
 */

export interface ProjectableEvent {
  id: string;
  seq: number;
  type: string;
  ts: Date;
  payload: Record<string, unknown>;
}

const TASK_TERMINAL: Record<string, TaskStatus> = {
  "task.complete": "completed",
  "task.fail": "failed",
  "task.skip": "skipped",
  "task.cancel": "cancelled",
};

const RUN_TERMINAL: Record<string, RunStatus> = {
  "run.complete": "completed",
  "run.fail": "failed",
  "run.cancel": "cancelled",
  "run.timeout": "timed_out",
};

export interface TaskProjection {
  name: string;
  parentTaskId: string | null;
  status: TaskStatus;
  input: unknown;
  output: unknown;
  errorMessage: string | null;
  errorStack: string | null;
  statusMessage: string | null;
  progress: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  startSeq: number | null;
  endSeq: number | null;
  startedAt: Date | null;
  endedAt: Date | null;
  /** Events that lost to an earlier one of the same kind (a second start or terminal). */
  ignored: string[];
}

export interface RunProjection {
  /** Whether run.start has been seen; until then name and startedAt are placeholders. */
  startSeen: boolean;
  name: string;
  status: RunStatus;
  input: unknown;
  output: unknown;
  errorMessage: string | null;
  errorStack: string | null;
  metadata: Record<string, unknown>;
  tags: string[];
  parentRunId: string | null;
  heartbeatTimeoutMs: number | null;
  ownUsage: Usage | null;
  startedAt: Date | null;
  endedAt: Date | null;
  ignored: string[];
}

export function bySeq(a: ProjectableEvent, b: ProjectableEvent): number {
  return a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

interface Split {
  start: ProjectableEvent | undefined;
  terminal: ProjectableEvent | undefined;
  /** The latest `task.update` by seq. */
  update: ProjectableEvent | undefined;
  ignored: string[];
}

function split(events: ProjectableEvent[], startType: string, terminals: Record<string, unknown>): Split {
  const sorted = [...events].sort(bySeq);
  const result: Split = { start: undefined, terminal: undefined, update: undefined, ignored: [] };
  for (const e of sorted) {
    if (e.type === "task.update") result.update = e;
    else if (e.type === startType) {
      if (result.start) result.ignored.push(e.id);
      else result.start = e;
    } else if (e.type in terminals) {
      if (result.terminal) result.ignored.push(e.id);
      else result.terminal = e;
    }
  }
  return result;
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);
const json = (v: unknown): unknown => (v === undefined ? null : v);
const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

function usageOf(v: unknown): Usage | null {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return null;
  const u = v as Record<string, unknown>;
  const out: Usage = {};
  for (const k of ["inputTokens", "outputTokens", "costUsd"] as const) {
    const n = num(u[k]);
    // Token columns are integers; a fractional count (an estimate) is rounded.
    if (n !== null) out[k] = k === "costUsd" ? n : Math.round(n);
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** Why a task ended with its run, as its status message says. */
export function runEndReason(runEnd: ProjectableEvent): string {
  if (runEnd.type === "run.timeout") return "the run timed out";
  const reason = str(runEnd.payload.reason);
  return reason ? `the run was cancelled: ${reason}` : "the run was cancelled";
}

/**
 * `runEnd`: the server-made event that ended the task's run (cancel, timeout), if any.
 * It counts as a `task.cancel` at its seq: a task the process finished earlier keeps
 * its end, one still running (or started later) is cancelled with the run.
 */
export function projectTask(events: ProjectableEvent[], runEnd?: ProjectableEvent): TaskProjection {
  const all = runEnd
    ? [...events, { id: `${runEnd.id}.task`, seq: runEnd.seq, type: "task.cancel", ts: runEnd.ts, payload: { reason: runEndReason(runEnd) } }]
    : events;
  const { start, terminal, update, ignored: lost } = split(all, "task.start", TASK_TERMINAL);
  // The stand-in event is not stored: it can win, but it is never reported as lost.
  const ignored = runEnd ? lost.filter((id) => id !== `${runEnd.id}.task`) : lost;
  const sp = start?.payload ?? {};
  const tp = terminal?.payload ?? {};
  const up = update?.payload ?? {};
  const failed = terminal?.type === "task.fail";
  const usage = usageOf(tp.usage);
  return {
    name: str(sp.name) ?? "",
    parentTaskId: str(sp.parentTaskId),
    status: terminal ? (TASK_TERMINAL[terminal.type] ?? "running") : "running",
    input: json(sp.input),
    output: json(tp.output),
    errorMessage: failed ? str(tp.errorMessage) : null,
    errorStack: failed ? str(tp.errorStack) : null,
    // A skip or cancel reason explains the end; otherwise the latest update's message stands.
    statusMessage: str(tp.reason) ?? str(up.statusMessage),
    progress: num(up.progress),
    inputTokens: usage?.inputTokens ?? null,
    outputTokens: usage?.outputTokens ?? null,
    costUsd: usage?.costUsd ?? null,
    startSeq: start?.seq ?? null,
    endSeq: terminal?.seq ?? null,
    startedAt: start?.ts ?? null,
    endedAt: terminal?.ts ?? null,
    ignored,
  };
}

export function projectRun(events: ProjectableEvent[]): RunProjection {
  const { start, terminal, ignored } = split(events, "run.start", RUN_TERMINAL);
  const sp = start?.payload ?? {};
  const tp = terminal?.payload ?? {};
  const failed = terminal?.type === "run.fail";
  const metadata = sp.metadata;
  return {
    startSeen: start !== undefined,
    name: str(sp.name) ?? "",
    status: terminal ? (RUN_TERMINAL[terminal.type] ?? "running") : "running",
    input: json(sp.input),
    output: json(tp.output),
    errorMessage: terminal && terminal.type !== "run.complete" ? str(tp.errorMessage ?? tp.reason) : null,
    errorStack: failed ? str(tp.errorStack) : null,
    metadata: metadata && typeof metadata === "object" && !Array.isArray(metadata) ? (metadata as Record<string, unknown>) : {},
    tags: Array.isArray(sp.tags) ? sp.tags.filter((t): t is string => typeof t === "string") : [],
    parentRunId: str(sp.parentRunId),
    heartbeatTimeoutMs: num(sp.heartbeatTimeoutMs),
    ownUsage: usageOf(tp.usage),
    startedAt: start?.ts ?? null,
    endedAt: terminal?.ts ?? null,
    ignored,
  };
}
