"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDuration } from "@/lib/format";
import { AXIS, LEGEND, GRID, TOOLTIP_STYLE } from "./chart-theme";

export interface DurationRow {
  name: string;
  count: number;
  p50Ms: number;
  p95Ms: number;
}

/** Fixed, so the panel lines up with its neighbour however many names there are. */
export const TASK_CHART_HEIGHT = 336;

const truncate = (s: string) => (s.length > 22 ? `${s.slice(0, 21)}…` : s);

export function TaskDurationsChart({ rows }: { rows: DurationRow[] }) {
  return (
    <ResponsiveContainer width="100%" height={TASK_CHART_HEIGHT}>
      <BarChart data={rows} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }} barGap={2} barCategoryGap="22%" maxBarSize={10}>
        <CartesianGrid horizontal={false} stroke={GRID} />
        <XAxis type="number" tick={AXIS} tickLine={false} axisLine={false} tickFormatter={(v: number) => (v === 0 ? "0" : formatDuration(v))} />
        <YAxis type="category" dataKey="name" tick={{ ...AXIS, fill: "var(--color-zinc-700)" }} tickLine={false} axisLine={false} width={150} tickFormatter={truncate} />
        <Tooltip
          {...TOOLTIP_STYLE}
          labelFormatter={(label, payload) => {
            const row = payload?.[0]?.payload as DurationRow | undefined;
            return row ? `${label} · ${row.count} task${row.count === 1 ? "" : "s"}` : String(label);
          }}
          formatter={(value, name) => [formatDuration(Number(value)), name]}
        />
        <Legend {...LEGEND} />
        <Bar dataKey="p50Ms" name="p50" fill="var(--color-blue-400)" radius={[0, 3, 3, 0]} isAnimationActive={false} />
        <Bar dataKey="p95Ms" name="p95" fill="var(--color-blue-700)" radius={[0, 3, 3, 0]} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
