import type { ExportTask, RunView } from "@runtrail/db";
import { describeError } from "../api/responses";
import { CSV_HEADER, csvRows } from "./csv";
import { JSON_TAIL, jsonHead, jsonItems } from "./json";

export type ExportFormat = "csv" | "json";

const encoder = new TextEncoder();

/**
 * A run's export as bytes, a page of tasks per chunk. Pull-based: the next page is read
 * from the store only when the consumer has taken the chunk before it (one chunk read
 * ahead, so the next query overlaps the network), so memory holds about two pages
 * whatever the run's size, a slow client slows the reads, and a closed connection stops
 * them. A store failure mid-way errors the stream: the client sees a cut-off download
 * (the status line was already sent), never a complete-looking file.
 */
export function exportStream(format: ExportFormat, run: RunView, pages: AsyncGenerator<ExportTask[]>): ReadableStream<Uint8Array> {
  let started = false;
  let wroteTask = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let step: IteratorResult<ExportTask[]>;
        try {
          step = await pages.next();
        } catch (err) {
          console.error(`runtrail: export of run ${JSON.stringify(run.id)} failed part-way\n${describeError(err)}`);
          controller.error(err);
          return;
        }
        let text = "";
        if (!started) text += format === "csv" ? CSV_HEADER : jsonHead(run);
        started = true;
        if (!step.done) {
          text += format === "csv" ? csvRows(step.value) : jsonItems(step.value, run.id, !wroteTask);
          wroteTask ||= step.value.length > 0;
        } else if (format === "json") text += JSON_TAIL;
        if (text !== "") controller.enqueue(encoder.encode(text));
        if (step.done) controller.close();
      },
      async cancel() {
        // Waits for a page being read to finish; the generator then stops before the next.
        await pages.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );
}
