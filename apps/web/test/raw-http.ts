import { request as httpRequest } from "node:http";

/**
 * A request fetch cannot make: any `Host`, headers exactly as given (fetch drops or
 * rewrites some), and a chosen source address. On Linux the whole 127.0.0.0/8 is
 * the loopback interface, so a client bound to 127.0.0.2 reaches a server on
 * 127.0.0.1 as a *different address*: tests of per-address limits need no header the
 * server would have to trust.
 */
export interface RawReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export function rawRequest(
  base: string,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${path}`,
      { method: init.method ?? (init.body === undefined ? "GET" : "POST"), headers: init.headers, localAddress: init.from, agent: false },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c) => {
          text += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on("error", reject);
    req.end(init.body);
  });
}

/** Converts a raw reply's headers to a `Headers` (Set-Cookie kept one per line). */
export function toHeaders(raw: RawReply["headers"]): Headers {
  const out = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.append(k, one);
  }
  return out;
}
