import { getRunTimeline } from "@runtrail/db";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { queryId } from "@/lib/api/request-fields";
import { pathWithQuery } from "@/lib/auth/next-path";
import { getViewer, requireProject } from "@/lib/auth/viewer";
import { getDb } from "@/lib/store";
import { RunView } from "./_components/run-view";

type Params = Promise<{ id: string }>;
type Search = Promise<Record<string, string | string[] | undefined>>;

/** The project's run of a URL segment; null when the segment is malformed or no stored id could equal it (a NUL, too long). */
async function load(projectId: string, segment: string) {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    return null;
  }
  if (!queryId.safeParse(id).success) return null;
  return getRunTimeline(await getDb(), projectId, id);
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const projectId = (await getViewer())?.project?.id;
  if (!projectId) return { title: "Run" };
  const found = await load(projectId, (await params).id);
  return { title: found ? found.run.name || "Run" : "Run not found" };
}

export default async function RunPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const [{ id }, search] = await Promise.all([params, searchParams]);
  const { project } = await requireProject(pathWithQuery(`/runs/${id}`, search));
  const found = await load(project.id, id);
  if (!found) notFound();
  const task = typeof search.task === "string" ? search.task : null;
  const view = search.view === "compare" ? "compare" : "timeline";
  return <RunView run={found.run} tasks={found.tasks} initialTaskId={task} initialView={view} renderedAt={Date.now()} />;
}
