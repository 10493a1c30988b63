import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { Server } from "node:net";
import { processSingleton } from "../process-singleton";

/**
 * What the socket saw, before Next.js touched the request. Next.js sets
 * `x-forwarded-for` (to the socket's address), `-host`, `-port` and `-proto` on every
 * request that lacks them (`??=` in its base server), so a route cannot tell a header
 * the client sent from one Next.js made, nor learn the socket's address. This module
 * puts a `request` listener in front of Next.js's on the process's HTTP server that
 * records both in one header: a per-process random nonce (so a client cannot forge
 * it), whether the client sent any forwarding header, and the socket's address.
 *
 * Installed by instrumentation.ts, which `next start` runs after it listens and before
 * it answers: only a request that arrived while the server was starting misses the
 * stamp, and it counts as "unknown" (the open dashboard refuses it).
 */

export const PEER_HEADER = "x-runtrail-peer";

/** Headers a proxy sets to say where a request came from (any `x-forwarded-*` counts too). */
const FORWARDING = new Set([
  "forwarded",
  "via",
  "x-real-ip",
  "x-client-ip",
  "true-client-ip",
  "cf-connecting-ip",
  "fastly-client-ip",
  "x-cluster-client-ip",
  "x-original-forwarded-for",
  "x-forwarded",
  "forwarded-for",
]);

export interface Peer {
  /** The socket's remote address, as Node reports it ("127.0.0.1", "::ffff:10.0.0.2", "::1"). */
  address: string;
  /** The client sent a forwarding header (X-Forwarded-For, Forwarded, X-Real-IP, Via, …). */
  forwarded: boolean;
}

// One nonce and install state per process, whichever bundle stamps or reads.
const state = processSingleton("peer", () => ({ nonce: randomBytes(16).toString("hex"), installed: false }));
const STAMPED = Symbol.for("runtrail.peerStamp");

export function sentForwarding(headers: IncomingMessage["headers"]): boolean {
  for (const name of Object.keys(headers)) if (name.startsWith("x-forwarded-") || FORWARDING.has(name)) return true;
  return false;
}

function stamp(req: IncomingMessage): void {
  const forwarded = sentForwarding(req.headers);
  req.headers[PEER_HEADER] = `${state.nonce} ${forwarded ? 1 : 0} ${req.socket?.remoteAddress ?? ""}`;
}

/**
 * Puts the stamp in front of every listening HTTP server of this process (once each).
 * Returns how many servers it found; with none (a custom server that is not yet
 * listening, a platform without sockets) every request counts as unknown.
 */
export function installPeerStamp(): number {
  // The same undocumented-but-ancient list bind-address.ts reads.
  const list = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles;
  let found = 0;
  for (const h of typeof list === "function" ? list.call(process) : []) {
    if (!(h instanceof Server) || !h.listening || h.listenerCount("request") === 0) continue;
    found++;
    const server = h as Server & { [STAMPED]?: true };
    if (server[STAMPED]) continue;
    server[STAMPED] = true;
    server.prependListener("request", stamp);
  }
  if (found > 0) state.installed = true;
  return found;
}

/** The stamp of a request (null when it has none or a forged one: treat as unknown). */
export function readPeer(headers: Headers): Peer | null {
  const value = headers.get(PEER_HEADER);
  if (!value) return null;
  const [nonce, forwarded, address] = value.split(" ");
  if (nonce !== state.nonce || address === undefined || address === "") return null;
  return { address, forwarded: forwarded === "1" };
}

/** Whether this process stamps its requests (false: a server Runtrail could not find). */
export function peerStampInstalled(): boolean {
  return state.installed;
}
