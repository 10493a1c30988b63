"use client";

import type { RunView } from "@runtrail/db";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { addWithAncestors, ancestorsOf } from "../tasks/error-filter";
import type { MarkerHover } from "../log-markers/log-marker-dots";
import { MarkerTooltip } from "../log-markers/marker-tooltip";
import type { TaskIndex } from "../tasks/task-index";
import { spanOf } from "../tasks/task-times";
import { TimelineAxis } from "../axis/timeline-axis";
import { TimelineHelp } from "./timeline-help";
import { TimelineLegend } from "./timeline-legend";
import { TimelineMinimap } from "../minimap/timeline-minimap";
import { TimelineRows } from "./timeline-rows";
import { TimelineToolbar } from "./timeline-toolbar";
import { ticksBetween, tickStep } from "../axis/timeline-scale";
import { parseWindowParam, revealSpan, zoomWindow } from "../axis/time-window";
import { useAxisGestures } from "../axis/use-axis-gestures";
import { useCursorLine } from "../axis/use-cursor-line";
import { useLogMarkers } from "../log-markers/use-log-markers";
import { useTimeWindow } from "../axis/use-time-window";
import { useTimelineKeys } from "./use-timeline-keys";

interface Props {
  run: RunView;
  /** The run's tasks, updated in place; `revision` changes with them. */
  index: TaskIndex;
  revision: number;
  now: number;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
}

/** One tick label per this many pixels of axis. */
const PX_PER_TICK = 110;

function setUrlFlag(name: string, on: boolean) {
  const url = new URL(window.location.href);
  if (on) url.searchParams.set(name, "1");
  else url.searchParams.delete(name);
  window.history.replaceState(null, "", url);
}

/**
 * The run's tasks as a collapsible tree against a zoomable time axis, with an overview
 * of the whole run, log markers, an errors-only filter and failure navigation. The
 * index keeps the tree, bounds and failures as tasks change (task-index.ts), so a live
 * change costs one walk laying the rows out, memoised on the revision (or the filter,
 * the collapsed set); zooming, panning and scrolling re-render only the toolbar, the
 * axis and the few dozen rows in view.
 */
