import type { RunFilter } from "@runtrail/db";
import { parseRunFilter } from "@/lib/api/run-filter";
import { formatDateTime } from "@/lib/format";
import { RANGES, type RangeKey } from "./ranges";

/**
 * The runs list's state lives in its URL: status, q (name prefix), tag, a time range
 * (`range` preset, or `from`/`to`), and the page position (`cursor` older, `before`
 * newer). A preset wins over from/to, so choosing one in the form replaces a custom range.
 */

export interface ListState {
  /** The URL's own parameters (cursor and before included), for building links. */
  params: URLSearchParams;
  filter: RunFilter;
  range: RangeKey;
  /** What is filtered, in words, for the empty state ("name starts with “x”"). */
  described: string[];
  /** A parameter that could not be read and was ignored. */
  problem: string | null;
}

const PARAMS = ["status", "q", "tag", "range", "from", "to", "cursor", "before"] as const;

export function readListState(search: Record<string, string | string[] | undefined>, now: number): ListState {
  const params = new URLSearchParams();
  for (const k of PARAMS) {
    const v = search[k];
    if (typeof v === "string" && v.trim() !== "") params.set(k, k === "q" || k === "tag" ? v.trim() : v);
  }
  const preset = RANGES.find((r) => r.key === params.get("range"));
  const query = new URLSearchParams(params);
  query.delete("range");
  if (preset || params.get("range") === "all") {
    query.delete("from");
    query.delete("to");
  }
  const parsed = parseRunFilter(query);
  const filter: RunFilter = parsed.ok ? parsed.filter : {};
  if (preset) filter.from = new Date(now - preset.ms);
  const range: RangeKey = preset ? preset.key : filter.from || filter.to ? "custom" : "all";

  const described: string[] = [];
  if (filter.status) described.push(`status ${filter.status.replace("_", " ")}`);
  if (filter.q) described.push(`name starts with “${filter.q}”`);
  if (filter.tag) described.push(`tag “${filter.tag}”`);
  if (preset) described.push(`started in the ${preset.label.toLowerCase()}`);
  else {
    if (filter.from) described.push(`started from ${formatDateTime(filter.from.toISOString())}`);
    if (filter.to) described.push(`started before ${formatDateTime(filter.to.toISOString())}`);
  }
  return { params, filter, range, described, problem: parsed.ok ? null : `${parsed.field}: ${parsed.message}` };
}

/** A /runs link with some parameters changed (undefined removes one); always back to the first page unless a page is given. */
export function runsHref(params: URLSearchParams, changes: Record<string, string | undefined>): string {
  const next = new URLSearchParams(params);
  next.delete("cursor");
  next.delete("before");
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) next.delete(k);
    else next.set(k, v);
  }
  const qs = next.toString();
  return qs ? `/runs?${qs}` : "/runs";
}
