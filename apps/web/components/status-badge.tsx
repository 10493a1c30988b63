import { type AnyStatus, STATUS_STYLE } from "./status";

export function StatusBadge({ status, size = "sm" }: { status: AnyStatus; size?: "sm" | "md" }) {
  const s = STATUS_STYLE[status];
  const pad = size === "md" ? "px-2.5 py-1 text-sm" : "px-2 py-0.5 text-xs";
  return (
    <span className={`inline-flex items-center gap-1.5 rounded-full font-medium ring-1 ring-inset ${pad} ${s.badge}`}>
      <span className={`size-1.5 rounded-full ${s.dot} ${status === "running" ? "animate-pulse" : ""}`} />
      {s.label}
    </span>
  );
}
