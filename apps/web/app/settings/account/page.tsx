import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { Card } from "../_components/card";
import { ChangePassword } from "./_components/change-password";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const viewer = await requireViewer("/settings/account");
  if (!viewer.user) {
    return (
      <Card title="Account">
        <p className="px-5 py-6 text-sm text-zinc-600">This dashboard has no users yet (local mode), so there is no account to manage.</p>
      </Card>
    );
  }
  return (
    <>
      <Card title="Account" description="You are signed in as this user.">
        <dl className="grid grid-cols-[8rem_1fr] gap-y-2 px-5 py-4 text-sm">
          <dt className="text-zinc-500">Email</dt>
          <dd className="font-medium">{viewer.user.email}</dd>
          <dt className="text-zinc-500">Role</dt>
          <dd>{viewer.user.role === "admin" ? "Admin (every project, users)" : `Member of ${viewer.projects.length} project${viewer.projects.length === 1 ? "" : "s"}`}</dd>
        </dl>
      </Card>
      <Card title="Change password" description="Your other sessions (other browsers, devices) are signed out; this one stays.">
        <div className="px-5 py-5">
          <ChangePassword />
        </div>
      </Card>
    </>
  );
}
