"use client";

import type { RunSummaryView, RunView, TaskSummaryView } from "@runtrail/db";
import { startTransition, useCallback, useEffect, useRef, useState } from "react";
import { TaskIndex } from "../tasks/task-index";
import { loadTimeline } from "./timeline-loader";

/** `connecting`: the stream is being opened for the first time; `live`: it is open; `reconnecting`: it dropped and is coming back; `off`: the run has ended. */
export type Connection = "connecting" | "live" | "reconnecting" | "off";

/** The rest of a big run's timeline: still arriving, all in, or given up on. */
export type Loading =
  /** `waiting`: tasks that arrived and wait for the timeline's next redraw. */
  { state: "loading"; waiting: number } | { state: "done" } | { state: "failed"; message: string };

interface State {
  run: RunView;
  /** Updated in place (task-index.ts); `revision` says when it changed. */
  tasks: TaskIndex;
  revision: number;
}

/** After the browser gives up on a stream (a 5xx answer), open a new one this much later. */
const RETRY_MS = 3000;
/** Messages arriving within this window are applied in one render. */
const BATCH_MS = 50;
/** Chunks of a big run's timeline are applied at most this often. */
const APPLY_EVERY_MS = 2000;

/**
 * The run and its tasks, kept current over `/runs/:id/live` while the run is running:
 * the stream starts at the version the page was rendered with, so it carries only
 * what changed since; it stops at `end`. Messages arriving together are applied in
 * one render, so a burst of 1,000-task chunks stays cheap.
 *
 * A big run's page holds only its first tasks; `rest` (a URL) says more follow.
 * They stream in from `/runs/:id/timeline` (timeline-loader.ts) and are applied by
 * version like live changes, so whichever of a chunk and a live message arrives first,
 * the newest copy of each task stays. Each apply updates the held TaskIndex in place,
 * at a cost that follows what changed, and bumps `revision` for the render.
 */
export function useLiveRun(
  initialRun: RunView,
  initialTasks: readonly TaskSummaryView[],
  rest: string | null,
): State & { connection: Connection; loading: Loading; retryLoading: () => void } {
  const [state, setState] = useState<State>(() => {
    const tasks = new TaskIndex(initialTasks);
    return { run: initialRun, tasks, revision: tasks.revision };
  });
  const index = state.tasks;
  const [connection, setConnection] = useState<Connection>(initialRun.status === "running" ? "connecting" : "off");
  const [loading, setLoading] = useState<Loading>(rest === null ? { state: "done" } : { state: "loading", waiting: 0 });

  // Newer server data (router.refresh after a failed cancel) is applied over what we
  // hold: it may be only the first tasks of a run whose rest has loaded since.
  const [seen, setSeen] = useState(initialRun);
  if (seen !== initialRun) {
    setSeen(initialRun);
    if (initialRun.version > state.run.version) {
      index.apply(initialTasks);
      setState({ run: initialRun, tasks: index, revision: index.revision });
    }
  }

  // The rest of a big run, once per page view: a refresh's new URL would only repeat it.
  const restFrom = useRef(rest);
  const runIdForRest = initialRun.id;
  const [round, setRound] = useState(0);
  useEffect(() => {
    const url = restFrom.current;
    if (url === null) return;
    const abort = new AbortController();
    // Each apply lays the timeline's rows out again (one walk over the tree): chunks are
    // applied at most once per APPLY_EVERY_MS. The first goes at once, so there is more
    // to scroll to soon; the last goes with "done".
    let pending: TaskSummaryView[][] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let applied = Number.NEGATIVE_INFINITY;
    let waiting = 0;
    const apply = (then: Loading = { state: "loading", waiting: 0 }) => {
      clearTimeout(timer);
      timer = undefined;
      const tasks = pending.flat();
      pending = [];
      waiting = 0;
      applied = performance.now();
      // A transition: scrolling and clicks go first while a big chunk is laid out.
      startTransition(() => {
        if (tasks.length > 0 && index.apply(tasks)) setState((s) => ({ ...s, revision: index.revision }));
        setLoading(then);
      });
    };
    const arrived = (tasks: TaskSummaryView[]) => {
      pending.push(tasks);
      waiting += tasks.length;
      // Only a number: the pill counts what arrived while the timeline waits for its redraw.
      setLoading({ state: "loading", waiting });
      timer ??= setTimeout(() => apply(), Math.max(0, applied + APPLY_EVERY_MS - performance.now()));
    };
    // Each round starts over from the first cursor: what arrived before is ignored by version.
    void round;
    loadTimeline(runIdForRest, url, arrived, abort.signal).then(
      () => apply({ state: "done" }),
      (err: unknown) => {
        if (!abort.signal.aborted) apply({ state: "failed", message: err instanceof Error ? err.message : String(err) });
      },
    );
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [runIdForRest, round, index]);
  const retryLoading = useCallback(() => {
    setLoading({ state: "loading", waiting: 0 });
    setRound((r) => r + 1);
  }, []);

  // The version a (re)opened stream starts after: what this page already holds.
  const version = useRef(state.run.version);
  useEffect(() => {
    version.current = state.run.version;
  }, [state.run.version]);
  const runId = state.run.id;
  const running = state.run.status === "running";

  useEffect(() => {
    if (!running) {
      setConnection("off");
      return;
    }
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let batch: ReturnType<typeof setTimeout> | undefined;
    let pendingTasks: TaskSummaryView[] = [];
    // `run` messages are summaries (no input, output, metadata, error stack): they go over
    // the run held, which keeps those from the page; `end` brings the whole run.
    let pendingRun: RunSummaryView | RunView | null = null;

    const flush = () => {
      batch = undefined;
      const tasks = pendingTasks;
      const run = pendingRun;
      pendingTasks = [];
      pendingRun = null;
      if (tasks.length > 0) index.apply(tasks);
      setState((s) => ({ run: run && run.version >= s.run.version ? { ...s.run, ...run } : s.run, tasks: index, revision: index.revision }));
    };
    const schedule = () => {
      batch ??= setTimeout(flush, BATCH_MS);
    };

    const open = () => {
      const es = new EventSource(`/runs/${encodeURIComponent(runId)}/live?since=${version.current}`);
      source = es;
      es.onopen = () => setConnection("live");
      es.addEventListener("tasks", (e) => {
        // Summaries, as the page holds them; the task panel fetches a task's payloads.
        for (const t of JSON.parse(e.data) as TaskSummaryView[]) pendingTasks.push(t);
        schedule();
      });
      es.addEventListener("run", (e) => {
        pendingRun = JSON.parse(e.data) as RunSummaryView;
        schedule();
      });
      es.addEventListener("end", (e) => {
        pendingRun = JSON.parse(e.data) as RunView;
        es.close();
        setConnection("off");
        schedule();
      });
      es.onerror = () => {
        if (es.readyState === EventSource.CLOSED && source === es) {
          // The browser retries dropped connections itself, but not error answers.
          retry = setTimeout(open, RETRY_MS);
        }
        setConnection((c) => (c === "off" ? c : "reconnecting"));
      };
    };
    open();
    return () => {
      source?.close();
      source = null;
      clearTimeout(retry);
      clearTimeout(batch);
    };
  }, [runId, running, index]);

  return { ...state, connection, loading, retryLoading };
}
