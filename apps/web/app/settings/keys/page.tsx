import { listApiKeys } from "@runtrail/db";
import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { formatDateTime, formatRelative } from "@/lib/format";
import { getDb } from "@/lib/store";
import { Card } from "../_components/card";
import { CreateKey } from "./_components/create-key";
import { RevokeKey } from "./_components/revoke-key";

export const metadata: Metadata = { title: "API keys" };

export default async function KeysPage() {
  const viewer = await requireViewer("/settings/keys");
  const { project } = viewer;
  if (!project) {
    return (
      <Card title="API keys" description="You are not a member of any project yet.">
        <p className="px-5 py-6 text-sm text-zinc-600">Ask an admin to add you to a project; its keys then show here.</p>
      </Card>
    );
  }
  const keys = await listApiKeys(await getDb(), project.id, { includeRevoked: true });
  const now = Date.now();
  const active = keys.filter((k) => !k.revokedAt).length;
  return (
    <Card
      title={`API keys of ${project.name}`}
      description={
        <>
          The SDK sends one as <code className="font-mono text-[12px] text-zinc-700">Authorization: Bearer …</code>; everything it writes and reads stays in this
          project. Other projects: use the project menu in the header.
        </>
      }
    >
      <div className="border-b border-zinc-100 bg-zinc-50/60 px-5 py-4">
        <CreateKey projectId={project.id} projectName={project.name} />
      </div>
      {keys.length === 0 ? (
        <p className="px-5 py-8 text-center text-sm text-zinc-500">No keys yet: create one above.</p>
      ) : (
        <table className="w-full text-sm" data-testid="keys-table">
          <thead>
            <tr className="border-b border-zinc-100 text-left text-xs font-medium tracking-wide whitespace-nowrap text-zinc-500 uppercase">
              <th className="px-5 py-2.5 font-medium">Name</th>
              <th className="px-3 py-2.5 font-medium">Key</th>
              <th className="px-3 py-2.5 font-medium">Created</th>
              <th className="px-3 py-2.5 font-medium">Last used</th>
              <th className="px-5 py-2.5 text-right font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {keys.map((k) => (
              <tr key={k.id} data-testid="key-row" data-key-prefix={k.prefix} className={k.revokedAt ? "text-zinc-400" : "text-zinc-800"}>
                <td className="px-5 py-3 font-medium">{k.name}</td>
                <td className="px-3 py-3">
                  <code className={`rounded px-1.5 py-0.5 font-mono text-[12px] ${k.revokedAt ? "bg-zinc-50 line-through" : "bg-zinc-100 text-zinc-700"}`}>{k.prefix}…</code>
                </td>
                <td className="px-3 py-3" title={formatDateTime(k.createdAt.toISOString())}>
                  {formatRelative(k.createdAt.toISOString(), now)}
                  <span className="block text-xs text-zinc-400">{k.createdBy ? `by ${k.createdBy}` : "by the server or command line"}</span>
                </td>
                <td className="px-3 py-3" title={k.lastUsedAt ? formatDateTime(k.lastUsedAt.toISOString()) : undefined}>
                  {k.lastUsedAt ? formatRelative(k.lastUsedAt.toISOString(), now) : <span className="text-zinc-400">Never</span>}
                </td>
                <td className="px-5 py-3 text-right">
                  {k.revokedAt ? (
                    <span className="rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-medium text-zinc-500" title={formatDateTime(k.revokedAt.toISOString())}>
                      Revoked {formatRelative(k.revokedAt.toISOString(), now)}
                    </span>
                  ) : (
                    <RevokeKey projectId={project.id} keyId={k.id} label={`${k.name} (${k.prefix}…)`} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="space-y-1 border-t border-zinc-100 px-5 py-3 text-xs text-zinc-500">
        <p>
          {active} active key{active === 1 ? "" : "s"}. Revoking stops a key at once on this server, within 5 seconds on other replicas. Keys are stored as hashes: a
          lost key cannot be shown again, only replaced.
        </p>
        <p>
          From a shell: <code className="font-mono text-[11px] whitespace-nowrap text-zinc-700">npm run runtrail -- keys create --project {project.id}</code>
        </p>
      </div>
    </Card>
  );
}
