import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Runtrail } from "./client.js";
import type { RuntrailOptions } from "./config.js";
import { InvalidArgumentError } from "./errors.js";
import { fakeIngest, type Reply, type WireEvent } from "./testing/fake-ingest.js";

const clients: Runtrail[] = [];

function makeClient(options: RuntrailOptions = {}, decide?: (batch: WireEvent[], call: number) => Reply | undefined) {
  const ingest = fakeIngest(decide);
  const client = new Runtrail({
    baseUrl: "http://runtrail.test",
    apiKey: "k",
    fetch: ingest.fetch,
    flushIntervalMs: 60_000,
    heartbeatIntervalMs: 1000,
    ...options,
  });
  clients.push(client);
  return { client, ingest };
}

function heartbeats(events: WireEvent[], runId?: string): WireEvent[] {
  return events.filter((e) => e.type === "run.heartbeat" && (runId === undefined || e.runId === runId));
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(clients.splice(0).map((client) => client.shutdown(100)));
  vi.restoreAllMocks();
});

describe("heartbeats", () => {
  it("go to open runs idle since the last tick, as bare envelopes, and stop when runs end", async () => {
    vi.useFakeTimers();
    const { client, ingest } = makeClient();
    const a = await client.startRun({ name: "a" });
    const b = await client.startRun({ name: "b" });
    await client.flush();
    await vi.advanceTimersByTimeAsync(1000); // both just recorded run.start: nothing
    await client.flush();
    expect(heartbeats(ingest.events())).toHaveLength(0);

    await vi.advanceTimersByTimeAsync(500);
    await a.startTask("busy");
    await client.flush();
    await vi.advanceTimersByTimeAsync(500); // a recorded something, b did not
    await client.flush();
    expect(heartbeats(ingest.events()).map((e) => e.runId)).toEqual([b.id]);
    const [beat] = heartbeats(ingest.events());
    expect(Object.keys(beat ?? {}).sort()).toEqual(["id", "runId", "seq", "ts", "type"]);

    await vi.advanceTimersByTimeAsync(1000); // both idle
    await client.flush();
    expect(heartbeats(ingest.events(), a.id)).toHaveLength(1);
    expect(heartbeats(ingest.events(), b.id)).toHaveLength(2);

    await a.complete();
    await client.flush();
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(1000);
      await client.flush();
    }
    expect(heartbeats(ingest.events(), a.id)).toHaveLength(1); // none after the run ended
    expect(heartbeats(ingest.events(), b.id)).toHaveLength(5); // its own heartbeat does not count as activity

    await b.fail({ errorMessage: "x" });
    await client.flush();
    const before = ingest.events().length;
    await vi.advanceTimersByTimeAsync(5000);
    await client.flush();
    expect(ingest.events()).toHaveLength(before);
    const seqs = ingest.events().filter((e) => e.runId === b.id).map((e) => e.seq);
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
  });

  it("are skipped while delivery is stalled, so a dead server does not fill the queue with them", async () => {
    vi.useFakeTimers();
    const { client } = makeClient({ requestTimeoutMs: 600_000 }, () => "hang");
    await client.startRun();
    await client.startRun();
    await vi.advanceTimersByTimeAsync(10_000); // ten ticks, the first batch never answered
    const flushing = client.flush(10);
    await vi.advanceTimersByTimeAsync(10);
    expect((await flushing).pending).toBe(2);
  });

  it("still reach an idle run while another run keeps the queue busy but moving", async () => {
    vi.useFakeTimers();
    const { client, ingest } = makeClient();
    const busy = await client.startRun({ name: "busy" });
    const idle = await client.startRun({ name: "idle" });
    await client.flush();
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(900);
      await client.flush();
      busy.log(`step ${i}`); // queued, not yet sent, when the tick comes
      await vi.advanceTimersByTimeAsync(100);
    }
    await client.flush();
    expect(heartbeats(ingest.events(), idle.id).length).toBeGreaterThanOrEqual(2);
    expect(heartbeats(ingest.events(), busy.id)).toHaveLength(0);
  });

  it("run on one unref'd timer that exists only while runs are open", async () => {
    const setIntervalSpy = vi.spyOn(globalThis, "setInterval");
    const clearIntervalSpy = vi.spyOn(globalThis, "clearInterval");
    const { client } = makeClient({ heartbeatIntervalMs: 5000 });
    const beats = () => setIntervalSpy.mock.calls.filter((call) => call[1] === 5000);
    expect(beats()).toHaveLength(0);
    const a = await client.startRun();
    const b = await client.startRun();
    expect(beats()).toHaveLength(1);
    const timer = setIntervalSpy.mock.results[setIntervalSpy.mock.calls.findIndex((call) => call[1] === 5000)]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    await a.complete();
    expect(clearIntervalSpy).not.toHaveBeenCalledWith(timer);
    await b.complete();
    expect(clearIntervalSpy).toHaveBeenCalledWith(timer);
    await client.startRun();
    expect(beats()).toHaveLength(2);
  });

  it("heartbeatIntervalMs: 0 turns them off and declares no timeout unless one is given", async () => {
    vi.useFakeTimers();
    const { client, ingest } = makeClient({ heartbeatIntervalMs: 0 });
    await client.startRun();
    await vi.advanceTimersByTimeAsync(30_000);
    await client.flush();
    expect(ingest.events().map((e) => e.type)).toEqual(["run.start"]);
    expect(ingest.events()[0]).not.toHaveProperty("heartbeatTimeoutMs");
    const other = makeClient({ heartbeatIntervalMs: 0, heartbeatTimeoutMs: 3_600_000 });
    await other.client.startRun();
    await other.client.flush();
    expect(other.ingest.events()[0]?.heartbeatTimeoutMs).toBe(3_600_000);
  });

  it("rejects timeouts the server would refuse or that heartbeats cannot keep alive", () => {
    const base = { apiKey: "k", fetch: fakeIngest().fetch };
    expect(() => new Runtrail({ ...base, heartbeatTimeoutMs: 999 })).toThrow(InvalidArgumentError);
    expect(() => new Runtrail({ ...base, heartbeatTimeoutMs: 604_800_001 })).toThrow(/1000..604800000/);
    expect(() => new Runtrail({ ...base, heartbeatIntervalMs: 60_000 })).toThrow(/longer than heartbeatIntervalMs/);
    expect(() => new Runtrail({ ...base, heartbeatIntervalMs: -1 })).toThrow(/heartbeatIntervalMs must be a number >= 0/);
  });
});

