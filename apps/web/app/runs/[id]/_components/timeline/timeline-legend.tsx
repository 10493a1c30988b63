import { STATUS_STYLE } from "@/components/status";
import { LEVEL_STYLE } from "../log-markers/log-marker-layout";

const STATUSES = ["running", "completed", "failed", "skipped", "cancelled"] as const;
const LEVELS = ["debug", "info", "warn", "error"] as const;

interface Props {
  /** Markers loaded; 0 hides the log part. */
  markersShown: number;
  /** The run has more logs than were loaded. */
  truncated: boolean;
  logCount: number;
}

/** What the colours mean (bars and log markers), and how many of the run's logs are drawn. */
export function TimelineLegend({ markersShown, truncated, logCount }: Props) {
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-1.5 border-t border-zinc-100 px-4 py-2 text-xs text-zinc-500">
      <ul className="flex flex-wrap items-center gap-x-4 gap-y-1" aria-label="Task statuses">
        {STATUSES.map((s) => (
          <li key={s} className="flex items-center gap-1.5">
            <span className={`h-2 w-3.5 rounded-sm ${STATUS_STYLE[s].bar}`} />
            {STATUS_STYLE[s].label}
          </li>
        ))}
      </ul>
      {markersShown > 0 && (
        <ul className="flex flex-wrap items-center gap-x-3 gap-y-1 border-l border-zinc-200 pl-4" aria-label="Log levels">
          <li className="text-zinc-400">Logs</li>
          {LEVELS.map((l) => (
            <li key={l} className="flex items-center gap-1.5">
              <span className={`rounded-full ${LEVEL_STYLE[l].marker}`} />
              {LEVEL_STYLE[l].label}
            </li>
          ))}
        </ul>
      )}
      {truncated && (
        <p className="ml-auto text-amber-700" data-testid="log-markers-capped">
          First {markersShown.toLocaleString("en-US")} of {logCount.toLocaleString("en-US")} logs shown
        </p>
      )}
    </div>
  );
}
