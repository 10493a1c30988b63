import { fetchTaskDurations, type PanelProps } from "./data";
import { Panel, PanelEmpty } from "./panel";
import { TASK_CHART_HEIGHT, TaskDurationsChart } from "./task-durations-chart";

export async function TaskDurationsPanel({ fromMs, toMs }: PanelProps) {
  const rows = await fetchTaskDurations(fromMs, toMs);
  return (
    <Panel id="task-durations" title="Task durations" hint="p50 and p95 of the 10 most frequent task names (finished tasks)">
      {rows.length === 0 ? <PanelEmpty height={TASK_CHART_HEIGHT}>No finished tasks in this range.</PanelEmpty> : <TaskDurationsChart rows={rows} />}
    </Panel>
  );
}
