"use client";

import "./globals.css";
import { ErrorPanel } from "@/components/error-panel";

/**
 * Replaces the root layout when the layout itself fails (its header survives a store
 * outage, see peekViewer, so this is for the unexpected). It brings its own html and
 * body, without the header: whatever broke may be in it.
 */
export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 px-6 py-8 text-zinc-900">
        <ErrorPanel error={error} retry={retry} what="the dashboard" />
      </body>
    </html>
  );
}
