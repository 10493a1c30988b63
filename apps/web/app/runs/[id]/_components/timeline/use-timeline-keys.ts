"use client";

import type { TaskSummaryView } from "@runtrail/db";
import { type KeyboardEvent as ReactKeyboardEvent, type RefObject, useCallback, useEffect, useRef } from "react";
import { stepFailure } from "../tasks/error-filter";
import type { TreeRow } from "../tasks/task-index";
import { actionFor, type TimelineAction } from "./timeline-keys";
import { ROW_HEIGHT } from "./timeline-row";
import { fitWindow, panWindow, zoomWindow } from "../axis/time-window";
import { treeMove } from "./tree-nav";
import type { WindowUpdate } from "../axis/use-time-window";

interface Options {
  rows: readonly TreeRow[];
  selectedIndex: number;
  selectedId: string | null;
  collapsed: ReadonlySet<string>;
  failures: readonly TaskSummaryView[];
  box: RefObject<HTMLDivElement | null>;
  onSelect: (id: string | null) => void;
  toggle: (id: string) => void;
  toggleErrors: () => void;
  openHelp: () => void;
  helpOpen: boolean;
  update: (change: WindowUpdate) => void;
  reset: () => void;
  /** Where keyboard zoom centres, as a fraction of the window: the selected task when in view. */
  zoomAnchor: () => number;
  /** A task's span in ms from the run's start. */
  taskSpan: (id: string) => { start: number; end: number } | null;
}

/** Keyboard zoom steps by this factor; pans move this fraction of the window. */
const ZOOM_STEP = 1.6;
const PAN_STEP = 0.2;

/** Keys a focused control needs for itself (a button's Enter and Space are not ours anyway). */
function ownsKey(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || target.closest("dialog") !== null);
}

/**
 * The timeline's keyboard: one handler for the timeline (rows, toolbar, overview) and
 * for the page when nothing else has the focus, so `n` or `?` work right after the
 * page opens. The keys are in timeline-keys.ts.
 */
export function useTimelineKeys(o: Options) {
  const { rows, selectedIndex, selectedId, failures, onSelect } = o;

  const jumpToFailure = useCallback(
    (which: "first" | "previous" | "next") => {
      const target = which === "first" ? failures[0] : stepFailure(failures, selectedId, which === "next" ? 1 : -1);
      if (target) onSelect(target.id);
    },
    [failures, selectedId, onSelect],
  );

  const run = (action: TimelineAction): void => {
    const moveTo = (index: number) => {
      const row = rows[Math.min(Math.max(index, 0), rows.length - 1)];
      if (row) onSelect(row.task.id);
    };
    const page = Math.max(Math.floor((o.box.current?.clientHeight ?? 600) / ROW_HEIGHT) - 2, 1);
    const zoom = (factor: number) => {
      const anchor = o.zoomAnchor();
      o.update((w, ext) => zoomWindow(w, factor, anchor, ext));
    };
    const pan = (fraction: number) => o.update((w, ext) => panWindow(w, fraction * (w.end - w.start), ext));
    const tree = (key: "left" | "right") => {
      const move = treeMove(rows, selectedIndex, o.collapsed, key);
      if (move.kind === "toggle") o.toggle(move.id);
      if (move.kind === "select") moveTo(move.index);
    };
    const fitSelected = () => {
      const span = selectedId === null ? null : o.taskSpan(selectedId);
      if (span) o.update((_, ext) => fitWindow(span.start, span.end, ext));
    };
    const actions: Record<TimelineAction, () => void> = {
      down: () => moveTo(selectedIndex + 1),
      up: () => moveTo(selectedIndex < 0 ? 0 : selectedIndex - 1),
      pageDown: () => moveTo(selectedIndex + page),
      pageUp: () => moveTo(selectedIndex - page),
      first: () => moveTo(0),
      last: () => moveTo(rows.length - 1),
      collapse: () => tree("left"),
      expand: () => tree("right"),
      deselect: () => onSelect(null),
      zoomIn: () => zoom(1 / ZOOM_STEP),
      zoomOut: () => zoom(ZOOM_STEP),
      zoomReset: o.reset,
      zoomToTask: fitSelected,
      panLeft: () => pan(-PAN_STEP),
      panRight: () => pan(PAN_STEP),
      errorsOnly: o.toggleErrors,
      firstFailure: () => jumpToFailure("first"),
      nextFailure: () => jumpToFailure("next"),
      previousFailure: () => jumpToFailure("previous"),
      help: o.openHelp,
    };
    actions[action]();
  };

  const handle = (e: KeyboardEvent | ReactKeyboardEvent): void => {
    if (o.helpOpen || e.defaultPrevented || ownsKey(e.target)) return;
    const action = actionFor(e);
    if (!action) return;
    e.preventDefault();
    run(action);
  };

  // Nothing focused (the page just opened, or a click on plain text): the keys still work.
  const latest = useRef(handle);
  useEffect(() => {
    latest.current = handle;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target === document.body || e.target === document.documentElement) latest.current(e);
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  return { onKeyDown: handle, jumpToFailure };
}
