"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS, dayTicks, LEGEND, bucketLabel, costTick, bucketTick, formatCost, GRID, TOOLTIP_STYLE } from "./chart-theme";

const compact = Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export interface UsageRow {
  start: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export function UsageChart({ rows, bucketMs, height = 240 }: { rows: UsageRow[]; bucketMs: number; height?: number }) {
  const span = rows.length * bucketMs;
  return (
    <ResponsiveContainer width="100%" height={height}>
      <ComposedChart data={rows} margin={{ top: 8, right: 0, bottom: 0, left: -12 }} barCategoryGap="18%">
        <CartesianGrid vertical={false} stroke={GRID} />
        <XAxis dataKey="start" ticks={dayTicks(rows, bucketMs)} interval="preserveStartEnd" tick={AXIS} tickLine={false} axisLine={false} minTickGap={24} tickFormatter={(v: string) => bucketTick(v, bucketMs, span)} />
        <YAxis yAxisId="tokens" tick={AXIS} tickLine={false} axisLine={false} width={48} tickFormatter={(v: number) => compact.format(v)} />
        <YAxis yAxisId="cost" orientation="right" tick={AXIS} tickLine={false} axisLine={false} width={56} tickFormatter={(v: number) => costTick(v)} />
        <Tooltip
          {...TOOLTIP_STYLE}
          labelFormatter={(v) => bucketLabel(String(v), bucketMs)}
          formatter={(value, name) => [name === "Cost" ? formatCost(Number(value)) : Number(value).toLocaleString("en-US"), name]}
        />
        <Legend {...LEGEND} />
        <Bar yAxisId="tokens" dataKey="inputTokens" name="Input tokens" stackId="tokens" fill="var(--color-indigo-300)" isAnimationActive={false} />
        <Bar yAxisId="tokens" dataKey="outputTokens" name="Output tokens" stackId="tokens" fill="var(--color-indigo-500)" radius={[3, 3, 0, 0]} isAnimationActive={false} />
        <Line yAxisId="cost" type="linear" dataKey="costUsd" name="Cost" stroke="var(--color-emerald-600)" strokeWidth={2} dot={false} isAnimationActive={false} />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
