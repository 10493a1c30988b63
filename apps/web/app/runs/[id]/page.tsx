import { findRunProject, getRunTimeline, type ProjectRef } from "@runtrail/db";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { queryId } from "@/lib/api/request-fields";
import { pathWithQuery } from "@/lib/auth/next-path";
import { getViewer, requireProject } from "@/lib/auth/viewer";
import { getDb } from "@/lib/store";
import { encodeTasks } from "@/lib/timeline-codec";
import { timelineUrl } from "@/lib/timeline-url";
import { ActionLink, PageMessage } from "@/components/page-message";
import { RunView } from "./_components/run-view";
import { SwitchProjectButton } from "./_components/switch-project-button";

type Params = Promise<{ id: string }>;
type Search = Promise<Record<string, string | string[] | undefined>>;

/**
 * Tasks the page itself carries. A run up to this size (most runs) arrives whole with
 * the page; a bigger one shows these at once and streams the rest from
 * /runs/:id/timeline (see use-live-run.ts).
 */
const FIRST_TASKS = 1000;

/** The `?task=` a link selects; null when absent or when no stored id could equal it. */
function linkedTask(search: Record<string, string | string[] | undefined>): string | null {
  const task = search.task;
  return typeof task === "string" && queryId.safeParse(task).success ? task : null;
}

/**
 * The project's run of a URL segment with its first tasks; null when the segment is
 * malformed or no stored id could equal it (a NUL, too long). One read per request:
 * the metadata and the page share it.
 */
const load = cache(async (projectId: string, segment: string, taskId: string | null) => {
  const id = runIdOf(segment);
  return id === null ? null : getRunTimeline(await getDb(), projectId, id, { limit: FIRST_TASKS, taskId });
});

/** The run id of a URL segment; null when malformed or when no stored id could equal it. */
function runIdOf(segment: string): string | null {
  try {
    const id = decodeURIComponent(segment);
    return queryId.safeParse(id).success ? id : null;
  } catch {
    return null;
  }
}

/** Another of the viewer's projects that holds this run (a link opened while the dashboard shows another project). */
async function projectHolding(segment: string, current: string, projects: ProjectRef[]): Promise<ProjectRef | null> {
  const id = runIdOf(segment);
  const others = projects.filter((p) => p.id !== current);
  if (id === null || others.length === 0) return null;
  const found = await findRunProject(await getDb(), id, others.map((p) => p.id));
  return others.find((p) => p.id === found) ?? null;
}

export async function generateMetadata({ params, searchParams }: { params: Params; searchParams: Search }): Promise<Metadata> {
  const projectId = (await getViewer())?.project?.id;
  if (!projectId) return { title: "Run" };
  const [{ id }, search] = await Promise.all([params, searchParams]);
  const found = await load(projectId, id, linkedTask(search));
  return { title: found ? found.run.name || "Run" : "Run not found" };
}

export default async function RunPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const [{ id }, search] = await Promise.all([params, searchParams]);
  const { project, projects } = await requireProject(pathWithQuery(`/runs/${id}`, search));
  const found = await load(project.id, id, linkedTask(search));
  if (!found) {
    const elsewhere = await projectHolding(id, project.id, projects);
    if (!elsewhere) notFound();
    return (
      <PageMessage
        tone="neutral"
        title="This run is in another project"
        actions={
          <>
            <SwitchProjectButton projectId={elsewhere.id} projectName={elsewhere.name} />
            <ActionLink href="/runs">Runs of {project.name}</ActionLink>
          </>
        }
      >
        <p>
          The dashboard shows <span className="font-medium text-zinc-900">{project.name}</span>; this run was recorded in{" "}
          <span className="font-medium text-zinc-900">{elsewhere.name}</span>. Switch to see it there.
        </p>
      </PageMessage>
    );
  }
  const task = typeof search.task === "string" ? search.task : null;
  const view = search.view === "compare" ? "compare" : "timeline";
  const tasks = encodeTasks(found.pinned.length > 0 ? [...found.tasks, ...found.pinned] : found.tasks);
  // The browser starts on the rest as soon as it reads this far into the HTML, while it
  // loads and hydrates the page; the loader's fetch of the same URL takes that response
  // over. Only for an ended run: its answer is cacheable, so a preload the page fails to
  // claim costs no second read.
  const rest = found.next === null ? null : timelineUrl(found.run.id, found.next, found.run.version, project.id);
  return (
    <>
      {rest && found.run.status !== "running" && <link rel="preload" as="fetch" href={rest} crossOrigin="anonymous" />}
      <RunView run={found.run} tasks={tasks} rest={rest} initialTaskId={task} initialView={view} renderedAt={Date.now()} />
    </>
  );
}
