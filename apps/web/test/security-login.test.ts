import { testStoreKinds } from "@runtrail/db/testing";
import { describe, expect, it } from "vitest";
import { DashboardClient } from "./dashboard";
import { referenceRun, uid, useServer } from "./harness";
import { rawRequest } from "./raw-http";
import { expectStaysOn, nextQueries } from "./hostile-next";

/**
 * The security review's findings in login mode, over real HTTP on both stores: the
 * redirect after sign-in, the sign-in throttle (no lockout from elsewhere, no escape by
 * forged headers), the CSRF origin check, key creation limits, wrong API keys, and
 * private data in the browser cache after sign-out.
 *
 * The server trusts X-Forwarded-For only from 127.0.0.9, the "proxy" of these tests;
 * other test clients connect from their own loopback addresses (127.0.0.2, …), which
 * is how the server tells them apart without believing any header.
 */

const ADMIN = { email: "sec-admin@example.com", password: "sec admin password 1" };
const PROXY = "127.0.0.9";
const MAX_KEYS = 3;
const BAD_KEYS = 5;

for (const kind of await testStoreKinds()) {
  describe(`security findings in login mode on ${kind.name}`, () => {
    const api = useServer(kind, {
      RUNTRAIL_ADMIN_EMAIL: ADMIN.email,
      RUNTRAIL_ADMIN_PASSWORD: ADMIN.password,
      RUNTRAIL_TRUSTED_PROXIES: PROXY,
      RUNTRAIL_MAX_KEYS_PER_PROJECT: String(MAX_KEYS),
      RUNTRAIL_BAD_KEY_LIMIT: String(BAD_KEYS),
    });

    async function admin(from = "127.0.0.1"): Promise<DashboardClient> {
      const web = new DashboardClient(api.url, from);
      const r = await web.login(ADMIN.email, ADMIN.password);
      expect(r.status, r.text).toBe(200);
      return web;
    }

    it("never redirects a signed-in user off the origin, and never hands the form a foreign next", async () => {
      const web = await admin();
      for (const { value, query } of nextQueries()) expectStaysOn(api.url, await web.request(query), `next=${JSON.stringify(value)} via ${query}`);
      for (const { value } of nextQueries()) {
        const signIn = await new DashboardClient(api.url).login(ADMIN.email, ADMIN.password, value);
        expect(signIn.status).toBe(200);
        expect(new URL(signIn.body.next, api.url).origin, JSON.stringify(value)).toBe(api.url);
        expect(signIn.body.next).toMatch(/^\/(?![/\\])/);
      }
    });

    it("ten wrong passwords from one address lock that address out of that account, not the right password from another", async () => {
      const email = `${uid("target")}@example.com`;
      const owner = await admin();
      const made = await owner.send("/manage/users", { email, password: "target password 1", role: "member", projectIds: [] });
      expect(made.status, made.text).toBe(201);
      const attacker = new DashboardClient(api.url, "127.0.0.2");
      for (let i = 0; i < 10; i++) expect((await attacker.login(email, `wrong guess ${i}`)).status).toBe(401);
      const blocked = await attacker.login(email, "target password 1");
      expect(blocked.status).toBe(429);
      expect(blocked.body.error.code).toBe("too_many_attempts");
      expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(60);
      // The owner, from another address, signs in at once.
      const owners = new DashboardClient(api.url, "127.0.0.3");
      const ok = await owners.login(email, "target password 1");
      expect(ok.status, ok.text).toBe(200);
      // ... and the attacker is still held.
      expect((await attacker.login(email, "wrong guess 10")).status).toBe(429);
    });

    it("a forged X-Forwarded-For does not make a client a new address; a trusted proxy's does", async () => {
      const email = `${uid("forged")}@example.com`;
      const owner = await admin();
      expect((await owner.send("/manage/users", { email, password: "forged password 1", role: "member", projectIds: [] })).status).toBe(201);
      const forger = new DashboardClient(api.url, "127.0.0.4");
      for (let i = 0; i < 10; i++) {
        const r = await forger.request("/auth/csrf");
        const guess = await forger.request("/auth/login", {
          json: { email, password: `guess ${i}` },
          headers: { "x-csrf-token": r.body.token, "x-forwarded-for": `198.51.100.${i}` },
        });
        expect(guess.status).toBe(401);
      }
      const csrf = await forger.request("/auth/csrf");
      const again = await forger.request("/auth/login", {
        json: { email, password: "forged password 1" },
        headers: { "x-csrf-token": csrf.body.token, "x-forwarded-for": "198.51.100.200" },
      });
      expect(again.status).toBe(429);
      // Through the trusted proxy, the address it forwards is the client's.
      const viaProxy = (client: string) => {
        const web = new DashboardClient(api.url, PROXY);
        return async (password: string) => {
          const token = (await web.request("/auth/csrf")).body.token;
          return web.request("/auth/login", { json: { email, password }, headers: { "x-csrf-token": token, "x-forwarded-for": client } });
        };
      };
      const far = viaProxy("198.51.100.77");
      for (let i = 0; i < 10; i++) expect((await far(`proxied guess ${i}`)).status).toBe(401);
      expect((await far("forged password 1")).status).toBe(429);
      expect((await viaProxy("198.51.100.78")("forged password 1")).status).toBe(200);
    });

    it("the CSRF origin check ignores X-Forwarded-Host", async () => {
      const web = await admin();
      const name = `P ${uid("xfh")}`;
      const evil = await web.request("/manage/projects", {
        method: "POST",
        json: { name },
        csrf: true,
        headers: { origin: "http://evil.example", "x-forwarded-host": "evil.example" },
      });
      expect(evil.status).toBe(403);
      expect(evil.body.error.code).toBe("cross_site");
      // The dashboard's own origin passes.
      expect((await web.request("/manage/projects", { method: "POST", json: { name }, csrf: true, headers: { origin: api.url } })).status).toBe(201);
    });

    it("caps a project's active keys: 409 past the setting, room again after a revoke", async () => {
      const web = await admin();
      const project = await web.send("/manage/projects", { name: `Keys ${uid("cap")}` });
      expect(project.status).toBe(201);
      const projectId = project.body.project.id as string;
      const ids: string[] = [];
      for (let i = 0; i < MAX_KEYS; i++) {
        const made = await web.send("/manage/keys", { projectId, name: `k${i}` });
        expect(made.status, made.text).toBe(201);
        ids.push(made.body.apiKey.id);
      }
      const refused = await web.send("/manage/keys", { projectId, name: "one too many" });
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatchObject({ code: "too_many_keys", message: expect.stringContaining(`${MAX_KEYS} active keys`) });
      expect((await web.send(`/manage/keys/${ids[0]}/revoke`, { projectId })).status).toBe(200);
      expect((await web.send("/manage/keys", { projectId, name: "replacement" })).status).toBe(201);
      // Many at once do not slip past the cap.
      const burst = await Promise.all(Array.from({ length: 4 }, (_, i) => web.send("/manage/keys", { projectId, name: `race ${i}` })));
      expect(burst.filter((r) => r.status === 201)).toHaveLength(0);
    });

    it("answers 429 to an address that keeps sending wrong API keys, and never to a right key", async () => {
      const bad = (i: number, from: string) => rawRequest(api.url, "/api/v1/runs", { headers: { authorization: `Bearer rt_wrong_${uid("k")}_${i}` }, from });
      for (let i = 0; i < BAD_KEYS; i++) expect((await bad(i, "127.0.0.5")).status).toBe(401);
      const limited = await bad(99, "127.0.0.5");
      expect(limited.status).toBe(429);
      expect(JSON.parse(limited.text).error.code).toBe("too_many_bad_keys");
      expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
      expect((await rawRequest(api.url, "/api/v1/runs", { headers: { authorization: `Bearer ${api.apiKey}` }, from: "127.0.0.5" })).status).toBe(200);
      expect((await bad(0, "127.0.0.6")).status).toBe(401);
    });

    it("keeps no long-lived copy of private run data in the browser: revalidated timelines, and sign-out clears the cache", async () => {
      const runId = uid("cached");
      expect((await api.ingest(referenceRun(runId))).status).toBe(200);
      const web = await admin();
      const first = await web.request(`/runs/${runId}/timeline`);
      expect(first.status).toBe(200);
      const version = first.headers.get("x-run-version");
      const url = `/runs/${runId}/timeline?v=${version}`;
      const ended = await web.request(url);
      expect(ended.status).toBe(200);
      const cache = ended.headers.get("cache-control") ?? "";
      expect(cache).toContain("private");
      expect(cache).toContain("no-cache");
      expect(cache).not.toMatch(/immutable|max-age=[1-9]/);
      const etag = ended.headers.get("etag");
      expect(etag).toBeTruthy();
      const revisit = await web.request(url, { headers: { "if-none-match": etag ?? "" } });
      expect(revisit.status).toBe(304);
      expect(revisit.text).toBe("");
      const cookie = web.cookieHeader();
      const out = await web.send("/auth/logout", {});
      expect(out.status).toBe(200);
      expect(out.headers.get("clear-site-data")).toBe('"cache"');
      // The old session cannot revalidate what a browser may still hold.
      expect((await fetch(`${api.url}${url}`, { headers: { cookie, "if-none-match": etag ?? "" } })).status).toBe(401);
    });
  });
}
