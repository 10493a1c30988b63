"use client";

import { type RefObject, useEffect } from "react";
import { formatOffset } from "./timeline-scale";
import type { TimeWindow } from "./time-window";

interface Options {
  /** Where the pointer is followed (the rows). */
  rows: RefObject<HTMLElement | null>;
  /** The bar column's box. */
  axis: RefObject<HTMLElement | null>;
  /** A vertical line across the rows and a time label on the axis, moved by this hook. */
  line: RefObject<HTMLElement | null>;
  label: RefObject<HTMLElement | null>;
  current: RefObject<TimeWindow>;
  hasRows: boolean;
}

/**
 * A vertical line under the pointer with its time on the axis, as in a performance
 * panel: "when was this?" without counting grid lines. Moved by writing styles
 * directly, so following the pointer renders nothing in React.
 */
export function useCursorLine({ rows, axis, line, label, current, hasRows }: Options): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: the rows element comes and goes with hasRows
  useEffect(() => {
    const el = rows.current;
    if (!el) return;
    const hide = () => {
      if (line.current) line.current.style.visibility = "hidden";
      if (label.current) label.current.style.visibility = "hidden";
    };
    const onMove = (e: PointerEvent) => {
      const box = axis.current?.getBoundingClientRect();
      const x = box ? e.clientX - box.left : -1;
      if (!box || x < 0 || x > box.width || e.pointerType === "touch") return hide();
      const w = current.current;
      const at = w.start + (x / box.width) * (w.end - w.start);
      for (const node of [line.current, label.current]) {
        if (!node) continue;
        node.style.visibility = "visible";
        node.style.left = `${x}px`;
      }
      if (label.current) label.current.textContent = formatOffset(at, w.end - w.start);
    };
    el.addEventListener("pointermove", onMove);
    el.addEventListener("pointerleave", hide);
    return () => {
      el.removeEventListener("pointermove", onMove);
      el.removeEventListener("pointerleave", hide);
    };
  }, [rows, axis, line, label, current, hasRows]);
}
