import type { TaskSummaryView } from "@runtrail/db";
import { taskDecoder } from "@/lib/timeline-codec";
import type { TimelineChunk } from "@/lib/timeline-stream";
import { timelineUrlAfter } from "@/lib/timeline-url";

/** A dropped stream is resumed from its last chunk this many times, this far apart (× attempt). */
const RETRIES = 3;
const RETRY_MS = 1000;

class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/** Tasks decoded between two yields to the browser: a few milliseconds of work. */
const DECODE_SLICE = 4000;

/** Lets the browser paint and handle input before the next piece of work. */
function yieldToBrowser(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
}

/** Decodes a chunk in slices, yielding to the browser between them. */
async function decodeChunk(runId: string, line: string): Promise<{ tasks: TaskSummaryView[]; next: string | null }> {
  const chunk = JSON.parse(line) as TimelineChunk;
  const decoder = taskDecoder(runId, chunk.tasks);
  let tasks: TaskSummaryView[] = [];
  while (!decoder.done) {
    tasks = tasks.concat(decoder.take(DECODE_SLICE));
    if (!decoder.done) await yieldToBrowser();
  }
  return { tasks, next: chunk.next };
}

/** Calls `onLine` with each complete line of a streamed body, as it arrives, one at a time. */
async function readLines(body: ReadableStream<Uint8Array>, onLine: (line: string) => Promise<void>): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  // A line is up to ~1 MB: keep its pieces and join them once, not once per network packet.
  let pieces: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
    let from = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", from)) {
      pieces.push(text.slice(from, nl));
      await onLine(pieces.join(""));
      pieces = [];
      from = nl + 1;
    }
    if (from < text.length) pieces.push(text.slice(from));
    if (done) break;
  }
  if (pieces.join("").trim() !== "") throw new Error("the timeline stream ended inside a chunk");
}

/**
 * Streams the tasks of `runId` from `url` (the page's `/runs/:id/timeline?…`, fetched as
 * given so a preload of it is taken over) and hands each chunk to `onTasks` decoded, as
 * it arrives. A connection that drops (or a 5xx) resumes after the last chunk received.
 * Resolves once the last chunk is in; rejects when aborted or out of retries.
 */
export async function loadTimeline(runId: string, url: string, onTasks: (tasks: TaskSummaryView[]) => void, signal: AbortSignal): Promise<void> {
  let next: string | null = url;
  let attempt = 0;
  while (next !== null) {
    const from: string = next;
    try {
      const res = await fetch(from, { signal });
      if (!res.ok || !res.body) throw new HttpError(res.status);
      await readLines(res.body, async (line) => {
        const chunk = await decodeChunk(runId, line);
        onTasks(chunk.tasks);
        next = chunk.next === null ? null : timelineUrlAfter(url, chunk.next);
        attempt = 0;
      });
      if (next === from) throw new Error("the timeline stream ended before its first chunk");
      if (next !== null) throw new Error("the timeline stream ended before its last chunk");
    } catch (err) {
      const permanent = err instanceof HttpError && err.status < 500;
      if (signal.aborted || permanent || attempt >= RETRIES) throw err;
      attempt += 1;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS * attempt));
    }
  }
}
