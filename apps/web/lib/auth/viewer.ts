import { randomBytes } from "node:crypto";
import { type ActiveSession, type Db, DEFAULT_PROJECT_ID, findSession, instanceValue, listProjects, type ProjectRef, type UserRole } from "@runtrail/db";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { env } from "../env";
import { processPromise } from "../process-singleton";
import { getDb } from "../store";
import { readCookie } from "./cookies";
import { assertLocalRequest, OpenDashboardRefused } from "./local-host";
import { type AuthMode, authMode } from "./mode";
import { loginHref } from "./next-path";

/**
 * Who is looking, and at which project: the one answer every page and dashboard route
 * asks for (instead of a fixed project id). API routes use their Bearer key instead.
 */
export interface Viewer {
  mode: AuthMode;
  /** Null in open mode (no users: loopback only, no login). */
  user: { id: string; email: string; role: UserRole } | null;
  sessionId: string | null;
  /** Admins, and everyone in open mode, see every project and manage them. */
  isAdmin: boolean;
  /** Projects this viewer may see, by name. */
  projects: ProjectRef[];
  /** The one shown: the project cookie when allowed, else the default project, else the first. Null for a member of no project. */
  project: ProjectRef | null;
  /** Sent back with every state-changing request (x-csrf-token). */
  csrfToken: string;
}

export const SESSION_TIMES = {
  maxAgeMs: env.sessionMaxAgeMs,
  idleMs: env.sessionIdleMs,
  // last_seen_at moves at most once a minute (sooner for short idle timeouts in tests).
  touchMs: Math.min(60_000, Math.floor(env.sessionIdleMs / 4)),
};

/** The open dashboard's CSRF token: one per installation, kept in the database so replicas agree; read once per process. */
export function openCsrfToken(db: Db): Promise<string> {
  return processPromise("open-csrf", () => instanceValue(db, "open-dashboard-csrf", () => randomBytes(32).toString("base64url")));
}

function pick(projects: ProjectRef[], wanted: string | undefined): ProjectRef | null {
  return projects.find((p) => p.id === wanted) ?? projects.find((p) => p.id === DEFAULT_PROJECT_ID) ?? projects[0] ?? null;
}

/**
 * The viewer for a request's cookie jar and headers, or null when a login is needed and
 * there is no live session. Throws OpenDashboardRefused for an open-mode request that did
 * not come to this machine by a local name (see local-host.ts).
 */
export async function viewerFrom(get: (name: string) => string | undefined, requestHeaders: Headers): Promise<Viewer | null> {
  const db = await getDb();
  const mode = await authMode(db);
  const wanted = readCookie(get, "project");
  if (mode === "open") {
    assertLocalRequest(requestHeaders);
    const projects = await listProjects(db);
    return { mode, user: null, sessionId: null, isAdmin: true, projects, project: pick(projects, wanted), csrfToken: await openCsrfToken(db) };
  }
  const token = readCookie(get, "session");
  const session: ActiveSession | null = token ? await findSession(db, token, SESSION_TIMES) : null;
  if (!session) return null;
  const isAdmin = session.user.role === "admin";
  const projects = await listProjects(db, isAdmin ? undefined : session.user.id);
  return { mode, user: session.user, sessionId: session.id, isAdmin, projects, project: pick(projects, wanted), csrfToken: session.csrfToken };
}

/**
 * The viewer of this server render (memoised per request: layout and page share it). An
 * open dashboard reached under a foreign name is sent to /local-only, which says why.
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const jar = await cookies();
  try {
    return await viewerFrom((name) => jar.get(name)?.value, await headers());
  } catch (err) {
    if (err instanceof OpenDashboardRefused) redirect("/local-only");
    throw err;
  }
});

/**
 * For the root layout's header: the viewer, or null when there is none *or the store
 * failed*. The layout must not throw on a store outage: the page's own `requireViewer`
 * meets the same (memoised) failure and its segment's error.tsx answers it, which a
 * failing root layout would leave to Next.js's bare global error page.
 */
export async function peekViewer(): Promise<Viewer | null> {
  try {
    return await getViewer();
  } catch {
    return null;
  }
}

/** For pages: the viewer, or a redirect to /login that comes back to `path` afterwards. */
export async function requireViewer(path: string): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) {
    const jar = await cookies();
    redirect(loginHref(path, readCookie((name) => jar.get(name)?.value, "session") !== undefined));
  }
  return viewer;
}

/** For pages that show one project's data: a member of no project is sent to Settings, which says so. */
export async function requireProject(path: string): Promise<Viewer & { project: ProjectRef }> {
  const viewer = await requireViewer(path);
  const { project } = viewer;
  if (!project) redirect("/settings/projects");
  return { ...viewer, project };
}

/**
 * The current project's id inside a render whose page already called requireProject
 * (its panels and data loaders), so they need no project argument threaded through.
 */
export async function viewerProjectId(): Promise<string> {
  const id = (await getViewer())?.project?.id;
  if (!id) throw new Error("no project: the page must call requireProject before its panels read data");
  return id;
}
