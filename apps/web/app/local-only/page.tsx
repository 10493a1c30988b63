import type { Metadata } from "next";
import { headers } from "next/headers";
import { ActionLink, PageMessage } from "@/components/page-message";
import { localRefusal } from "@/lib/auth/local-host";

export const metadata: Metadata = { title: "Only on this machine · Runtrail" };

/**
 * Where an open dashboard (no users yet) sends a page asked for under a name that is not
 * this machine's (lib/auth/local-host.ts). It reads no data and needs no viewer.
 */
export default async function LocalOnlyPage() {
  const requestHeaders = await headers();
  const host = requestHeaders.get("host") ?? "";
  const reason = localRefusal(requestHeaders);
  const port = /:(\d+)$/.exec(host)?.[1];
  const local = `http://localhost${port ? `:${port}` : ""}/runs`;
  return (
    <PageMessage tone="neutral" eyebrow="Local mode" title="Open only on this machine" actions={<ActionLink href={local} primary>Open on localhost</ActionLink>}>
      <p>
        This Runtrail has no users yet, so its dashboard needs no login and answers only when asked for directly as{" "}
        <span className="font-mono">localhost</span> or <span className="font-mono">127.0.0.1</span>
        {reason === "forwarded" ? (
          <>, not through a proxy: this request carries a forwarding header (X-Forwarded-For, Forwarded, X-Real-IP, Via or the like).</>
        ) : reason === "unknown-peer" ? (
          <>. This request arrived while the server was starting: reload the page.</>
        ) : (
          <>
            , not as <span className="font-mono break-all">{host || "(no host)"}</span>.
          </>
        )}
      </p>
      <p className="mt-3">
        To serve it under another name or behind a proxy, create the first admin:{" "}
        <span className="font-mono text-xs">npm run runtrail -- users create-admin --email you@example.com</span>
      </p>
    </PageMessage>
  );
}
