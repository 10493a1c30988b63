import { formatCost, formatCount } from "./chart-theme";
import { fetchRunBuckets, fetchRunStats, type PanelProps } from "./data";
import { Panel } from "./panel";
import { TASK_CHART_HEIGHT } from "./task-durations-chart";
import { UsageChart } from "./usage-chart";

export async function UsagePanel({ fromMs, toMs, bucketMs, bucketLabel }: PanelProps & { bucketLabel: string }) {
  const [buckets, stats] = await Promise.all([fetchRunBuckets(fromMs, toMs, bucketMs), fetchRunStats(fromMs, toMs)]);
  const rows = buckets.map((b) => ({ start: b.start, inputTokens: b.inputTokens, outputTokens: b.outputTokens, costUsd: b.costUsd }));
  return (
    <Panel
      id="usage"
      title="Tokens and cost"
      hint={`Per ${bucketLabel}, of the runs started in it`}
      aside={
        <div className="text-right">
          <div className="text-xl font-semibold tabular-nums text-zinc-900">{formatCount(stats.tokens)}</div>
          <div className="text-xs text-zinc-500">tokens · {formatCost(stats.costUsd)}</div>
        </div>
      }
    >
      <UsageChart rows={rows} bucketMs={bucketMs} height={TASK_CHART_HEIGHT} />
    </Panel>
  );
}
