import { mkdtempSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "@runtrail/db/cli";
import { openPostgresTestStore, postgresReachable, type TestStore } from "@runtrail/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DashboardClient, loginRedirectOf } from "./dashboard";
import { type RunningServer, startServer, startServerExpectingExit } from "./server";

/**
 * Open or login, decided by the server itself: open only with no users on a loopback
 * address; beyond loopback with no users it refuses to start; once a user exists (made
 * by the environment, the dashboard or the command line) every page needs a login.
 * The servers listen on 0.0.0.0 in some tests, but are only ever called on 127.0.0.1.
 */

const ADMIN = { email: "ops@example.com", password: "ops password 123" };

async function cli(env: Record<string, string | undefined>, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env, readSecret: async () => "cli password 123" });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** A request with headers fetch will not send as given (Host): what a rebound or proxied browser sends. */
function rawRequest(base: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method: body === undefined ? "GET" : "POST", headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        text += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

describe("bound beyond loopback", () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), "runtrail-modes-"));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("refuses to start with no user, saying what to do", async () => {
    const { code, output } = await startServerExpectingExit({ RUNTRAIL_DATA_DIR: tmp(), DATABASE_URL: undefined, RUNTRAIL_QUIET: "0" }, "0.0.0.0");
    expect(code).toBe(1);
    expect(output).toContain("Runtrail will not start: it listens on 0.0.0.0");
    expect(output).toContain("npm run runtrail -- users create-admin --email");
    expect(output).toContain("RUNTRAIL_ADMIN_EMAIL=");
    expect(output).toContain("HOST=127.0.0.1 npm start");
    expect(output).not.toContain("Runtrail API key"); // refused before printing a key
  }, 240_000);

  it("starts with RUNTRAIL_ADMIN_EMAIL/PASSWORD and asks for a login", async () => {
    const server = await startServer({ RUNTRAIL_DATA_DIR: tmp(), DATABASE_URL: undefined, RUNTRAIL_ADMIN_EMAIL: ADMIN.email, RUNTRAIL_ADMIN_PASSWORD: ADMIN.password }, undefined, "0.0.0.0");
    try {
      const web = new DashboardClient(server.url);
      expect(loginRedirectOf(await web.request("/settings/keys"))).toBe("/login?next=%2Fsettings%2Fkeys");
      expect((await web.login(ADMIN.email, ADMIN.password)).status).toBe(200);
      expect((await web.request("/settings/keys")).status).toBe(200);
      const api = await fetch(`${server.url}/api/v1/runs`, { headers: { authorization: `Bearer ${server.apiKey}` } });
      expect(api.status).toBe(200);
    } finally {
      await server.stop();
    }
  }, 240_000);

  it("refuses a half-set admin from the environment", async () => {
    const half = await startServerExpectingExit({ RUNTRAIL_DATA_DIR: tmp(), DATABASE_URL: undefined, RUNTRAIL_ADMIN_EMAIL: ADMIN.email }, "127.0.0.1");
    expect(half.code).not.toBe(0);
    expect(half.output).toContain("set both RUNTRAIL_ADMIN_EMAIL and RUNTRAIL_ADMIN_PASSWORD");
  }, 240_000);
});

