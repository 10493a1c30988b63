import Link from "next/link";
import { getViewer } from "@/lib/auth/viewer";
import { ProjectSwitcher } from "./project-switcher";
import { UserMenu } from "./user-menu";

/**
 * The right side of the header: the open dashboard's note, the project switcher and the
 * user menu. It sits in the header's dark island (site-header.tsx), so its classes name
 * roles of the dark palette (bg-zinc-100 a raised control, text-zinc-900 bright text).
 */
export async function HeaderAccount() {
  const viewer = await getViewer();
  if (!viewer) return null;
  return (
    <div className="flex items-center gap-3">
      {viewer.mode === "open" && (
        <Link
          href="/settings/users"
          data-testid="open-mode-note"
          title="No users exist, so this dashboard has no login. It only listens on this machine. Create an admin to require a login."
          className="flex items-center gap-1.5 rounded-full border border-amber-200 bg-amber-50 px-2.5 py-1 text-xs font-medium text-amber-800 hover:bg-amber-100"
        >
          <span className="size-1.5 rounded-full bg-amber-500" />
          Local mode · no login
        </Link>
      )}
      <ProjectSwitcher projects={viewer.projects} current={viewer.project} />
      {viewer.user && <UserMenu email={viewer.user.email} role={viewer.user.role} />}
    </div>
  );
}

/** Renders its children only for a viewer who may see the dashboard (not on the sign-in page). */
export async function SignedIn({ children }: { children: React.ReactNode }) {
  return (await getViewer()) ? children : null;
}

/** The page's CSRF token for client code (lib/client/dashboard-request.ts). */
export async function CsrfMeta() {
  const viewer = await getViewer();
  return viewer ? <meta name="csrf-token" content={viewer.csrfToken} /> : null;
}
