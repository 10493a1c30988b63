/**
 * The URL of project `projectId`'s run `runId`'s timeline after `after`, at `version`:
 * the page preloads it and hands it to the client, which fetches exactly it, so the
 * browser can match the two. Everything the answer depends on is in it (the project
 * too), so the browser can keep an ended run's answer under it.
 */
export function timelineUrl(runId: string, after: string, version: number, projectId: string): string {
  return `/runs/${encodeURIComponent(runId)}/timeline?p=${encodeURIComponent(projectId)}&after=${encodeURIComponent(after)}&v=${version}`;
}

/** The same URL continuing after another cursor (a stream resumed after a dropped connection). */
export function timelineUrlAfter(url: string, after: string): string {
  const u = new URL(url, "http://runtrail.invalid");
  u.searchParams.set("after", after);
  return `${u.pathname}${u.search}`;
}
