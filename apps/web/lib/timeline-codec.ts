import type { TaskStatus, TaskSummaryView, TimelineTask } from "@runtrail/db";

/**
 * How the run page ships a run's tasks to the browser: columns instead of one object
 * per task. 100,000 tasks as TaskSummaryView objects were 33 MB of page (each key
 * spelled out, every time an ISO string, escaped again inside the RSC payload); as
 * columns they are a few MB before gzip and far less after, and the browser parses a
 * handful of arrays instead of a million object keys.
 *
 * - ids are front-coded: the length of the prefix shared with the previous id, then the
 *   rest (SDK ids are a per-client prefix and a counter, so the rest is a few characters);
 * - names and statuses go through a dictionary;
 * - a parent is "the same as the previous task's" or "the previous task" (how trees
 *   usually arrive in timeline order), else an id from a dictionary;
 * - seq and start times are deltas from the previous task's (tasks come in timeline
 *   order, so the deltas are small), end times are offsets from the start (exact while
 *   two times of a chunk are less than 285,000 years apart: deltas stay below 2^53);
 * - the rare fields (error message, status message, progress, usage) are one tuple per
 *   task that has any of them.
 *
 * Only types are imported here: the browser bundle decodes with this file alone.
 */
export interface EncodedTasks {
  /** Shared prefix length with the previous id. */
  idKeep: number[];
  /** The id after that prefix. */
  idRest: string[];
  /** 0: no parent; 1: the previous task's parent; 2: the previous task; k < 0: ext[-k - 1]. */
  parent: number[];
  ext: string[];
  names: string[];
  name: number[];
  statuses: TaskStatus[];
  status: number[];
  /** seq minus the previous non-null seq (the first against 0); null: no start yet. */
  seq: (number | null)[];
  /** Start ms minus the previous non-null start (the first against t0); null: no start yet. */
  start: (number | null)[];
  /** End ms minus the task's start (or, without a start, minus the previous start); null: not ended. */
  end: (number | null)[];
  version: number[];
  /** Epoch ms the first start delta counts from. */
  t0: number;
  /** [index, errorMessage, statusMessage, progress, inputTokens, outputTokens, costUsd] for tasks that have any. */
  more: [number, string | null, string | null, number | null, number | null, number | null, number | null][];
}

function sharedPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  // Never split a surrogate pair: each half alone is not valid text in JSON.
  if (i > 0 && i < b.length && (b.charCodeAt(i) & 0xfc00) === 0xdc00) i--;
  return i;
}

/** Indexes of a dictionary, built as values are seen. */
function dictionary<T extends string>() {
  const values: T[] = [];
  const index = new Map<T, number>();
  return {
    values,
    of(v: T): number {
      let i = index.get(v);
      if (i === undefined) {
        i = values.length;
        values.push(v);
        index.set(v, i);
      }
      return i;
    },
  };
}

export function encodeTasks(tasks: readonly TimelineTask[]): EncodedTasks {
  const out: EncodedTasks = { idKeep: [], idRest: [], parent: [], ext: [], names: [], name: [], statuses: [], status: [], seq: [], start: [], end: [], version: [], t0: 0, more: [] };
  const names = dictionary<string>();
  const statuses = dictionary<TaskStatus>();
  const ext = dictionary<string>();
  const first = tasks.find((t) => t.startMs !== null);
  out.t0 = first?.startMs ?? 0;
  let prevId = "";
  let prevParent: string | null = null;
  let prevSeq = 0;
  let prevStart = out.t0;
  tasks.forEach((t, i) => {
    const keep = sharedPrefix(prevId, t.id);
    out.idKeep.push(keep);
    out.idRest.push(t.id.slice(keep));
    const parent = t.parentTaskId;
    out.parent.push(parent === null ? 0 : i > 0 && parent === prevParent ? 1 : i > 0 && parent === prevId ? 2 : -ext.of(parent) - 1);
    prevParent = parent;
    prevId = t.id;
    out.name.push(names.of(t.name));
    out.status.push(statuses.of(t.status));
    out.seq.push(t.seq === null ? null : t.seq - prevSeq);
    if (t.seq !== null) prevSeq = t.seq;
    out.start.push(t.startMs === null ? null : t.startMs - prevStart);
    if (t.startMs !== null) prevStart = t.startMs;
    out.end.push(t.endMs === null ? null : t.endMs - prevStart);
    out.version.push(t.version);
    const { errorMessage: e, statusMessage: s, progress: p, inputTokens: a, outputTokens: b, costUsd: c } = t;
    if (e !== null || s !== null || p !== null || a !== null || b !== null || c !== null) out.more.push([i, e, s, p, a, b, c]);
  });
  out.names = names.values;
  out.statuses = statuses.values;
  out.ext = ext.values;
  return out;
}

