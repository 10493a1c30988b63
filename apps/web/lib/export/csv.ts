import type { ExportTask } from "@runtrail/db";
import { stringify } from "csv-stringify/sync";

/** The CSV export's columns, in order (the header row). */
export const CSV_COLUMNS = [
  "id",
  "parentTaskId",
  "name",
  "status",
  "startedAt",
  "endedAt",
  "durationMs",
  "statusMessage",
  "progress",
  "inputTokens",
  "outputTokens",
  "costUsd",
  "errorMessage",
  "errorStack",
  "input",
  "output",
] as const;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * RFC 4180 (csv-stringify): CRLF after every record, fields holding a comma, quote or
 * line break quoted, quotes doubled; empty cells for absent values; input and output as
 * their JSON text. `escape_formulas`: a cell starting with = + - @ tab or CR (or their
 * full-width forms) gets a leading `'`, so a spreadsheet shows it instead of running it
 * (OWASP "CSV injection"); numbers we write are never negative, so only text changes.
 */
const OPTIONS = { record_delimiter: "windows", escape_formulas: true, eof: true } as const;

export const CSV_HEADER = stringify([[...CSV_COLUMNS]], OPTIONS);

export function csvRows(tasks: readonly ExportTask[]): string {
  return stringify(
    tasks.map((t) => [
      t.id,
      t.parentTaskId,
      t.name,
      t.status,
      iso(t.startMs),
      iso(t.endMs),
      t.startMs !== null && t.endMs !== null ? Math.max(0, t.endMs - t.startMs) : null,
      t.statusMessage,
      t.progress,
      t.inputTokens,
      t.outputTokens,
      t.costUsd,
      t.errorMessage,
      t.errorStack,
      t.input,
      t.output,
    ]),
    OPTIONS,
  );
}
