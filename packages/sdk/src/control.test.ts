/**
 * Cancellation reaching the process (`run.signal`) and resuming runs by id
 * (`client.run(id)`), against the node:http fake of the API.
 */
import { afterEach, describe, expect, it } from "vitest";
import { vi } from "vitest";
import { Runtrail } from "./client.js";
import type { RuntrailOptions } from "./config.js";
import { RunAlreadyFinishedError, RunCancelledError, RunNotFoundError, RuntrailError } from "./errors.js";
import { type FakeApi, startFakeApi } from "./testing/fake-api.js";
import { acceptAll, fakeIngest } from "./testing/fake-ingest.js";

const clients: Runtrail[] = [];
const servers: FakeApi[] = [];

async function setup(options: RuntrailOptions = {}) {
  const api = await startFakeApi();
  servers.push(api);
  const client = connect(api, options);
  return { api, client };
}

function connect(api: FakeApi, options: RuntrailOptions = {}): Runtrail {
  const client = new Runtrail({ baseUrl: api.url, apiKey: "k", flushIntervalMs: 20, heartbeatIntervalMs: 50, ...options });
  clients.push(client);
  return client;
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.shutdown(200)));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe("cancellation", () => {
  it("aborts run.signal from an ingest answer; finishing the run is then a no-op, its tasks still report", async () => {
    const { api, client } = await setup();
    const run = await client.startRun({ name: "crawl" });
    const task = await run.startTask("fetch");
    const aborted = vi.fn();
    run.signal.addEventListener("abort", aborted);
    await client.flush();

    const cancelled = await client.runs.cancel(run.id, { reason: "user asked" });
    expect(cancelled.status).toBe("cancelled");
    // The next batch (a heartbeat, as the run is idle) brings the news.
    await vi.waitFor(() => expect(run.signal.aborted).toBe(true), { timeout: 3000 });
    expect(aborted).toHaveBeenCalledTimes(1);
    const reason = run.signal.reason as RunCancelledError;
    expect(reason).toBeInstanceOf(RunCancelledError);
    expect(reason).toMatchObject({ code: "run_cancelled", runId: run.id, reason: "user asked" });
    expect(run.status).toBe("cancelled");

    await expect(run.complete({ output: 1 })).resolves.toBeUndefined();
    await expect(run.fail({ errorMessage: "late" })).resolves.toBeUndefined();
    expect(() => run.startTask("more")).toThrow(RunAlreadyFinishedError);
    expect(() => run.startTask("more")).toThrow(expect.objectContaining({ status: "cancelled" }));
    await task.complete({ output: "partial" });
    run.log("cleanup done");
    await client.flush();
    const heartbeatsAtCancel = api.events.filter((e) => e.type === "run.heartbeat").length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    await client.flush();

    const types = api.events.map((e) => e.type);
    expect(types).not.toContain("run.complete");
    expect(types).not.toContain("run.fail");
    expect(types).toContain("task.complete");
    expect(types).toContain("run.log");
    expect(api.events.filter((e) => e.type === "run.heartbeat")).toHaveLength(heartbeatsAtCancel);
  });

  it("ignores cancelledRuns for runs that are not open here", async () => {
    let cancelNext: string | undefined;
    const ingest = fakeIngest((batch) => {
      const runId = cancelNext;
      return runId === undefined ? undefined : { status: 200, body: acceptAll(batch, [{ runId }, { runId: "someone-else" }]) };
    });
    const client = new Runtrail({ apiKey: "k", fetch: ingest.fetch, flushIntervalMs: 60_000 });
    clients.push(client);
    const done = await client.startRun();
    await done.complete();
    const open = await client.startRun();
    cancelNext = done.id;
    open.log("x");
    await client.flush();
    expect([done.status, open.status, open.signal.aborted]).toEqual(["completed", "running", false]);
    cancelNext = open.id;
    open.log("y");
    await client.flush();
    expect(open.status).toBe("cancelled");
    expect((open.signal.reason as RunCancelledError).reason).toBeUndefined();
  });
});

describe("recording on a cancelled run", () => {
  it("startTask throws the run's own RunCancelledError, a RunAlreadyFinishedError; complete stays a no-op", async () => {
    let cancel: string | undefined;
    const ingest = fakeIngest((batch) => (cancel === undefined ? undefined : { status: 200, body: acceptAll(batch, [{ runId: cancel, reason: "superseded" }]) }));
    const client = new Runtrail({ apiKey: "k", fetch: ingest.fetch, flushIntervalMs: 60_000 });
    clients.push(client);
    const run = await client.startRun();
    const task = await run.startTask("outer");
    cancel = run.id;
    await client.flush();
    expect(run.status).toBe("cancelled");

    const thrown = [() => run.startTask("more"), () => task.startTask("nested")].map((call) => {
      try {
        call();
      } catch (err) {
        return err;
      }
      return undefined;
    });
    expect(thrown[0]).toBe(run.signal.reason);
    expect(thrown[1]).toBe(run.signal.reason);
    expect(thrown[0]).toBeInstanceOf(RunCancelledError);
    expect(thrown[0]).toBeInstanceOf(RunAlreadyFinishedError);
    expect(thrown[0]).toMatchObject({ code: "run_cancelled", status: "cancelled", runId: run.id, reason: "superseded" });
    await expect(run.complete()).resolves.toBeUndefined();
    await task.complete(); // a task may still finish
  });

  it("a run resumed while cancelled throws its signal's reason too", async () => {
    const { api, client } = await setup();
    api.addRun({ id: "stopped", status: "cancelled" });
    const stopped = await client.run("stopped");
    expect(() => stopped.startTask("x")).toThrow(RunCancelledError);
    expect(() => stopped.startTask("x")).toThrow(stopped.signal.reason as RunCancelledError);
  });
});

