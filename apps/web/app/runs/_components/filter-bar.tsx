import Link from "next/link";
import type { ListState } from "./list-params";
import { RangeSelect } from "./range-select";

const input = "w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-zinc-900 ring-1 ring-zinc-200 placeholder:text-zinc-400 focus:ring-2 focus:ring-zinc-400";

/** A plain GET form: it works without JavaScript and leaves every filter in the URL. */
export function FilterBar({ state }: { state: ListState }) {
  const { params, filter, range } = state;
  const filtered = Boolean(filter.q || filter.tag || filter.status || range !== "all");
  return (
    <search>
    <form method="get" action="/runs" className="flex flex-wrap items-center gap-2" data-testid="filter-bar">
      {filter.status && <input type="hidden" name="status" value={filter.status} />}
      {range === "custom" && (
        <>
          {params.get("from") && <input type="hidden" name="from" value={params.get("from") ?? ""} />}
          {params.get("to") && <input type="hidden" name="to" value={params.get("to") ?? ""} />}
        </>
      )}
      <label className="w-64">
        <span className="sr-only">Name starts with</span>
        <input type="search" name="q" defaultValue={filter.q ?? ""} placeholder="Name starts with…" className={input} />
      </label>
      <label className="w-44">
        <span className="sr-only">Tag</span>
        <input type="text" name="tag" defaultValue={filter.tag ?? ""} placeholder="Tag" className={input} />
      </label>
      <RangeSelect value={range} />
      <button type="submit" className="rounded-md bg-zinc-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-zinc-700">
        Apply
      </button>
      {filtered && (
        <Link href="/runs" className="px-2 py-1.5 text-sm font-medium text-zinc-500 hover:text-zinc-800">
          Clear filters
        </Link>
      )}
      {state.problem && <span className="text-sm text-amber-700">Ignored {state.problem}</span>}
    </form>
    </search>
  );
}
