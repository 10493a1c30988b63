import { listUsers } from "@runtrail/db";
import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { formatRelative } from "@/lib/format";
import { getDb } from "@/lib/store";
import { Card } from "../_components/card";
import { CreateUser } from "./_components/create-user";
import { FirstAdmin } from "./_components/first-admin";
import { UserRow } from "./_components/user-row";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const viewer = await requireViewer("/settings/users");
  if (viewer.mode === "open") {
    return (
      <Card
        title="Turn on the login"
        description="No users exist, so this dashboard has no login. That is fine while it listens on this machine only (127.0.0.1). Create the first admin to require a sign-in from now on, whatever the address."
      >
        <div className="px-5 py-5">
          <FirstAdmin />
        </div>
      </Card>
    );
  }
  if (!viewer.isAdmin) {
    return (
      <Card title="Users">
        <p className="px-5 py-6 text-sm text-zinc-600">Only admins manage users.</p>
      </Card>
    );
  }
  const users = await listUsers(await getDb());
  const now = Date.now();
  return (
    <>
      <Card title="Add a user" description="Give them the password over a safe channel; they can change it under Account. Members see only the projects ticked here.">
        <div className="px-5 py-5">
          <CreateUser projects={viewer.projects} />
        </div>
      </Card>
      <Card title="Users" description={`${users.length} user${users.length === 1 ? "" : "s"}. Admins see every project and manage users; disabling a user signs them out at once.`}>
        <table className="w-full text-sm" data-testid="users-table">
          <thead>
            <tr className="border-b border-zinc-100 text-left text-xs tracking-wide whitespace-nowrap text-zinc-500 uppercase">
              <th className="px-5 py-2.5 font-medium">User</th>
              <th className="px-3 py-2.5 font-medium">Role</th>
              <th className="px-3 py-2.5 font-medium">Projects</th>
              <th className="px-3 py-2.5 font-medium">Last sign-in</th>
              <th className="px-5 py-2.5">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {users.map((u) => (
              <UserRow
                key={u.id}
                user={{ id: u.id, email: u.email, role: u.role, disabled: u.disabled, projectIds: u.projectIds }}
                self={u.id === viewer.user?.id}
                lastLogin={u.lastLoginAt ? formatRelative(u.lastLoginAt.toISOString(), now) : "Never"}
                projects={viewer.projects}
              />
            ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}
