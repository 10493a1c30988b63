import { fetchRunBuckets, fetchRunStats, type PanelProps } from "./data";
import { FailureRateChart } from "./failure-rate-chart";
import { formatRate } from "./headline-stats";
import { Panel } from "./panel";

export async function FailureRatePanel({ fromMs, toMs, bucketMs, bucketLabel }: PanelProps & { bucketLabel: string }) {
  const [buckets, stats] = await Promise.all([fetchRunBuckets(fromMs, toMs, bucketMs), fetchRunStats(fromMs, toMs)]);
  const rows = buckets.map((b) => ({ start: b.start, rate: b.failureRate === null ? null : b.failureRate * 100, failed: b.failed, finished: b.finished }));
  return (
    <Panel
      id="failure-rate"
      title="Failure rate"
      hint={`Failed or timed-out share of finished runs, per ${bucketLabel}`}
      aside={
        <div className="text-right">
          <div className="text-xl font-semibold tabular-nums text-zinc-900">{formatRate(stats.failureRate)}</div>
          <div className="text-xs text-zinc-500">
            {stats.failed} of {stats.finished} finished
          </div>
        </div>
      }
    >
      <FailureRateChart rows={rows} bucketMs={bucketMs} />
    </Panel>
  );
}