/** Years 0..9999: where toISOString has the plain `YYYY-MM-DDTHH:MM:SS.mmmZ` shape. */
const ISO_MIN = Date.UTC(0, 0, 1);
const ISO_MAX = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/**
 * `new Date(ms).toISOString()`, several times faster for times that share their minute
 * with the previous one (a run's tasks do): the date and time up to the minute are made
 * once per minute, the seconds and milliseconds appended. Decoding 100,000 tasks makes
 * 200,000 of these.
 */
function isoFormatter(): (ms: number | null) => string | null {
  let minute = Number.NaN;
  let prefix = "";
  return (ms) => {
    if (ms === null) return null;
    if (ms < ISO_MIN || ms > ISO_MAX || !Number.isInteger(ms)) return new Date(ms).toISOString();
    const rem = ((ms % 60_000) + 60_000) % 60_000;
    if (ms - rem !== minute) {
      minute = ms - rem;
      prefix = new Date(minute).toISOString().slice(0, 17);
    }
    const s = Math.floor(rem / 1000);
    const milli = rem % 1000;
    return `${prefix}${s < 10 ? "0" : ""}${s}.${milli < 10 ? "00" : milli < 100 ? "0" : ""}${milli}Z`;
  };
}

export interface TaskDecoder {
  /** All of the chunk has been taken. */
  readonly done: boolean;
  /** The next `count` tasks (fewer at the end), in the chunk's order. */
  take(count: number): TaskSummaryView[];
}

/**
 * Decodes a chunk a slice at a time, so a page can decode 25,000 tasks in several short
 * steps instead of one long one.
 */
export function taskDecoder(runId: string, chunk: EncodedTasks): TaskDecoder {
  const iso = isoFormatter();
  const n = chunk.idRest.length;
  let i = 0;
  let prevId = "";
  let prevParent: string | null = null;
  let prevSeq = 0;
  let prevStart = chunk.t0;
  // `more` is in index order: walk it alongside.
  let nextMore = 0;
  return {
    get done() {
      return i >= n;
    },
    take(count) {
      const out: TaskSummaryView[] = [];
      for (const end = Math.min(n, i + count); i < end; i++) {
        const id = prevId.slice(0, chunk.idKeep[i] ?? 0) + (chunk.idRest[i] ?? "");
        const p = chunk.parent[i] ?? 0;
        const parentTaskId: string | null = p === 0 ? null : p === 1 ? prevParent : p === 2 ? prevId : (chunk.ext[-p - 1] ?? null);
        prevParent = parentTaskId;
        prevId = id;
        const dSeq = chunk.seq[i] ?? null;
        const seq = dSeq === null ? null : prevSeq + dSeq;
        if (seq !== null) prevSeq = seq;
        const dStart = chunk.start[i] ?? null;
        const startMs = dStart === null ? null : prevStart + dStart;
        if (startMs !== null) prevStart = startMs;
        const dEnd = chunk.end[i] ?? null;
        const endMs = dEnd === null ? null : prevStart + dEnd;
        const m = chunk.more[nextMore]?.[0] === i ? chunk.more[nextMore++] : undefined;
        const reported = m !== undefined && (m[4] !== null || m[5] !== null || m[6] !== null);
        out.push({
          id,
          runId,
          parentTaskId,
          name: chunk.names[chunk.name[i] ?? 0] ?? "",
          status: chunk.statuses[chunk.status[i] ?? 0] ?? "running",
          errorMessage: m?.[1] ?? null,
          statusMessage: m?.[2] ?? null,
          progress: m?.[3] ?? null,
          usage: reported ? { inputTokens: m[4] ?? 0, outputTokens: m[5] ?? 0, costUsd: m[6] ?? 0 } : null,
          seq,
          startedAt: iso(startMs),
          endedAt: iso(endMs),
          durationMs: startMs !== null && endMs !== null ? Math.max(0, endMs - startMs) : null,
          version: chunk.version[i] ?? 0,
        });
      }
      return out;
    },
  };
}

/** The tasks of a chunk as the timeline shows them, in the chunk's order. */
export function decodeTasks(runId: string, chunk: EncodedTasks): TaskSummaryView[] {
  return taskDecoder(runId, chunk).take(Number.POSITIVE_INFINITY);
}
