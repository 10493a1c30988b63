"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** While the list shows running runs, re-render it every `intervalMs`; rendered only then, so it stops with them. */
export function LiveRefresh({ intervalMs = 2000 }: { intervalMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    const id = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, intervalMs);
    return () => clearInterval(id);
  }, [router, intervalMs]);
  return null;
}
