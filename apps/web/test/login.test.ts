import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testStoreKinds } from "@runtrail/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DashboardClient, loginRedirectOf } from "./dashboard";
import { uid, useServer } from "./harness";
import { type RunningServer, startServer } from "./server";

/** Over real HTTP: sign-in, sessions, CSRF and sign-out of the dashboard, on both stores. */

const ADMIN = { email: "Root@Example.com", password: "root password 123" };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const kind of await testStoreKinds()) {
  describe(`dashboard login on ${kind.name}`, () => {
    const api = useServer(kind, { RUNTRAIL_ADMIN_EMAIL: ADMIN.email, RUNTRAIL_ADMIN_PASSWORD: ADMIN.password });

    it("sends signed-out pages to /login with ?next=, and answers 401 on dashboard routes", async () => {
      const web = new DashboardClient(api.url);
      for (const [path, next] of [
        ["/runs?status=failed", "/runs?status=failed"],
        ["/overview", "/overview"],
        ["/settings/keys", "/settings/keys"],
        ["/runs/some-run", "/runs/some-run"],
      ]) {
        const r = await web.request(path as string);
        expect(loginRedirectOf(r), path).toBe(`/login?next=${encodeURIComponent(next as string)}`);
        expect(r.text).not.toContain('name="csrf-token"');
        expect(r.text).not.toContain("No runs yet");
      }
      for (const [method, path] of [
        ["GET", "/runs/x/live"],
        ["GET", "/runs/x/tasks/y"],
        ["POST", "/runs/x/cancel"],
        ["POST", "/manage/keys"],
        ["POST", "/auth/project"],
      ]) {
        const r = await web.request(path as string, { method, json: method === "POST" ? {} : undefined });
        expect(r.status, path).toBe(401);
        expect(r.body.error.code).toBe("unauthenticated");
      }
      const login = await web.request("/login?next=/runs");
      expect(login.status).toBe(200);
      expect(login.text).toContain("Sign in to Runtrail");
      expect(login.text).not.toContain('name="csrf-token"');
    });

    it("refuses a sign-in without the form's CSRF token, with a wrong one, or from another site", async () => {
      const web = new DashboardClient(api.url);
      const body = { email: ADMIN.email, password: ADMIN.password };
      const missing = await web.request("/auth/login", { json: body });
      expect(missing.status).toBe(403);
      expect(missing.body.error).toMatchObject({ code: "csrf_missing", message: expect.stringContaining("missing CSRF token") });
      const { body: csrf } = await web.request("/auth/csrf");
      expect(web.cookieHeader()).toContain("runtrail_login_csrf=");
      const wrong = await web.request("/auth/login", { json: body, headers: { "x-csrf-token": `${csrf.token}x` } });
      expect(wrong.body.error.code).toBe("csrf_invalid");
      const bare = new DashboardClient(api.url); // the header without its cookie
      expect((await bare.request("/auth/login", { json: body, headers: { "x-csrf-token": csrf.token } })).status).toBe(403);
      const crossSite = await web.request("/auth/login", { json: body, headers: { "x-csrf-token": csrf.token, origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
      expect(crossSite.body.error.code).toBe("cross_site");
      expect(web.jar.has("runtrail_session")).toBe(false);
    });

    it("wrong password and unknown email get the same answer; the right one a secure session cookie", async () => {
      const web = new DashboardClient(api.url);
      const wrong = await web.login(ADMIN.email, "not the password");
      expect(wrong.status).toBe(401);
      expect(wrong.body.error).toEqual({ code: "invalid_credentials", message: "wrong email or password" });
      const unknown = await web.login("nobody@example.com", ADMIN.password);
      expect(unknown.status).toBe(401);
      expect(unknown.body.error).toEqual(wrong.body.error);
      expect(web.jar.has("runtrail_session")).toBe(false);
      expect((await web.login("", "x")).body.error.field).toBe("email");

      const ok = await web.login(ADMIN.email.toLowerCase(), ADMIN.password, "https://evil.example/x");
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ ok: true, next: "/" });
      const cookie = ok.headers.getSetCookie().find((c) => c.startsWith("runtrail_session="));
      expect(cookie).toMatch(/^runtrail_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
      expect((await web.request("/runs")).status).toBe(200);
      expect((await web.request("/login")).headers.get("location")).toBe("/");
      // Signing in again replaces the session: the first token stops working.
      const first = web.jar.get("runtrail_session") ?? "";
      expect((await web.login(ADMIN.email, ADMIN.password)).status).toBe(200);
      expect(web.jar.get("runtrail_session")).not.toBe(first);
      const old = new DashboardClient(api.url);
      old.jar.set("runtrail_session", first);
      expect((await old.request("/settings/account")).status).toBe(307);

      // Over https (a proxy says so) the cookie is __Host- and Secure.
      const tls = new DashboardClient(api.url);
      const csrf = await tls.request("/auth/csrf", { headers: { "x-forwarded-proto": "https" } });
      const secure = await tls.request("/auth/login", {
        json: { email: ADMIN.email, password: ADMIN.password, next: "/runs?status=failed" },
        headers: { "x-csrf-token": csrf.body.token, "x-forwarded-proto": "https" },
      });
      expect(secure.body.next).toBe("/runs?status=failed");
      expect(secure.headers.getSetCookie().find((c) => c.startsWith("__Host-runtrail_session="))).toMatch(/; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+; Secure$/);
    });

    it("state-changing dashboard requests need the session's CSRF token", async () => {
      const web = new DashboardClient(api.url);
      await web.login(ADMIN.email, ADMIN.password);
      const token = web.csrfToken;
      const missing = await web.request("/runs/nope/cancel", { method: "POST", json: {} });
      expect(missing.status).toBe(403);
      expect(missing.body.error.code).toBe("csrf_missing");
      const wrong = await web.request("/manage/projects", { method: "POST", json: { name: "x" }, headers: { "x-csrf-token": "not-the-token" } });
      expect(wrong.body.error.code).toBe("csrf_invalid");
      const crossSite = await web.request("/manage/projects", { method: "POST", json: { name: "x" }, headers: { "x-csrf-token": token ?? "", "sec-fetch-site": "cross-site" } });
      expect(crossSite.body.error.code).toBe("cross_site");
      // Another session's token does not pass for this one.
      const other = new DashboardClient(api.url);
      await other.login(ADMIN.email, ADMIN.password);
      expect(other.csrfToken).not.toBe(token);
      expect((await web.request("/manage/projects", { method: "POST", json: { name: "x" }, headers: { "x-csrf-token": other.csrfToken ?? "" } })).status).toBe(403);
      // The right token gets through to the route's own answers.
      expect((await web.send("/runs/nope/cancel", {})).status).toBe(404);
      expect((await web.send("/manage/projects", { name: "" })).body.error).toMatchObject({ code: "invalid_params", field: "name" });
      expect((await web.send("/manage/projects", { name: `P ${uid("x")}` })).status).toBe(201);
    });

    it("sign-out deletes the session on the server: the old cookie no longer works", async () => {
      const web = new DashboardClient(api.url);
      await web.login(ADMIN.email, ADMIN.password);
      const stolen = web.cookieHeader();
      const token = web.jar.get("runtrail_session") ?? "";
      expect(token).toMatch(/^[\w-]{43}$/);
      expect((await web.request("/auth/logout", { method: "POST", json: {} })).status).toBe(403); // no CSRF token
      const out = await web.send("/auth/logout", {});
      expect(out.status).toBe(200);
      expect(out.headers.getSetCookie().join("\n")).toContain("runtrail_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
      const replay = new DashboardClient(api.url);
      replay.jar.set("runtrail_session", token);
      expect(loginRedirectOf(await replay.request("/runs"))).toBe("/login?next=%2Fruns&reason=expired");
      expect(loginRedirectOf(await replay.request("/settings/keys"))).toBe("/login?next=%2Fsettings%2Fkeys&reason=expired");
      expect((await fetch(`${api.url}/runs/x/live`, { headers: { cookie: stolen } })).status).toBe(401);
    });

    it("throttles failed sign-ins per email with 429 and Retry-After", async () => {
      const web = new DashboardClient(api.url);
      const email = `${uid("victim")}@example.com`;
      for (let i = 0; i < 10; i++) expect((await web.login(email, `guess number ${i}`)).status).toBe(401);
      const blocked = await web.login(email, "guess number 10");
      expect(blocked.status).toBe(429);
      expect(blocked.body.error.code).toBe("too_many_attempts");
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(800);
      expect((await web.login(ADMIN.email, ADMIN.password)).status).toBe(200); // other emails are not locked out
    });

    it("counts guesses sent all at once, before any is answered: still ten", async () => {
      const email = `${uid("burst")}@example.com`;
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => new DashboardClient(api.url).login(email, `parallel guess ${i}`)));
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(10);
      expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    });

    it("answers a dashboard post declared too large with 413 before reading it, and never redirects the theme switch off site", async () => {
      const big = await fetch(`${api.url}/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": String(5_000_000) },
        body: "x".repeat(5_000_000),
      }).catch(() => null);
      // Answered before the body is read: the server may close the connection on the rest.
      if (big) {
        expect(big.status).toBe(413);
        expect((await big.json()).error).toMatchObject({ code: "payload_too_large", field: "body" });
      }
      const theme = await fetch(`${api.url}/theme`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", referer: `${api.url}//evil.example/x` },
        body: "theme=dark",
      });
      expect(theme.status).toBe(303);
      expect(theme.headers.get("location")).toBe("/overview");
    });

    it("a disabled user cannot sign in, and their open session ends", async () => {
      const admin = new DashboardClient(api.url);
      await admin.login(ADMIN.email, ADMIN.password);
      const email = `${uid("leaver")}@example.com`;
      const made = await admin.send("/manage/users", { email, password: "leaver password", role: "member", projectIds: [] });
      expect(made.status).toBe(201);
      const user = new DashboardClient(api.url);
      expect((await user.login(email, "leaver password")).status).toBe(200);
      expect((await admin.send(`/manage/users/${made.body.user.id}`, { disabled: true }, "PATCH")).status).toBe(200);
      expect((await user.request("/settings/account")).status).toBe(307);
      const again = await new DashboardClient(api.url).login(email, "leaver password");
      expect(again.status).toBe(403);
      expect(again.body.error.code).toBe("account_disabled");
    });
  });
}

describe("an idle session expires", () => {
  let server: RunningServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "runtrail-idle-"));
    server = await startServer({ RUNTRAIL_DATA_DIR: dir, DATABASE_URL: undefined, RUNTRAIL_ADMIN_EMAIL: ADMIN.email, RUNTRAIL_ADMIN_PASSWORD: ADMIN.password, RUNTRAIL_SESSION_IDLE_SECONDS: "2" });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends the user back to /login (pages) or answers 401 (routes) once the idle time has passed", async () => {
    const web = new DashboardClient(server.url);
    expect((await web.login(ADMIN.email, ADMIN.password)).status).toBe(200);
    expect((await web.request("/settings/keys")).status).toBe(200);
    await sleep(2_600);
    const page = await web.request("/settings/keys");
    expect(page.status).toBe(307);
    expect(page.headers.get("location")).toBe("/login?next=%2Fsettings%2Fkeys&reason=expired");
    expect((await web.send("/manage/projects", { name: "late" })).status).toBe(401);
    const login = await web.request("/login?next=%2Fsettings%2Fkeys&reason=expired");
    expect(login.text).toContain("Your session has ended");
  });
});
