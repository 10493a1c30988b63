import { connect } from "node:net";
import { testStoreKinds } from "@runtrail/db/testing";
import { describe, expect, it } from "vitest";
import { emitter, MAX_BATCH_EVENTS, MAX_BODY_BYTES, uid, useServer } from "./harness";

/**
 * Writes `first` on one raw connection, waits for its JSON error answer, then writes
 * `second` on the same connection; resolves with everything received once
 * `untilSecond` shows up, the connection closes, or 10 s pass.
 */
function sameConnection(port: number, first: string, second: string, untilSecond: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let out = "";
    let secondSent = false;
    const finish = () => {
      clearTimeout(guard);
      socket.destroy();
      resolve(out);
    };
    const guard = setTimeout(finish, 10_000);
    socket.on("data", (d: Buffer) => {
      out += d.toString();
      if (!secondSent && out.includes("}}")) {
        secondSent = true;
        socket.write(second);
      } else if (secondSent && out.includes(untilSecond)) finish();
    });
    socket.on("error", () => finish());
    socket.on("close", () => finish());
    socket.write(first);
  });
}

/** Every error answer of the HTTP API: status, JSON body `{ error: { code, message, field? } }`. */

for (const kind of await testStoreKinds()) {
  describe(`HTTP API errors on ${kind.name}`, () => {
    const api = useServer(kind);

    const expectError = (r: { status: number; body: unknown }, status: number, code: string, field?: string) => {
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      expect(r.body).toMatchObject({ error: { code, message: expect.any(String) } });
      const error = (r.body as { error: { field?: string; message: string } }).error;
      if (field !== undefined) {
        expect(error.field).toBe(field);
        expect(error.message.startsWith(`${field}:`), error.message).toBe(true);
      }
    };

    it("GET /api/health reports the store in use", async () => {
      const r = await api.call("/api/health", { auth: null });
      expect(r.status).toBe(200);
      expect(r.body).toEqual({ status: "ok", store: kind.name === "pglite" ? "pglite" : "postgres" });
    });

    it("refuses a missing, malformed or wrong API key with 401 on every endpoint", async () => {
      const batch = [emitter(uid("auth"))("run.start", 0, { name: "auth" })];
      for (const auth of [null, "", "Bearer", "Basic abc", "Bearer rt_wrong_key", `Bearer ${api.apiKey}x`]) {
        const r = await api.call("/api/v1/ingest", { body: { batch }, auth });
        expectError(r, 401, "unauthorized");
        expect(r.headers.get("content-type")).toMatch(/^application\/json/);
        expect(r.headers.get("www-authenticate")).toMatch(/^Bearer /);
      }
      expectError(await api.call("/api/v1/runs", { auth: null }), 401, "unauthorized");
      expectError(await api.call("/api/v1/runs/x", { auth: "Bearer nope" }), 401, "unauthorized");
      // Nothing was stored by the refused requests; the right key (any case of "bearer") works.
      expectError(await api.call(`/api/v1/runs/${batch[0]?.runId}`), 404, "not_found");
      const ok = await api.call("/api/v1/ingest", { body: { batch }, auth: `bearer ${api.apiKey}` });
      expect(ok.status).toBe(200);
    });

    it("answers 400 naming `body` for malformed JSON and `batch` for a bad envelope", async () => {
      for (const raw of ["{", "", "not json", '{"batch": [}', "\u0000"]) {
        expectError(await api.call("/api/v1/ingest", { raw, method: "POST" }), 400, "invalid_body", "body");
      }
      for (const body of [{}, { events: [] }, [], null, 42, "batch"]) {
        expectError(await api.call("/api/v1/ingest", { raw: JSON.stringify(body), method: "POST" }), 400, "invalid_body", "batch");
      }
      for (const batch of [{}, "x", null, 1]) {
        expectError(await api.ingest(batch as unknown as unknown[]), 400, "invalid_body", "batch");
      }
      // An empty batch is fine.
      const empty = await api.ingest([]);
      expect(empty.status).toBe(200);
      expect(empty.body).toEqual({ results: [], accepted: 0, duplicates: 0, conflicts: 0, rejected: 0, cancelledRuns: [] });
    });

    it("answers 413 for a body over RUNTRAIL_MAX_BODY_BYTES, with or without Content-Length", async () => {
      const padded = (bytes: number) => {
        const head = '{"batch":[],"pad":"';
        return `${head}${"x".repeat(bytes - head.length - 2)}"}`;
      };
      const atLimit = padded(MAX_BODY_BYTES);
      expect(Buffer.byteLength(atLimit)).toBe(MAX_BODY_BYTES);
      expect((await api.call("/api/v1/ingest", { raw: atLimit, method: "POST" })).status).toBe(200);

      const over = padded(MAX_BODY_BYTES + 1);
      const r = await api.call("/api/v1/ingest", { raw: over, method: "POST" });
      expectError(r, 413, "payload_too_large", "body");

      // Chunked upload: no Content-Length, so the server must count while reading.
      const bytes = new TextEncoder().encode(padded(MAX_BODY_BYTES * 3));
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.subarray(i, i + 8192));
          controller.close();
        },
      });
      const res = await fetch(`${api.url}/api/v1/ingest`, {
        method: "POST",
        headers: { authorization: `Bearer ${api.apiKey}`, "content-type": "application/json" },
        body: stream,
        duplex: "half",
      } as RequestInit);
      expectError({ status: res.status, body: await res.json() }, 413, "payload_too_large", "body");
    });

    it("keeps a keep-alive connection usable after refusing a streamed body mid-way", async () => {
      const chunk = (s: string) => `${s.length.toString(16)}\r\n${s}\r\n`;
      const body = chunk("x".repeat(8192)).repeat(Math.ceil((MAX_BODY_BYTES * 4) / 8192));
      const post =
        `POST /api/v1/ingest HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer ${api.apiKey}\r\n` +
        `Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${body}0\r\n\r\n`;
      const health = "GET /api/health HTTP/1.1\r\nHost: t\r\n\r\n";
      const out = await sameConnection(api.server.port, post, health, '"status":"ok"');
      expect(out).toMatch(/^HTTP\/1\.1 413 /);
      expect(out).toContain('"field":"body"');
      // The second request on the same connection is answered.
      expect(out).toMatch(/HTTP\/1\.1 200 [\s\S]*"status":"ok"/);
    });

    it("answers 413 naming `batch` above RUNTRAIL_MAX_BATCH_EVENTS, and validates up to it", async () => {
      const tooMany = Array.from({ length: MAX_BATCH_EVENTS + 1 }, () => 0);
      expectError(await api.ingest(tooMany), 413, "payload_too_large", "batch");
      const atLimit = await api.ingest(Array.from({ length: MAX_BATCH_EVENTS }, () => 0));
      expect(atLimit.status).toBe(207);
      expect(atLimit.body.rejected).toBe(MAX_BATCH_EVENTS);
      expect(atLimit.body.results[MAX_BATCH_EVENTS - 1].error).toBe(`batch[${MAX_BATCH_EVENTS - 1}]: must be an object`);
    });

    it("answers 404 with a JSON error for an unknown run", async () => {
      for (const id of ["does-not-exist", uid("nope"), "caf%C3%A9", "a%20b"]) {
        const r = await api.call(`/api/v1/runs/${id}`);
        expectError(r, 404, "not_found");
        expect(r.body.error.message).toContain(decodeURIComponent(id));
      }
    });

    it("reads runs whose id needs URL encoding", async () => {
      const runId = `${uid("enc")} é/?#%`;
      const r = await api.ingest([emitter(runId)("run.start", 0, { name: "encoded" })]);
      expect(r.status).toBe(200);
      const got = await api.getRun(runId);
      expect(got.run).toMatchObject({ id: runId, name: "encoded" });
    });

    it("answers 400 naming the query parameter for bad list filters", async () => {
      const garbageCursor = Buffer.from(JSON.stringify(["not a date", "x"])).toString("base64url");
      const cases: [string, string][] = [
        ["status=weird", "status"],
        ["status=COMPLETED", "status"],
        ["limit=0", "limit"],
        ["limit=-3", "limit"],
        ["limit=201", "limit"],
        ["limit=2.5", "limit"],
        ["limit=abc", "limit"],
        ["from=yesterday", "from"],
        ["to=2020-13-01T00:00:00Z", "to"],
        ["cursor=garbage", "cursor"],
        [`cursor=${garbageCursor}`, "cursor"],
        [`cursor=${Buffer.from("[1,2]").toString("base64url")}`, "cursor"],
        ["before=garbage", "before"],
        [`cursor=${garbageCursor}&before=${garbageCursor}`, "before"],
        [`q=${"x".repeat(501)}`, "q"],
      ];
      for (const [query, field] of cases) {
        const r = await api.call(`/api/v1/runs?${query}`);
        expect(r.status, query).toBe(400);
        expect(r.body.error, query).toMatchObject({ code: "invalid_params", field });
        expect(r.body.error.message.startsWith(`${field}:`), `${query}: ${r.body.error.message}`).toBe(true);
      }
      // Empty parameters are ignored, valid ones accepted.
      const ok = await api.call("/api/v1/runs?status=&limit=200&name=");
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ data: expect.any(Array) });
    });
  });
}