describe("client.run(id)", () => {
  it("resumes a run recorded elsewhere: its events sort after everything stored", async () => {
    const { api, client: first } = await setup();
    const run = await first.startRun({ name: "pipeline" });
    await (await run.startTask("extract")).complete();
    await first.flush();
    const stored = api.runs.get(run.id);
    if (stored === undefined) throw new Error("run not stored");
    stored.lastSeq += 3_600_000_000; // the first process's clock ran an hour ahead

    const second = connect(api);
    const resumed = await second.run(run.id);
    expect([resumed.id, resumed.name, resumed.status]).toEqual([run.id, "pipeline", "running"]);
    const get = api.requests.find((r) => r.method === "GET");
    expect(get?.path).toBe(`/api/v1/runs/${run.id}`);
    expect(get?.query.get("tasks")).toBe("false");
    const lastSeq = stored.lastSeq;
    await (await resumed.startTask("load")).complete();
    await resumed.complete();
    await second.flush();
    const recorded = api.events.filter((e) => e.runId === run.id && e.type !== "run.heartbeat");
    const mine = recorded.slice(3);
    expect(mine.map((e) => e.type)).toEqual(["task.start", "task.complete", "run.complete"]);
    expect(mine[0]?.seq).toBe(lastSeq + 1);
    expect(api.runs.get(run.id)?.status).toBe("completed");
  });

  it("shares state with a run this client already has open", async () => {
    const { api, client } = await setup();
    const run = await client.startRun();
    const requests = api.requests.length;
    const again = await client.run(run.id);
    expect(api.requests.length).toBe(requests);
    await again.startTask("a");
    await run.startTask("b");
    await again.complete();
    expect(run.status).toBe("completed");
    expect(() => run.complete()).toThrow(RunAlreadyFinishedError);
    await client.flush();
    const seqs = api.events.filter((e) => e.runId === run.id && e.type !== "run.heartbeat").map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(4);
  });

  it("gives finished runs their status: startTask and complete throw, a cancelled one is already aborted", async () => {
    const { api, client } = await setup();
    api.addRun({ id: "done", name: "old", status: "completed", lastSeq: 10 });
    api.addRun({ id: "stopped", status: "cancelled" });
    const done = await client.run("done");
    expect(done.status).toBe("completed");
    expect(() => done.startTask("x")).toThrow(RunAlreadyFinishedError);
    expect(() => done.complete()).toThrow(RunAlreadyFinishedError);
    const stopped = await client.run("stopped");
    expect(stopped.signal.aborted).toBe(true);
    expect(stopped.signal.reason).toBeInstanceOf(RunCancelledError);
    await expect(stopped.complete()).resolves.toBeUndefined();
    await client.flush();
    expect(api.events).toHaveLength(0);
  });

  it("rejects with RunNotFoundError on 404", async () => {
    const { client } = await setup();
    const error = await client.run("nope").catch((err: unknown) => err);
    expect(error).toBeInstanceOf(RunNotFoundError);
    expect(error).toMatchObject({ code: "run_not_found", runId: "nope" });
  });

  it("heartbeats a resumed open run and aborts its signal when it is cancelled", async () => {
    const { api, client } = await setup();
    api.addRun({ id: "live", status: "running", lastSeq: 5 });
    const run = await client.run("live");
    await vi.waitFor(() => expect(api.events.some((e) => e.type === "run.heartbeat" && e.runId === "live")).toBe(true), {
      timeout: 3000,
    });
    const stored = api.runs.get("live");
    if (stored !== undefined) stored.status = "cancelled";
    await vi.waitFor(() => expect(run.signal.aborted).toBe(true), { timeout: 3000 });
    expect(run.status).toBe("cancelled");
  });

  it("on a disabled client answers a local handle, and client.runs rejects", async () => {
    const client = new Runtrail({ enabled: false });
    const run = await client.run("any-id");
    expect([run.id, run.status]).toEqual(["any-id", "running"]);
    await (await run.startTask("t")).complete();
    await expect(client.runs.get("any-id")).rejects.toMatchObject({ code: "disabled" });
    await expect(client.runs.get("any-id")).rejects.toBeInstanceOf(RuntrailError);
  });
});
