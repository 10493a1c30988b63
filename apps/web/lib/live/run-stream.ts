import { type Db, getRunChanges } from "@runtrail/db";
import { watchRun } from "./hub";

/** Poll for changes from other replicas this often; local writes wake the stream at once. */
const POLL_MS = 1000;
/** A comment line this often keeps proxies and idle timeouts from closing the stream. */
const PING_MS = 15_000;
const AUTH_MS = 30_000;

const encoder = new TextEncoder();

function message(event: string, data: unknown, id?: number): Uint8Array {
  const idLine = id === undefined ? "" : `id: ${id}\n`;
  return encoder.encode(`event: ${event}\n${idLine}data: ${JSON.stringify(data)}\n\n`);
}

/**
 * The body of `GET /api/v1/runs/:id/stream`: the run's changes since `since` as
 * server-sent events. Each change is zero or more `tasks` messages (only the tasks
 * that changed, in chunks) closed by a `run` message whose `id` is the run's version,
 * so a client reconnecting with `Last-Event-ID` resumes exactly there. When the run
 * has ended, an `end` message follows and the stream closes.
 */
export function runStream(
  db: Db,
  projectId: string,
  runId: string,
  since: number,
  signal: AbortSignal,
  /** Re-checked every 30 s: a revoked key does not keep a stream open. */
  stillAllowed: () => Promise<boolean>,
): ReadableStream<Uint8Array> {
  let stop = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let version = since;
      let wake: (() => void) | null = null;
      let dirty = true;
      const unwatch = watchRun(projectId, runId, () => {
        dirty = true;
        wake?.();
      });
      const closed = { value: false };
      stop = () => {
        if (closed.value) return;
        closed.value = true;
        unwatch();
        wake?.();
      };
      signal.addEventListener("abort", stop, { once: true });

      const sleep = (ms: number) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(done, ms);
          function done() {
            clearTimeout(timer);
            wake = null;
            resolve();
          }
          wake = done;
        });

      void (async () => {
        let lastSent = Date.now();
        let lastAuth = Date.now();
        let first = true;
        try {
          while (!closed.value) {
            // A client that reads slower than the run changes: wait for it to drain rather
            // than buffer without bound (the next read picks up everything since `version`).
            if ((controller.desiredSize ?? 1) <= 0) {
              await sleep(POLL_MS);
              continue;
            }
            if (dirty) {
              dirty = false;
              try {
                const changes = await getRunChanges(db, projectId, runId, version);
                if (!changes) break;
                if (changes.run.version > version || first) {
                  first = false;
                  for await (const tasks of changes.chunks) {
                    if (closed.value) return;
                    controller.enqueue(message("tasks", tasks));
                  }
                  controller.enqueue(message("run", changes.run, changes.run.version));
                  version = changes.run.version;
                  lastSent = Date.now();
                }
                if (changes.run.status !== "running") {
                  controller.enqueue(message("end", changes.run, changes.run.version));
                  break;
                }
              } catch (err) {
                // The store is down for a moment: keep the stream, try again at the next poll.
                console.error("runtrail: run stream read failed:", err instanceof Error ? err.message : err);
                dirty = true;
              }
            }
            if (Date.now() - lastAuth >= AUTH_MS) {
              lastAuth = Date.now();
              if (!(await stillAllowed().catch(() => true))) break;
            }
            if (Date.now() - lastSent >= PING_MS) {
              controller.enqueue(encoder.encode(": ping\n\n"));
              lastSent = Date.now();
            }
            await sleep(POLL_MS);
            dirty = true;
          }
        } finally {
          stop();
          try {
            controller.close();
          } catch {
            // Already closed by the client going away.
          }
        }
      })();
    },
    cancel() {
      stop();
    },
  }, new ByteLengthQueuingStrategy({ highWaterMark: 1024 * 1024 }));
}