describe("on loopback with no users (local mode)", () => {
  let server: RunningServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "runtrail-local-"));
    server = await startServer({ RUNTRAIL_DATA_DIR: dir, DATABASE_URL: undefined });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("is open, says so in the header, and still wants its CSRF token on changes", async () => {
    const web = new DashboardClient(server.url);
    const runs = await web.request("/runs");
    expect(runs.status).toBe(200);
    expect(runs.text).toContain("Local mode · no login");
    expect((await web.request("/login")).headers.get("location")).toBe("/");
    expect((await web.request("/manage/projects", { method: "POST", json: { name: "x" } })).body.error.code).toBe("csrf_missing");
    await web.loadCsrf("/settings/keys");
    expect((await web.send("/manage/projects", { name: "Local project" })).status).toBe(201);
  });

  it("answers only under this machine's names: a rebound DNS name or a proxy in front gets no page, no data and no token", async () => {
    const port = new URL(server.url).port;
    const web = new DashboardClient(server.url);
    const csrf = await web.loadCsrf("/settings/keys");
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `app.localhost:${port}`, `[::1]:${port}`]) {
      expect((await rawRequest(server.url, "/runs", { host })).status, host).toBe(200);
    }
    const foreign: Record<string, string>[] = [{ host: `evil.example:${port}` }, { host: `192.168.1.20:${port}` }, { host: `localhost:${port}`, "x-forwarded-for": "203.0.113.7" }];
    for (const headers of foreign) {
      const page = await rawRequest(server.url, "/settings/keys", headers);
      expect(page.status, JSON.stringify(headers)).toBe(307);
      expect(page.headers.location).toBe("/local-only");
      expect(page.text).not.toContain(csrf);
      for (const path of ["/runs/x/timeline", "/runs/x/tasks/y"]) {
        const route = await rawRequest(server.url, path, headers);
        expect(route.status, path).toBe(403);
        expect(JSON.parse(route.text).error.code).toBe("local_only");
      }
      // Even with the token in hand (and a same-origin Origin, as a rebound page sends), no key is made.
      const made = await rawRequest(
        server.url,
        "/manage/keys",
        { ...headers, origin: `http://${headers.host}`, "content-type": "application/json", "x-csrf-token": csrf },
        JSON.stringify({ projectId: "default", name: "stolen" }),
      );
      expect(made.status).toBe(403);
      expect(JSON.parse(made.text).error.message).toContain("answers only on this machine");
    }
    const explained = await rawRequest(server.url, "/local-only", { host: `evil.example:${port}` });
    expect(explained.text).toContain("Open only on this machine");
    expect(explained.text).toContain("users create-admin");
  });

  it("the command line will not open the PGlite database the server holds", async () => {
    const r = await cli({ RUNTRAIL_DATA_DIR: dir }, "users", "create-admin", "--email", "x@example.com");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/process \d+ \(runtrail server\) has this PGlite database open/);
  });

  it("creating the first admin in Settings turns the login on and signs this browser in", async () => {
    const web = new DashboardClient(server.url);
    await web.loadCsrf("/settings/users");
    const weak = await web.send("/manage/users", { email: ADMIN.email, password: "short", role: "admin" });
    expect(weak.body.error).toMatchObject({ code: "invalid_params", field: "password" });
    expect((await web.send("/manage/users", { email: ADMIN.email, password: ADMIN.password, role: "member" })).body.error.field).toBe("role");
    const made = await web.send("/manage/users", { email: ADMIN.email, password: ADMIN.password, role: "admin" });
    expect(made.status, made.text).toBe(201);
    expect(web.jar.has("runtrail_session")).toBe(true);
    const mine = await web.request("/settings/users");
    expect(mine.status).toBe(200);
    expect(mine.text).toContain(ADMIN.email);
    expect(mine.text).not.toContain("Local mode · no login");
    // Everyone else must sign in now.
    const stranger = new DashboardClient(server.url);
    expect(loginRedirectOf(await stranger.request("/settings/keys"))).toBe("/login?next=%2Fsettings%2Fkeys");
    expect((await stranger.request("/runs/x/tasks/y")).status).toBe(401);
  });
});

describe.runIf(await postgresReachable())("an admin made from the command line while the server runs (Postgres)", () => {
  let pg: TestStore;
  let server: RunningServer;
  beforeAll(async () => {
    pg = await openPostgresTestStore();
    server = await startServer({ DATABASE_URL: pg.env.DATABASE_URL });
  });
  afterAll(async () => {
    await server?.stop();
    await pg?.cleanup();
  });

  it("closes the open dashboard within a few seconds", async () => {
    const web = new DashboardClient(server.url);
    expect((await web.request("/settings/keys")).status).toBe(200);
    const r = await cli({ DATABASE_URL: pg.env.DATABASE_URL }, "users", "create-admin", "--email", "cli@example.com");
    expect(r.code, r.err).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(loginRedirectOf(await web.request("/settings/keys"))).toBe("/login?next=%2Fsettings%2Fkeys");
    expect((await web.login("cli@example.com", "cli password 123")).status).toBe(200);
  });
});
