import { cancelRunResponse } from "@/lib/api/cancel-run";
import { currentProject, guardRoute } from "@/lib/auth/route-guard";

/**
 * POST /runs/:id/cancel { reason? } (x-csrf-token) → { run }: the run page's Cancel
 * button, for the viewer's current project. Same answers as `/api/v1/runs/:id/cancel`,
 * plus 401 signed out and 403 on a failed CSRF check.
 */
export async function POST(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const guard = await guardRoute(request, { mutation: true });
  if (!guard.ok) return guard.response;
  const { id } = await ctx.params;
  const project = currentProject(guard.viewer, `run ${JSON.stringify(id)}`);
  if (!project.ok) return project.response;
  return cancelRunResponse(request, project.project.id, id);
}
