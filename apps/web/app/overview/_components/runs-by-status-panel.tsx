import { fetchRunBuckets, type PanelProps } from "./data";
import { Panel } from "./panel";
import { RunsByStatusChart } from "./runs-by-status-chart";

export async function RunsByStatusPanel({ fromMs, toMs, bucketMs, bucketLabel }: PanelProps & { bucketLabel: string }) {
  const buckets = await fetchRunBuckets(fromMs, toMs, bucketMs);
  const rows = buckets.map((b) => ({ start: b.start, ...b.counts }));
  return (
    <Panel id="runs-by-status" title="Runs over time" hint={`By status, per ${bucketLabel} (by start time)`}>
      <RunsByStatusChart rows={rows} bucketMs={bucketMs} />
    </Panel>
  );
}
