/**
 * A small real HTTP server (node:http on 127.0.0.1) playing the Runtrail API
 * for tests: ingest (events stored once per id, a tiny run/task projection,
 * `cancelledRuns` in answers), GET run, list pages, cancel, and SSE streams.
 * Tests can script any request through `intercept` and streams through `stream`.
 * Used by the tests only; not part of the build.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { RunInfo, RunStatus, TaskInfo, TaskStatus } from "../protocol.js";
import { acceptAll, type WireEvent } from "./fake-ingest.js";

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: string;
}

export interface FakeApi {
  readonly url: string;
  /** Every event received, each id once, in arrival order (heartbeats included). */
  readonly events: WireEvent[];
  readonly requests: FakeRequest[];
  readonly runs: Map<string, RunInfo>;
  readonly tasks: Map<string, TaskInfo[]>;
  /** Return true when the request was answered here; otherwise the default handling runs. */
  intercept: ((req: FakeRequest, res: ServerResponse) => boolean | undefined) | undefined;
  /** Answers `GET …/stream`; `attempt` counts connections (0 first). Default: one change (the run's tasks, then the run), then end. */
  stream: ((req: FakeRequest, res: ServerResponse, attempt: number) => void) | undefined;
  addRun(run: Partial<RunInfo> & { id: string }): RunInfo;
  close(): Promise<void>;
}

export function makeRunInfo(run: Partial<RunInfo> & { id: string }): RunInfo {
  return {
    name: "run",
    status: "running",
    input: null,
    output: null,
    errorMessage: null,
    errorStack: null,
    metadata: {},
    tags: [],
    parentRunId: null,
    startedAt: new Date(0).toISOString(),
    endedAt: null,
    durationMs: null,
    lastEventAt: new Date(0).toISOString(),
    heartbeatTimeoutMs: null,
    lastSeq: 0,
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    taskCounts: { total: 0, running: 0, completed: 0, failed: 0, skipped: 0, cancelled: 0 },
    logCount: 0,
    version: 0,
    ...run,
  };
}

export function makeTaskInfo(task: Partial<TaskInfo> & { id: string; runId: string }): TaskInfo {
  return {
    parentTaskId: null,
    name: "task",
    status: "running",
    input: null,
    output: null,
    errorMessage: null,
    errorStack: null,
    statusMessage: null,
    progress: null,
    usage: null,
    seq: 0,
    startedAt: null,
    endedAt: null,
    durationMs: null,
    version: 0,
    ...task,
  };
}

/** Handlers answer and return true ("handled"), so routes can `return handler(…)`. */
function send(res: ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  return true;
}

function notFound(res: ServerResponse, id: string): true {
  return send(res, 404, { error: { code: "not_found", message: `run ${JSON.stringify(id)} not found` } });
}

const TASK_STATUS: Record<string, TaskStatus> = { "task.complete": "completed", "task.fail": "failed", "task.skip": "skipped" };
const RUN_STATUS: Record<string, RunStatus> = { "run.complete": "completed", "run.fail": "failed" };

