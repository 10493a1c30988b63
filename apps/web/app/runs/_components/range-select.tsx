"use client";

import { RANGES, type RangeKey } from "./ranges";

/** The time range preset; with JavaScript, choosing one applies it at once (the form's button does without). */
export function RangeSelect({ value }: { value: RangeKey }) {
  return (
    <select
      name="range"
      defaultValue={value}
      aria-label="Time range"
      onChange={(e) => e.currentTarget.form?.requestSubmit()}
      className="rounded-md border-0 bg-white py-1.5 pr-8 pl-2.5 text-sm text-zinc-800 ring-1 ring-zinc-200 focus:ring-2 focus:ring-zinc-400"
    >
      <option value="all">All time</option>
      {RANGES.map((r) => (
        <option key={r.key} value={r.key}>
          {r.label}
        </option>
      ))}
      {value === "custom" && <option value="custom">Custom range</option>}
    </select>
  );
}
