import { getTableColumns } from "drizzle-orm";
import { type RunRow, type RunStatus, runs, type TaskRow, type TaskStatus, type Usage } from "../schema.js";

/** Token and cost totals; a run's are its own plus its tasks'. */
export interface UsageView {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** Run as the HTTP API and the dashboard show it: plain JSON, ISO-8601 times. */
export interface RunView {
  id: string;
  name: string;
  status: RunStatus;
  input: unknown;
  output: unknown;
  errorMessage: string | null;
  errorStack: string | null;
  metadata: Record<string, unknown>;
  tags: string[];
  parentRunId: string | null;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  lastEventAt: string;
  heartbeatTimeoutMs: number | null;
  /** Highest seq stored: a process resuming the run starts after it. */
  lastSeq: number;
  usage: UsageView;
  taskCounts: {
    total: number;
    running: number;
    completed: number;
    failed: number;
    skipped: number;
    cancelled: number;
  };
  logCount: number;
  /** +1 per stored change; live streams resume from it. */
  version: number;
}

/** A run in a list: the same as RunView without the (possibly large) payloads. */
export type RunSummaryView = Omit<RunView, "input" | "output" | "errorStack" | "metadata">;

export interface TaskView {
  id: string;
  runId: string;
  parentTaskId: string | null;
  name: string;
  status: TaskStatus;
  input: unknown;
  output: unknown;
  errorMessage: string | null;
  errorStack: string | null;
  statusMessage: string | null;
  /** 0..1 from the latest task.update, else null. */
  progress: number | null;
  usage: UsageView | null;
  /** Timeline position: the seq of the task.start event. */
  seq: number | null;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  version: number;
}

/**
 * A task as the timeline shows it: no payloads (input, output, error stack), and the
 * error message cut to ERROR_MESSAGE_PREVIEW characters. A run page with 100,000 tasks
 * sends only these; the full task is fetched when one is selected.
 */
export type TaskSummaryView = Omit<TaskView, "input" | "output" | "errorStack">;

/** Characters of a task's error message a summary keeps (the failure banner's line). */
export const ERROR_MESSAGE_PREVIEW = 500;

/** A log line of a run or one of its tasks. */
export interface LogView {
  id: string;
  runId: string;
  taskId: string | null;
  seq: number;
  ts: string;
  level: string;
  message: string;
  attributes: Record<string, unknown> | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const duration = (a: Date | null, b: Date | null): number | null => (a && b ? Math.max(0, b.getTime() - a.getTime()) : null);

/** The columns a run summary needs: everything but the payloads. */
const { input: _i, output: _o, errorStack: _e, metadata: _m, ...summaryColumnSet } = getTableColumns(runs);
export const summaryColumns = summaryColumnSet;

type SummaryRow = Omit<RunRow, "input" | "output" | "errorStack" | "metadata">;

function runUsage(r: SummaryRow): UsageView {
  const own: Usage = r.ownUsage ?? {};
  return {
    inputTokens: r.inputTokens + (own.inputTokens ?? 0),
    outputTokens: r.outputTokens + (own.outputTokens ?? 0),
    // Sums of binary fractions drift (0.002 + 0.001 + 0.01 = 0.013000000000000001); no price has 10 decimals.
    costUsd: Math.round((r.costUsd + (own.costUsd ?? 0)) * 1e10) / 1e10,
  };
}

export function toRunSummaryView(r: SummaryRow): RunSummaryView {
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    errorMessage: r.errorMessage,
    tags: r.tags,
    parentRunId: r.parentRunId,
    startedAt: r.startedAt.toISOString(),
    endedAt: iso(r.endedAt),
    durationMs: duration(r.startedAt, r.endedAt),
    lastEventAt: r.lastEventAt.toISOString(),
    heartbeatTimeoutMs: r.heartbeatTimeoutMs,
    lastSeq: r.lastSeq,
    usage: runUsage(r),
    taskCounts: {
      total: r.taskCount,
      running: r.tasksRunning,
      completed: r.tasksCompleted,
      failed: r.tasksFailed,
      skipped: r.tasksSkipped,
      cancelled: r.tasksCancelled,
    },
    logCount: r.logCount,
    version: r.version,
  };
}

export function toRunView(r: RunRow): RunView {
  return { ...toRunSummaryView(r), input: r.input, output: r.output, errorStack: r.errorStack, metadata: r.metadata };
}

export function toTaskView(t: TaskRow): TaskView {
  const reported = t.inputTokens !== null || t.outputTokens !== null || t.costUsd !== null;
  return {
    id: t.id,
    runId: t.runId,
    parentTaskId: t.parentTaskId,
    name: t.name,
    status: t.status,
    input: t.input,
    output: t.output,
    errorMessage: t.errorMessage,
    errorStack: t.errorStack,
    statusMessage: t.statusMessage,
    progress: t.progress,
    usage: reported ? { inputTokens: t.inputTokens ?? 0, outputTokens: t.outputTokens ?? 0, costUsd: t.costUsd ?? 0 } : null,
    seq: t.startSeq,
    startedAt: iso(t.startedAt),
    endedAt: iso(t.endedAt),
    durationMs: duration(t.startedAt, t.endedAt),
    version: t.version,
  };
}
