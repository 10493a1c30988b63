import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Runtrail } from "./client.js";
import type { FetchLike, RequestInitLike, ResponseLike } from "./config.js";
import {
  ApiError,
  InvalidArgumentError,
  RunAlreadyFinishedError,
  RunNotFoundError,
  WaitTimeoutError,
} from "./errors.js";
import { createApiClient } from "./http.js";
import type { RunInfo } from "./protocol.js";
import { streamRun } from "./run-stream.js";
import { type FakeApi, makeRunInfo, makeTaskInfo, startFakeApi } from "./testing/fake-api.js";

const servers: FakeApi[] = [];
const clients: Runtrail[] = [];

async function setup() {
  const api = await startFakeApi();
  servers.push(api);
  const client = new Runtrail({ baseUrl: api.url, apiKey: "k", flushIntervalMs: 20 });
  clients.push(client);
  return { api, client };
}

/** A FetchLike answering from `handler`; records calls with the fake clock's time. */
function jsonFetch(handler: (url: URL, init: RequestInitLike, call: number) => { status: number; body?: unknown; headers?: Record<string, string> } | Error) {
  const calls: { url: URL; init: RequestInitLike; at: number }[] = [];
  const fetch: FetchLike = (url, init) => {
    const parsed = new URL(url);
    calls.push({ url: parsed, init, at: Date.now() });
    const reply = handler(parsed, init, calls.length - 1);
    if (reply instanceof Error) return Promise.reject(reply);
    const headers = reply.headers ?? {};
    const response: ResponseLike = {
      status: reply.status,
      headers: { get: (name) => headers[name.toLowerCase()] ?? null },
      text: () => Promise.resolve(reply.body === undefined ? "" : JSON.stringify(reply.body)),
    };
    return Promise.resolve(response);
  };
  return { fetch, calls };
}

