import type { ExportTask, RunView } from "@runtrail/db";
import { describe, expect, it } from "vitest";
import { exportStream } from "./export-stream";

const run = { id: "r1", name: "big" } as unknown as RunView;
const task = (i: number): ExportTask => ({
  id: `task-${i}`,
  parentTaskId: null,
  name: `task-${i}`,
  status: "completed",
  input: `{"i": ${i}}`,
  output: null,
  errorMessage: null,
  errorStack: null,
  statusMessage: null,
  progress: null,
  inputTokens: null,
  outputTokens: null,
  costUsd: null,
  seq: i,
  startMs: 0,
  endMs: 1,
  version: 1,
});

/** `pageCount` pages of `size` tasks, counting how many the stream has asked for. */
function pages(pageCount: number, size: number, failAt?: number) {
  const counter = { read: 0, returned: false };
  async function* gen(): AsyncGenerator<ExportTask[]> {
    try {
      for (let p = 0; p < pageCount; p++) {
        counter.read++;
        if (p === failAt) throw Object.assign(new Error("connection lost"), { code: "ECONNRESET" });
        yield Array.from({ length: size }, (_, k) => task(p * size + k));
      }
    } finally {
      counter.returned = true;
    }
  }
  return { gen: gen(), counter };
}

const settle = () => new Promise((r) => setTimeout(r, 20));
const decoder = new TextDecoder();

describe("export stream", () => {
  it("reads a page only when the consumer wants more (one chunk ahead)", async () => {
    const { gen, counter } = pages(1000, 10);
    const reader = exportStream("csv", run, gen).getReader();
    await settle();
    // Nothing read yet has been asked for beyond the read-ahead of one chunk.
    expect(counter.read).toBeLessThanOrEqual(1);
    for (let i = 0; i < 5; i++) await reader.read();
    await settle();
    expect(counter.read).toBeLessThanOrEqual(6);
    await reader.cancel();
    expect(counter.returned).toBe(true);
    expect(counter.read).toBeLessThanOrEqual(6);
  });

  it("writes one JSON document and one CSV row per task across pages", async () => {
    const json = await new Response(exportStream("json", run, pages(7, 3).gen)).text();
    const doc = JSON.parse(json) as { run: { id: string }; tasks: { id: string }[] };
    expect(doc.run.id).toBe("r1");
    expect(doc.tasks.map((t) => t.id)).toEqual(Array.from({ length: 21 }, (_, i) => `task-${i}`));
    const csv = await new Response(exportStream("csv", run, pages(7, 3).gen)).text();
    expect(csv.split("\r\n")).toHaveLength(1 + 21 + 1);
    expect(JSON.parse(await new Response(exportStream("json", run, pages(0, 0).gen)).text())).toEqual({ run: { id: "r1", name: "big" }, tasks: [] });
  });

  it("errors the stream when the store fails part-way, never ending it cleanly", async () => {
    const errors: unknown[] = [];
    const log = console.error;
    console.error = (...a: unknown[]) => errors.push(a);
    try {
      const reader = exportStream("json", run, pages(5, 2, 3).gen).getReader();
      let text = "";
      await expect(
        (async () => {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            text += decoder.decode(value);
          }
        })(),
      ).rejects.toThrow("connection lost");
      expect(text).toContain('"task-5"');
      expect(() => JSON.parse(text)).toThrow();
      expect(String(errors[0])).toContain('export of run "r1" failed part-way');
    } finally {
      console.error = log;
    }
  });
});
