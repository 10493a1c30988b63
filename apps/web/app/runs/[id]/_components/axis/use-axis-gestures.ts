"use client";

import { type RefObject, useEffect } from "react";
import { panWindow, type TimeWindow, zoomWindow } from "./time-window";
import type { WindowUpdate } from "./use-time-window";

interface Options {
  /** Where the wheel zooms and pans (the whole timeline). */
  area: RefObject<HTMLElement | null>;
  /** Where a drag pans (the rows). */
  rows: RefObject<HTMLElement | null>;
  /** The bar column's box: pointer positions are read against it. */
  axis: RefObject<HTMLElement | null>;
  /** The window as last rendered (a drag pans from where it began). */
  current: RefObject<TimeWindow>;
  update: (change: WindowUpdate) => void;
  /** Re-attach when the rows appear (a live run's first task) or go. */
  hasRows: boolean;
}

/** A pointer must move this far before a press on the bars becomes a drag (and not a click). */
const DRAG_SLOP_PX = 4;

/** Wheel delta in pixels, whatever unit the device reports. */
function pixels(delta: number, mode: number): number {
  return mode === 1 ? delta * 16 : mode === 2 ? delta * 400 : delta;
}

/**
 * Zoom and pan of the time axis with the pointer, as trace viewers do it:
 * Ctrl/⌘ + wheel (and trackpad pinch, which the browser sends as Ctrl + wheel) zooms
 * around the pointer; Shift + wheel and horizontal wheels pan; dragging the bars pans;
 * a plain vertical wheel is left alone and scrolls the rows. Changes are applied once
 * per animation frame, however many events arrive.
 */
export function useAxisGestures({ area, rows, axis, current, update, hasRows }: Options): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: the rows element comes and goes with hasRows
  useEffect(() => {
    const areaEl = area.current;
    const rowsEl = rows.current;
    if (!areaEl) return;
    let frame = 0;
    let zoom = 1;
    let anchor = 0.5;
    let panPx = 0;
    let drag: { id: number; x: number; start: TimeWindow; width: number; dx: number; moved: boolean } | null = null;

    const axisBox = () => axis.current?.getBoundingClientRect() ?? null;
    const flush = () => {
      frame = 0;
      const z = zoom;
      const p = panPx;
      const d = drag;
      zoom = 1;
      panPx = 0;
      const width = axisBox()?.width ?? 1;
      update((w, extent) => {
        if (d?.moved) return panWindow(d.start, (-d.dx / d.width) * (d.start.end - d.start.start), extent);
        let next = z === 1 ? w : zoomWindow(w, z, anchor, extent);
        if (p !== 0) next = panWindow(next, (p / width) * (next.end - next.start), extent);
        return next;
      });
    };
    const schedule = () => {
      frame ||= requestAnimationFrame(flush);
    };

    const onWheel = (e: WheelEvent) => {
      const dx = pixels(e.deltaX, e.deltaMode);
      const dy = pixels(e.deltaY, e.deltaMode);
      if (e.ctrlKey || e.metaKey) {
        e.preventDefault();
        const box = axisBox();
        if (box && box.width > 0) anchor = (e.clientX - box.left) / box.width;
        // A mouse notch is ~100 px (≈ ×1.22); a pinch sends many small deltas, each worth more.
        const rate = Math.abs(dy) >= 50 ? 0.002 : 0.01;
        zoom *= Math.exp(Math.min(Math.max(dy * rate, -0.7), 0.7));
        schedule();
      } else if (e.shiftKey || Math.abs(dx) > Math.abs(dy)) {
        e.preventDefault();
        panPx += Math.abs(dx) > Math.abs(dy) ? dx : dy;
        schedule();
      }
    };

    const onDown = (e: PointerEvent) => {
      const box = axisBox();
      if (e.button !== 0 || !box || e.clientX < box.left || e.clientX > box.right) return;
      drag = { id: e.pointerId, x: e.clientX, start: current.current, width: Math.max(box.width, 1), dx: 0, moved: false };
    };
    const onMove = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.id) return;
      drag.dx = e.clientX - drag.x;
      if (!drag.moved && Math.abs(drag.dx) < DRAG_SLOP_PX) return;
      if (!drag.moved) {
        drag.moved = true;
        rowsEl?.setPointerCapture(e.pointerId);
        rowsEl?.setAttribute("data-panning", "");
      }
      schedule();
    };
    const swallowClick = (e: MouseEvent) => {
      e.stopPropagation();
      e.preventDefault();
    };
    const onUp = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.id) return;
      if (drag.moved) {
        // The click that ends a drag must not select the row it ended on.
        rowsEl?.addEventListener("click", swallowClick, { capture: true, once: true });
        setTimeout(() => rowsEl?.removeEventListener("click", swallowClick, { capture: true }), 0);
        rowsEl?.removeAttribute("data-panning");
      }
      drag = null;
    };

    areaEl.addEventListener("wheel", onWheel, { passive: false });
    rowsEl?.addEventListener("pointerdown", onDown);
    rowsEl?.addEventListener("pointermove", onMove);
    rowsEl?.addEventListener("pointerup", onUp);
    rowsEl?.addEventListener("pointercancel", onUp);
    return () => {
      cancelAnimationFrame(frame);
      areaEl.removeEventListener("wheel", onWheel);
      rowsEl?.removeEventListener("pointerdown", onDown);
      rowsEl?.removeEventListener("pointermove", onMove);
      rowsEl?.removeEventListener("pointerup", onUp);
      rowsEl?.removeEventListener("pointercancel", onUp);
    };
  }, [area, rows, axis, current, update, hasRows]);
}
