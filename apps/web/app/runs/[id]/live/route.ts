import { runStreamResponse } from "@/lib/live/stream-response";
import { currentProject, guardRoute } from "@/lib/auth/route-guard";
import { requestCookies } from "@/lib/auth/cookies";
import { viewerFrom } from "@/lib/auth/viewer";

/**
 * GET /runs/:id/live[?since=<version>] → the run page's live updates: the event stream
 * of `/api/v1/runs/:id/stream?payloads=false` for the viewer's current project, so task
 * and run summaries (what the page draws; the task panel fetches a task's payloads when
 * it is opened) and the whole run in `end`. The session is checked again every 30 s:
 * signing out (or its expiry) ends the stream.
 */
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const guard = await guardRoute(request, { mutation: false });
  if (!guard.ok) return guard.response;
  const { id } = await ctx.params;
  const project = currentProject(guard.viewer, `run ${JSON.stringify(id)}`);
  if (!project.ok) return project.response;
  const projectId = project.project.id;
  const stillAllowed = async () => {
    const again = await viewerFrom(requestCookies(request), request.headers);
    return again?.projects.some((p) => p.id === projectId) ?? false;
  };
  return runStreamResponse(request, projectId, id, stillAllowed, false);
}
