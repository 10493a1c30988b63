import { isLoopbackHost } from "./bind-address";

/**
 * The open dashboard (no users, no login) answers only requests made to this machine by
 * name: a `Host` of localhost, *.localhost, 127.0.0.0/8 or [::1]. Binding to loopback
 * alone does not ensure that: a web page whose DNS name is re-pointed at 127.0.0.1 (DNS
 * rebinding) is same-origin with the dashboard under *its own* name, and a reverse proxy
 * on this machine hands the world's requests to 127.0.0.1. Either would read every run
 * and the page's CSRF token. With a login, the session guards instead and any Host serves.
 */
export class OpenDashboardRefused extends Error {
  constructor(readonly host: string) {
    super(
      `this dashboard has no users yet, so it is open without a login and answers only on this machine (http://localhost or 127.0.0.1), not as ${JSON.stringify(host)}: ` +
        "create the first admin (npm run runtrail -- users create-admin --email you@example.com) to serve it under another name or behind a proxy",
    );
  }
}

/** The `Host` header's host, without its port. */
function hostName(host: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d+)?$/.exec(host);
  if (bracketed) return `[${bracketed[1]}]`;
  return host.replace(/:\d+$/, "");
}

/** A Host header naming this machine (the raw header: a page can set X-Forwarded-Host, never Host). */
export function isLocalHostHeader(host: string | null): boolean {
  if (!host) return false;
  const name = hostName(host.trim().toLowerCase());
  return name.endsWith(".localhost") || isLoopbackHost(name);
}

/**
 * Throws OpenDashboardRefused when an open-mode request did not come to this machine
 * by a local name, or came through a proxy that forwarded it from elsewhere
 * (X-Forwarded-For's first hop, which Next.js sets from the socket when absent).
 */
export function assertLocalRequest(headers: Headers): void {
  const host = headers.get("host");
  const from = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const forwarded = headers.get("forwarded");
  if (!isLocalHostHeader(host) || (from && !isLoopbackHost(from)) || forwarded) throw new OpenDashboardRefused(host ?? "(no Host header)");
}
