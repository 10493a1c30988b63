"use client";

import type { RunView } from "@runtrail/db";
import { useState } from "react";
import { JsonView } from "@/components/json-view";
import { ErrorBox } from "./error-box";
import { LogList } from "./log-list";
import { Section, UsageFields } from "./panel-parts";

const SCOPES = [
  { id: "run", label: "Run" },
  { id: "all", label: "All tasks" },
] as const;

interface Props {
  run: RunView;
  taskName: (id: string) => string | null;
  onSelect: (id: string) => void;
}

/** Shown while no task is selected: the run's own input, output, metadata and logs. */
export function RunPanel({ run, taskName, onSelect }: Props) {
  const [scope, setScope] = useState<"run" | "all">("run");
  return (
    <aside className="space-y-5 rounded-xl border border-zinc-200 bg-white p-5 shadow-sm" aria-label="Run details" data-testid="run-panel">
      <div>
        <p className="text-[11px] font-medium tracking-wide text-zinc-400 uppercase">Run</p>
        <p className="mt-1 text-sm text-zinc-500">Select a task on the timeline to see its input, output, error and logs.</p>
      </div>
      {(run.status === "failed" || run.status === "timed_out" || run.status === "cancelled") && run.errorMessage && (
        <Section title={run.status === "failed" ? "Error" : run.status === "timed_out" ? "Timed out" : "Cancelled"}>
          {run.status === "failed" ? (
            <ErrorBox message={run.errorMessage} stack={run.errorStack} />
          ) : (
            <p className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm break-words whitespace-pre-wrap text-amber-900">{run.errorMessage}</p>
          )}
        </Section>
      )}
      {(run.usage.inputTokens > 0 || run.usage.outputTokens > 0 || run.usage.costUsd > 0) && (
        <dl className="grid grid-cols-2 gap-x-4 gap-y-3">
          <UsageFields usage={run.usage} />
        </dl>
      )}
      <Section title="Input">
        <JsonView value={run.input} label="input" />
      </Section>
      <Section title="Output">
        <JsonView value={run.output} label="output" />
      </Section>
      {Object.keys(run.metadata).length > 0 && (
        <Section title="Metadata">
          <JsonView value={run.metadata} label="metadata" />
        </Section>
      )}
      <Section
        title="Logs"
        aside={
          <fieldset className="flex rounded-md bg-zinc-100 p-0.5 text-[11px] font-medium">
            <legend className="sr-only">Which log lines</legend>
            {SCOPES.map((s) => (
              <button
                key={s.id}
                type="button"
                aria-pressed={scope === s.id}
                onClick={() => setScope(s.id)}
                className={`rounded px-2 py-0.5 ${scope === s.id ? "bg-white text-zinc-900 shadow-sm" : "text-zinc-500 hover:text-zinc-800"}`}
              >
                {s.label}
              </button>
            ))}
          </fieldset>
        }
      >
        <LogList
          runId={run.id}
          scope={scope}
          revision={run.logCount}
          since={Date.parse(run.startedAt)}
          taskName={taskName}
          onSelectTask={onSelect}
          empty={scope === "run" ? "The run logged nothing of its own (task lines are under All tasks)." : "Nothing was logged in this run."}
        />
      </Section>
    </aside>
  );
}
