import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DashboardClient } from "./dashboard";
import { expectStaysOn, nextQueries } from "./hostile-next";
import { rawRequest } from "./raw-http";
import { type RunningServer, startServer } from "./server";

/**
 * The open dashboard (no users, loopback, PGlite: the store does not matter here) over
 * real HTTP: no `next` takes a visitor off the origin, and a request that carries any
 * forwarding header, whatever its value, gets no page, no data and no token.
 */

describe("open dashboard (local mode)", () => {
  let server: RunningServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "runtrail-sec-local-"));
    server = await startServer({ RUNTRAIL_DATA_DIR: dir, DATABASE_URL: undefined });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("never redirects off the origin, whatever ?next= holds", async () => {
    const web = new DashboardClient(server.url);
    for (const { value, query } of nextQueries()) expectStaysOn(server.url, await web.request(query), `next=${JSON.stringify(value)} via ${query}`);
    // A plain path of the site is kept.
    expect((await web.request("/login?next=%2Fruns%3Fstatus%3Dfailed")).headers.get("location")).toBe("/runs?status=failed");
  });

  it("refuses any request that carries a forwarding header, whatever it says; Next.js's own x-forwarded-* do not count", async () => {
    const port = new URL(server.url).port;
    const host = `localhost:${port}`;
    const web = new DashboardClient(server.url);
    const token = await web.loadCsrf("/settings/keys");
    // What Next.js sets itself (x-forwarded-host/-port/-proto/-for from the socket) is no forwarding.
    const plain = await rawRequest(server.url, "/settings/keys", { headers: { host } });
    expect(plain.status).toBe(200);
    // The server's own stamp of the socket (lib/auth/peer.ts) never reaches the client.
    expect(JSON.stringify(plain.headers)).not.toMatch(/runtrail-peer|x-middleware/i);
    expect(plain.text).not.toContain("runtrail-peer");
    const forwarded: Record<string, string>[] = [
      { "x-forwarded-for": "127.0.0.1" },
      { "x-forwarded-for": "::1" },
      { "x-forwarded-for": "127.0.0.1, 127.0.0.1" },
      { "x-forwarded-for": "127.0.0.1, 8.8.8.8" },
      { "x-forwarded-for": "8.8.8.8, 127.0.0.1" },
      { "x-forwarded-for": "" },
      { forwarded: "for=127.0.0.1" },
      { forwarded: "for=203.0.113.7;host=localhost" },
      { "x-real-ip": "127.0.0.1" },
      { "x-forwarded-host": `localhost:${port}` },
      { "x-forwarded-proto": "http" },
      { "x-forwarded-port": port },
      { "x-client-ip": "127.0.0.1" },
      { "true-client-ip": "127.0.0.1" },
      { "cf-connecting-ip": "127.0.0.1" },
      { via: "1.1 proxy" },
      // A client cannot pass itself off as stamped: the server writes the stamp over it.
      { "x-runtrail-peer": "00000000000000000000000000000000 0 127.0.0.1", "x-forwarded-for": "127.0.0.1" },
    ];
    for (const extra of forwarded) {
      const headers = { host, ...extra };
      const what = JSON.stringify(extra);
      const page = await rawRequest(server.url, "/settings/keys", { headers });
      expect(page.status, what).toBe(307);
      expect(page.headers.location, what).toBe("/local-only");
      expect(page.text, what).not.toContain(token);
      const route = await rawRequest(server.url, "/runs/x/tasks/y", { headers });
      expect(route.status, what).toBe(403);
      expect(JSON.parse(route.text).error.code, what).toBe("local_only");
      const made = await rawRequest(server.url, "/manage/keys", {
        headers: { ...headers, origin: `http://${host}`, "content-type": "application/json", "x-csrf-token": token },
        body: JSON.stringify({ projectId: "default", name: "through a proxy" }),
      });
      expect(made.status, what).toBe(403);
    }
    // Nothing above made a key: the project still has only the server's own.
    const keys = await web.request("/settings/keys");
    expect(keys.text).not.toContain("through a proxy");
  });
});
