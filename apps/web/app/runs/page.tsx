import { listRuns } from "@runtrail/db";
import type { Metadata } from "next";
import Link from "next/link";
import { parseRunFilter } from "@/lib/api/run-filter";
import { ready } from "@/lib/store";
import { EmptyState } from "./_components/empty-state";
import { RunsTable } from "./_components/runs-table";
import { StatusTabs } from "./_components/status-tabs";

export const metadata: Metadata = { title: "Runs" };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function RunsPage({ searchParams }: { searchParams: Search }) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(await searchParams)) if (typeof v === "string") params.set(k, v);
  const parsed = parseRunFilter(params);
  const filter = parsed.ok ? parsed.filter : {};
  const { store, boot } = await ready();
  const page = await listRuns(store.db, boot.projectId, { ...filter, limit: filter.limit ?? 50 });
  const status = filter.status; // already one of RUN_STATUSES: parseRunFilter validated it

  const next = new URLSearchParams(params);
  if (page.nextCursor) next.set("cursor", page.nextCursor);
  const isFirstPage = !filter.cursor;
  const first = new URLSearchParams(params);
  first.delete("cursor");

  return (
    <div className="space-y-6">
      <div className="flex items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Runs</h1>
          <p className="mt-1 text-sm text-zinc-500">Every run your instrumented code recorded, newest first.</p>
        </div>
        <StatusTabs current={status} />
      </div>
      {page.data.length === 0 && isFirstPage && !status ? (
        <EmptyState />
      ) : (
        <div className="overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm">
          <RunsTable runs={page.data} />
          <div className="flex items-center justify-between border-t border-zinc-100 px-4 py-3 text-sm text-zinc-500">
            <span>
              {page.data.length} run{page.data.length === 1 ? "" : "s"} on this page
            </span>
            <div className="flex gap-2">
              {!isFirstPage && (
                <Link href={`/runs?${first}`} className="rounded-md px-3 py-1.5 font-medium text-zinc-700 ring-1 ring-zinc-200 hover:bg-zinc-50">
                  Newest
                </Link>
              )}
              {page.nextCursor && (
                <Link href={`/runs?${next}`} className="rounded-md px-3 py-1.5 font-medium text-zinc-700 ring-1 ring-zinc-200 hover:bg-zinc-50">
                  Older →
                </Link>
              )}
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
