import { fetchRunStats } from "./data";
import { EmptyRange } from "./empty-range";

/** Renders its panels only when the window holds runs; otherwise the empty state. */
export async function OverviewGate({ fromMs, toMs, rangeLabel, isWidest, children }: { fromMs: number; toMs: number; rangeLabel: string; isWidest: boolean; children: React.ReactNode }) {
  const stats = await fetchRunStats(fromMs, toMs);
  if (stats.runs === 0) return <EmptyRange rangeLabel={rangeLabel} hasWider={!isWidest} />;
  return children;
}
