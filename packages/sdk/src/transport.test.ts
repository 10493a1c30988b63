import { afterEach, describe, expect, it, vi } from "vitest";
import type { FetchLike, ResponseLike } from "./config.js";
import type { DeliveryError } from "./errors.js";
import { backoffDelay, createTransport, parseRetryAfter } from "./transport.js";

type Reply = { status: number; body?: string; headers?: Record<string, string> } | Error | "hang";

function fakeFetch(replies: Reply[]) {
  const calls: { url: string; headers: Record<string, string>; body: string; at: number }[] = [];
  const fetch: FetchLike = (url, init) => {
    calls.push({ url, headers: init.headers, body: init.body ?? "", at: Date.now() });
    const reply = replies.shift() ?? { status: 200 };
    if (reply instanceof Error) return Promise.reject(reply);
    if (reply === "hang") {
      return new Promise<ResponseLike>((_, reject) => {
        init.signal.addEventListener("abort", () => reject(new Error("The operation was aborted")));
      });
    }
    const headers = reply.headers ?? {};
    return Promise.resolve({
      status: reply.status,
      headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
      text: () => Promise.resolve(reply.body ?? ""),
    });
  };
  return { fetch, calls };
}

function setup(replies: Reply[], extra: { requestTimeoutMs?: number; random?: () => number } = {}) {
  const { fetch, calls } = fakeFetch(replies);
  const errors: DeliveryError[] = [];
  const transport = createTransport({
    url: "http://runtrail.test/api/v1/ingest",
    apiKey: "rt_test",
    fetch,
    requestTimeoutMs: extra.requestTimeoutMs ?? 1000,
    onError: (error) => errors.push(error),
    random: extra.random ?? (() => 0),
  });
  return { transport, calls, errors, signal: new AbortController().signal };
}

const EVENTS = ['{"id":"a","seq":0}', '{"id":"b","seq":1}'];
const OK_BODY = JSON.stringify({
  results: [
    { index: 0, id: "a", status: "accepted" },
    { index: 1, id: "b", status: "duplicate" },
  ],
  accepted: 1,
  duplicates: 1,
  conflicts: 0,
  rejected: 0,
});

afterEach(() => {
  vi.useRealTimers();
});

