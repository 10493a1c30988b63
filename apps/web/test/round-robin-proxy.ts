import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small HTTP load balancer for tests: each request goes to the next backend in turn,
 * bodies and answers streamed through (server-sent events included). A backend that
 * refuses connections is taken out of the rotation, as a balancer's health check would;
 * a request whose backend fails before answering gets 502, after which clients retry.
 */
export interface RoundRobinProxy {
  url: string;
  /** Requests answered 502 because their backend failed. */
  readonly failures: number;
  /** Resolves when a request is being forwarded to backend `index` (now or later). */
  forwarding(index: number): Promise<void>;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(backends: readonly string[]): Promise<RoundRobinProxy> {
  const targets = backends.map((b) => new URL(b));
  const out = new Set<number>();
  const inFlight = targets.map(() => 0);
  const watchers = new Map<number, (() => void)[]>();
  let turn = 0;
  let failures = 0;

  const pick = (): number => {
    for (let tries = 0; tries < targets.length; tries++) {
      const i = turn++ % targets.length;
      if (!out.has(i)) return i;
    }
    return turn++ % targets.length;
  };

  const server = createServer((req, res) => {
    const i = pick();
    const target = targets[i] as URL;
    inFlight[i] = (inFlight[i] ?? 0) + 1;
    for (const notify of watchers.get(i)?.splice(0) ?? []) notify();
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      inFlight[i] = (inFlight[i] ?? 1) - 1;
    };
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on("error", () => res.destroy());
      },
    );
    upstream.on("error", (err: NodeJS.ErrnoException) => {
      done();
      failures += 1;
      if (err.code === "ECONNREFUSED") out.add(i);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "bad_gateway", message: `backend ${i}: ${err.code ?? err.message}` } }));
    });
    upstream.on("close", done);
    // The client went away (a closed stream): stop the backend's answer too.
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    get failures() {
      return failures;
    },
    forwarding(index) {
      if ((inFlight[index] ?? 0) > 0) return Promise.resolve();
      return new Promise((resolve) => {
        const list = watchers.get(index) ?? [];
        list.push(resolve);
        watchers.set(index, list);
      });
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
