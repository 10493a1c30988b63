/**
 * The server rejects events past its limits (apps/web/lib/ingest/events.ts), and
 * a rejected terminal event leaves its task or run `running` for good. So the
 * SDK cuts what it may cut (texts, names) and refuses at the call what it may
 * not (tags, usage, ids), before anything is recorded.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Runtrail } from "./client.js";
import { InvalidArgumentError } from "./errors.js";
import { fakeIngest, type WireEvent } from "./testing/fake-ingest.js";

const clients: Runtrail[] = [];

function makeClient() {
  const ingest = fakeIngest();
  const client = new Runtrail({ baseUrl: "http://runtrail.test", apiKey: "k", fetch: ingest.fetch, flushIntervalMs: 60_000 });
  clients.push(client);
  return { client, ingest };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.shutdown(100)));
});

const MARKER = "… [truncated]";

function only(events: WireEvent[], type: string): WireEvent {
  const found = events.filter((e) => e.type === type);
  expect(found).toHaveLength(1);
  return found[0] as WireEvent;
}

describe("server limits", () => {
  it("cuts every text field to 65,536 characters, the marker included", async () => {
    const { client, ingest } = makeClient(); // maxValueBytes is 256 KiB: the server's bound is the lower one
    const long = "x".repeat(70_000);
    const run = await client.startRun();
    const failing = await run.startTask("a");
    await failing.fail({ errorMessage: `upstream said: ${long}`, errorStack: long });
    const skipped = await run.startTask("b");
    skipped.update({ statusMessage: long });
    skipped.log(long);
    await skipped.skip({ reason: long });
    run.log(long);
    await run.fail({ errorMessage: long, errorStack: long });
    await client.flush();

    const events = ingest.events();
    const texts = [
      only(events, "task.fail").errorMessage,
      only(events, "task.fail").errorStack,
      only(events, "task.update").statusMessage,
      only(events, "task.log").message,
      only(events, "task.skip").reason,
      only(events, "run.log").message,
      only(events, "run.fail").errorMessage,
      only(events, "run.fail").errorStack,
    ] as string[];
    expect(texts.map((text) => [text.length, text.endsWith(MARKER)])).toEqual(Array(8).fill([65_536, true]));
    expect(texts[0]?.startsWith("upstream said: xxx")).toBe(true);
  });

  it("keeps texts of exactly 65,536 characters, and never splits a surrogate pair", async () => {
    const { client, ingest } = makeClient();
    const run = await client.startRun();
    run.log("y".repeat(65_536));
    const before = 65_536 - MARKER.length - 1;
    run.log(`${"y".repeat(before)}😀${"y".repeat(100)}`); // the cut would fall between the emoji's two halves
    await client.flush();
    const [exact, emoji] = ingest.events().filter((e) => e.type === "run.log").map((e) => e.message as string);
    // Compared as booleans and lengths: a failing comparison of 65,536-character strings prints them whole.
    expect(exact === "y".repeat(65_536)).toBe(true);
    expect(emoji?.length).toBe(65_535);
    expect(emoji === `${"y".repeat(before)}${MARKER}`).toBe(true);
  });

  it("cuts run and task names past 500 characters, the marker included", async () => {
    const { client, ingest } = makeClient();
    const run = await client.startRun({ name: "r".repeat(600) });
    const task = await run.startTask("n".repeat(501));
    const fits = await run.startTask("f".repeat(500));
    await task.complete();
    await fits.complete();
    await client.flush();
    const [runName, taskName, fitting] = ingest
      .events()
      .filter((e) => e.type.endsWith(".start"))
      .map((e) => e.name as string);
    expect(runName).toBe(`${"r".repeat(487)}${MARKER}`); // 487 + 13 = 500
    expect(taskName).toBe(`${"n".repeat(487)}${MARKER}`);
    expect(fitting).toBe("f".repeat(500));
  });

  it("refuses more than 50 tags, or tags of 0 or more than 200 characters, at startRun", async () => {
    const { client, ingest } = makeClient();
    const fifty = Array.from({ length: 50 }, (_, i) => `t${i}`);
    expect(() => client.startRun({ tags: [...fifty, "one too many"] })).toThrow(InvalidArgumentError);
    expect(() => client.startRun({ tags: [...fifty, "one too many"] })).toThrow(/at most 50 tags, got 51/);
    expect(() => client.startRun({ tags: ["ok", ""] })).toThrow(/tags\[1\] must be 1\.\.200 characters, got 0/);
    expect(() => client.startRun({ tags: ["t".repeat(201)] })).toThrow(/tags\[0\]/);
    await client.startRun({ tags: [...fifty.slice(1), "t".repeat(200)] });
    await client.flush();
    expect(ingest.events().map((e) => e.type)).toEqual(["run.start"]); // nothing recorded for the refused calls
    expect(ingest.events()[0]?.tags).toHaveLength(50);
  });

  it("refuses usage numbers above 1e15 before the state changes; fractional token counts go through", async () => {
    const { client, ingest } = makeClient();
    const run = await client.startRun();
    const task = await run.startTask("a");
    expect(() => task.complete({ usage: { inputTokens: 2e15 } })).toThrow(InvalidArgumentError);
    expect(() => task.fail({ errorMessage: "x", usage: { costUsd: 1e15 + 1e3 } })).toThrow(/usage\.costUsd must be at most 1000000000000000/);
    expect(() => run.complete({ usage: { outputTokens: 1e16 } })).toThrow(InvalidArgumentError);
    expect(() => run.fail({ errorMessage: "x", usage: { outputTokens: 1e16 } })).toThrow(InvalidArgumentError);
    expect([task.status, run.status]).toEqual(["running", "running"]);
    await task.complete({ usage: { inputTokens: 12.5, outputTokens: 1e15 } });
    await run.complete();
    await client.flush();
    expect(ingest.events().map((e) => e.type)).toEqual(["run.start", "task.start", "task.complete", "run.complete"]);
    expect(only(ingest.events(), "task.complete").usage).toEqual({ inputTokens: 12.5, outputTokens: 1e15 });
  });

  it("refuses ids longer than 200 characters: client.run(id), parentRunId, parentTaskId", async () => {
    const { client, ingest } = makeClient();
    const long = "i".repeat(201);
    expect(() => client.run(long)).toThrow(InvalidArgumentError);
    expect(() => client.run(long)).toThrow(/at most 200 characters, got 201/);
    expect(() => client.startRun({ parentRunId: long })).toThrow(/parentRunId must be at most 200 characters/);
    const run = await client.startRun({ parentRunId: "p".repeat(200) });
    expect(() => run.startTask("a", undefined, { parentTaskId: long })).toThrow(InvalidArgumentError);
    await run.startTask("b", undefined, { parentTaskId: "q".repeat(200) });
    await client.flush();
    expect(ingest.events().map((e) => e.type)).toEqual(["run.start", "task.start"]);
    expect(ingest.events()[0]?.parentRunId).toHaveLength(200);
  });
});

describe("server limits: depth and unstorable ids", () => {
  it("replaces subtrees nested past 64 levels in input, output, metadata and attributes", async () => {
    const { client, ingest } = makeClient();
    let deep: unknown = { leaf: true };
    for (let i = 0; i < 70; i++) deep = { down: deep };
    const run = await client.startRun({ input: deep, metadata: { m: deep } });
    const task = await run.startTask("a", deep);
    task.log("x", { attributes: { a: deep } });
    await task.complete({ output: [deep] });
    await run.complete({ output: deep });
    await client.flush();
    const events = ingest.events();
    const values = [
      only(events, "run.start").input,
      only(events, "run.start").metadata,
      only(events, "task.start").input,
      only(events, "task.log").attributes,
      only(events, "task.complete").output,
      only(events, "run.complete").output,
    ];
    for (const value of values) {
      const json = JSON.stringify(value);
      expect(json).toContain('{"$truncated":true,"nestedDeeperThan":64}');
      expect(json.split("{").length - 1 + (json.split("[").length - 1)).toBeLessThanOrEqual(64);
    }
  });

  it("refuses ids with a NUL or a lone surrogate at the call", async () => {
    const { client, ingest } = makeClient();
    expect(() => client.run("a\u0000b")).toThrow(/must not contain NUL characters or lone UTF-16 surrogates/);
    expect(() => client.run("\ud800")).toThrow(InvalidArgumentError);
    expect(() => client.startRun({ parentRunId: "x\udfff" })).toThrow(InvalidArgumentError);
    const run = await client.startRun({ parentRunId: "ok \u{1F600}" });
    expect(() => run.startTask("a", undefined, { parentTaskId: "\u0000" })).toThrow(InvalidArgumentError);
    await client.flush();
    expect(ingest.events().map((e) => e.type)).toEqual(["run.start"]);
  });
});
