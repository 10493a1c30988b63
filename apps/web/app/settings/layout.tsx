import { getViewer } from "@/lib/auth/viewer";
import { type SettingsLink, SettingsNav } from "./_components/settings-nav";

/** Settings: a side menu and the page. Each page checks the viewer itself (a layout cannot redirect per page). */
export default async function SettingsLayout({ children }: { children: React.ReactNode }) {
  const viewer = await getViewer();
  const links: SettingsLink[] = [
    { href: "/settings/keys", label: "API keys", hint: "What the SDK sends" },
    { href: "/settings/projects", label: "Projects", hint: viewer?.isAdmin ? "Create and rename" : "The ones you see" },
  ];
  if (viewer?.isAdmin) links.push({ href: "/settings/users", label: "Users", hint: viewer.mode === "open" ? "Turn on the login" : "Who signs in" });
  if (viewer?.user) links.push({ href: "/settings/account", label: "Account", hint: viewer.user.email });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
        <p className="mt-1 text-sm text-zinc-500">Projects, the API keys that write into them, and who may sign in.</p>
      </div>
      <div className="grid gap-6 md:grid-cols-[220px_minmax(0,1fr)]">
        <aside>{viewer && <SettingsNav links={links} />}</aside>
        <div className="min-w-0 space-y-6">{children}</div>
      </div>
    </div>
  );
}
