import type { IncomingMessage } from "node:http";
import ipaddr from "ipaddr.js";
import proxyaddr from "proxy-addr";
import { env } from "../env";
import { readPeer } from "./peer";

/**
 * The client's address, for per-address limits (sign-in throttle, wrong API keys):
 * the socket's own address (peer.ts), or, when that socket is a trusted proxy
 * (RUNTRAIL_TRUSTED_PROXIES, default loopback), the nearest X-Forwarded-For hop that
 * is not one (proxy-addr, Express's algorithm). A client that is not a trusted proxy
 * cannot choose its address by sending a header.
 *
 * IPv6 addresses count per /64: one host usually holds a whole /64, and counting
 * single addresses would give it 2^64 budgets.
 */

function compileTrust(): (addr: string, i: number) => boolean {
  const list = env.trustedProxies.length === 1 && env.trustedProxies[0] === "none" ? [] : env.trustedProxies;
  try {
    return proxyaddr.compile(list);
  } catch (err) {
    throw new Error(`RUNTRAIL_TRUSTED_PROXIES: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

const trust = compileTrust();

/** "unknown" when the request carries no valid stamp (see peer.ts). */
export function clientAddress(headers: Headers): string {
  const peer = readPeer(headers);
  if (!peer) return "unknown";
  const forwardedFor = headers.get("x-forwarded-for");
  // proxy-addr reads only these two fields of a Node request.
  const req = { socket: { remoteAddress: peer.address }, headers: forwardedFor === null ? {} : { "x-forwarded-for": forwardedFor } };
  return addressKey(proxyaddr(req as unknown as IncomingMessage, trust));
}

/** An address as counted: IPv4 (also from an IPv4-mapped IPv6 address), or an IPv6 /64. */
export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return `other:${address.slice(0, 100)}`;
  const ip = ipaddr.process(address); // IPv4-mapped IPv6 comes back as IPv4
  if (ip.kind() === "ipv4") return ip.toString();
  const parts = (ip as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(":")}::/64`;
}