const distEntry = fileURLToPath(new URL("../dist/index.js", import.meta.url));

/**
 * A long-lived service whose handlers start a run per request; some throw before
 * finishing theirs. Runs in a child with --expose-gc; prints one JSON line.
 */
const ABANDONED = `
import { Runtrail } from "SDK_URL";
const beats = new Map();
const fetch = async (_url, init) => {
  for (const event of JSON.parse(init.body).batch) {
    if (event.type === "run.heartbeat") beats.set(event.runId, (beats.get(event.runId) ?? 0) + 1);
  }
  return { status: 200, headers: { get: () => null }, text: async () => '{"results":[],"accepted":0,"duplicates":0,"conflicts":0,"rejected":0}' };
};
const client = new Runtrail({ apiKey: "k", fetch, flushIntervalMs: 10, heartbeatIntervalMs: 100, heartbeatTimeoutMs: 1000 });
const kept = await client.startRun({ name: "kept" });
// Of this run only a task is kept (a long call in progress): the run is still reachable through it.
const keptTask = await (await client.startRun({ name: "task kept" })).startTask("long call");
async function handle() {
  const run = await client.startRun({ name: "request" });
  const again = await client.run(run.id); // a second handle on the same run
  await again.startTask("step");
  return run.id; // then the handler throws: neither handle is finished nor kept
}
const abandoned = [];
for (let i = 0; i < 100; i++) abandoned.push(await handle());
const keptId = kept.id;
const before = client["openRuns"].size;
await client.flush();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
for (let i = 0; i < 3; i++) {
  await sleep(0);
  globalThis.gc();
}
await sleep(0);
const afterGc = client["openRuns"].size;
beats.clear();
await sleep(450); // four ticks
await client.flush();
const abandonedBeats = abandoned.reduce((sum, id) => sum + (beats.get(id) ?? 0), 0);
console.log(JSON.stringify({ before, afterGc, abandonedBeats, keptBeats: beats.get(keptId) ?? 0, taskRunBeats: beats.get(keptTask.runId) ?? 0, keptStatus: kept.status, size: client["openRuns"].size }));
await keptTask.complete();
await client.shutdown();
`;

function runWithGc(source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = source.replace("SDK_URL", pathToFileURL(distEntry).href);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe.skipIf(!existsSync(distEntry))("abandoned runs (child process with --expose-gc; needs dist)", () => {
  it("once no handle on a run is reachable, it is no longer heartbeated and leaves the open set", async () => {
    const result = await runWithGc(ABANDONED);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout.trim()) as Record<string, unknown>;
    expect(report).toMatchObject({ before: 102, afterGc: 2, abandonedBeats: 0, keptStatus: "running", size: 2 });
    // The run whose only live handle is a task is still open, and still heartbeated.
    expect(report.keptBeats).toBeGreaterThanOrEqual(2);
    expect(report.taskRunBeats).toBe(report.keptBeats);
  });
});
