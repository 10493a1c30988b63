import type { Page } from "@playwright/test";

/** A piece of visible text whose colour on its background is below WCAG AA. */
export interface ContrastIssue {
  text: string;
  ratio: number;
  required: number;
  color: string;
  background: string;
  element: string;
}

/**
 * Every visible text on the page (HTML text, SVG chart labels, input placeholders)
 * measured against the background behind it: the element's own and its ancestors'
 * background colours composited down to the first opaque one, read back as sRGB by
 * drawing each colour on a 1×1 canvas (so oklch, color-mix and alpha all resolve as
 * the browser paints them). AA is 4.5:1, or 3:1 for large text (24 px, or 18.66 px
 * bold). Text under aria-hidden is decoration and skipped; so is text drawn over a
 * background image, which a single colour cannot describe.
 */
export async function findLowContrastText(page: Page): Promise<ContrastIssue[]> {
  return page.evaluate(() => {
    type Rgba = [number, number, number, number];
    const canvas = document.createElement("canvas");
    canvas.width = 1;
    canvas.height = 1;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    if (!ctx) throw new Error("no 2d canvas");
    const read = (css: string): Rgba => {
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = "#000";
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      const [r = 0, g = 0, b = 0, a = 0] = ctx.getImageData(0, 0, 1, 1).data;
      return [r, g, b, a / 255];
    };
    const over = (top: Rgba, below: Rgba): Rgba => {
      const a = top[3];
      return [top[0] * a + below[0] * (1 - a), top[1] * a + below[1] * (1 - a), top[2] * a + below[2] * (1 - a), 1];
    };
    const luminance = ([r, g, b]: Rgba) => {
      const lin = (c: number) => {
        const s = c / 255;
        return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const ratio = (a: Rgba, b: Rgba) => {
      const [x, y] = [luminance(a), luminance(b)];
      return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
    };
    const hex = (c: Rgba) => `#${c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, "0")).join("")}`;

    /** The colour behind `el`, or null when a background image is in the way. */
    const backdrop = (el: Element): Rgba | null => {
      const layers: Rgba[] = [];
      for (let at: Element | null = el; at; at = at.parentElement) {
        const style = getComputedStyle(at);
        if (style.backgroundImage !== "none") return null;
        const bg = read(style.backgroundColor);
        if (bg[3] > 0) layers.push(bg);
        if (bg[3] >= 1) break;
      }
      let color: Rgba = read(getComputedStyle(document.documentElement).colorScheme.includes("dark") ? "#000" : "#fff");
      for (const layer of layers.reverse()) color = over(layer, color);
      return color;
    };
    const label = (el: Element) => {
      const id = el.getAttribute("data-testid");
      const cls = typeof el.className === "string" ? el.className.split(" ").slice(0, 4).join(".") : "";
      return `${el.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : ""}${cls ? `.${cls}` : ""}`;
    };

    const issues: ContrastIssue[] = [];
    const check = (el: Element, text: string, fg: string, sizeEl: Element) => {
      if (!CSS.supports("color", fg)) return;
      const bg = backdrop(el);
      if (!bg) return;
      const style = getComputedStyle(sizeEl);
      const size = Number.parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      const required = large ? 3 : 4.5;
      const color = over(read(fg), bg);
      const r = ratio(color, bg);
      if (r < required) issues.push({ text: text.slice(0, 60), ratio: Math.round(r * 100) / 100, required, color: hex(color), background: hex(bg), element: label(el) });
    };

    for (const el of document.body.querySelectorAll("*")) {
      if (el.closest("[aria-hidden=true]")) continue;
      if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
      const rect = el.getBoundingClientRect();
      if (rect.width <= 1 || rect.height <= 1) continue;
      if ((el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) && el.placeholder && !el.value) {
        check(el, `placeholder: ${el.placeholder}`, getComputedStyle(el, "::placeholder").color, el);
      }
      const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? "").join("").trim();
      if (!own) continue;
      const fg = el instanceof SVGElement ? getComputedStyle(el).fill : getComputedStyle(el).color;
      check(el, own, fg, el);
    }
    return issues;
  });
}
