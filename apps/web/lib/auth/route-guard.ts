import { timingSafeEqual } from "node:crypto";
import type { ProjectRef } from "@runtrail/db";
import { badPathId } from "../api/request-fields";
import { apiError, storeError } from "../api/responses";
import { isSameOrigin } from "../same-origin";
import { requestCookies } from "./cookies";
import { OpenDashboardRefused } from "./local-host";
import { type Viewer, viewerFrom } from "./viewer";

/** Header that carries the page's CSRF token (from `<meta name="csrf-token">`). */
export const CSRF_HEADER = "x-csrf-token";

export type Guarded<T = Viewer> = { ok: true; viewer: T } | { ok: false; response: Response };

export function tokensMatch(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks a state-changing request: sent by our own pages (Origin / Sec-Fetch-Site) and
 * carrying `expected` in the x-csrf-token header. 403 with a message saying which.
 */
export function checkCsrf(request: Request, expected: string): Response | null {
  if (!isSameOrigin(request)) return apiError(403, "cross_site", "refused: this request came from another site");
  const given = request.headers.get(CSRF_HEADER);
  if (!given) return apiError(403, "csrf_missing", `missing CSRF token: send the ${CSRF_HEADER} header with the token of the page (reload the page and try again)`);
  if (!tokensMatch(given, expected)) return apiError(403, "csrf_invalid", "the CSRF token does not match this session: reload the page and try again");
  return null;
}

/**
 * The viewer of a dashboard route (the run page's stream, task and cancel routes,
 * settings), or its answer: 401 without a live session, 403 on a failed CSRF check
 * (`mutation`), 403 when `admin` is needed and the viewer is not one, 403 for the open
 * dashboard reached under a name that is not this machine's.
 */
export async function guardRoute(request: Request, options: { mutation: boolean; admin?: boolean }): Promise<Guarded> {
  let viewer: Viewer | null;
  try {
    viewer = await viewerFrom(requestCookies(request), request.headers);
  } catch (err) {
    if (err instanceof OpenDashboardRefused) return { ok: false, response: apiError(403, "local_only", err.message) };
    return { ok: false, response: storeError(err) };
  }
  if (!viewer) {
    return {
      ok: false,
      response: apiError(401, "unauthenticated", "sign in first: there is no session, or it has expired", { details: { login: "/login" } }),
    };
  }
  if (options.mutation) {
    const refused = checkCsrf(request, viewer.csrfToken);
    if (refused) return { ok: false, response: refused };
  }
  if (options.admin && !viewer.isAdmin) return { ok: false, response: apiError(403, "forbidden", "only an admin may do this") };
  return { ok: true, viewer };
}

/** The project a dashboard route works on: the viewer's current one (404 when they have none). */
export function currentProject(viewer: Viewer, what: string): { ok: true; project: ProjectRef } | { ok: false; response: Response } {
  if (viewer.project) return { ok: true, project: viewer.project };
  return { ok: false, response: apiError(404, "not_found", `${what}: not found (you are not a member of any project)`) };
}

/** A project the viewer may see, by id (another project answers 404 like a missing one). */
export function allowedProject(viewer: Viewer, projectId: unknown): ProjectRef | null {
  return typeof projectId === "string" ? (viewer.projects.find((p) => p.id === projectId) ?? null) : null;
}

/**
 * The project of a run page read route (`/runs/:id/tasks/:taskId`, `/logs`, …): a live
 * session, well-formed path ids (400 naming the one that is not), and the viewer's
 * current project; or the answer that refuses the request.
 */
export async function runRouteProject(
  request: Request,
  ids: Record<string, string>,
): Promise<{ ok: true; projectId: string } | { ok: false; response: Response }> {
  const guard = await guardRoute(request, { mutation: false });
  if (!guard.ok) return guard;
  for (const [field, value] of Object.entries(ids)) {
    const bad = badPathId(value, field);
    if (bad) return { ok: false, response: bad };
  }
  const project = currentProject(guard.viewer, `run ${JSON.stringify(ids.id ?? "")}`);
  return project.ok ? { ok: true, projectId: project.project.id } : project;
}
