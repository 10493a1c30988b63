import { type Db, type ExportPosition, type ExportTask, listExportTasks } from "@runtrail/db";

/**
 * Page sizes of an export: the first page is small (the download starts at once), then
 * each is sized from the last one's bytes to hold about TARGET_BYTES, within MIN..MAX
 * tasks. Tasks of a few hundred bytes come 2,000 at a time; tasks carrying 256 KiB
 * payloads 20 at a time, so a page never holds thousands of large payloads.
 */
export const EXPORT_PAGE = { first: 200, min: 20, max: 2_000, targetBytes: 1 << 20 } as const;

/** Roughly what a task costs in the export (its texts plus the fixed columns). */
function weight(t: ExportTask): number {
  return 200 + t.id.length + t.name.length + (t.input?.length ?? 0) + (t.output?.length ?? 0) + (t.errorMessage?.length ?? 0) + (t.errorStack?.length ?? 0);
}

export function nextPageSize(limit: number, pageBytes: number): number {
  const scaled = Math.round((limit * EXPORT_PAGE.targetBytes) / Math.max(pageBytes, 1));
  return Math.min(EXPORT_PAGE.max, Math.max(EXPORT_PAGE.min, scaled));
}

/**
 * A run's tasks in timeline order, a page per step. Lazy: a page is read when the
 * consumer asks for the next one, so a slow download holds the reads back.
 */
export async function* readExportPages(db: Db, projectId: string, runId: string): AsyncGenerator<ExportTask[]> {
  let after: ExportPosition | null = null;
  let limit: number = EXPORT_PAGE.first;
  for (;;) {
    const page = await listExportTasks(db, projectId, runId, { after, limit });
    yield page.tasks;
    if (!page.next) return;
    after = page.next;
    limit = nextPageSize(limit, page.tasks.reduce((n, t) => n + weight(t), 0));
  }
}
