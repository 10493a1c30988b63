import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeNextPath } from "@/lib/auth/next-path";
import { getViewer } from "@/lib/auth/viewer";
import { LoginForm } from "./_components/login-form";

export const metadata: Metadata = { title: "Sign in" };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function LoginPage({ searchParams }: { searchParams: Search }) {
  const search = await searchParams;
  const next = safeNextPath(search.next);
  // Signed in already, or the open dashboard (no users): nothing to sign in to.
  if (await getViewer()) redirect(next);
  const expired = search.reason === "expired";
  return (
    <div className="flex min-h-[calc(100vh-10rem)] items-center justify-center">
      <div className="w-full max-w-sm">
        <div className="mb-6 text-center">
          <h1 className="text-2xl font-semibold tracking-tight">Sign in to Runtrail</h1>
          <p className="mt-1.5 text-sm text-zinc-500">Runs, tasks and timelines of your agents.</p>
        </div>
        <div className="rounded-xl border border-zinc-200 bg-white p-6 shadow-sm">
          {expired && <p className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">Your session has ended. Sign in again to continue.</p>}
          <LoginForm next={next} />
        </div>
        <div className="mt-6 space-y-1 text-center text-xs text-zinc-500">
          <p>Forgot your password? An admin can set a new one under Settings → Users.</p>
          <p>
            Admins, on the server: <code className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-[11px] whitespace-nowrap text-zinc-700">npm run runtrail -- users create-admin</code>
          </p>
        </div>
      </div>
    </div>
  );
}
