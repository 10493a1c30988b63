"use client";

// `retry` re-fetches the segment (a store outage passes); `reset` would only re-render what already failed.
export default function ErrorPage({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  return (
    <div className="mx-auto mt-24 max-w-md rounded-lg border border-rose-200 bg-white p-6 text-center shadow-sm">
      <h1 className="text-lg font-semibold text-rose-700">Something went wrong</h1>
      <p className="mt-2 text-sm text-zinc-600">{error.message || "The page failed to load."}</p>
      {error.digest && <p className="mt-1 font-mono text-xs text-zinc-400">digest {error.digest}</p>}
      <button type="button" onClick={() => retry()} className="mt-5 rounded-md bg-zinc-900 px-4 py-2 text-sm font-medium text-white hover:bg-zinc-700">
        Try again
      </button>
    </div>
  );
}