export function Timeline({ run, index, revision, now, selectedId, onSelect }: Props) {
  const params = useSearchParams();
  const [errorsOnly, setErrorsOnly] = useState(() => params.get("errors") === "1");
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const [helpOpen, setHelpOpen] = useState(false);
  const [hover, setHover] = useState<MarkerHover | null>(null);

  const tasks = index.ordered;
  const byId = index.byId;
  // The index changes in place: each value below is read again when the revision moves.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the revision stands for the index's content
  const times = useMemo(() => index.bounds(), [index, revision]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: as above
  const failures = useMemo(() => index.failures(), [index, revision]);
  const problemCount = index.problemCount;

  // Errors only: the problem tasks and their ancestors, plus the selection (so it never vanishes).
  // biome-ignore lint/correctness/useExhaustiveDependencies: as above
  const errorIds = useMemo(() => (errorsOnly ? index.errorIds() : null), [errorsOnly, index, revision]);
  const extraId = errorIds && selectedId !== null && byId.has(selectedId) && !errorIds.has(selectedId) ? selectedId : null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: as above
  const keep = useMemo(() => (errorIds && extraId ? addWithAncestors(new Set(errorIds), extraId, byId) : errorIds), [errorIds, extraId, byId, revision]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: as above
  const rows = useMemo(() => index.rows(collapsed, keep), [index, revision, collapsed, keep]);
  const selectedIndex = useMemo(() => (selectedId === null ? -1 : rows.findIndex((r) => r.task.id === selectedId)), [rows, selectedId]);

  const t0 = Math.min(Date.parse(run.startedAt), times.min);
  const t1 = Math.max(run.endedAt ? Date.parse(run.endedAt) : now, times.max, times.running ? now : Number.NEGATIVE_INFINITY);
  const extent = Math.max(t1 - t0, 1);
  const { window: win, zoomed, update, reset } = useTimeWindow(extent, parseWindowParam(params.get("window")));
  const current = useRef(win);
  useLayoutEffect(() => {
    current.current = win;
  });

  const section = useRef<HTMLElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const axis = useRef<HTMLDivElement>(null);
  const [axisWidth, setAxisWidth] = useState(800);
  const hasRows = rows.length > 0;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the axis element comes and goes with the rows
  useLayoutEffect(() => {
    const el = axis.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setAxisWidth(el.clientWidth));
    observer.observe(el);
    setAxisWidth(el.clientWidth);
    return () => observer.disconnect();
  }, [hasRows]);
  useAxisGestures({ area: section, rows: box, axis, current, update, hasRows });
  const cursorLine = useRef<HTMLSpanElement>(null);
  const cursorLabel = useRef<HTMLSpanElement>(null);
  useCursorLine({ rows: box, axis, line: cursorLine, label: cursorLabel, current, hasRows });

  const markers = useLogMarkers(run.id, run.logCount);
  const step = tickStep(win.end - win.start, Math.max(Math.floor(axisWidth / PX_PER_TICK), 2));
  const marks = ticksBetween(win.start, win.end, step);

  // Stable, so the memoised rows do not all re-render when the selection moves.
  const treeState = useRef({ selectedId, collapsed, byId });
  useLayoutEffect(() => {
    treeState.current = { selectedId, collapsed, byId };
  });
  const toggle = useCallback(
    (id: string) => {
      const { selectedId: sel, collapsed: closed, byId: tasksById } = treeState.current;
      // Collapsing the branch that holds the selection moves the selection up to it.
      if (sel !== null && !closed.has(id) && ancestorsOf(sel, tasksById).includes(id)) onSelect(id);
      setCollapsed((prev) => {
        const next = new Set(prev);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      });
    },
    [onSelect],
  );

  // A new selection (keys, a failure jump, the banner, a ?task= link) is brought into
  // view: its collapsed ancestors open, and a zoomed axis pans to its bar.
  const revealed = useRef<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a task that arrives later (a ?task= link) is revealed then
  useEffect(() => {
    if (selectedId === null) revealed.current = null;
    const task = selectedId === null ? undefined : byId.get(selectedId);
    if (!task || revealed.current === selectedId) return;
    revealed.current = selectedId;
    const closed = ancestorsOf(task.id, byId).filter((a) => collapsed.has(a));
    if (closed.length > 0) setCollapsed((prev) => new Set([...prev].filter((id) => !closed.includes(id))));
    const span = spanOf(task, now);
    if (span) update((w, ext) => revealSpan(w, span.start - t0, span.end - t0, ext));
  }, [selectedId, byId, revision, collapsed, now, t0, update]);

  const toggleErrors = useCallback(() => {
    setErrorsOnly(!errorsOnly);
    setUrlFlag("errors", !errorsOnly);
  }, [errorsOnly]);

  const keys = useTimelineKeys({
    rows,
    selectedIndex,
    selectedId,
    collapsed,
    failures,
    box,
    onSelect,
    toggle,
    toggleErrors,
    openHelp: () => setHelpOpen(true),
    helpOpen,
    update,
    reset,
    zoomAnchor: () => {
      const task = selectedId === null ? undefined : byId.get(selectedId);
      const span = task && spanOf(task, now);
      const w = current.current;
      const at = span ? (span.start + span.end) / 2 - t0 : (w.start + w.end) / 2;
      return at >= w.start && at <= w.end ? (at - w.start) / (w.end - w.start) : 0.5;
    },
    taskSpan: (id) => {
      const task = byId.get(id);
      const span = task && spanOf(task, now);
      return span ? { start: span.start - t0, end: span.end - t0 } : null;
    },
  });

  const failureIndex = selectedId === null ? -1 : failures.findIndex((f) => f.id === selectedId);
  return (
    <section ref={section} className="relative overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm" aria-label="Timeline" onKeyDown={keys.onKeyDown}>
      <TimelineToolbar
        taskCount={tasks.length}
        shownCount={errorsOnly ? rows.length : null}
        window={win}
        extent={extent}
        zoomed={zoomed}
        onZoom={(d) => (d === "reset" ? reset() : update((w, ext) => zoomWindow(w, d === "in" ? 1 / 1.6 : 1.6, 0.5, ext)))}
        errorsOnly={errorsOnly}
        problemCount={problemCount}
        onErrorsOnly={toggleErrors}
        failureCount={failures.length}
        failureIndex={failureIndex}
        onFailure={keys.jumpToFailure}
        onHelp={() => setHelpOpen(true)}
      />
      {tasks.length === 0 ? (
        <p className="px-4 py-12 text-center text-sm text-zinc-500">This run has recorded no tasks yet.</p>
      ) : (
        <>
          <TimelineMinimap index={index} revision={revision} live={run.endedAt === null} t0={t0} extent={extent} window={win} update={update} />
          {hasRows ? (
            <TimelineRows
              box={box}
              rows={rows}
              collapsed={collapsed}
              selectedId={selectedId}
              selectedIndex={selectedIndex}
              from={t0 + win.start}
              span={win.end - win.start}
              now={now}
              running={run.status === "running"}
              markers={markers.byTask}
              cursorLine={cursorLine}
              header={<TimelineAxis axisRef={axis} cursorLabel={cursorLabel} window={win} marks={marks} step={step} t0={t0} runLogs={markers.byTask.get(null)} onMarkerHover={setHover} />}
              marks={marks.map((m) => ((m - win.start) / (win.end - win.start)) * 100)}
              onSelect={onSelect}
              onToggle={toggle}
              onMarkerHover={setHover}
            />
          ) : (
            <div className="px-4 py-12 text-center text-sm text-zinc-500">
              No failed or cancelled tasks in this run.{" "}
              <button type="button" onClick={toggleErrors} className="font-medium text-sky-700 hover:underline">
                Show all tasks
              </button>
            </div>
          )}
          <TimelineLegend markersShown={markers.shown} truncated={markers.truncated} logCount={run.logCount} />
        </>
      )}
      {hover && <MarkerTooltip hover={hover} t0={t0} />}
      <TimelineHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
    </section>
  );
}
