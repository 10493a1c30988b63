import { Server } from "node:net";

/**
 * Where this process accepts connections, to tell "only this machine" from "anyone who
 * can reach it". Asked of the process itself (its listening sockets), and when none is
 * listening yet, of `next start`'s own `-H/--hostname` argument (absent = every interface).
 */

export interface BindAddress {
  /** Addresses as the sockets report them ("127.0.0.1", "::"), or the -H value. */
  hosts: string[];
  /** True only when every one of them is a loopback address. */
  loopback: boolean;
  /** How it was found, for the refusal message. */
  source: "socket" | "argv" | "unknown";
}

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  if (h === "localhost" || h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  const v4 = h.startsWith("::ffff:") ? h.slice(7) : h;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

function listeningSockets(): string[] {
  // Undocumented but present in every Node since 0.x; its absence only means "ask argv".
  const list = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles;
  if (typeof list !== "function") return [];
  const hosts: string[] = [];
  for (const h of list.call(process)) {
    if (!(h instanceof Server) || !h.listening) continue;
    const addr = h.address();
    if (addr && typeof addr === "object") hosts.push(addr.address);
  }
  return hosts;
}

/** The `-H`/`--hostname` of `next start` in `argv`: a host, null when absent (all interfaces), undefined when this is not `next start`. */
export function hostFromArgv(argv: readonly string[]): string | null | undefined {
  const start = argv.indexOf("start");
  if (start === -1 || !argv.slice(0, start).some((a) => /(^|[\\/])next(\.js)?$|[\\/]next[\\/]dist[\\/]bin[\\/]next$/.test(a))) return undefined;
  const rest = argv.slice(start + 1);
  let host: string | null = null;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    if (a === "-H" || a === "--hostname") host = rest[++i] ?? null;
    else if (a.startsWith("--hostname=")) host = a.slice("--hostname=".length);
    else if (a.startsWith("-H") && a.length > 2) host = a.slice(2);
  }
  return host;
}

export function bindAddress(argv: readonly string[] = process.argv): BindAddress {
  const sockets = listeningSockets();
  if (sockets.length > 0) return { hosts: sockets, loopback: sockets.every(isLoopbackHost), source: "socket" };
  const host = hostFromArgv(argv);
  if (host === undefined) return { hosts: [], loopback: false, source: "unknown" };
  if (host === null) return { hosts: ["0.0.0.0 (next start without -H)"], loopback: false, source: "argv" };
  return { hosts: [host], loopback: isLoopbackHost(host), source: "argv" };
}
