"use client";

import { useEffect, useState } from "react";

/**
 * Puts text on the clipboard. The async clipboard API needs a secure context (https or
 * localhost); a dashboard reached over plain http on another host falls back to a
 * hidden textarea and the older copy command.
 */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall back below
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand("copy");
  } finally {
    area.remove();
  }
}

/** A button that copies `text()` (built on click, so a big value is not stringified per render) and says so. */
export function CopyButton({ text, label, children = "Copy", className }: { text: () => string; label: string; children?: React.ReactNode; className?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const t = setTimeout(() => setState("idle"), 1500);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <button type="button" aria-label={label} title={label} className={className} onClick={() => copyText(text()).then((ok) => setState(ok ? "copied" : "failed"))}>
      <span aria-live="polite">{state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : children}</span>
    </button>
  );
}
