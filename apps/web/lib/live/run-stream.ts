import { type ChangePages, type Db, getRunOnly, readRunChanges } from "@runtrail/db";
import { env } from "../env";
import { watchRun } from "./hub";
import { gatedRead } from "./read-gate";

/** A comment line this often keeps proxies and idle timeouts from closing the stream. */
const PING_MS = 15_000;
/** Re-check the caller this often: a revoked key or ended session does not keep a stream. */
const AUTH_MS = 30_000;
/** After a failed read (the store is down for a moment), try again this much later. */
const RETRY_MS = 1_000;
/** Run statuses after which nothing changes: the stream sends `end` and closes. */
const ENDED: ReadonlySet<string> = new Set(["completed", "failed", "cancelled", "timed_out"]);

const encoder = new TextEncoder();
const PING = encoder.encode(": ping\n\n");

/** One server-sent event; `json` is the data's JSON text (a line break in it, only ever whitespace, starts a new `data:` line). */
function message(event: string, json: string, id?: number): Uint8Array {
  const idLine = id === undefined ? "" : `id: ${id}\n`;
  const data = json.includes("\n") ? json.replaceAll("\n", "\ndata: ") : json;
  return encoder.encode(`event: ${event}\n${idLine}data: ${data}\n\n`);
}

export interface RunStreamOptions {
  db: Db;
  projectId: string;
  runId: string;
  /** Send what changed after this run version (0: everything). */
  since: number;
  signal: AbortSignal;
  /** Re-checked every 30 s; false ends the stream. */
  stillAllowed: () => Promise<boolean>;
  /**
   * true: whole tasks and runs, payloads included (the API's default). false: what the
   * run page draws, as task and run summaries; `end` still carries the whole run.
   */
  payloads: boolean;
}

/** One change being sent: its pages of tasks, then the run that closes it. */
type Change = ChangePages<{ version: number; status: string }>;

/**
 * The body of a run stream: the run's changes since `since` as server-sent events. Each
 * change is zero or more `tasks` messages (only the tasks that changed, a page each)
 * closed by a `run` message whose `id` is the run's version, so a client reconnecting
 * with `Last-Event-ID` resumes exactly there. When the run has ended, an `end` message
 * follows and the stream closes.
 *
 * Pull-based: a message is made only when the reader has taken the previous one (one
 * message of queue), and a page of tasks is read from the store only then. A reader
 * that stops reading stops the reads, and the server holds about one page for it,
 * however large the run. Reads happen when the run may have changed (hub.ts: a write in
 * this process, or news from another one through Postgres), and without news every
 * RUNTRAIL_LIVE_POLL_MS as a safety net.
 */
export function runStream(o: RunStreamOptions): ReadableStream<Uint8Array> {
  let version = o.since;
  let first = true;
  let dirty = true;
  let closed = false;
  let done = false;
  let change: Change | null = null;
  /** The run to send in `end`, once the run has ended; null until it is read. */
  let ending: { run: unknown } | null = null;
  let lastSent = Date.now();
  let lastAuth = Date.now();
  let lastRead = Date.now();
  let wake: (() => void) | null = null;

  const unwatch = watchRun(o.projectId, o.runId, () => {
    dirty = true;
    wake?.();
  });
  const stop = () => {
    if (closed) return;
    closed = true;
    unwatch();
    o.signal.removeEventListener("abort", stop);
    wake?.();
    void change?.pages.return(undefined);
  };
  o.signal.addEventListener("abort", stop, { once: true });

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(finish, ms);
      function finish() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = finish;
    });

  const read = (): Promise<Change | null> =>
    gatedRead(() =>
      o.payloads
        ? readRunChanges(o.db, o.projectId, o.runId, version, { payloads: true })
        : readRunChanges(o.db, o.projectId, o.runId, version, { payloads: false }),
    );

  /** The next message for the reader; null when the stream is over. */
  async function next(): Promise<Uint8Array | null> {
    while (!closed && !done) {
      // Also between the pages of a change: a reader that pauses long mid-change is checked before it gets more.
      if (Date.now() - lastAuth >= AUTH_MS) {
        lastAuth = Date.now();
        if (!(await o.stillAllowed().catch(() => true))) return null;
        continue;
      }
      if (change) {
        const pages = change.pages;
        const page = await gatedRead(() => pages.next());
        if (!page.done) return message("tasks", page.value.json);
        const { run } = change;
        change = null;
        version = run.version;
        if (ENDED.has(run.status)) ending = { run: o.payloads ? run : null };
        return message("run", JSON.stringify(run), run.version);
      }
      if (ending) {
        // Summaries: `end` carries the whole run (its output, error stack), read once.
        const run = ending.run ?? (await gatedRead(() => getRunOnly(o.db, o.projectId, o.runId)));
        done = true;
        return run ? message("end", JSON.stringify(run), version) : null;
      }
      const now = Date.now();
      if (dirty || now - lastRead >= env.livePollMs) {
        dirty = false;
        lastRead = now;
        const changes = await read();
        if (!changes) return null;
        if (changes.run.version > version || first) {
          first = false;
          change = changes;
        } else if (ENDED.has(changes.run.status)) {
          ending = { run: o.payloads ? changes.run : null };
        }
        continue;
      }
      if (now - lastSent >= PING_MS) return PING;
      await sleep(Math.min(PING_MS - (now - lastSent), AUTH_MS - (now - lastAuth), env.livePollMs - (now - lastRead)));
    }
    return null;
  }

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let chunk: Uint8Array | null = null;
        for (;;) {
          try {
            chunk = await next();
            break;
          } catch (err) {
            // The store failed mid-change: drop it and read everything since `version` again.
            console.error("runtrail: run stream read failed:", err instanceof Error ? err.message : err);
            void change?.pages.return(undefined);
            change = null;
            dirty = true;
            await sleep(RETRY_MS);
          }
        }
        if (chunk) {
          lastSent = Date.now();
          controller.enqueue(chunk);
          return;
        }
        stop();
        try {
          controller.close();
        } catch {
          // Already cancelled by the reader going away.
        }
      },
      cancel() {
        stop();
      },
    },
    // One message of queue: the next is made when the reader has taken this one.
    new CountQueuingStrategy({ highWaterMark: 1 }),
  );
}
