"use client";

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { AXIS, dayTicks, bucketLabel, bucketTick, GRID, STATUS_FILL, TOOLTIP_STYLE } from "./chart-theme";

/** `rate` is a percentage, null for a bucket in which no run finished: no point there (the line bridges it), not a zero. */
export interface RateRow {
  start: string;
  rate: number | null;
  failed: number;
  finished: number;
}

export function FailureRateChart({ rows, bucketMs }: { rows: RateRow[]; bucketMs: number }) {
  const span = rows.length * bucketMs;
  return (
    <ResponsiveContainer width="100%" height={240}>
      <LineChart data={rows} margin={{ top: 8, right: 12, bottom: 0, left: -4 }}>
        <CartesianGrid vertical={false} stroke={GRID} />
        <XAxis dataKey="start" ticks={dayTicks(rows, bucketMs)} interval="preserveStartEnd" tick={AXIS} tickLine={false} axisLine={false} minTickGap={24} tickFormatter={(v: string) => bucketTick(v, bucketMs, span)} />
        <YAxis domain={[0, 100]} ticks={[0, 25, 50, 75, 100]} tick={AXIS} tickLine={false} axisLine={false} width={48} tickFormatter={(v: number) => `${v}%`} />
        <Tooltip
          {...TOOLTIP_STYLE}
          cursor={{ stroke: "var(--color-zinc-300)" }}
          labelFormatter={(v) => bucketLabel(String(v), bucketMs)}
          formatter={(value, _name, item) => {
            const row = item.payload as RateRow;
            return [`${Number(value).toFixed(1)}% (${row.failed} of ${row.finished})`, "Failure rate"];
          }}
        />
        <Line
          type="monotone"
          dataKey="rate"
          name="Failure rate"
          stroke={STATUS_FILL.failed}
          strokeWidth={2}
          dot={{ r: 2.5, strokeWidth: 0, fill: STATUS_FILL.failed }}
          activeDot={{ r: 4 }}
          connectNulls
          isAnimationActive={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}