/** One server-sent message; as the server sends them, `tasks` carry no id, `run` and `end` the run's version. */
function sse(id: number | undefined, event: string, data: unknown): string {
  return `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(clients.splice(0).map((client) => client.shutdown(100)));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe("runs.list", () => {
  it("follows nextCursor lazily, as pages or as items, with the filter in the query", async () => {
    const { api, client } = await setup();
    for (let i = 0; i < 5; i++) api.addRun({ id: `r${i}`, name: `run-${i}` });
    const list = client.runs.list({ limit: 2, from: new Date("2025-01-01T00:00:00Z"), tag: "nightly" });
    expect(api.requests).toHaveLength(0);
    const pages = [];
    for await (const page of list) pages.push(page);
    expect(pages.map((page) => [page.data.map((run) => run.id), page.nextCursor])).toEqual([
      [["r4", "r3"], "2"],
      [["r2", "r1"], "4"],
      [["r0"], null],
    ]);
    expect(api.requests[0]?.query.get("from")).toBe("2025-01-01T00:00:00.000Z");
    expect(api.requests[0]?.query.get("tag")).toBe("nightly");
    expect(api.requests[0]?.query.has("cursor")).toBe(false);
    expect(api.requests[1]?.query.get("cursor")).toBe("2");
    const ids = [];
    for await (const run of list.items()) ids.push(run.id);
    expect(ids).toEqual(["r4", "r3", "r2", "r1", "r0"]);
    expect(api.requests).toHaveLength(6);
  });

  it("throws InvalidArgumentError at once on a bad filter", async () => {
    const { client } = await setup();
    expect(() => client.runs.list({ limit: 0 })).toThrow(InvalidArgumentError);
    expect(() => client.runs.list({ limit: 201 })).toThrow(/1 to 200/);
    expect(() => client.runs.list({ status: "done" as never })).toThrow(/status must be one of/);
    expect(() => client.runs.list({ to: "yesterday" })).toThrow(/to must be a Date/);
  });
});

describe("runs.get and runs.cancel", () => {
  it("get answers the run and its tasks; cancel posts the reason", async () => {
    const { api, client } = await setup();
    api.addRun({ id: "r1", name: "report" });
    api.tasks.set("r1", [makeTaskInfo({ id: "t1", runId: "r1", name: "parse" })]);
    const { run, tasks } = await client.runs.get("r1");
    expect([run.name, tasks.map((t) => t.name)]).toEqual(["report", ["parse"]]);
    const cancelled = await client.runs.cancel("r1", { reason: "user asked" });
    expect(cancelled.status).toBe("cancelled");
    expect(JSON.parse(api.requests.at(-1)?.body ?? "")).toEqual({ reason: "user asked" });
    api.addRun({ id: "r2" });
    await client.runs.cancel("r2");
    expect(api.requests.at(-1)?.body).toBe("{}");
  });

  it("maps 404, 409, 400 and other statuses to typed errors", async () => {
    const { api, client } = await setup();
    api.addRun({ id: "done", status: "completed" });
    await expect(client.runs.cancel("missing")).rejects.toMatchObject({ code: "run_not_found", runId: "missing" });
    await expect(client.runs.get("missing")).rejects.toBeInstanceOf(RunNotFoundError);
    const conflict = await client.runs.cancel("done").catch((err: unknown) => err);
    expect(conflict).toBeInstanceOf(RunAlreadyFinishedError);
    expect(conflict).toMatchObject({ code: "run_already_finished", runId: "done", status: "completed" });

    let reply: { status: number; body: unknown } = { status: 400, body: { error: { code: "invalid_params", message: "reason: too long", field: "reason" } } };
    api.intercept = (req, res) => {
      if (!req.path.endsWith("/cancel")) return false;
      res.writeHead(reply.status, { "content-type": "application/json" }).end(JSON.stringify(reply.body));
      return true;
    };
    const invalid = await client.runs.cancel("done", { reason: "x" }).catch((err: unknown) => err);
    expect(invalid).toBeInstanceOf(InvalidArgumentError);
    expect((invalid as Error).message).toBe("reason: too long");
    reply = { status: 409, body: { error: { code: "already_finished", message: "no", status: "timed_out" } } };
    await expect(client.runs.cancel("done")).rejects.toMatchObject({ status: "timed_out" });
    reply = { status: 500, body: { error: { code: "internal", message: "bug" } } };
    const failed = await client.runs.cancel("done").catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(ApiError);
    expect(failed).toMatchObject({ code: "api_error", status: 500 });
    expect(api.requests.filter((r) => r.path === "/api/v1/runs/done/cancel").length).toBe(4); // a POST answered 500 is not repeated
    expect(() => client.runs.get("")).toThrow(InvalidArgumentError);
  });
});

describe("reads: retries", () => {
  it("retry network errors, 429 and 5xx (Retry-After), then give up with ApiError", async () => {
    const run = makeRunInfo({ id: "r" });
    const flaky = jsonFetch((_url, _init, call) =>
      call === 0 ? new TypeError("fetch failed") : call === 1 ? { status: 503, headers: { "retry-after": "0" } } : call === 2 ? { status: 429 } : { status: 200, body: { run, tasks: [] } },
    );
    const api = createApiClient({ baseUrl: "http://x", apiKey: "k", fetch: flaky.fetch, requestTimeoutMs: 1000, retryBaseMs: 1, random: () => 0.5 });
    await expect(api.request({ method: "GET", path: "/api/v1/runs/r", runId: "r" })).resolves.toMatchObject({ run: { id: "r" } });
    expect(flaky.calls).toHaveLength(4);
    expect(flaky.calls[0]?.init.headers.authorization).toBe("Bearer k");
    expect(flaky.calls[0]?.init).not.toHaveProperty("body");

    const down = jsonFetch(() => new TypeError("fetch failed"));
    const api2 = createApiClient({ baseUrl: "http://x", apiKey: "k", fetch: down.fetch, requestTimeoutMs: 1000, retryBaseMs: 1, retries: 2 });
    const error = await api2.request({ method: "GET", path: "/p" }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: undefined });
    expect((error as ApiError).cause).toBeInstanceOf(TypeError);
    expect(down.calls).toHaveLength(3);

    const denied = jsonFetch(() => ({ status: 401, body: { error: { code: "unauthorized", message: "bad key" } } }));
    const api3 = createApiClient({ baseUrl: "http://x", apiKey: "k", fetch: denied.fetch, requestTimeoutMs: 1000 });
    await expect(api3.request({ method: "GET", path: "/p" })).rejects.toMatchObject({ status: 401, message: expect.stringContaining("bad key") });
    expect(denied.calls).toHaveLength(1);
  });
});

describe("runs.poll", () => {
  it("yields the run first and on status or task-count changes, and ends at a terminal status", async () => {
    const { api, client } = await setup();
    const run = api.addRun({ id: "p" });
    let polls = 0;
    api.intercept = (req) => {
      if (req.path !== "/api/v1/runs/p") return false;
      polls++;
      if (polls === 3) run.taskCounts = { ...run.taskCounts, total: 1, running: 1 };
      if (polls === 5) run.version++; // a change poll does not report
      if (polls === 6) run.status = "completed";
      return false;
    };
    const seen: [string, number][] = [];
    for await (const info of client.runs.poll("p", { intervalMs: 10 })) seen.push([info.status, info.taskCounts.total]);
    expect(seen).toEqual([
      ["running", 0],
      ["running", 1],
      ["completed", 1],
    ]);
    expect(polls).toBe(6);
    expect(api.requests.every((r) => r.query.get("tasks") === "false")).toBe(true);
  });
});

describe("runs.wait", () => {
  it("polls with growing delays and resolves with the finished run", async () => {
    vi.useFakeTimers();
    const states: RunInfo["status"][] = ["running", "running", "running", "running", "failed"];
    const fake = jsonFetch((_url, _init, call) => ({ status: 200, body: { run: makeRunInfo({ id: "w", status: states[call] ?? "failed" }) } }));
    const client = new Runtrail({ apiKey: "k", fetch: fake.fetch });
    const waiting = client.runs.wait("w");
    await vi.advanceTimersByTimeAsync(5000);
    expect((await waiting).status).toBe("failed");
    const gaps = fake.calls.slice(1).map((call, i) => call.at - (fake.calls[i]?.at ?? 0));
    expect(gaps).toEqual([200, 300, 450, 675]);
    expect(fake.calls[0]?.url.searchParams.get("tasks")).toBe("false");
  });

  it("rejects with WaitTimeoutError after timeoutMs, keeping going through server errors", async () => {
    vi.useFakeTimers();
    const fake = jsonFetch((_url, _init, call) => (call === 3 ? { status: 502 } : { status: 200, body: { run: makeRunInfo({ id: "w" }) } }));
    const client = new Runtrail({ apiKey: "k", fetch: fake.fetch });
    const waiting = client.runs.wait("w", { timeoutMs: 20_000 }).catch((err: unknown) => err);
    await vi.advanceTimersByTimeAsync(20_000);
    const error = await waiting;
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ code: "wait_timeout", runId: "w", timeoutMs: 20_000, lastStatus: "running" });
    const gaps = fake.calls.slice(1).map((call, i) => call.at - (fake.calls[i]?.at ?? 0));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(5000);
  });

  it("rejects with the signal's reason when aborted", async () => {
    const fake = jsonFetch(() => ({ status: 200, body: { run: makeRunInfo({ id: "w" }) } }));
    const client = new Runtrail({ apiKey: "k", fetch: fake.fetch });
    const controller = new AbortController();
    const waiting = client.runs.wait("w", { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user gave up")), 50);
    await expect(waiting).rejects.toThrow("user gave up");
  });
});

describe("runs.stream", () => {
  it("parses messages split anywhere and ends after end", async () => {
    const { api, client } = await setup();
    const run = api.addRun({ id: "s", version: 3 });
    // Each change: its tasks first, closed by the run.
    const change = (version: number, names: string[]) =>
      sse(undefined, "tasks", names.map((name) => makeTaskInfo({ id: name, runId: "s", name }))) + sse(version, "run", { ...run, version });
    const text = `: ping\n${change(3, ["a"])}${change(4, ["b"])}${sse(5, "end", { ...run, status: "completed" })}`;
    api.stream = (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const cut = [0, 5, 17, 18, 40, 41, text.length - 3, text.length];
      // Each write schedules the next: timers of different lengths can fire out of order on a loaded machine.
      const write = (i: number) => {
        if (i >= cut.length) return;
        res.write(text.slice(cut[i - 1], cut[i]));
        setTimeout(() => write(i + 1), 5);
      };
      setTimeout(() => write(1), 5);
    };
    const events = [];
    for await (const event of client.runs.stream("s", { since: 2 })) events.push(event);
    expect(events.map((e) => e.type)).toEqual(["tasks", "run", "tasks", "run", "end"]);
    expect(events[0]).toMatchObject({ tasks: [{ id: "a", name: "a" }] });
    expect(events[1]).toMatchObject({ run: { version: 3 } });
    expect(events[2]).toMatchObject({ tasks: [{ id: "b", name: "b" }] });
    expect(events[4]).toMatchObject({ run: { status: "completed" } });
    expect(api.requests[0]?.query.get("since")).toBe("2");
    expect(api.requests[0]?.headers.accept).toBe("text/event-stream");
  });

  it("reconnects with Last-Event-ID after a drop or a 503 and continues", async () => {
    const { api, client } = await setup();
    const run = api.addRun({ id: "s" });
    api.stream = (_req, res: ServerResponse, attempt) => {
      if (attempt === 0) {
        res.writeHead(200, { "content-type": "text/event-stream" });
        // A whole change, then half of the next one's tasks: the connection drops.
        res.write(`${sse(undefined, "tasks", [makeTaskInfo({ id: "a", runId: "s" })])}${sse(1, "run", run)}event: tasks\ndata: [`);
        setTimeout(() => res.destroy(), 20);
      } else if (attempt === 1) {
        res.writeHead(503, { "retry-after": "0" }).end();
      } else {
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.end(`${sse(undefined, "tasks", [makeTaskInfo({ id: "t", runId: "s" })])}${sse(2, "run", run)}${sse(2, "end", run)}`);
      }
    };
    const events = [];
    for await (const event of client.runs.stream("s", { since: 0 })) events.push(event);
    expect(events.map((e) => e.type)).toEqual(["tasks", "run", "tasks", "run", "end"]);
    const streams = api.requests.filter((r) => r.path.endsWith("/stream"));
    // Resumes after the last run message: the half-received tasks are asked for again.
    expect(streams.map((r) => [r.headers["last-event-id"], r.query.get("since")])).toEqual([
      [undefined, "0"],
      ["1", null],
      ["1", null],
    ]);
  });

  it("reconnects a silent connection, stops on break, and throws typed errors", async () => {
    const { api } = await setup();
    const run = api.addRun({ id: "s" });
    let closed = 0;
    api.stream = (_req, res, attempt) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.on("close", () => closed++);
      res.write(sse(attempt + 1, "run", run)); // then silence
    };
    const http = createApiClient({ baseUrl: api.url, apiKey: "k", fetch: (url, init) => fetch(url, init), requestTimeoutMs: 1000 });
    const tuning = { idleTimeoutMs: 100, maxFailures: 3, retryBaseMs: 1, retryMaxMs: 10 };
    const seen = [];
    for await (const event of streamRun(http, "s", {}, tuning)) {
      seen.push(event);
      if (seen.length === 2) break;
    }
    await vi.waitFor(() => expect(closed).toBe(2));
    expect(api.requests.at(-1)?.headers["last-event-id"]).toBe("1");

    api.stream = undefined;
    const client = new Runtrail({ baseUrl: api.url, apiKey: "k" });
    const missing = client.runs.stream("missing");
    await expect(missing.next()).rejects.toBeInstanceOf(RunNotFoundError);
    expect(() => client.runs.stream("s", { since: -1 })).toThrow(InvalidArgumentError);
  });
});
