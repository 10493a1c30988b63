"use client";

import { ActionLink, PageMessage, primaryAction } from "./page-message";

/**
 * The body of the error.tsx boundaries. Errors thrown on the server reach the browser
 * with a generic message and a digest (Next.js hides the real one in production), so
 * those get our own words and the digest to look up in the server log; errors thrown
 * in the browser keep their message.
 */
export function ErrorPanel({ error, retry, what }: { error: unknown; retry: () => void; what: string }) {
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  const message = digest
    ? `The server could not load ${what}. A lost connection to the database is the usual cause; trying again often works.`
    : error instanceof Error && error.message
      ? error.message
      : `Loading ${what} failed in the browser.`;
  return (
    <PageMessage
      tone="danger"
      title="Something went wrong"
      actions={
        <>
          <button type="button" onClick={retry} className={primaryAction}>
            Try again
          </button>
          <ActionLink href="/runs">All runs</ActionLink>
        </>
      }
    >
      <p>{message}</p>
      {digest && (
        <p className="mt-3 text-xs text-zinc-500">
          Reference <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-zinc-700">{digest}</code> in the server log
        </p>
      )}
    </PageMessage>
  );
}
