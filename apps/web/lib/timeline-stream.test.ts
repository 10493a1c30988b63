import type { TimelinePage, TimelineTask } from "@runtrail/db";
import { describe, expect, it } from "vitest";
import { decodeTasks } from "./timeline-codec";
import { type TimelineChunk, timelineStream } from "./timeline-stream";

const task = (i: number): TimelineTask => ({
  id: `t${i}`,
  parentTaskId: null,
  name: `task ${i}`,
  status: "completed",
  errorMessage: null,
  statusMessage: null,
  progress: null,
  inputTokens: null,
  outputTokens: null,
  costUsd: null,
  version: 1,
  seq: i,
  startMs: 1000 + i,
  endMs: 1001 + i,
});
const page = (from: number, to: number, next: string | null): TimelinePage => ({ tasks: Array.from({ length: to - from }, (_, k) => task(from + k)), next });

/** Pages 2 and 3 are read only when `release` is called: what a slow database looks like. */
function slowPages() {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const reads: number[] = [];
  async function* pages(): AsyncGenerator<TimelinePage> {
    reads.push(2);
    await gate;
    yield page(100, 300, "c2");
    reads.push(3);
    yield page(300, 350, null);
  }
  return { pages: pages(), release, reads };
}

const text = (bytes: Uint8Array[]) => Buffer.concat(bytes).toString("utf8");

describe("timeline stream", () => {
  it("writes one chunk a line, reading ahead at most one page", async () => {
    const slow = slowPages();
    const reader = timelineStream(slow.pages, page(0, 100, "c1")).getReader();
    const first = await reader.read();
    const line = JSON.parse(text([first.value as Uint8Array])) as TimelineChunk;
    expect(line.next).toBe("c1");
    expect(decodeTasks("r", line.tasks).map((t) => t.id)).toEqual(Array.from({ length: 100 }, (_, i) => `t${i}`));
    // Page 2 is being read ahead, page 3 is not.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(slow.reads).toEqual([2]);
    slow.release();
    const rest: Uint8Array[] = [];
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest.push(r.value);
    const lines = text(rest).trimEnd().split("\n").map((l) => JSON.parse(l) as TimelineChunk);
    expect(lines.map((l) => l.next)).toEqual(["c2", null]);
    expect(lines.flatMap((l) => decodeTasks("r", l.tasks)).map((t) => t.id)).toEqual(Array.from({ length: 250 }, (_, i) => `t${i + 100}`));
  });

  it("stops reading pages when the client goes away", async () => {
    const slow = slowPages();
    const reader = timelineStream(slow.pages, page(0, 100, "c1")).getReader();
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Cancelled while page 2 is being read: page 3 is never read.
    const cancelled = reader.cancel();
    slow.release();
    await cancelled;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(slow.reads).toEqual([2]);
  });
});
