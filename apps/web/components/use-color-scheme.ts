"use client";

import { useSyncExternalStore } from "react";

const DARK_QUERY = "(prefers-color-scheme: dark)";

function subscribe(onChange: () => void): () => void {
  const media = window.matchMedia(DARK_QUERY);
  media.addEventListener("change", onChange);
  // The theme switch writes data-theme on <html> without a reload.
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  return () => {
    media.removeEventListener("change", onChange);
    observer.disconnect();
  };
}

function current(): "light" | "dark" {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === "light" || chosen === "dark") return chosen;
  return window.matchMedia(DARK_QUERY).matches ? "dark" : "light";
}

/**
 * The theme in effect ("light" | "dark"; null while rendering on the server), updated
 * when the switch or the OS setting changes it. CSS follows the theme by itself; code
 * that paints with colours it read from CSS variables (a canvas reading
 * `--color-run-*` through getComputedStyle) puts this in its effect's dependencies
 * to repaint.
 */
export function useColorScheme(): "light" | "dark" | null {
  return useSyncExternalStore(subscribe, current, () => null);
}
