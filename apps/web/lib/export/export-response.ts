import { type Db, getRunOnly } from "@runtrail/db";
import { apiError, storeError } from "../api/responses";
import { readExportPages } from "./export-pages";
import { type ExportFormat, exportStream } from "./export-stream";

const TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8; header=present",
  json: "application/json; charset=utf-8",
};

/** A file name from a run id, which may hold anything: letters, digits, `.`, `_` and `-` kept. */
export function exportFileName(runId: string, format: ExportFormat): string {
  const safe = runId.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 100);
  return `runtrail-run-${safe || "export"}.${format}`;
}

/**
 * The answer of both export routes (API key or dashboard session; the caller found the
 * project): 400 for a format that is not csv or json, 404 for a run the project does
 * not have, else the tasks streamed as an attachment.
 */
export async function exportRunResponse(db: () => Promise<Db>, projectId: string, runId: string, query: URLSearchParams): Promise<Response> {
  const format = query.get("format") ?? "json";
  if (format !== "csv" && format !== "json") {
    return apiError(400, "invalid_params", `format: must be csv or json, got ${JSON.stringify(format)}`, { field: "format" });
  }
  try {
    const store = await db();
    const run = await getRunOnly(store, projectId, runId);
    if (!run) return apiError(404, "not_found", `run ${JSON.stringify(runId)} not found`);
    return new Response(exportStream(format, run, readExportPages(store, projectId, runId)), {
      headers: {
        "content-type": TYPES[format],
        "content-disposition": `attachment; filename="${exportFileName(runId, format)}"`,
        "cache-control": "no-store",
      },
    });
  } catch (err) {
    return storeError(err);
  }
}
