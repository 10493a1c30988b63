import { testStoreKinds } from "@runtrail/db/testing";
import { describe, expect, it } from "vitest";
import { emitter, type RawEvent, uid, useServer } from "./harness";

/**
 * Hostile and broken input over real HTTP, on both stores: every answer is a
 * clear 2xx/4xx naming the field (the harness throws on any 5xx), and a bad event
 * never costs its neighbours.
 */

/** `{"a":{"a":…1…}}` with `depth` objects. */
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

/** JSON text of an array nested `depth` levels deep (built as text: JSON.stringify would overflow). */
const deepArrayText = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

/** An event's JSON with the `"__DEEP__"` placeholder replaced by `deep` (raw JSON text). */
const withDeep = (event: RawEvent, deep: string) => JSON.stringify(event).replace('"__DEEP__"', deep);

const NUL = "\u0000";
const LONE = "\ud800";
const FFFD = "\uFFFD";

for (const kind of await testStoreKinds()) {
  describe(`hostile input on ${kind.name}`, () => {
    // Room for bodies nested 100,000 levels deep (200 KB); the default limit is 4 MiB.
    const api = useServer(kind, { RUNTRAIL_MAX_BODY_BYTES: String(1024 * 1024) });
    const rawIngest = (text: string) => api.call("/api/v1/ingest", { raw: text, method: "POST" });

    it("rejects only the events nested past the depth limit, naming field, depth and limit, however deep", async () => {
      const runId = uid("deep");
      const ev = emitter(runId);
      const events = [
        JSON.stringify(ev("run.start", 0, { name: "deep" })),
        JSON.stringify(ev("task.start", 1, { taskId: "t1", name: "at-limit", input: nested(64) })),
        JSON.stringify(ev("task.start", 2, { taskId: "t2", name: "too-deep", input: nested(65) })),
        withDeep(ev("task.complete", 3, { taskId: "t1", output: "__DEEP__" }), deepArrayText(100_000)),
        withDeep(ev("run.log", 4, { message: "m", attributes: { x: "__DEEP__" } }), deepArrayText(5_000)),
        // Deep where a string belongs: a type error, found without walking the value.
        withDeep(ev("task.start", 5, { taskId: "t3", name: "__DEEP__" }), deepArrayText(100_000)),
        JSON.stringify(ev("task.complete", 6, { taskId: "t1", output: { ok: true } })),
        JSON.stringify(ev("run.complete", 7)),
      ];
      const r = await rawIngest(`{"batch":[${events.join(",")}]}`);
      expect(r.status).toBe(207);
      expect(r.body).toMatchObject({ accepted: 4, rejected: 4 });
      const errors = r.body.results.map((x: { error?: string }) => x.error ?? null);
      expect(errors).toEqual([
        null,
        null,
        "batch[2].input: nested 65 levels deep; the limit is 64",
        "batch[3].output: nested 100000 levels deep; the limit is 64",
        "batch[4].attributes: nested 5001 levels deep; the limit is 64",
        expect.stringMatching(/^batch\[5\]\.name: .*expected string/),
        null,
        null,
      ]);
      const { run, tasks } = await api.getRun(runId);
      expect(run).toMatchObject({ status: "completed", logCount: 0 });
      expect(tasks.map((t) => [t.id, t.status])).toEqual([["t1", "completed"]]);
      expect(tasks[0].input).toEqual(nested(64));
      expect(tasks[0].output).toEqual({ ok: true });
    });

    it("answers bodies nested 100,000 levels deep cleanly, wherever the depth is", async () => {
      const deep = deepArrayText(100_000);
      const good = emitter(uid("beside-deep"))("run.start", 0, { name: "beside" });
      // The whole body: not an envelope.
      const whole = await rawIngest(deep);
      expect(whole.status).toBe(400);
      expect(whole.body.error).toMatchObject({ code: "invalid_body", field: "batch" });
      // As the event itself: that event is not an object; its neighbour is stored.
      const asEvent = await rawIngest(`{"batch":[${deep},${JSON.stringify(good)}]}`);
      expect(asEvent.status).toBe(207);
      expect(asEvent.body.results.map((x: { status: string }) => x.status)).toEqual(["rejected", "accepted"]);
      expect(asEvent.body.results[0].error).toBe("batch[0]: must be an object");
      // Beside the batch, in a key nobody reads: ignored.
      const other = emitter(uid("beside-pad"))("run.start", 0, { name: "beside" });
      const beside = await rawIngest(`{"pad":${deep},"batch":[${JSON.stringify(other)}]}`);
      expect(beside.status).toBe(200);
      // Unclosed: malformed JSON.
      expect((await rawIngest("[".repeat(100_000))).body.error).toMatchObject({ code: "invalid_body", field: "body" });
      expect((await api.call("/api/health", { auth: null })).status).toBe(200);
    });

    it("stores NULs and lone surrogates as U+FFFD in every text and jsonb field, and refuses them in ids", async () => {
      const runId = uid("nul");
      const ev = emitter(runId);
      const dirty = (label: string) => `${label}${NUL}x${LONE}y`;
      const clean = (label: string) => `${label}${FFFD}x${FFFD}y`;
      const batch = [
        ev("run.start", 0, {
          name: dirty("run"),
          tags: [dirty("tag")],
          metadata: { [dirty("mk")]: dirty("mv") },
          input: { [dirty("ik")]: [dirty("iv")] },
        }),
        ev("task.start", 1, { taskId: "t1", name: dirty("task"), input: dirty("input") }),
        ev("task.update", 2, { taskId: "t1", statusMessage: dirty("status") }),
        ev("task.log", 3, { taskId: "t1", message: dirty("log"), attributes: { [dirty("ak")]: dirty("av") } }),
        ev("task.fail", 4, { taskId: "t1", errorMessage: dirty("msg"), errorStack: dirty("stack"), output: { [dirty("ok")]: dirty("ov") } }),
        ev("task.start", 5, { taskId: "t2", name: "skipped" }),
        ev("task.skip", 6, { taskId: "t2", reason: dirty("reason") }),
        ev("run.fail", 7, { errorMessage: dirty("rmsg"), errorStack: dirty("rstack"), output: dirty("rout") }),
        // Ids are refused, whichever one it is; the neighbours above and below are kept.
        ev("run.heartbeat", 8, { id: `e${NUL}` }),
        ev("task.start", 9, { taskId: `t${LONE}`, name: "x" }),
        ev("task.start", 10, { taskId: "t3", name: "x", parentTaskId: `p${NUL}` }),
        { ...ev("run.log", 11, { message: "m" }), runId: `${runId}${LONE}` },
        ev("run.log", 12, { message: "last" }),
      ];
      const r = await api.ingest(batch);
      expect(r.status).toBe(207);
      expect(r.body.results.map((x: { status: string }) => x.status)).toEqual([...Array(8).fill("accepted"), ...Array(4).fill("rejected"), "accepted"]);
      expect(r.body.results.slice(8, 12).map((x: { error: string }) => x.error)).toEqual([
        "batch[8].id: contains a NUL character (U+0000), which cannot be stored",
        "batch[9].taskId: contains a lone UTF-16 surrogate, which cannot be stored",
        "batch[10].parentTaskId: contains a NUL character (U+0000), which cannot be stored",
        "batch[11].runId: contains a lone UTF-16 surrogate, which cannot be stored",
      ]);

      const { run, tasks } = await api.getRun(runId);
      expect(run).toMatchObject({
        name: clean("run"),
        tags: [clean("tag")],
        metadata: { [clean("mk")]: clean("mv") },
        input: { [clean("ik")]: [clean("iv")] },
        errorMessage: clean("rmsg"),
        errorStack: clean("rstack"),
        output: clean("rout"),
        logCount: 2,
      });
      expect(tasks).toHaveLength(2);
      expect(tasks[0]).toMatchObject({
        name: clean("task"),
        input: clean("input"),
        statusMessage: clean("status"),
        errorMessage: clean("msg"),
        errorStack: clean("stack"),
        output: { [clean("ok")]: clean("ov") },
      });
      expect(tasks[1]).toMatchObject({ status: "skipped", statusMessage: clean("reason") });
      const logs = await api.call(`/api/v1/runs/${encodeURIComponent(runId)}/logs`);
      expect(logs.body.data.map((l: { message: string; attributes: unknown }) => [l.message, l.attributes])).toEqual([
        [clean("log"), { [clean("ak")]: clean("av") }],
        ["last", null],
      ]);

      // Query strings: a NUL in a text filter matches what was stored (U+FFFD); in an id it is a 400.
      const byTag = await api.call(`/api/v1/runs?tag=${encodeURIComponent(`tag${NUL}x${FFFD}y`)}`);
      expect(byTag.body.data.map((x: { id: string }) => x.id)).toEqual([runId]);
      const byName = await api.call(`/api/v1/runs?q=${encodeURIComponent(`RUN${NUL}`)}`);
      expect(byName.body.data.map((x: { id: string }) => x.id)).toEqual([runId]);
      expect((await api.call(`/api/v1/runs?name=${encodeURIComponent(`run${NUL}x${NUL}y`)}`)).body.data).toHaveLength(1);
      const badParent = await api.call("/api/v1/runs?parentRunId=a%00b");
      expect(badParent.status).toBe(400);
      expect(badParent.body.error.message).toBe("parentRunId: contains a NUL character (U+0000), which cannot be stored");
      expect((await api.call(`/api/v1/runs/${encodeURIComponent(runId)}/logs?taskId=%00`)).body.error).toMatchObject({ field: "taskId" });
    });

    it("stores a cancel reason with a NUL or lone surrogate as U+FFFD", async () => {
      const runId = uid("cancel-nul");
      const ev = emitter(runId);
      await api.ingest([ev("run.start", 0, { name: "c" }), ev("task.start", 1, { taskId: "t", name: "t" })]);
      const r = await api.call(`/api/v1/runs/${runId}/cancel`, { body: { reason: `stop${NUL}now${LONE}` } });
      expect(r.status).toBe(200);
      expect(r.body.run).toMatchObject({ status: "cancelled", errorMessage: `stop${FFFD}now${FFFD}` });
      const deepBody = await api.call(`/api/v1/runs/${runId}/cancel`, { raw: `{"reason":${deepArrayText(30_000)}}`, method: "POST" });
      expect(deepBody.body.error).toMatchObject({ field: "reason" });
    });

    it("answers path ids that no stored id could be with 400 naming `id`, on every route that takes one", async () => {
      const long = "x".repeat(201);
      const routes = (id: string): [string, string][] => [
        ["GET", `/api/v1/runs/${id}`],
        ["GET", `/api/v1/runs/${id}/logs`],
        ["POST", `/api/v1/runs/${id}/cancel`],
        ["GET", `/api/v1/runs/${id}/stream`],
      ];
      for (const [id, message] of [
        ["a%00b", "id: contains a NUL character (U+0000), which cannot be stored"],
        [long, "id: 201 characters; the limit is 200"],
      ] as const) {
        for (const [method, path] of routes(id)) {
          const r = await api.call(path, { method });
          expect(r.status, `${method} ${path.slice(0, 60)}`).toBe(400);
          expect(r.body.error).toEqual({ code: "invalid_params", field: "id", message });
        }
      }
      // Escapes that do not decode (to UTF-8, or at all): 400 naming the path.
      for (const id of ["%E0%A4%A", "%ED%A0%80", "%FF", "a%2"]) {
        for (const [method, path] of routes(id)) {
          const r = await api.call(path, { method });
          expect(r.status, `${method} ${path}`).toBe(400);
          expect(r.body.error).toEqual({ code: "invalid_params", field: "path", message: "path: not valid percent-encoded UTF-8" });
        }
      }
    });

    it("answers the dashboard's routes and pages for unusable ids without a server error", async () => {
      const get = async (path: string, init: RequestInit = {}) => {
        const res = await fetch(`${api.url}${path}`, init);
        const text = await res.text();
        if (res.status >= 500) throw new Error(`${path}: HTTP ${res.status}\n${text.slice(0, 500)}`);
        return { status: res.status, text };
      };
      expect((await get("/runs/r/tasks/t%00")).text).toContain('"field":"taskId"');
      expect((await get("/runs/r%00/tasks/t")).status).toBe(400);
      expect((await get(`/runs/${"x".repeat(300)}/live`)).status).toBe(400);
      // A dashboard post is checked for its CSRF token before its ids: refused, not a server error.
      expect((await get("/runs/a%00/cancel", { method: "POST" })).status).toBe(403);
      // The run page streams (it has a loading state), so its not-found answer may already be a 200.
      for (const path of ["/runs/a%00b", `/runs/${"y".repeat(300)}`, "/runs/x?task=%00"]) {
        const page = await get(path);
        expect([200, 404], path).toContain(page.status);
        expect(page.text, path).toContain("Run not found");
      }
      for (const path of ["/runs/%E0%A4%A", "/runs/%ED%A0%80", "/runs/x/tasks/%FF", "/overview%E0"]) {
        expect(await get(path), path).toEqual({ status: 400, text: "Bad request: path: not valid percent-encoded UTF-8." });
      }
      for (const query of ["q=%00", "tag=a%00", "cursor=%00", "from=0000-01-01T00:00:00Z", `q=${"z".repeat(5000)}`, "status=%00"]) {
        expect((await get(`/runs?${query}`)).status, query).toBe(200);
      }
    });

    it("answers 400 naming the parameter for out-of-range times, crafted cursors and versions", async () => {
      const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
      const runId = uid("params");
      await api.ingest([emitter(runId)("run.start", 0, { name: "params" })]);
      const cases: [string, string][] = [
        ["/api/v1/runs?from=0000-01-01T00:00:00Z", "from"],
        ["/api/v1/runs?to=0000-12-31T23:59:59Z", "to"],
        [`/api/v1/runs?cursor=${cursor(["2026-01-01T00:00:00Z", "a\u0000"])}`, "cursor"],
        [`/api/v1/runs?before=${cursor(["2026-01-01T00:00:00Z", "\ud800"])}`, "before"],
        [`/api/v1/runs?cursor=${cursor(["0000-06-01T00:00:00Z", "x"])}`, "cursor"],
        [`/api/v1/runs?cursor=${"c".repeat(1001)}`, "cursor"],
        ["/api/v1/runs?limit=1e999", "limit"],
        [`/api/v1/runs?tag=${"t".repeat(201)}`, "tag"],
        [`/api/v1/runs/${runId}/logs?cursor=${cursor([1, "\u0000"])}`, "cursor"],
        [`/api/v1/runs/${runId}/stream?since=-1`, "since"],
        [`/api/v1/runs/${runId}/stream?since=99999999999999999999`, "since"],
      ];
      for (const [path, field] of cases) {
        const r = await api.call(path);
        expect(r.status, path).toBe(400);
        expect(r.body.error, path).toMatchObject({ code: "invalid_params", field });
        expect(r.body.error.message.startsWith(`${field}:`), r.body.error.message).toBe(true);
      }
      expect((await api.call("/api/v1/runs?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z")).status).toBe(200);
    });
  });
}
