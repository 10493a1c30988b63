import { sql } from "drizzle-orm";
import postgres from "postgres";
import type { Db } from "../client.js";

/**
 * Cross-process news of run changes, through Postgres: a server process that commits a
 * change to runs says so with NOTIFY, and every server process LISTENs, so the live
 * streams it serves read the change at once whichever process wrote it.
 *
 * A notification carries the sender's origin (one random id per process, so a process
 * skips its own: it woke its streams already) and (project id, run id) pairs:
 * `{"o":"<origin>","r":[["<project>","<run>"],…]}`. It says *which* runs changed, not
 * what: a stream reads what changed since the version it holds, so a late, repeated or
 * coalesced notification costs a read, never a wrong answer.
 */
export const RUN_CHANGES_CHANNEL = "runtrail_run_changes";

/** Postgres refuses a payload of 8,000 bytes or more. */
export const NOTIFY_PAYLOAD_MAX = 7_999;

export interface RunRef {
  projectId: string;
  runId: string;
}

export interface RunChangeNotice {
  origin: string;
  runs: RunRef[];
}

/**
 * The payloads that announce `runs`, as few as fit under `max` bytes each (UTF-8). A pair
 * too long for any payload (ids are capped far below this) is left out.
 */
export function changePayloads(origin: string, runs: readonly RunRef[], max = NOTIFY_PAYLOAD_MAX): string[] {
  const head = `{"o":${JSON.stringify(origin)},"r":[`;
  const tail = "]}";
  const payloads: string[] = [];
  let body: string[] = [];
  let bytes = Buffer.byteLength(head) + tail.length;
  for (const { projectId, runId } of runs) {
    const pair = JSON.stringify([projectId, runId]);
    const size = Buffer.byteLength(pair) + 1;
    if (Buffer.byteLength(head) + tail.length + size > max) continue;
    if (bytes + size > max) {
      payloads.push(head + body.join(",") + tail);
      body = [];
      bytes = Buffer.byteLength(head) + tail.length;
    }
    body.push(pair);
    bytes += size;
  }
  if (body.length > 0) payloads.push(head + body.join(",") + tail);
  return payloads;
}

/** A payload of changePayloads read back; null for anything else on the channel. */
export function parseChangePayload(payload: string): RunChangeNotice | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { o, r } = value as { o?: unknown; r?: unknown };
  if (typeof o !== "string" || !Array.isArray(r)) return null;
  const runs: RunRef[] = [];
  for (const pair of r) {
    if (Array.isArray(pair) && typeof pair[0] === "string" && typeof pair[1] === "string") runs.push({ projectId: pair[0], runId: pair[1] });
  }
  return { origin: o, runs };
}

/**
 * Announces that `runs` changed, after the transaction that changed them committed: one
 * statement, however many payloads. Plain `pg_notify` with constants, no table: on a
 * distributed Postgres it runs on the coordinator, where the listeners are.
 */
export async function notifyRunChanges(db: Db, origin: string, runs: readonly RunRef[]): Promise<void> {
  const payloads = changePayloads(origin, runs);
  if (payloads.length === 0) return;
  const calls = sql.join(
    payloads.map((p) => sql`pg_notify(${RUN_CHANGES_CHANNEL}, ${p})`),
    sql`, `,
  );
  await db.execute(sql`select ${calls}`);
}

export interface RunChangeListener {
  /** Resolves when first listening (onListen has run). */
  listening: Promise<void>;
  close(): Promise<void>;
}

export interface ListenHandlers {
  /** A notification from any process, this one's included. */
  onChange(notice: RunChangeNotice): void;
  /**
   * The connection is (again) listening: the first time, and after every reconnect.
   * Notifications sent while it was away are lost, so streams should read now.
   */
  onListen(): void;
  /** The first LISTEN failed; postgres.js goes on trying, with backoff. */
  onError(err: unknown): void;
}

/**
 * LISTENs on a connection of its own to `databaseUrl`: postgres.js keeps one dedicated
 * connection for it and, when it drops, opens it again and re-subscribes (with backoff),
 * calling onListen each time it listens.
 */
export function listenRunChanges(databaseUrl: string, handlers: ListenHandlers): RunChangeListener {
  const client = postgres(databaseUrl, { max: 1, onnotice: () => {}, connection: { application_name: "runtrail listen" } });
  let listened = () => {};
  const listening = new Promise<void>((resolve) => {
    listened = resolve;
  });
  client
    .listen(
      RUN_CHANGES_CHANNEL,
      (payload) => {
        const notice = parseChangePayload(payload);
        if (notice) handlers.onChange(notice);
      },
      () => {
        listened();
        handlers.onListen();
      },
    )
    .catch((err: unknown) => handlers.onError(err));
  return { listening, close: () => client.end({ timeout: 1 }) };
}
