import { OTLP_TAG } from "@/lib/otlp/model";

/**
 * Marks a run that came in over OTLP (OpenTelemetry spans, lib/otlp): such runs carry
 * the tag `otlp`, which the runs list can filter on. Shown instead of that plain tag.
 */

export const isOtlpRun = (tags: readonly string[]): boolean => tags.includes(OTLP_TAG);

/** The tags other than the marker's own. */
export const plainTags = (tags: readonly string[]): string[] => tags.filter((t) => t !== OTLP_TAG);

function TraceIcon() {
  // Three linked nodes: a trace.
  return (
    <svg viewBox="0 0 16 16" className="size-3" aria-hidden="true">
      <circle cx="3.5" cy="4" r="2" fill="currentColor" />
      <circle cx="12.5" cy="8" r="2" fill="currentColor" />
      <circle cx="5.5" cy="12.5" r="2" fill="currentColor" />
      <path d="M3.5 4l9 4-7 4.5" fill="none" stroke="currentColor" strokeWidth="1.3" />
    </svg>
  );
}

/** "OpenTelemetry · <service>" on the run page; "OTel" in the runs list. */
export function OtlpMarker({ service, compact = false }: { service?: unknown; compact?: boolean }) {
  const name = typeof service === "string" && service !== "" ? service : null;
  const title = `Sent as OpenTelemetry spans over OTLP${name ? ` by the service ${name}` : ""}: each span is a task`;
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-md bg-violet-50 font-medium text-violet-800 ring-1 ring-violet-200 ring-inset ${compact ? "px-1.5 py-px text-[11px]" : "px-2 py-0.5 text-xs"}`}
      title={title}
      data-testid="otlp-marker"
    >
      <TraceIcon />
      {compact ? "OTel" : "OpenTelemetry"}
      {!compact && name && <span className="font-normal text-violet-700">· {name}</span>}
    </span>
  );
}