describe("createTransport", () => {
  it("POSTs the batch with auth and SDK headers and returns the per-event results", async () => {
    const { transport, calls, signal } = setup([{ status: 200, body: OK_BODY }]);
    const outcome = await transport.send(EVENTS, signal);
    expect(outcome).toMatchObject({ kind: "sent", status: 200, results: [{ status: "accepted" }, { status: "duplicate" }] });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe("http://runtrail.test/api/v1/ingest");
    expect(calls[0]?.headers).toEqual({
      authorization: "Bearer rt_test",
      "content-type": "application/json",
      "x-runtrail-sdk": "ts/0.1.0",
    });
    expect(JSON.parse(calls[0]?.body ?? "")).toEqual({ batch: [{ id: "a", seq: 0 }, { id: "b", seq: 1 }] });
  });

  it("hands back the answer's cancelledRuns, ignoring malformed entries", async () => {
    const body = JSON.stringify({
      ...JSON.parse(OK_BODY),
      cancelledRuns: [{ runId: "r1", reason: "user asked" }, { runId: "r2" }, { reason: "no id" }, null],
    });
    const { transport, signal } = setup([{ status: 200, body }, { status: 200, body: OK_BODY }, { status: 200, body: "not json" }]);
    expect(await transport.send(EVENTS, signal)).toMatchObject({
      cancelledRuns: [
        { runId: "r1", reason: "user asked" },
        { runId: "r2", reason: null },
      ],
    });
    expect(await transport.send(EVENTS, signal)).toMatchObject({ kind: "sent", cancelledRuns: [] });
    expect(await transport.send(EVENTS, signal)).toEqual({ kind: "sent", status: 200, results: undefined, cancelledRuns: [] });
  });

  it("retries 5xx and reports each failure to onError", async () => {
    const { transport, calls, errors, signal } = setup([{ status: 503 }, { status: 500 }, { status: 200 }]);
    const outcome = await transport.send(EVENTS, signal);
    expect(outcome.kind).toBe("sent");
    expect(calls).toHaveLength(3);
    expect(calls[2]?.body).toBe(calls[0]?.body);
    expect(errors.map((e) => [e.code, e.status, e.willRetry, e.eventCount])).toEqual([
      ["server_error", 503, true, 2],
      ["server_error", 500, true, 2],
    ]);
  });

  it("honours Retry-After in seconds on 429", async () => {
    vi.useFakeTimers();
    const { transport, calls, errors, signal } = setup([
      { status: 429, headers: { "retry-after": "2" } },
      { status: 200 },
    ]);
    const sending = transport.send(EVENTS, signal);
    await vi.advanceTimersByTimeAsync(1999);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    expect((await sending).kind).toBe("sent");
    expect(errors[0]?.code).toBe("rate_limited");
  });

  it("honours Retry-After as an HTTP date on 503", async () => {
    vi.useFakeTimers({ now: Date.parse("2025-01-01T00:00:00Z") });
    const { transport, calls, signal } = setup([
      { status: 503, headers: { "retry-after": "Wed, 01 Jan 2025 00:00:03 GMT" } },
      { status: 200 },
    ]);
    const sending = transport.send(EVENTS, signal);
    await vi.advanceTimersByTimeAsync(2990);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toHaveLength(2);
    expect((await sending).kind).toBe("sent");
  });

  it("backs off exponentially with full jitter between attempts", async () => {
    vi.useFakeTimers();
    const { transport, calls, signal } = setup([{ status: 502 }, { status: 502 }, { status: 502 }, { status: 200 }], {
      random: () => 0.5,
    });
    const sending = transport.send(EVENTS, signal);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await sending).kind).toBe("sent");
    const gaps = calls.slice(1).map((call, i) => call.at - (calls[i]?.at ?? 0));
    expect(gaps).toEqual([50, 100, 200]); // 0.5 × 100 · 2^attempt
  });

  it("caps backoff at 5 s by default, so a recovered server is not left idle, but honours a longer Retry-After", async () => {
    vi.useFakeTimers();
    const { transport, calls, signal } = setup(
      [...Array(8).fill({ status: 503 }), { status: 503, headers: { "retry-after": "8" } }, { status: 200 }],
      { random: () => 0.999 },
    );
    const sending = transport.send(EVENTS, signal);
    await vi.advanceTimersByTimeAsync(60_000);
    expect((await sending).kind).toBe("sent");
    const gaps = calls.slice(1).map((call, i) => call.at - (calls[i]?.at ?? 0));
    expect(gaps).toHaveLength(9);
    expect(Math.max(...gaps.slice(0, 8))).toBeLessThanOrEqual(5_000);
    expect(gaps.slice(0, 8)).toEqual([99, 199, 399, 799, 1_598, 3_196, 4_995, 4_995]); // 0.999 × min(5 s, 100 ms · 2^n)
    expect(gaps[8]).toBe(8_000);
  });

  it("retries network errors, keeping the error as cause", async () => {
    const failure = new TypeError("fetch failed");
    const { transport, calls, errors, signal } = setup([failure, { status: 200 }]);
    expect((await transport.send(EVENTS, signal)).kind).toBe("sent");
    expect(calls).toHaveLength(2);
    expect(errors[0]?.code).toBe("network_error");
    expect(errors[0]?.cause).toBe(failure);
    expect(errors[0]?.status).toBeUndefined();
  });

  it("times out a hanging request and retries it", async () => {
    const { transport, calls, errors, signal } = setup(["hang", { status: 200 }], { requestTimeoutMs: 30 });
    expect((await transport.send(EVENTS, signal)).kind).toBe("sent");
    expect(calls).toHaveLength(2);
    expect(errors[0]?.code).toBe("timeout");
  });

  it("does not retry 400: reports it as rejected with the server's message", async () => {
    const body = JSON.stringify({ error: { code: "invalid", message: "batch[0].runId: required", field: "batch[0].runId" } });
    const { transport, calls, errors, signal } = setup([{ status: 400, body }]);
    expect((await transport.send(EVENTS, signal)).kind).toBe("rejected");
    expect(calls).toHaveLength(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "rejected", status: 400, willRetry: false, details: ["batch[0].runId: required"] });
  });

  it("returns too_large on 413 without retrying", async () => {
    const { transport, calls, errors, signal } = setup([{ status: 413 }]);
    expect((await transport.send(EVENTS, signal)).kind).toBe("too_large");
    expect(calls).toHaveLength(1);
    expect(errors).toHaveLength(0);
  });

  it("stops retrying when aborted during backoff", async () => {
    const { transport, calls } = setup([{ status: 503, headers: { "retry-after": "60" } }]);
    const controller = new AbortController();
    const sending = transport.send(EVENTS, controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    expect((await sending).kind).toBe("aborted");
    expect(calls).toHaveLength(1);
  });

  it("survives an onError that throws", async () => {
    const { fetch } = fakeFetch([{ status: 503 }, { status: 200 }]);
    const transport = createTransport({
      url: "http://runtrail.test/api/v1/ingest",
      apiKey: "k",
      fetch,
      requestTimeoutMs: 1000,
      random: () => 0,
      onError: () => {
        throw new Error("bad handler");
      },
    });
    expect((await transport.send(EVENTS, new AbortController().signal)).kind).toBe("sent");
  });
});

describe("backoffDelay", () => {
  it("grows exponentially up to the cap, scaled by the jitter", () => {
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, 100, 30_000, () => 0.999999))).toEqual([99, 199, 399, 799]);
    expect(backoffDelay(20, 100, 30_000, () => 0.5)).toBe(15_000);
    expect(backoffDelay(5, 100, 30_000, () => 0)).toBe(0);
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates, ignoring garbage", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter("0.5", now)).toBe(500);
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("Tue, 31 Dec 2024 23:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("99999999", now)).toBe(600_000);
  });
});
