import { testStoreKinds } from "@runtrail/db/testing";
import { describe, expect, it } from "vitest";
import { DashboardClient, type DashboardReply } from "./dashboard";
import { emitter, uid, useServer } from "./harness";

/**
 * Hostile input to the dashboard's own routes (sign-in, /manage/*, the run page's
 * routes) over real HTTP, on both stores: a NUL, a control character or a lone
 * surrogate where an email, a password, a name, a path id or a cursor belongs is a
 * 4xx naming the field, never a 500 (Postgres refuses a NUL in text outright).
 */

const ADMIN = { email: "hostile-admin@example.com", password: "admin password 1" };
const NUL = "\u0000";
const LONE = "\ud800";
const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** The reply, after checking it is a 4xx with the error naming `field`. */
function refused(reply: DashboardReply, status: number, field: string, what: string): DashboardReply {
  expect(reply.status, `${what}: ${reply.text.slice(0, 300)}`).toBe(status);
  expect(reply.body?.error?.field, what).toBe(field);
  expect(reply.body.error.message.startsWith(`${field}: `), reply.body.error.message).toBe(true);
  return reply;
}

for (const kind of await testStoreKinds()) {
  describe(`hostile dashboard input on ${kind.name}`, () => {
    const api = useServer(kind, { RUNTRAIL_ADMIN_EMAIL: ADMIN.email, RUNTRAIL_ADMIN_PASSWORD: ADMIN.password });

    async function admin(): Promise<DashboardClient> {
      const web = new DashboardClient(api.url);
      const login = await web.login(ADMIN.email, ADMIN.password);
      expect(login.status, login.text).toBe(200);
      return web;
    }

    it("answers a sign-in with a NUL, control character or lone surrogate in the email, or a NUL in the password, with 400 naming the field", async () => {
      const web = new DashboardClient(api.url);
      for (const [email, why] of [
        [`a${NUL}@b.c`, "must not contain control characters"],
        [`${ADMIN.email}\u0007`, "must not contain control characters"],
        [`a\u0085@b.c`, "must not contain control characters"],
        [`a${LONE}@b.c`, "must not contain a lone UTF-16 surrogate"],
      ]) {
        const r = refused(await web.login(email as string, "whatever password"), 400, "email", JSON.stringify(email));
        expect(r.body.error.message).toBe(`email: ${why}`);
      }
      // scrypt pads its key with zeros, so the admin's password plus a NUL would sign in: a NUL
      // (or a lone surrogate, which hashes as U+FFFD) is refused in a password too.
      for (const [password, why] of [
        [`${ADMIN.password}${NUL}`, "must not contain a NUL character"],
        [`x${NUL}y`, "must not contain a NUL character"],
        [`x${LONE}`, "must not contain a lone UTF-16 surrogate"],
      ]) {
        const r = refused(await web.login(ADMIN.email, password as string), 400, "password", JSON.stringify(password));
        expect(r.body.error.message).toBe(`password: ${why}`);
      }
      expect(web.jar.has("runtrail_session")).toBe(false);
      const wrong = await web.login(ADMIN.email, `${ADMIN.password}\u0001`);
      expect(wrong.status, wrong.text).toBe(401);
      expect(wrong.body.error).toEqual({ code: "invalid_credentials", message: "wrong email or password" });
      // Whitespace around the email is still trimmed away, as before.
      expect((await web.login(` ${ADMIN.email}\n`, ADMIN.password)).status).toBe(200);
    });

    it("refuses emails, passwords and names that cannot be stored as typed, naming the field", async () => {
      const web = await admin();
      const user = (email: string, password = "member password 1") => web.send("/manage/users", { email, password, role: "member" });
      const email = refused(await user(`m${NUL}@example.com`), 400, "email", "NUL email");
      expect(email.body.error.message).toBe("email: must not contain control characters");
      refused(await user(`m${LONE}@example.com`), 400, "email", "lone surrogate email");
      refused(await user("m\u001b@example.com"), 400, "email", "ESC email");
      expect(refused(await user(`${uid("m")}@example.com`, `password${NUL}123`), 400, "password", "NUL password").body.error.message).toBe(
        "password: must not contain a NUL character",
      );
      refused(await user(`${uid("m")}@example.com`, `password${LONE}123`), 400, "password", "lone surrogate password");

      const made = await user(`${uid("m")}@example.com`);
      expect(made.status, made.text).toBe(201);
      refused(await web.send(`/manage/users/${made.body.user.id}`, { password: `new pass ${NUL}word` }, "PATCH"), 400, "password", "PATCH NUL password");
      const own = await web.send("/manage/account/password", { currentPassword: ADMIN.password, newPassword: `new pass ${NUL}word` });
      refused(own, 400, "newPassword", "own NUL password");

      refused(await web.send("/manage/projects", { name: `p${NUL}` }), 400, "name", "NUL project name");
      refused(await web.send("/manage/projects", { name: `p${LONE}q` }), 400, "name", "lone surrogate project name");
      refused(await web.send("/manage/projects/default", { name: `p${LONE}q` }, "PATCH"), 400, "name", "lone surrogate rename");
      refused(await web.send("/manage/keys", { projectId: "default", name: `k${NUL}` }), 400, "name", "NUL key name");
      refused(await web.send("/manage/keys", { projectId: "default", name: `k${LONE}` }), 400, "name", "lone surrogate key name");
      // Ids in a body are only compared with the viewer's own projects.
      refused(await web.send("/manage/keys", { projectId: `default${NUL}`, name: "k" }), 404, "projectId", "NUL projectId");
      refused(await web.send("/manage/users", { email: `${uid("m")}@example.com`, password: "member password 1", role: "member", projectIds: [NUL] }), 400, "projectIds", "NUL projectIds");
    });

    it("answers /manage path ids that no stored id could be with 400 naming id, and unknown ones with 404", async () => {
      const web = await admin();
      const routes = (id: string): [string, string, unknown][] => [
        ["POST", `/manage/keys/${id}/revoke`, { projectId: "default" }],
        ["PATCH", `/manage/projects/${id}`, { name: "renamed" }],
        ["PATCH", `/manage/users/${id}`, { role: "member" }],
      ];
      for (const [id, message] of [
        ["a%00b", "id: contains a NUL character (U+0000), which cannot be stored"],
        ["x".repeat(201), "id: 201 characters; the limit is 200"],
      ] as const) {
        for (const [method, path, body] of routes(id)) {
          const r = refused(await web.send(path, body, method), 400, "id", `${method} ${path.slice(0, 40)}`);
          expect(r.body.error).toEqual({ code: "invalid_params", field: "id", message });
        }
      }
      for (const [method, path, body] of routes("no-such-id")) {
        expect((await web.send(path, body, method)).status, `${method} ${path}`).toBe(404);
      }
    });

    it("answers crafted cursors and ids on the run page's routes with 400 naming the parameter", async () => {
      const web = await admin();
      const runId = uid("hostile-run");
      const ev = emitter(runId);
      const stored = await api.ingest([
        ev("run.start", 0, { name: "hostile" }),
        ev("task.start", 1, { taskId: "t1", name: "t" }),
        ev("task.log", 2, { taskId: "t1", message: "line" }),
      ]);
      expect(stored.status).toBe(200);
      const run = `/runs/${runId}`;
      for (const [path, field] of [
        [`${run}/timeline?after=${cursor([1, NUL])}`, "after"],
        [`${run}/timeline?after=${cursor([null, `a${LONE}`])}`, "after"],
        [`${run}/logs?taskId=%00`, "taskId"],
        [`${run}/logs?taskId=${"t".repeat(201)}`, "taskId"],
        [`${run}/logs?cursor=${cursor([1, NUL])}`, "cursor"],
        [`${run}/logs?cursor=${"c".repeat(1001)}`, "cursor"],
      ]) {
        refused(await web.request(path as string), 400, field as string, path as string);
      }
      const nulTask = await web.request(`${run}/logs?taskId=%00`);
      expect(nulTask.body.error.message).toBe("taskId: contains a NUL character (U+0000), which cannot be stored");
      // The good forms still answer.
      expect((await web.request(`${run}/logs?taskId=t1`)).body.data.map((l: { message: string }) => l.message)).toEqual(["line"]);
      expect((await web.request(`${run}/timeline`)).status).toBe(200);
      // A project the viewer cannot see (a NUL one included) is a missing run.
      expect((await web.request(`${run}/timeline?p=%00`)).status).toBe(404);
      // The runs list starts over on a crafted cursor rather than failing the page.
      for (const query of [`cursor=${cursor(["2026-01-01T00:00:00Z", NUL])}`, `before=${cursor(["2026-01-01T00:00:00Z", LONE])}`, "tag=%00", "q=a%00"]) {
        const page = await web.request(`/runs?${query}`);
        expect(page.status, query).toBe(200);
      }
    });
  });
}
