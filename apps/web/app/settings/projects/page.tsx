import { listProjectDetails, RUN_COUNT_CAP } from "@runtrail/db";
import type { Metadata } from "next";
import { requireViewer } from "@/lib/auth/viewer";
import { formatDateTime } from "@/lib/format";
import { getDb } from "@/lib/store";
import { Card } from "../_components/card";
import { CreateProject } from "./_components/create-project";
import { ProjectRow } from "./_components/project-row";

export const metadata: Metadata = { title: "Projects" };

export default async function ProjectsPage() {
  const viewer = await requireViewer("/settings/projects");
  const projects = await listProjectDetails(await getDb(), viewer.isAdmin ? undefined : (viewer.user?.id ?? undefined));
  return (
    <Card
      title="Projects"
      description={
        viewer.isAdmin
          ? "Each project has its own runs and API keys; a key never reads or writes another project's runs."
          : "The projects you are a member of. Admins add members and create projects."
      }
    >
      {viewer.isAdmin && (
        <div className="border-b border-zinc-100 bg-zinc-50/60 px-5 py-4">
          <CreateProject />
        </div>
      )}
      {projects.length === 0 ? (
        <p className="px-5 py-8 text-center text-sm text-zinc-500">You are not a member of any project yet: ask an admin to add you.</p>
      ) : (
        <table className="w-full text-sm" data-testid="projects-table">
          <thead>
            <tr className="border-b border-zinc-100 text-left text-xs tracking-wide whitespace-nowrap text-zinc-500 uppercase">
              <th className="px-5 py-2.5 font-medium">Name</th>
              <th className="px-3 py-2.5 font-medium">Id</th>
              <th className="px-3 py-2.5 text-right font-medium">Runs</th>
              <th className="px-3 py-2.5 text-right font-medium">Active keys</th>
              <th className="px-3 py-2.5 font-medium">Created</th>
              <th className="px-5 py-2.5">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {projects.map((p) => (
              <ProjectRow
                key={p.id}
                project={{ id: p.id, name: p.name }}
                current={p.id === viewer.project?.id}
                canRename={viewer.isAdmin}
                runs={p.runCount > RUN_COUNT_CAP ? "10k+" : p.runCount.toLocaleString("en-US")}
                keys={p.keyCount}
                created={formatDateTime(p.createdAt.toISOString()).replace(/:\d\d UTC$/, " UTC")}
              />
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
