"use client";

import { useEffect, useState } from "react";

/**
 * A number that changes when the page's theme may have: a class, style or data
 * attribute of <html> or <body> changed, or the system colour scheme flipped. Canvas
 * drawings read CSS variables once per draw and redraw on it.
 */
export function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    const observer = new MutationObserver(bump);
    const attributeFilter = ["class", "style", "data-theme"];
    observer.observe(document.documentElement, { attributes: true, attributeFilter });
    observer.observe(document.body, { attributes: true, attributeFilter });
    const scheme = window.matchMedia("(prefers-color-scheme: dark)");
    scheme.addEventListener("change", bump);
    return () => {
      observer.disconnect();
      scheme.removeEventListener("change", bump);
    };
  }, []);
  return version;
}
