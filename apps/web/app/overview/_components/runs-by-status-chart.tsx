"use client";

import type { RunStatus } from "@runtrail/db";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { STATUS_STYLE } from "@/components/status";
import { AXIS, dayTicks, LEGEND, bucketLabel, bucketTick, GRID, STATUS_FILL, TOOLTIP_STYLE } from "./chart-theme";

export type StatusRow = { start: string } & Record<RunStatus, number>;

// Stacked bottom to top: the finished outcomes, then what is still running.
const ORDER: RunStatus[] = ["completed", "failed", "timed_out", "cancelled", "running"];

export function RunsByStatusChart({ rows, bucketMs }: { rows: StatusRow[]; bucketMs: number }) {
  const span = rows.length * bucketMs;
  return (
    <ResponsiveContainer width="100%" height={240}>
      <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -12 }} barCategoryGap="18%">
        <CartesianGrid vertical={false} stroke={GRID} />
        <XAxis dataKey="start" ticks={dayTicks(rows, bucketMs)} interval="preserveStartEnd" tick={AXIS} tickLine={false} axisLine={false} minTickGap={24} tickFormatter={(v: string) => bucketTick(v, bucketMs, span)} />
        <YAxis allowDecimals={false} tick={AXIS} tickLine={false} axisLine={false} width={40} />
        <Tooltip {...TOOLTIP_STYLE} labelFormatter={(v) => bucketLabel(String(v), bucketMs)} />
        <Legend {...LEGEND} />
        {ORDER.map((s, i) => (
          <Bar
            key={s}
            dataKey={s}
            name={STATUS_STYLE[s].label}
            stackId="runs"
            fill={STATUS_FILL[s]}
            radius={i === ORDER.length - 1 ? [3, 3, 0, 0] : 0}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
