import type { Db } from "../client.js";
import { type ProjectableEvent, projectRun } from "../projection.js";
import type { RunStatus } from "../schema.js";
import type { IngestEvent } from "./ingest-event.js";
import { type Deltas, key, LOG_TYPES, zeroDeltas } from "./ingest-tasks.js";
import { runStatement } from "./statement.js";

/** A run row after the batch: tasks carry its version; a cancelled one is reported to the client. */
export interface RunState {
  version: number;
  status: RunStatus;
  errorMessage: string | null;
}

/** A run row as the ingest statements return it. */
export interface RunRowState {
  id: string;
  version: number | string;
  status: RunStatus;
  error_message: string | null;
}

export const toRunState = (r: RunRowState): RunState => ({ version: Number(r.version), status: r.status, errorMessage: r.error_message });

/** Run token sums stop here: the largest integer a JavaScript number holds exactly. */
const MAX_TOKENS = String(Number.MAX_SAFE_INTEGER);

/** Counters and sums move by the batch's deltas; the rest is the run's own projection or kept. */
const ADD_DELTAS = `task_count = runs.task_count + excluded.task_count,
  tasks_running = runs.tasks_running + excluded.tasks_running,
  tasks_completed = runs.tasks_completed + excluded.tasks_completed,
  tasks_failed = runs.tasks_failed + excluded.tasks_failed,
  tasks_skipped = runs.tasks_skipped + excluded.tasks_skipped,
  tasks_cancelled = runs.tasks_cancelled + excluded.tasks_cancelled,
  input_tokens = least(runs.input_tokens::numeric + excluded.input_tokens, ${MAX_TOKENS})::bigint,
  output_tokens = least(runs.output_tokens::numeric + excluded.output_tokens, ${MAX_TOKENS})::bigint,
  cost_usd = runs.cost_usd + excluded.cost_usd,
  log_count = runs.log_count + excluded.log_count,
  last_event_at = greatest(runs.last_event_at, excluded.last_event_at),
  last_seq = greatest(runs.last_seq, excluded.last_seq),
  last_seen_at = excluded.last_seen_at,
  version = runs.version + 1,
  updated_at = excluded.updated_at,
  started_at = case when excluded.start_seen = 1 then excluded.started_at when runs.start_seen = 1 then runs.started_at
                    else least(runs.started_at, excluded.started_at) end`;
// Saturating sums: 10,000 tasks of 1e15 tokens each would overflow bigint and fail every later batch of the run.
// last_seen_at is the database's clock, like the sweeper's and the heartbeats': app hosts may disagree.
// Set from the inserted row (its now() and default): Citus refuses now() itself in DO UPDATE SET.
// Until run.start arrives, the run's start is the earliest time seen so far.

const COUNTS = `task_count int, tasks_running int, tasks_completed int, tasks_failed int, tasks_skipped int, tasks_cancelled int,
  input_tokens bigint, output_tokens bigint, cost_usd double precision, log_count int, last_event_at timestamptz, last_seq bigint, start_seen int, started_at timestamptz`;
const COUNT_NAMES = `task_count, tasks_running, tasks_completed, tasks_failed, tasks_skipped, tasks_cancelled,
  input_tokens, output_tokens, cost_usd, log_count, last_event_at, last_seq, start_seen, started_at`;
/** A new run's counters are the batch's deltas (its token sums saturated, as ADD_DELTAS does). */
const COUNT_VALUES = COUNT_NAMES.replace("input_tokens, output_tokens", `least(input_tokens, ${MAX_TOKENS}), least(output_tokens, ${MAX_TOKENS})`);
const OWN = `name text, status text, input jsonb, output jsonb, error_message text, error_stack text, metadata jsonb, tags text[],
  parent_run_id text, heartbeat_timeout_ms int, own_usage jsonb, ended_at timestamptz`;
const OWN_NAMES = `name, status, input, output, error_message, error_stack, metadata, tags, parent_run_id, heartbeat_timeout_ms, own_usage, ended_at`;
const OWN_UPDATES = OWN_NAMES.split(", ")
  .map((c) => `${c} = excluded.${c}`)
  .join(", ");

