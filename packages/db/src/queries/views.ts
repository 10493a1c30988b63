import type { RunRow, RunStatus, TaskRow, TaskStatus } from "../schema.js";

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
  taskCounts: {
    total: number;
    running: number;
    completed: number;
    failed: number;
    skipped: number;
    cancelled: number;
  };
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
  /** Timeline position: the seq of the task.start event. */
  seq: number | null;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const duration = (a: Date | null, b: Date | null): number | null => (a && b ? Math.max(0, b.getTime() - a.getTime()) : null);

type SummaryRow = Omit<RunRow, "input" | "output" | "errorStack" | "metadata" | "projectId" | "createdAt" | "updatedAt" | "startSeen">;

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
    taskCounts: {
      total: r.taskCount,
      running: r.tasksRunning,
      completed: r.tasksCompleted,
      failed: r.tasksFailed,
      skipped: r.tasksSkipped,
      cancelled: r.tasksCancelled,
    },
  };
}

export function toRunView(r: RunRow): RunView {
  return { ...toRunSummaryView(r), input: r.input, output: r.output, errorStack: r.errorStack, metadata: r.metadata };
}

export function toTaskView(t: TaskRow): TaskView {
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
    seq: t.startSeq,
    startedAt: iso(t.startedAt),
    endedAt: iso(t.endedAt),
    durationMs: duration(t.startedAt, t.endedAt),
  };
}
