import { countRunsByStatus, InvalidCursorError, listRuns, type RunFilter } from "@runtrail/db";
import type { Metadata } from "next";
import Link from "next/link";
import { pathWithQuery } from "@/lib/auth/next-path";
import { requireProject } from "@/lib/auth/viewer";
import { getDb } from "@/lib/store";
import { EmptyState } from "../_components/empty-state";
import { FilterBar } from "../_components/filter-bar";
import { readListState, runsHref } from "../_components/list-params";
import { LiveRefresh } from "../_components/live-refresh";
import { NoMatches } from "../_components/no-matches";
import { RunsTable } from "../_components/runs-table";
import { StatusTabs } from "../_components/status-tabs";

export const metadata: Metadata = { title: "Runs" };

type Search = Promise<Record<string, string | string[] | undefined>>;

const pageLink = "rounded-md px-3 py-1.5 font-medium text-zinc-700 ring-1 ring-zinc-200 hover:bg-zinc-50";

export default async function RunsPage({ searchParams }: { searchParams: Search }) {
  const search = await searchParams;
  const { project } = await requireProject(pathWithQuery("/runs", search));
  const state = readListState(search, Date.now());
  const { filter, params } = state;
  const db = await getDb();
  const list = (f: RunFilter) => listRuns(db, project.id, { ...f, limit: f.limit ?? 50 });
  const { status: _status, cursor: _cursor, before: _before, limit: _limit, ...countFilter } = filter;
  const [page, counts] = await Promise.all([
    // A cursor from an old or edited URL starts the list over rather than failing the page.
    list(filter).catch((err: unknown) => {
      if (err instanceof InvalidCursorError) return list({ ...filter, cursor: undefined, before: undefined });
      throw err;
    }),
    countRunsByStatus(db, project.id, countFilter),
  ]);
  const filtered = state.described.length > 0;
  const atStart = page.prevCursor === null;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Runs</h1>
          <p className="mt-1 text-sm text-zinc-500">Every run your instrumented code recorded, newest first.</p>
        </div>
        <StatusTabs current={filter.status} params={params} counts={counts} />
      </div>
      <FilterBar state={state} />
      {page.data.some((r) => r.status === "running") && <LiveRefresh intervalMs={2000} />}
      {page.data.length === 0 && atStart && !filtered ? (
        <EmptyState projectId={project.id} />
      ) : (
        <div className="overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm">
          {page.data.length === 0 ? (
            <NoMatches described={state.described} clearStatusHref={filter.status ? runsHref(params, { status: undefined }) : null} />
          ) : (
            <RunsTable runs={page.data} />
          )}
          <div className="flex items-center justify-between border-t border-zinc-100 px-4 py-3 text-sm text-zinc-500">
            <span>
              {page.data.length} run{page.data.length === 1 ? "" : "s"} on this page
            </span>
            <nav className="flex gap-2" aria-label="Pages">
              {!atStart && (
                <Link href={runsHref(params, {})} className={pageLink}>
                  Newest
                </Link>
              )}
              {page.prevCursor && (
                <Link href={runsHref(params, { before: page.prevCursor })} className={pageLink} rel="prev">
                  ← Newer
                </Link>
              )}
              {page.nextCursor && (
                <Link href={runsHref(params, { cursor: page.nextCursor })} className={pageLink} rel="next">
                  Older →
                </Link>
              )}
            </nav>
          </div>
        </div>
      )}
    </div>
  );
}