const RETURNING = "returning id, version, status, error_message";
/** Runs whose own events arrived: every column of their projection. */
const UPSERT_FULL = `insert into runs (project_id, id, version, last_seen_at, ${COUNT_NAMES}, ${OWN_NAMES})
  select $1, id, 1, now(), ${COUNT_VALUES}, ${OWN_NAMES} from jsonb_to_recordset($2::jsonb) as x(id text, ${COUNTS}, ${OWN})
  on conflict (project_id, id) do update set ${ADD_DELTAS}, ${OWN_UPDATES} ${RETURNING}`;
/** The others: counters, sums and times only (a placeholder row until run.start arrives). */
const UPSERT_LIGHT = `insert into runs (project_id, id, name, status, version, last_seen_at, ${COUNT_NAMES})
  select $1, id, '', 'running', 1, now(), ${COUNT_VALUES} from jsonb_to_recordset($2::jsonb) as x(id text, ${COUNTS})
  on conflict (project_id, id) do update set ${ADD_DELTAS} ${RETURNING}`;

/**
 * Runs whose own events arrived are recomputed from those events (`own`: the run-level
 * events of the batch's runs, a handful each); the others only get their counters, sums
 * and last-seen time moved. Task events never cause a rescan of the run's tasks.
 */
export async function updateRuns(
  tx: Db,
  projectId: string,
  fresh: IngestEvent[],
  deltas: Map<string, Deltas>,
  own: Map<string, ProjectableEvent[]>,
  ignored: Set<string>,
): Promise<Map<string, RunState>> {
  const seen = new Map<string, { first: Date; last: Date; lastSeq: number; own: boolean }>();
  for (const e of fresh) {
    const isOwn = e.taskId === null && !LOG_TYPES.has(e.type);
    const s = seen.get(e.runId);
    if (!s) seen.set(e.runId, { first: e.ts, last: e.ts, lastSeq: e.seq, own: isOwn });
    else {
      if (e.ts < s.first) s.first = e.ts;
      if (e.ts > s.last) s.last = e.ts;
      if (e.seq > s.lastSeq) s.lastSeq = e.seq;
      if (isOwn) s.own = true;
    }
  }

  const full: Record<string, unknown>[] = [];
  const light: Record<string, unknown>[] = [];
  for (const [runId, s] of seen) {
    const d = deltas.get(runId) ?? zeroDeltas();
    const base = {
      id: runId,
      task_count: d.taskCount,
      tasks_running: d.tasksRunning,
      tasks_completed: d.tasksCompleted,
      tasks_failed: d.tasksFailed,
      tasks_skipped: d.tasksSkipped,
      tasks_cancelled: d.tasksCancelled,
      input_tokens: d.inputTokens,
      output_tokens: d.outputTokens,
      cost_usd: d.costUsd,
      log_count: d.logCount,
      last_event_at: s.last,
      last_seq: s.lastSeq,
    };
    if (!s.own) {
      light.push({ ...base, start_seen: 0, started_at: s.first });
      continue;
    }
    const p = projectRun(own.get(runId) ?? []);
    for (const id of p.ignored) ignored.add(key(runId, id));
    full.push({
      ...base,
      start_seen: p.startSeen ? 1 : 0,
      started_at: p.startedAt ?? s.first,
      name: p.name,
      status: p.status,
      input: p.input,
      output: p.output,
      error_message: p.errorMessage,
      error_stack: p.errorStack,
      metadata: p.metadata,
      tags: p.tags,
      parent_run_id: p.parentRunId,
      heartbeat_timeout_ms: p.heartbeatTimeoutMs,
      own_usage: p.ownUsage,
      ended_at: p.endedAt,
    });
  }

  const upsert = (text: string, rows: Record<string, unknown>[]) =>
    rows.length > 0 ? runStatement<RunRowState>(tx, text, [projectId, JSON.stringify(rows)]) : [];
  const states = new Map<string, RunState>();
  for (const rows of await Promise.all([upsert(UPSERT_FULL, full), upsert(UPSERT_LIGHT, light)])) {
    for (const r of rows) states.set(r.id, toRunState(r));
  }
  return states;
}
