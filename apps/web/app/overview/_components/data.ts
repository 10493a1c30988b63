import { getRunStats, listRunBuckets, listTaskDurations } from "@runtrail/db";
import { cache } from "react";
import { viewerProjectId } from "@/lib/auth/viewer";
import { getDb } from "@/lib/store";

/**
 * The overview's reads, memoised per request: the headline, the empty-state check and
 * three chart panels share one statement each however many of them ask. Arguments are
 * primitives so React's cache can compare them. The project is the viewer's (the page
 * has already required one).
 */

const win = (fromMs: number, toMs: number, bucketMs: number) => ({ from: new Date(fromMs), to: new Date(toMs), bucketMs });

export const fetchRunBuckets = cache(async (fromMs: number, toMs: number, bucketMs: number) => {
  return listRunBuckets(await getDb(), await viewerProjectId(), win(fromMs, toMs, bucketMs));
});

export const fetchRunStats = cache(async (fromMs: number, toMs: number) => {
  return getRunStats(await getDb(), await viewerProjectId(), win(fromMs, toMs, 0));
});

export const fetchTaskDurations = cache(async (fromMs: number, toMs: number) => {
  return listTaskDurations(await getDb(), await viewerProjectId(), win(fromMs, toMs, 0), 10);
});

/** What every panel is given: the window as plain numbers. */
export interface PanelProps {
  fromMs: number;
  toMs: number;
  bucketMs: number;
}
