import { formatDuration } from "@/lib/format";

/**
 * Bounded text for MCP tool results: an agent's context is small and shared, so every
 * value is cut at a known length with a marker that says how much is left and which
 * call returns it.
 */

/** `text` cut to `max` characters; the marker names the rest and how to read it (`more`). */
export function cut(text: string, max: number, more?: string): string {
  if (text.length <= max) return text;
  const rest = text.length - max;
  return `${text.slice(0, max).toWellFormed()}… [cut: ${rest.toLocaleString("en-US")} more characters${more ? `; ${more}` : ""}]`;
}

/** A JSON value as compact text ("—" for none). */
export function jsonText(value: unknown, pretty = false): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value, null, pretty ? 2 : undefined) ?? "—";
}

/** One line: newlines folded, cut to `max`. */
export function line(text: string, max: number): string {
  return cut(text.replace(/\s*\n\s*/g, " ⏎ "), max);
}

export const duration = (ms: number | null): string => formatDuration(ms);

/** Milliseconds from `from` to `to` (ISO or Date), as "+1.20 s". */
export function offset(from: string | Date, to: string | Date | null): string {
  if (to === null) return "—";
  const ms = new Date(to).getTime() - new Date(from).getTime();
  return `+${formatDuration(Math.max(0, ms))}`;
}

/** A run status as a tool result says it, with what is still open. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}
