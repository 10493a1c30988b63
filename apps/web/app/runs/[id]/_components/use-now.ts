"use client";

import { useEffect, useState } from "react";

/** Current time, ticking every `everyMs` while `live`; frozen otherwise. */
export function useNow(live: boolean, everyMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [live, everyMs]);
  return now;
}
