import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestStore, TestStoreKind } from "@runtrail/db/testing";
import { afterAll, beforeAll } from "vitest";
import { type RunningServer, startServer } from "./server";

/**
 * Shared plumbing of the HTTP API integration tests: one real `next start`
 * server per store kind, raw event builders, a deterministic PRNG.
 */

/** Small limits, set for the whole server, so 413s are cheap to provoke. */
export const MAX_BODY_BYTES = 65_536;
export const MAX_BATCH_EVENTS = 500;

export interface Api {
  server: RunningServer;
  url: string;
  apiKey: string;
  /** Authorised JSON request; returns status, parsed body and headers. */
  call(path: string, init?: { method?: string; body?: unknown; raw?: string; auth?: string | null }): Promise<Reply>;
  ingest(batch: unknown[]): Promise<Reply>;
  getRun(runId: string): Promise<RunJson>;
}

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: test JSON
  body: any;
  headers: Headers;
}

// biome-ignore lint/suspicious/noExplicitAny: test JSON
export type RunJson = { run: any; tasks: any[] };

/**
 * Registers beforeAll/afterAll that start one server on a fresh store of `kind`
 * (with `extraEnv` over the defaults above) and always tear both down (server
 * first, then the database / directory).
 */
export function useServer(kind: TestStoreKind, extraEnv: Record<string, string> = {}): Api {
  let pg: TestStore | undefined;
  let dir: string | undefined;
  let server: RunningServer | undefined;

  const teardown = async () => {
    try {
      await server?.stop();
    } finally {
      server = undefined;
      try {
        await pg?.cleanup();
      } finally {
        pg = undefined;
        if (dir) rmSync(dir, { recursive: true, force: true });
        dir = undefined;
      }
    }
  };

  beforeAll(async () => {
    try {
      // The data dir holds PGlite (pglite kind) and nothing else (the key comes from env).
      dir = mkdtempSync(join(tmpdir(), `runtrail-api-${kind.name}-`));
      let storeEnv: Record<string, string | undefined>;
      if (kind.name !== "pglite") {
        pg = await kind.open();
        storeEnv = { DATABASE_URL: pg.env.DATABASE_URL };
      } else {
        // Never open PGlite here: the server owns the directory. undefined drops an inherited DATABASE_URL.
        storeEnv = { DATABASE_URL: undefined };
      }
      server = await startServer({
        ...storeEnv,
        RUNTRAIL_DATA_DIR: dir,
        RUNTRAIL_MAX_BODY_BYTES: String(MAX_BODY_BYTES),
        RUNTRAIL_MAX_BATCH_EVENTS: String(MAX_BATCH_EVENTS),
        // Sweep for silent runs often, so timeouts are cheap to test.
        RUNTRAIL_SWEEP_INTERVAL_MS: "200",
        ...extraEnv,
      });
    } catch (err) {
      await teardown();
      throw err;
    }
  });
  afterAll(teardown);

  const need = () => {
    if (!server) throw new Error("server not started");
    return server;
  };

  const api: Api = {
    get server() {
      return need();
    },
    get url() {
      return need().url;
    },
    get apiKey() {
      return need().apiKey;
    },
    async call(path, init = {}) {
      const s = need();
      const headers: Record<string, string> = {};
      const auth = init.auth === undefined ? `Bearer ${s.apiKey}` : init.auth;
      if (auth !== null) headers.authorization = auth;
      let body: string | undefined;
      if (init.raw !== undefined) body = init.raw;
      else if (init.body !== undefined) body = JSON.stringify(init.body);
      if (body !== undefined) headers["content-type"] = "application/json";
      const res = await fetch(`${s.url}${path}`, { method: init.method ?? (body ? "POST" : "GET"), headers, body });
      const text = await res.text();
      if (res.status >= 500) throw new Error(`HTTP ${res.status} ${path}: ${text}\n--- server output ---\n${s.output()}`);
      let parsed: unknown;
      try {
        parsed = text === "" ? null : JSON.parse(text);
      } catch {
        throw new Error(`HTTP ${res.status} ${path}: not JSON: ${text.slice(0, 500)}`);
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    ingest(batch) {
      return api.call("/api/v1/ingest", { body: { batch } });
    },
    async getRun(runId) {
      const r = await api.call(`/api/v1/runs/${encodeURIComponent(runId)}`);
      if (r.status !== 200) throw new Error(`GET run ${runId}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      return r.body as RunJson;
    },
  };
  return api;
}

// ---------------------------------------------------------------- raw events

/** Crafted events live in 2020, so anything the SDK records now sorts first. */
export const BASE_MS = Date.parse("2020-03-01T12:00:00.000Z");
export const iso = (ms: number) => new Date(BASE_MS + ms).toISOString();

let unique = 0;
/** A fresh id, unique within the test process. */
export function uid(prefix: string): string {
  unique += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${unique}`;
}

export type RawEvent = Record<string, unknown>;

/** Event factory for one run: seq and event ids are assigned in call order (= emit order). */
export function emitter(runId: string, baseMs = 0) {
  let seq = 0;
  return (type: string, ms: number, fields: Record<string, unknown> = {}): RawEvent => {
    const s = seq++;
    return { id: `${runId}-e${s}`, runId, seq: s, ts: iso(baseMs + ms), type, ...fields };
  };
}

/** The seed 004 shape plus parallel, failed, skipped and nested tasks, as raw wire events. */
export function referenceRun(runId: string, baseMs = 0): RawEvent[] {
  const ev = emitter(runId, baseMs);
  return [
    ev("run.start", 0, { name: "report", input: { file: "report.pdf" }, tags: ["pdf", "ref"], metadata: { user: "u1" } }),
    ev("task.start", 5, { taskId: "t1", name: "parse-pdf", input: { file: "report.pdf" } }),
    ev("task.complete", 120, { taskId: "t1", output: { pages: 3 } }),
    ev("task.start", 121, { taskId: "t2", name: "summarise", input: { pages: 3 } }),
    ev("task.start", 122, { taskId: "t3", name: "fetch-users" }),
    ev("task.start", 123, { taskId: "t4", name: "fetch-products" }),
    ev("task.start", 124, { taskId: "t5", name: "ocr-page", parentTaskId: "t4" }),
    ev("task.fail", 180, { taskId: "t5", errorMessage: "Connection refused", errorStack: "Error: Connection refused" }),
    ev("task.complete", 200, { taskId: "t4", output: { count: 7 } }),
    ev("task.complete", 210, { taskId: "t3", output: { count: 12 } }),
    ev("task.start", 211, { taskId: "t6", name: "translate" }),
    ev("task.skip", 212, { taskId: "t6", reason: "cache hit" }),
    ev("task.complete", 400, { taskId: "t2", output: { summary: "Three pages." } }),
    ev("run.complete", 401, { output: { summary: "Three pages." } }),
  ];
}

/** A run's JSON with its id replaced, so runs built from the same events compare equal. */
export function normalise(json: RunJson, runId: string): unknown {
  // `version` counts stored batches, so it depends on how events were split into requests.
  return JSON.parse(JSON.stringify(json).replaceAll(runId, "<RUN>"), (k, v) => (k === "version" ? undefined : v));
}

/** mulberry32: deterministic, so a failing order can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: T[], rand: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
