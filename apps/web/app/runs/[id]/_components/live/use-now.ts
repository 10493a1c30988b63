"use client";

import { useEffect, useState } from "react";

/**
 * Current time, ticking every `everyMs` while `live`; frozen otherwise. It starts at
 * `initial`, the server's render time: starting at the browser's own `Date.now()`
 * made hydration see other durations than the server rendered (React error #418).
 */
export function useNow(live: boolean, initial: number, everyMs = 250): number {
  const [now, setNow] = useState(initial);
  useEffect(() => {
    if (!live) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [live, everyMs]);
  return now;
}
