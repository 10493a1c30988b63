import { readBody } from "@/lib/api/body";
import { apiError, json } from "@/lib/api/responses";
import { setCookie } from "@/lib/auth/cookies";
import { allowedProject, guardRoute } from "@/lib/auth/route-guard";

/** POST /auth/project { projectId } (x-csrf-token) → { project }: the project the dashboard shows from now on. */
export async function POST(request: Request): Promise<Response> {
  const guard = await guardRoute(request, { mutation: true });
  if (!guard.ok) return guard.response;
  const body = await readBody(request, 4096);
  if (!body.ok) return body.response;
  let projectId: unknown;
  try {
    projectId = (JSON.parse(body.text) as { projectId?: unknown })?.projectId;
  } catch {
    return apiError(400, "invalid_body", "body: must be JSON { projectId }", { field: "body" });
  }
  const project = allowedProject(guard.viewer, projectId);
  if (!project) return apiError(404, "not_found", `projectId: no project ${JSON.stringify(projectId)} that you can see`, { field: "projectId" });
  const res = json({ project });
  res.headers.append("set-cookie", setCookie(request, "project", project.id, { maxAgeS: 365 * 86_400 }));
  return res;
}