export async function startFakeApi(): Promise<FakeApi> {
  const seen = new Set<string>();
  const streamAttempts = new Map<string, number>();
  const api = {
    url: "",
    events: [] as WireEvent[],
    requests: [] as FakeRequest[],
    runs: new Map<string, RunInfo>(),
    tasks: new Map<string, TaskInfo[]>(),
    intercept: undefined as FakeApi["intercept"],
    stream: undefined as FakeApi["stream"],
    addRun(run: Partial<RunInfo> & { id: string }): RunInfo {
      const info = makeRunInfo(run);
      api.runs.set(info.id, info);
      return info;
    },
    close: async () => {},
  };

  function project(event: WireEvent): void {
    let run = api.runs.get(event.runId);
    if (run === undefined) run = api.addRun({ id: event.runId });
    run.lastSeq = Math.max(run.lastSeq, event.seq);
    if (event.type === "run.heartbeat") return;
    run.version++;
    if (event.type === "run.start") run.name = String(event.name);
    const runStatus = RUN_STATUS[event.type];
    if (runStatus !== undefined && run.status === "running") run.status = runStatus;
    const tasks = api.tasks.get(run.id) ?? [];
    api.tasks.set(run.id, tasks);
    if (event.type === "task.start") {
      tasks.push(makeTaskInfo({ id: String(event.taskId), runId: run.id, name: String(event.name), seq: event.seq }));
    }
    const task = tasks.find((t) => t.id === event.taskId);
    const taskStatus = TASK_STATUS[event.type];
    if (task !== undefined && taskStatus !== undefined && task.status === "running") task.status = taskStatus;
    const counts = { total: tasks.length, running: 0, completed: 0, failed: 0, skipped: 0, cancelled: 0 };
    for (const t of tasks) counts[t.status]++;
    run.taskCounts = counts;
  }

  function ingest(req: FakeRequest, res: ServerResponse): boolean {
    const batch = (JSON.parse(req.body) as { batch: WireEvent[] }).batch;
    for (const event of batch) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
      api.events.push(event);
      project(event);
    }
    const cancelled = [...new Set(batch.map((e) => e.runId))]
      .filter((id) => api.runs.get(id)?.status === "cancelled")
      .map((runId) => ({ runId, reason: api.runs.get(runId)?.errorMessage ?? null }));
    const body = acceptAll(batch, cancelled, { errorsOnly: req.query.get("results") === "errors" });
    res.writeHead(200, { "content-type": "application/json" }).end(body);
    return true;
  }

  function list(req: FakeRequest, res: ServerResponse): boolean {
    const status = req.query.get("status");
    const all = [...api.runs.values()].reverse().filter((run) => status === null || run.status === status);
    const limit = Number(req.query.get("limit") ?? 50);
    const offset = Number(req.query.get("cursor") ?? 0);
    const data = all.slice(offset, offset + limit).map(({ input, output, errorStack, metadata, ...summary }) => summary);
    return send(res, 200, { data, nextCursor: offset + limit < all.length ? String(offset + limit) : null });
  }

  function cancel(id: string, req: FakeRequest, res: ServerResponse): boolean {
    const run = api.runs.get(id);
    if (run === undefined) return notFound(res, id);
    if (run.status !== "running") {
      return send(res, 409, { error: { code: "already_finished", message: `run ${id} is already ${run.status}` } });
    }
    const reason = req.body === "" ? undefined : (JSON.parse(req.body) as { reason?: string }).reason;
    run.status = "cancelled";
    run.errorMessage = reason ?? null;
    run.version++;
    return send(res, 200, { run });
  }

  function defaultStream(id: string, res: ServerResponse): boolean {
    const run = api.runs.get(id);
    if (run === undefined) return notFound(res, id);
    res.writeHead(200, { "content-type": "text/event-stream" });
    // As the server does: a change is its tasks (without an id), closed by the run (id: its version).
    const tasks = api.tasks.get(id) ?? [];
    if (tasks.length > 0) res.write(`event: tasks\ndata: ${JSON.stringify(tasks)}\n\n`);
    res.write(`event: run\nid: ${run.version}\ndata: ${JSON.stringify(run)}\n\n`);
    res.end(`event: end\nid: ${run.version}\ndata: ${JSON.stringify(run)}\n\n`);
    return true;
  }

  function route(req: FakeRequest, res: ServerResponse): boolean {
    if (api.intercept?.(req, res) === true) return true;
    if (req.headers.authorization === undefined) return send(res, 401, { error: { code: "unauthorized", message: "no key" } });
    if (req.method === "POST" && req.path === "/api/v1/ingest") return ingest(req, res);
    if (req.method === "GET" && req.path === "/api/v1/runs") return list(req, res);
    const match = /^\/api\/v1\/runs\/([^/]+)(\/cancel|\/stream)?$/.exec(req.path);
    const id = decodeURIComponent(match?.[1] ?? "");
    if (match?.[2] === "/cancel" && req.method === "POST") return cancel(id, req, res);
    if (match?.[2] === "/stream" && req.method === "GET") {
      const attempt = streamAttempts.get(id) ?? 0;
      streamAttempts.set(id, attempt + 1);
      if (api.stream === undefined) return defaultStream(id, res);
      api.stream(req, res, attempt);
      return true;
    }
    if (match !== null && match[2] === undefined && req.method === "GET") {
      const run = api.runs.get(id);
      if (run === undefined) return notFound(res, id);
      return send(res, 200, req.query.get("tasks") === "false" ? { run } : { run, tasks: api.tasks.get(id) ?? [] });
    }
    return send(res, 404, { error: { code: "not_found", message: `no route ${req.method} ${req.path}` } });
  }

  const server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const request: FakeRequest = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, body };
      api.requests.push(request);
      route(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  api.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return api;
}
