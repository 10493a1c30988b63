import { testStoreKinds } from "@runtrail/db/testing";
import { describe, expect, it } from "vitest";
import { DashboardClient } from "./dashboard";
import { emitter, uid, useServer } from "./harness";

/**
 * Over real HTTP: API keys are scoped to one project. No key, a wrong key, a revoked
 * key, and another project's key and run id are each refused the same way on every
 * endpoint; the dashboard's own routes follow the signed-in user's projects.
 */

const ADMIN = { email: "admin@example.com", password: "admin password 1" };

for (const kind of await testStoreKinds()) {
  describe(`project isolation and API keys on ${kind.name}`, () => {
    const api = useServer(kind, { RUNTRAIL_ADMIN_EMAIL: ADMIN.email, RUNTRAIL_ADMIN_PASSWORD: ADMIN.password });

    const as = (key: string | null) => (key === null ? null : `Bearer ${key}`);
    async function admin() {
      const web = new DashboardClient(api.url);
      expect((await web.login(ADMIN.email, ADMIN.password)).status).toBe(200);
      return web;
    }
    async function projectWithKey(web: DashboardClient, name: string) {
      const made = await web.send("/manage/projects", { name });
      expect(made.status, made.text).toBe(201);
      const key = await web.send("/manage/keys", { projectId: made.body.project.id, name: "test" });
      expect(key.status, key.text).toBe(201);
      return { projectId: made.body.project.id as string, key: key.body.key as string, keyId: key.body.apiKey.id as string };
    }

    it("refuses no key, a wrong key and a malformed header on every endpoint with 401", async () => {
      const runId = uid("nokey");
      const endpoints: [string, string, unknown?][] = [
        ["POST", "/api/v1/ingest", { batch: [emitter(runId)("run.start", 0, { name: "x" })] }],
        ["GET", "/api/v1/runs"],
        ["GET", `/api/v1/runs/${runId}`],
        ["GET", `/api/v1/runs/${runId}/logs`],
        ["GET", `/api/v1/runs/${runId}/stream`],
        ["POST", `/api/v1/runs/${runId}/cancel`, {}],
      ];
      for (const [method, path, body] of endpoints) {
        for (const auth of [null, "Bearer rt_not_a_real_key_at_all_000000000000000000", `Basic ${api.apiKey}`, `Bearer ${api.apiKey} extra`]) {
          const r = await api.call(path, { method, body, auth });
          expect(r.status, `${method} ${path} with ${auth}`).toBe(401);
          expect(r.body.error.code).toBe("unauthorized");
        }
      }
      expect((await api.call(`/api/v1/runs/${runId}`)).status).toBe(404); // nothing was stored
    });

    it("another project's key answers 404 for a run id of this project: get, stream, logs, cancel, list", async () => {
      const web = await admin();
      const other = await projectWithKey(web, `Other ${uid("p")}`);
      const runId = uid("mine");
      const ev = emitter(runId);
      expect((await api.ingest([ev("run.start", 0, { name: "secret-run", input: { token: "s3cret" } }), ev("run.log", 1, { message: "hi" })])).status).toBe(200);

      const key = as(other.key);
      for (const [method, path] of [
        ["GET", `/api/v1/runs/${runId}`],
        ["GET", `/api/v1/runs/${runId}?tasks=false`],
        ["GET", `/api/v1/runs/${runId}/logs`],
        ["GET", `/api/v1/runs/${runId}/stream`],
        ["POST", `/api/v1/runs/${runId}/cancel`],
      ] as const) {
        const r = await api.call(path, { method, body: method === "POST" ? {} : undefined, auth: key });
        expect(r.status, `${method} ${path}`).toBe(404);
        expect(JSON.stringify(r.body)).not.toContain("s3cret");
      }
      const list = await api.call("/api/v1/runs?limit=200", { auth: key });
      expect(list.body.data.map((r: { id: string }) => r.id)).not.toContain(runId);
      // The run is untouched and still running for its own project.
      expect((await api.getRun(runId)).run).toMatchObject({ status: "running", name: "secret-run" });
    });

    it("ingest with another project's key and an existing run id makes a separate run there", async () => {
      const web = await admin();
      const other = await projectWithKey(web, `Ingest ${uid("p")}`);
      const runId = uid("shared-id");
      const mine = emitter(runId);
      expect((await api.ingest([mine("run.start", 0, { name: "original", input: { a: 1 } }), mine("task.start", 1, { taskId: "t1", name: "step" })])).status).toBe(200);

      // The same run id (and even the same event ids) from the other project.
      const theirs = emitter(runId);
      const r = await api.call("/api/v1/ingest", {
        body: { batch: [theirs("run.start", 0, { name: "intruder", input: { b: 2 } }), theirs("run.complete", 5, { output: "x" })] },
        auth: as(other.key),
      });
      expect(r.status).toBe(200);
      expect(r.body.accepted).toBe(2);

      const original = await api.getRun(runId);
      expect(original.run).toMatchObject({ name: "original", status: "running", input: { a: 1 } });
      expect(original.tasks.map((t) => t.id)).toEqual(["t1"]);
      const separate = await api.call(`/api/v1/runs/${runId}`, { auth: as(other.key) });
      expect(separate.body.run).toMatchObject({ name: "intruder", status: "completed", input: { b: 2 } });
      expect(separate.body.tasks).toEqual([]);

      // Cancelling the original does not touch the other project's run, and vice versa.
      expect((await api.call(`/api/v1/runs/${runId}/cancel`, { body: {} })).status).toBe(200);
      expect((await api.call(`/api/v1/runs/${runId}`, { auth: as(other.key) })).body.run.status).toBe("completed");
      const answer = await api.call("/api/v1/ingest", { body: { batch: [theirs("run.log", 9, { message: "late" })] }, auth: as(other.key) });
      expect(answer.body.cancelledRuns).toEqual([]);
    });

    it("a key revoked in the dashboard is refused at once; another project cannot revoke it", async () => {
      const web = await admin();
      const p = await projectWithKey(web, `Revoke ${uid("p")}`);
      const q = await projectWithKey(web, `Bystander ${uid("p")}`);
      const runId = uid("rev");
      const batch = [emitter(runId)("run.start", 0, { name: "r" })];
      expect((await api.call("/api/v1/ingest", { body: { batch }, auth: as(p.key) })).status).toBe(200);

      const wrong = await web.send(`/manage/keys/${p.keyId}/revoke`, { projectId: q.projectId });
      expect(wrong.status).toBe(404);
      expect((await api.call(`/api/v1/runs/${runId}`, { auth: as(p.key) })).status).toBe(200);

      const revoked = await web.send(`/manage/keys/${p.keyId}/revoke`, { projectId: p.projectId });
      expect(revoked.status, revoked.text).toBe(200);
      expect(revoked.body.apiKey.revokedAt).toEqual(expect.any(String));
      for (const [method, path] of [
        ["GET", `/api/v1/runs/${runId}`],
        ["GET", "/api/v1/runs"],
        ["POST", "/api/v1/ingest"],
      ] as const) {
        const r = await api.call(path, { method, body: method === "POST" ? { batch } : undefined, auth: as(p.key) });
        expect(r.status, path).toBe(401);
        expect(r.body.error.message).toBe("invalid or revoked API key");
      }
      expect((await api.call("/api/v1/runs", { auth: as(q.key) })).status).toBe(200);
      // The key list shows it revoked, with its prefix and never the key.
      const page = await web.request("/settings/keys", { headers: {} });
      expect(page.status).toBe(200);
      expect(page.text).not.toContain(p.key);
    });

    it("the dashboard's run routes follow the user's project, and a member sees only theirs", async () => {
      const web = await admin();
      const b = await projectWithKey(web, `Members ${uid("p")}`);
      const runId = uid("b-run");
      const ev = emitter(runId);
      await api.call("/api/v1/ingest", { body: { batch: [ev("run.start", 0, { name: "project-b-secret-run" }), ev("task.start", 1, { taskId: "t", name: "t", input: { x: 1 } })] }, auth: as(b.key) });

      // The admin's current project is the default one: project B's run is not found there.
      expect((await web.request(`/runs/${runId}/tasks/t`)).status).toBe(404);
      expect((await web.request(`/runs/${runId}/live`)).status).toBe(404);
      expect((await web.request(`/runs/${runId}/timeline`)).status).toBe(404);
      // The timeline of a page rendered for project B names it, and reads there whatever the current project.
      const streamed = await web.request(`/runs/${runId}/timeline?p=${b.projectId}`);
      expect(streamed.status).toBe(200);
      expect(streamed.text).toContain('"idRest":["t"]');
      expect((await new DashboardClient(api.url).request(`/runs/${runId}/timeline?p=${b.projectId}`)).status).toBe(401);
      expect((await web.send(`/runs/${runId}/cancel`, {})).status).toBe(404);
      // The page streams (its loading state goes first), so what it says is in the body, not the status:
      // the admin may see project B, so the page offers to switch there, without showing the run.
      const elsewhere = await web.request(`/runs/${runId}`);
      expect(elsewhere.text).toContain("This run is in another project");
      expect(elsewhere.text).toContain("Switch to Members");
      expect(elsewhere.text).not.toContain("project-b-secret-run");
      expect((await web.send("/auth/project", { projectId: b.projectId })).status).toBe(200);
      expect((await web.request(`/runs/${runId}/tasks/t`)).body.task).toMatchObject({ id: "t", input: { x: 1 } });
      expect((await web.request(`/runs/${runId}`)).text).toContain("project-b-secret-run");

      const email = `${uid("member")}@example.com`;
      const made = await web.send("/manage/users", { email, password: "member password", role: "member", projectIds: [b.projectId] });
      expect(made.status, made.text).toBe(201);
      const member = new DashboardClient(api.url);
      expect((await member.login(email, "member password")).status).toBe(200);
      // Their only project is B, whatever cookie they send; the default project is out of reach.
      expect((await member.request(`/runs/${runId}/tasks/t`)).status).toBe(200);
      expect((await member.request(`/runs/${runId}/timeline`)).status).toBe(200);
      expect((await member.request(`/runs/${runId}/timeline?p=default`)).status).toBe(404);
      expect((await member.send("/auth/project", { projectId: "default" })).status).toBe(404);
      member.jar.set("runtrail_project", "default");
      expect((await member.request(`/runs/${runId}/tasks/t`)).status).toBe(200);
      expect((await member.send("/manage/keys", { projectId: "default", name: "sneaky" })).status).toBe(404);
      expect((await member.send("/manage/projects", { name: "mine now" })).status).toBe(403);
      expect((await member.send(`/manage/users/${made.body.user.id}`, { role: "admin" }, "PATCH")).status).toBe(403);
      const ownKey = await member.send("/manage/keys", { projectId: b.projectId, name: "member key" });
      expect(ownKey.status).toBe(201);
      const runs = await member.request("/runs");
      expect(runs.status).toBe(200);
      expect(runs.text).toContain(runId);

      // Someone who may not see project B learns nothing of it: the run is simply not found.
      const outsiderEmail = `${uid("outsider")}@example.com`;
      expect((await web.send("/manage/users", { email: outsiderEmail, password: "outsider password", role: "member", projectIds: ["default"] })).status).toBe(201);
      const outsider = new DashboardClient(api.url);
      expect((await outsider.login(outsiderEmail, "outsider password")).status).toBe(200);
      const hidden = await outsider.request(`/runs/${runId}`);
      expect(hidden.text).toContain("Run not found");
      expect(hidden.text).not.toContain("another project");
      expect(hidden.text).not.toContain("project-b-secret-run");
    });
  });
}
