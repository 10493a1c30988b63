"use client";

import type { LogView } from "@runtrail/db";
import { useMemo, useState } from "react";
import { JsonNode } from "@/components/json-node";
import { cutString } from "@/components/json-shape";
import { formatDateTime, formatDuration } from "@/lib/format";
import { type LogScope, useLogs } from "./use-logs";

const LEVEL: Record<string, string> = {
  debug: "bg-zinc-100 text-zinc-600",
  info: "bg-sky-50 text-sky-700",
  warn: "bg-amber-50 text-amber-800",
  error: "bg-rose-50 text-rose-700",
};
const LINK = "rounded px-1 text-[11px] font-medium text-sky-700 hover:bg-sky-50 hover:text-sky-900 focus-visible:outline-2 focus-visible:outline-sky-500";

/** A message, cut like the JSON viewer's strings (log messages may run to 64 KiB). */
function Message({ text }: { text: string }) {
  const [whole, setWhole] = useState(false);
  const cut = useMemo(() => cutString(text, 400, 8), [text]);
  return (
    <p className="text-xs leading-5 whitespace-pre-wrap text-zinc-800 wrap-anywhere">
      {whole ? text : cut.head}
      {!whole && cut.hidden > 0 && <span className="text-zinc-400">…</span>}
      {cut.hidden > 0 && (
        <button type="button" className={`${LINK} ml-1`} onClick={() => setWhole(!whole)}>
          {whole ? "show less" : `show all (${cut.hidden.toLocaleString("en-US")} more chars)`}
        </button>
      )}
    </p>
  );
}

function Line({ line, since, taskName, onSelectTask }: { line: LogView; since: number; taskName?: ((id: string) => string | null) | undefined; onSelectTask?: ((id: string) => void) | undefined }) {
  const offset = Date.parse(line.ts) - since;
  const name = line.taskId && taskName ? taskName(line.taskId) : null;
  return (
    <li className="space-y-0.5 px-2.5 py-1.5" data-testid="log-line" data-level={line.level}>
      <div className="flex items-center gap-2 text-[11px]">
        <span className={`rounded px-1.5 py-px font-medium uppercase ${LEVEL[line.level] ?? LEVEL.info}`}>{line.level}</span>
        <time className="text-zinc-400 tabular-nums" dateTime={line.ts} title={formatDateTime(line.ts)}>
          {offset >= 0 ? "+" : "−"}
          {formatDuration(Math.abs(offset))}
        </time>
        {line.taskId && onSelectTask && (
          <button type="button" className={`${LINK} min-w-0 truncate`} onClick={() => line.taskId && onSelectTask(line.taskId)} title="Select this task">
            {name ?? line.taskId}
          </button>
        )}
      </div>
      <Message text={line.message} />
      {line.attributes && Object.keys(line.attributes).length > 0 && (
        <div className="font-mono text-[11px] leading-5 text-zinc-700">
          <JsonNode name="attributes" value={line.attributes} depth={2} />
        </div>
      )}
    </li>
  );
}

interface Props {
  runId: string;
  scope: LogScope;
  /** The run's log count: when it moves, new lines are fetched. */
  revision: number;
  /** Offsets are shown from this time (the task's or the run's start). */
  since: number;
  /** For lines of all tasks: a task's name, and selecting it. */
  taskName?: (id: string) => string | null;
  onSelectTask?: (id: string) => void;
  empty: string;
}

/** Log lines in timeline order with their level, offset, message and attributes, a page at a time. */
export function LogList({ runId, scope, revision, since, taskName, onSelectTask, empty }: Props) {
  const logs = useLogs(runId, scope, revision);
  if (logs.state === "loading") {
    return <div className="h-10 animate-pulse rounded-md bg-zinc-100" aria-busy="true" data-testid="logs-loading" />;
  }
  if (logs.state === "error") {
    return (
      <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
        Could not load the logs ({logs.message}).{" "}
        <button type="button" onClick={logs.retry} className="font-medium underline underline-offset-2">
          Try again
        </button>
      </p>
    );
  }
  if (logs.lines.length === 0) return <p className="text-sm text-zinc-400 italic">{empty}</p>;
  return (
    <div className="overflow-hidden rounded-md ring-1 ring-zinc-200 ring-inset">
      <ol className="max-h-96 divide-y divide-zinc-100 overflow-auto" data-testid="log-list">
        {logs.lines.map((line) => (
          <Line key={line.id} line={line} since={since} taskName={taskName} onSelectTask={onSelectTask} />
        ))}
      </ol>
      {logs.more && (
        <button
          type="button"
          onClick={logs.loadMore}
          disabled={logs.loadingMore}
          className="w-full border-t border-zinc-200 bg-zinc-50 py-1.5 text-xs font-medium text-sky-700 hover:bg-zinc-100 disabled:text-zinc-400"
        >
          {logs.loadingMore ? "Loading…" : `Load more (showing ${logs.lines.length.toLocaleString("en-US")})`}
        </button>
      )}
    </div>
  );
}
