/**
 * Test double for `POST /api/v1/ingest`: an injectable fetch that records
 * batches and answers as scripted (default: every event accepted, in the shape
 * the request asked for: `?results=errors` lists no results for a clean batch).
 * Used by the tests only; not part of the build.
 */
import type { FetchLike, ResponseLike } from "../config.js";
import type { CancelledRun, IngestResponse } from "../protocol.js";

/** A decoded event as it went over the wire. */
export interface WireEvent {
  id: string;
  runId: string;
  seq: number;
  ts: string;
  type: string;
  taskId?: string;
  name?: string;
  parentTaskId?: string;
  [key: string]: unknown;
}

/** An answer; `delayMs` answers on a timer instead of at once, as a server over real I/O would. */
export type Reply = { status: number; body?: string; headers?: Record<string, string>; delayMs?: number } | Error | "hang";

/** True when the request asked for `?results=errors` (only rejected and conflict entries in `results`). */
export function errorsOnly(url: string): boolean {
  return new URL(url, "http://fake").searchParams.get("results") === "errors";
}

/**
 * An answer accepting every event; `cancelledRuns` adds the runs the server has
 * cancelled. With `errorsOnly` (the request's `?results=errors`) `results` is empty.
 */
export function acceptAll(batch: WireEvent[], cancelledRuns?: CancelledRun[], options: { errorsOnly?: boolean } = {}): string {
  const response: IngestResponse = {
    results: options.errorsOnly === true ? [] : batch.map((event, index) => ({ index, id: event.id, status: "accepted" })),
    accepted: batch.length,
    duplicates: 0,
    conflicts: 0,
    rejected: 0,
    ...(cancelledRuns === undefined ? {} : { cancelledRuns }),
  };
  return JSON.stringify(response);
}

/**
 * Each seq's rank among the given ones: `[0, 1, 2, …]` exactly when the seqs
 * strictly increase in the given (arrival) order. Seqs are clock-based, so
 * tests compare ranks where they used to compare 0, 1, 2, ….
 */
export function seqRanks(events: { seq: number }[]): number[] {
  const sorted = events.map((event) => event.seq).sort((a, b) => a - b);
  // Equal seqs get equal ranks, so they fail a comparison with [0, 1, 2, …] too.
  return events.map((event) => sorted.indexOf(event.seq));
}

export function fakeIngest(decide?: (batch: WireEvent[], call: number) => Reply | undefined) {
  /** Batches answered with 2xx, in arrival order. */
  const batches: WireEvent[][] = [];
  const requests: { url: string; headers: Record<string, string>; batch: WireEvent[] }[] = [];
  const fetch: FetchLike = (url, init) => {
    const batch = (JSON.parse(init.body ?? "") as { batch: WireEvent[] }).batch;
    requests.push({ url, headers: init.headers, batch });
    const reply = decide?.(batch, requests.length - 1) ?? { status: 200, body: acceptAll(batch, undefined, { errorsOnly: errorsOnly(url) }) };
    if (reply instanceof Error) return Promise.reject(reply);
    if (reply === "hang") {
      return new Promise<ResponseLike>((_, reject) => {
        init.signal.addEventListener("abort", () => reject(new Error("aborted")));
      });
    }
    const headers = reply.headers ?? {};
    const answer = (): ResponseLike => {
      if (reply.status >= 200 && reply.status < 300) batches.push(batch);
      return {
        status: reply.status,
        headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
        text: () => Promise.resolve(reply.body ?? ""),
      };
    };
    if (reply.delayMs === undefined) return Promise.resolve(answer());
    return new Promise((resolve) => setTimeout(() => resolve(answer()), reply.delayMs));
  };
  return { fetch, batches, requests, events: (): WireEvent[] => batches.flat() };
}
