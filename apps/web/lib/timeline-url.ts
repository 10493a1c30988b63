/**
 * The URL of a run's timeline after `after`, at `version`: built the same way by the
 * page (which preloads it) and the client (which fetches it), so the browser can match
 * the two.
 */
export function timelineUrl(runId: string, after: string, version: number): string {
  return `/runs/${encodeURIComponent(runId)}/timeline?after=${encodeURIComponent(after)}&v=${version}`;
}
