/** One validated event, as the ingest API hands it to storage (every ingest-*.ts file takes this shape). */
export interface IngestEvent {
  id: string;
  runId: string;
  seq: number;
  type: string;
  taskId: string | null;
  ts: Date;
  payload: Record<string, unknown>;
}
