import { getRunTimeline } from "@runtrail/db";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { queryId } from "@/lib/api/request-fields";
import { ready } from "@/lib/store";
import { RunView } from "./_components/run-view";

type Params = Promise<{ id: string }>;
type Search = Promise<Record<string, string | string[] | undefined>>;

/** The run of a URL segment; null when the segment is malformed or no stored id could equal it (a NUL, too long). */
async function load(segment: string) {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    return null;
  }
  if (!queryId.safeParse(id).success) return null;
  const { store, boot } = await ready();
  return getRunTimeline(store.db, boot.projectId, id);
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const found = await load((await params).id);
  return { title: found ? found.run.name || "Run" : "Run not found" };
}

export default async function RunPage({ params, searchParams }: { params: Params; searchParams: Search }) {
  const [{ id }, search] = await Promise.all([params, searchParams]);
  const found = await load(id);
  if (!found) notFound();
  const task = typeof search.task === "string" ? search.task : null;
  const view = search.view === "compare" ? "compare" : "timeline";
  return <RunView run={found.run} tasks={found.tasks} initialTaskId={task} initialView={view} renderedAt={Date.now()} />;
}
