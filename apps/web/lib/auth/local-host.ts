import { isLoopbackHost } from "./bind-address";
import { peerStampInstalled, readPeer } from "./peer";

/**
 * The open dashboard (no users, no login) answers only requests made to this machine by
 * name: a `Host` of localhost, *.localhost, 127.0.0.0/8 or [::1]. Binding to loopback
 * alone does not ensure that: a web page whose DNS name is re-pointed at 127.0.0.1 (DNS
 * rebinding) is same-origin with the dashboard under *its own* name, and a reverse proxy
 * on this machine hands the world's requests to 127.0.0.1. Either would read every run
 * and the page's CSRF token. With a login, the session guards instead and any Host serves.
 */
export class OpenDashboardRefused extends Error {
  constructor(
    readonly host: string,
    /** Why: asked for under another name, or through a proxy. */
    readonly reason: LocalRefusal,
  ) {
    super(
      `this dashboard has no users yet, so it is open without a login and answers only on this machine (http://localhost or 127.0.0.1, not through a proxy): ${reasonText(reason, host)}; ` +
        "create the first admin (npm run runtrail -- users create-admin --email you@example.com) to serve it under another name or behind a proxy",
    );
  }
}

export type LocalRefusal = "foreign-host" | "forwarded" | "unknown-peer";

function reasonText(reason: LocalRefusal, host: string): string {
  if (reason === "forwarded") return "this request came through a proxy (it carries X-Forwarded-For, Forwarded, X-Real-IP, Via or the like)";
  if (reason === "unknown-peer") return "this request arrived while the server was starting, before it could see where requests come from: reload";
  return `it was asked for as ${JSON.stringify(host)}`;
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
 * Why an open-mode request is refused, or null when it may see the dashboard: it must
 * name this machine in its raw Host header, come from a loopback socket, and carry no
 * forwarding header at all. A proxy on this machine that forwards the world's requests
 * connects from loopback and may append to or rewrite any header, so *any* forwarding
 * header (whatever hops it lists) means "not only this machine". Next.js adds
 * x-forwarded-* to every request itself, so the check reads what the socket saw
 * (peer.ts), not the headers a route gets. Where the stamp could not be installed (no
 * listening server found), the headers are judged as they arrive: every hop loopback.
 */
export function localRefusal(headers: Headers): LocalRefusal | null {
  if (!isLocalHostHeader(headers.get("host"))) return "foreign-host";
  const peer = readPeer(headers);
  if (peer) return peer.forwarded || !isLoopbackHost(peer.address) ? "forwarded" : null;
  if (peerStampInstalled()) return "unknown-peer";
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((h) => h.trim());
  return hops.every((h) => h === "" || isLoopbackHost(h)) && !headers.has("forwarded") && !headers.has("x-real-ip") && !headers.has("via") ? null : "forwarded";
}

/** Throws OpenDashboardRefused when an open-mode request may not see the dashboard (localRefusal). */
export function assertLocalRequest(headers: Headers): void {
  const reason = localRefusal(headers);
  if (reason) throw new OpenDashboardRefused(headers.get("host") ?? "(no Host header)", reason);
}
