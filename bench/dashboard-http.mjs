/**
 * Timed GETs for the dashboard bench, as a browser makes them: gzip asked for, the
 * connection kept alive. Each answer reports its time to the first byte, its time to
 * the last, and its size on the wire and decoded.
 */
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import { gunzipSync } from "node:zlib";

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One GET: { status, firstByteMs, ms, wireBytes, bytes, text, headers }. */
export function get(url) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let firstByteMs = 0;
    const req = request(url, { agent, headers: { "accept-encoding": "gzip" } }, (res) => {
      const parts = [];
      res.on("data", (b) => {
        if (parts.length === 0) firstByteMs = performance.now() - t0;
        parts.push(b);
      });
      res.on("end", () => {
        const ms = performance.now() - t0;
        const wire = Buffer.concat(parts);
        const body = res.headers["content-encoding"] === "gzip" ? gunzipSync(wire) : wire;
        if (res.statusCode !== 200) return reject(new Error(`GET ${url}: HTTP ${res.statusCode} ${body.toString("utf8").slice(0, 300)}`));
        resolve({ status: res.statusCode, firstByteMs, ms, wireBytes: wire.length, bytes: body.length, text: body.toString("utf8"), headers: res.headers });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

export function closeAgent() {
  agent.destroy();
}
