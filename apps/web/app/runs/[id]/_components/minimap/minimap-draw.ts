import { MINIMAP_LAYERS, type MinimapBins } from "./minimap-bins";

/** A theme colour (`--color-run-<status>`), read from the canvas's own computed style. */
function themeColour(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

/**
 * Draws the bins as stacked activity columns, one per bin, scaled (square root) to the busiest bin,
 * with a mark at the top of every bin in which a task failed. Colours come from the
 * `--color-run-*` theme variables, so a theme that redefines them recolours this too.
 */
export function drawMinimap(canvas: HTMLCanvasElement, bins: MinimapBins, cssWidth: number, cssHeight: number): void {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.round(cssWidth * ratio);
  const h = Math.round(cssHeight * ratio);
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, cssWidth, cssHeight);
  const style = getComputedStyle(canvas);
  const n = bins.total.length;
  const binW = cssWidth / n;
  const top = 5;
  const usable = cssHeight - top - 1;
  // Square-root heights: one task running alone still reads next to a burst of fifty.
  const heights = new Float32Array(n);
  for (let x = 0; x < n; x++) {
    const total = bins.total[x] ?? 0;
    heights[x] = total === 0 ? 0 : Math.max(Math.sqrt(total / bins.peak) * usable, 1.5);
  }
  const base = new Float32Array(n);
  MINIMAP_LAYERS.forEach((status, l) => {
    const layer = bins.layers[l];
    if (!layer) return;
    ctx.fillStyle = themeColour(style, `--color-run-${status}`, "gray");
    for (let x = 0; x < n; x++) {
      const count = layer[x] ?? 0;
      if (count === 0) continue;
      // The bin's height shared between the statuses in proportion to their counts.
      const height = ((heights[x] ?? 0) * count) / (bins.total[x] ?? 1);
      const y = cssHeight - (base[x] ?? 0) - height;
      ctx.fillRect(x * binW, y, Math.max(binW - 0.25, 0.75), height);
      base[x] = (base[x] ?? 0) + height;
    }
  });
  const failed = themeColour(style, "--color-run-failed", "red");
  ctx.fillStyle = failed;
  for (let x = 0; x < n; x++) {
    if ((bins.failures[x] ?? 0) === 0) continue;
    const cx = x * binW + binW / 2;
    ctx.globalAlpha = 0.35;
    ctx.fillRect(cx - 0.5, top, 1, cssHeight - top);
    ctx.globalAlpha = 1;
    ctx.beginPath();
    ctx.moveTo(cx - 3.5, 0);
    ctx.lineTo(cx + 3.5, 0);
    ctx.lineTo(cx, top + 1);
    ctx.closePath();
    ctx.fill();
  }
}
