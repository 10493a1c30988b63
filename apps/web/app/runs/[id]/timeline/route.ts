import { createHash } from "node:crypto";
import { getRunOnly, InvalidTimelineCursorError, readTimeline } from "@runtrail/db";
import { badPathId } from "@/lib/api/request-fields";
import { apiError, storeError } from "@/lib/api/responses";
import { allowedProject, guardRoute } from "@/lib/auth/route-guard";
import { getDb } from "@/lib/store";
import { timelineStream } from "@/lib/timeline-stream";

/**
 * GET /runs/:id/timeline?p=<project>&after=<cursor>[&v=<version>] → the run's tasks after `after`
 * (the `next` of the page's first tasks), in timeline order, as newline-delimited JSON
 * chunks of compactly encoded tasks (lib/timeline-codec.ts), growing from 2,000 to
 * 25,000 tasks. How the run page loads a big run after its first screen.
 *
 * When `v` is the run's version and the run has ended, the answer is what that version
 * of the run holds: it carries an ETag, and a revisit (same URL) asks again with
 * If-None-Match and gets a 304 after the session check and one run-row read. It is
 * `private, no-cache`, never a long-lived copy: the browser must ask the server (which
 * wants a live session) before it shows it again, and sign-out sends `Clear-Site-Data:
 * "cache"` (app/auth/logout). `Vary: Cookie` keeps another session from reading it. A
 * running run's answer is never stored. `p` is the project the page was rendered for
 * (one the viewer may see; without it, the viewer's current project), so switching
 * project in another tab does not break a page still loading. 401 when signed out.
 */
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  const guard = await guardRoute(request, { mutation: false });
  if (!guard.ok) return guard.response;
  const badId = badPathId(id, "id");
  if (badId) return badId;
  const query = new URL(request.url).searchParams;
  const p = query.get("p");
  const project = p === null ? guard.viewer.project : allowedProject(guard.viewer, p);
  if (!project) return apiError(404, "not_found", `run ${JSON.stringify(id)} not found`);
  const after = query.get("after") ?? undefined;
  const v = query.get("v");
  if (v !== null && !/^\d{1,15}$/.test(v)) {
    return apiError(400, "invalid_params", `v: must be a run version (an integer >= 0), got ${JSON.stringify(v)}`, { field: "v" });
  }
  try {
    const db = await getDb();
    const run = await getRunOnly(db, project.id, id);
    if (!run) return apiError(404, "not_found", `run ${JSON.stringify(id)} not found`);
    const cacheable = v === String(run.version) && run.status !== "running";
    // The URL may leave the project implicit (the viewer's current one): the ETag names it.
    const etag = `"${run.version}-${createHash("sha256").update(project.id).digest("base64url").slice(0, 12)}"`;
    const revalidate = { "cache-control": "private, no-cache", etag, vary: "cookie", "x-run-version": String(run.version) };
    if (cacheable && request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers: revalidate });
    const pages = readTimeline(db, project.id, id, { after });
    // The first page is read before answering, so a bad cursor is a 400, not a broken stream.
    const first = await pages.next();
    if (first.done) throw new Error("readTimeline ended without a page");
    return new Response(timelineStream(pages, first.value), {
      headers: {
        // text/…: Next compresses only types it knows to be compressible (application/x-ndjson
        // is not among them) and flushes its gzip after each chunk we write, so every line
        // reaches the browser whole as soon as it is made. A timeline gzips about 6:1.
        "content-type": "text/x-ndjson; charset=utf-8",
        ...(cacheable ? revalidate : { "cache-control": "no-store", vary: "cookie", "x-run-version": String(run.version) }),
      },
    });
  } catch (err) {
    if (err instanceof InvalidTimelineCursorError) return apiError(400, "invalid_cursor", err.message, { field: "after" });
    return storeError(err);
  }
}
