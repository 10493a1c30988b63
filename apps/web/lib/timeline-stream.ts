import type { TimelinePage } from "@runtrail/db";
import { type EncodedTasks, encodeTasks } from "./timeline-codec";

/** One line of a timeline stream: a chunk of tasks and the cursor after them. */
export interface TimelineChunk {
  tasks: EncodedTasks;
  next: string | null;
}

const encoder = new TextEncoder();

/**
 * Pages of a run's timeline as newline-delimited JSON, one TimelineChunk a line. The
 * next page is read only when the previous line has been taken (pull), so a slow
 * client holds back the reads instead of the server buffering a whole run, and a
 * closed connection stops them.
 */
export function timelineStream(pages: AsyncGenerator<TimelinePage>, first: TimelinePage): ReadableStream<Uint8Array> {
  let pending: TimelinePage | null = first;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let page = pending;
        pending = null;
        if (!page) {
          const step = await pages.next();
          if (step.done) {
            controller.close();
            return;
          }
          page = step.value;
        }
        const chunk: TimelineChunk = { tasks: encodeTasks(page.tasks), next: page.next };
        controller.enqueue(encoder.encode(`${JSON.stringify(chunk)}\n`));
        if (page.next === null) controller.close();
      },
      async cancel() {
        // Waits for a page being read to finish; then the generator stops before the next.
        await pages.return(undefined);
      },
    },
    // One chunk read ahead: the next page's query runs while this one is on the wire.
    { highWaterMark: 1 },
  );
}

