import { describe, expect, it } from "vitest";
import {
  centreWindow,
  clampWindow,
  fitWindow,
  formatWindowParam,
  isWholeRun,
  MIN_WINDOW_MS,
  panWindow,
  parseWindowParam,
  revealSpan,
  zoomWindow,
} from "./time-window";

const EXTENT = 1000;

describe("zoomWindow", () => {
  it("keeps the anchor point still while the width scales", () => {
    const w = zoomWindow({ start: 0, end: 1000 }, 0.5, 0.25, EXTENT);
    expect(w).toEqual({ start: 125, end: 625 });
    // The anchor (a quarter in) is the same time before and after.
    expect(w.start + 0.25 * (w.end - w.start)).toBe(250);
  });

  it("zooming in then out by the inverse factor round-trips", () => {
    const w = { start: 200, end: 600 };
    const back = zoomWindow(zoomWindow(w, 0.8, 0.3, EXTENT), 1 / 0.8, 0.3, EXTENT);
    expect(back.start).toBeCloseTo(200, 9);
    expect(back.end).toBeCloseTo(600, 9);
  });

  it("never zooms out past the whole run nor in past the narrowest window", () => {
    expect(zoomWindow({ start: 100, end: 900 }, 10, 0.5, EXTENT)).toEqual({ start: 0, end: 1000 });
    const tiny = zoomWindow({ start: 500, end: 501 }, 1e-6, 0.5, EXTENT);
    expect(tiny.end - tiny.start).toBeCloseTo(MIN_WINDOW_MS, 12);
    expect(tiny.start).toBeCloseTo(500.45, 9);
  });

  it("slides a window that would cross an edge back inside the run", () => {
    expect(zoomWindow({ start: 0, end: 200 }, 2, 0, EXTENT)).toEqual({ start: 0, end: 400 });
    expect(zoomWindow({ start: 900, end: 1000 }, 3, 1, EXTENT)).toEqual({ start: 700, end: 1000 });
    expect(zoomWindow({ start: 0, end: 100 }, 3, 0.5, EXTENT)).toEqual({ start: 0, end: 300 });
  });
});

describe("panWindow and centreWindow", () => {
  it("moves by the delta and stops at the run's edges, keeping the width", () => {
    expect(panWindow({ start: 100, end: 300 }, 50, EXTENT)).toEqual({ start: 150, end: 350 });
    expect(panWindow({ start: 100, end: 300 }, -500, EXTENT)).toEqual({ start: 0, end: 200 });
    expect(panWindow({ start: 100, end: 300 }, 5000, EXTENT)).toEqual({ start: 800, end: 1000 });
  });

  it("centres on a time", () => {
    expect(centreWindow({ start: 0, end: 100 }, 500, EXTENT)).toEqual({ start: 450, end: 550 });
    expect(centreWindow({ start: 0, end: 100 }, 990, EXTENT)).toEqual({ start: 900, end: 1000 });
  });
});

describe("clampWindow, fitWindow, revealSpan", () => {
  it("clamps to the run and to the narrowest window", () => {
    expect(clampWindow({ start: -50, end: 2000 }, EXTENT)).toEqual({ start: 0, end: 1000 });
    expect(clampWindow({ start: 10, end: 10 }, EXTENT)).toEqual({ start: 10, end: 10 + MIN_WINDOW_MS });
  });

  it("a run shorter than the narrowest window still gets a window", () => {
    expect(clampWindow({ start: 0, end: 0 }, 0)).toEqual({ start: 0, end: MIN_WINDOW_MS });
  });

  it("fits a span with a margin", () => {
    expect(fitWindow(400, 500, EXTENT)).toEqual({ start: 390, end: 510 });
    expect(fitWindow(0, 0, EXTENT).end).toBeCloseTo(MIN_WINDOW_MS * 1.2, 9);
  });

  it("reveals a span out of view by centring it, leaves one in view alone", () => {
    const w = { start: 100, end: 200 };
    expect(revealSpan(w, 120, 130, EXTENT)).toBe(w);
    expect(revealSpan(w, 600, 620, EXTENT)).toEqual({ start: 560, end: 660 });
    // Wider than the window and already overlapping it: stays.
    expect(revealSpan(w, 50, 400, EXTENT)).toBe(w);
    // Wider than the window and out of view: its start comes to the left edge.
    expect(revealSpan(w, 500, 900, EXTENT)).toEqual({ start: 500, end: 600 });
  });

  it("knows the whole run", () => {
    expect(isWholeRun({ start: 0, end: 1000 }, EXTENT)).toBe(true);
    expect(isWholeRun({ start: 0, end: 999 }, EXTENT)).toBe(false);
  });
});

describe("the ?window= parameter", () => {
  it("round-trips and refuses nonsense", () => {
    expect(formatWindowParam({ start: 12.34567, end: 100 })).toBe("12.346-100");
    expect(parseWindowParam("12.346-100")).toEqual({ start: 12.346, end: 100 });
    expect(parseWindowParam("100-12")).toBeNull();
    expect(parseWindowParam("abc")).toBeNull();
    expect(parseWindowParam("-5-10")).toBeNull();
    expect(parseWindowParam(null)).toBeNull();
  });
});
