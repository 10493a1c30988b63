import { type FetchLike, LIMITS, Runtrail } from "@runtrail/sdk";
import { describe, expect, it } from "vitest";
import { env } from "../env";
import { eventParser } from "./events";
import { needsSanitizing } from "./sanitize";

/**
 * The SDK must never send what the server refuses: a refused terminal event would
 * leave its task running for good. Whatever a caller records, every event the real
 * SDK puts on the wire passes the server's own validator at its default limits.
 */

describe("SDK and server limits", () => {
  it("are the same numbers", () => {
    const { idChars, nameChars, textChars, tags, tagChars, jsonDepth } = LIMITS;
    expect({ idChars, nameChars, textChars, tags, tagChars, jsonDepth }).toEqual(env.limits);
  });

  it("keep every event the SDK sends for hostile values acceptable to the server", async () => {
    const bodies: string[] = [];
    const fetch: FetchLike = async (_url, init) => {
      bodies.push(init.body ?? "");
      return { status: 200, headers: { get: () => null }, text: async () => '{"results":[]}' };
    };
    const client = new Runtrail({ baseUrl: "http://runtrail.test", apiKey: "k", fetch, flushIntervalMs: 60_000 });

    let deep: unknown = "bottom";
    for (let i = 0; i < 500; i++) deep = i % 2 ? [deep] : { d: deep };
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const huge = { blob: "x".repeat(400 * 1024) };
    const dirty = "nul\u0000 lone\ud800 pair\u{1F600} <img src=x onerror=alert(1)>";
    const longText = `${"é".repeat(70_000)}\ud83d\ude00`;

    const run = await client.startRun({
      name: `${"n".repeat(600)}${dirty}`,
      input: deep,
      metadata: { [dirty]: deep, huge },
      tags: [dirty, "t".repeat(200)],
    });
    const task = await run.startTask(dirty, { cyclic, big: 10n });
    task.update({ statusMessage: longText, progress: 0.5 });
    task.log(longText, { level: "warn", attributes: { deep, [dirty]: dirty } });
    await task.fail({ errorMessage: longText, errorStack: longText, output: deep });
    const skipped = await run.startTask("s".repeat(501), huge);
    await skipped.skip({ reason: longText });
    const done = await run.startTask("done");
    await done.complete({ output: [deep, huge, dirty] });
    run.log(dirty, { attributes: { deep } });
    await run.fail({ errorMessage: longText, errorStack: longText, output: deep });
    await client.shutdown(5_000);

    const parse = eventParser(env.limits);
    const events = bodies.flatMap((body) => (JSON.parse(body) as { batch: unknown[] }).batch.map((event) => ({ event, dirty: needsSanitizing(body) })));
    expect(events.map(({ event }) => (event as { type: string }).type)).toEqual([
      "run.start",
      "task.start",
      "task.update",
      "task.log",
      "task.fail",
      "task.start",
      "task.skip",
      "task.start",
      "task.complete",
      "run.log",
      "run.fail",
    ]);
    const refused = events.flatMap(({ event, dirty }, i) => {
      const parsed = parse(event, i, dirty);
      return parsed.ok ? [] : [parsed.error];
    });
    expect(refused).toEqual([]);
  });
});
