import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError } from "../auth/errors.js";
import { testStoreKinds } from "../testing/stores.js";
import { suiteStore } from "../testing/suite-store.js";
import { createApiKey, findApiKey, listApiKeys, revokeApiKey, touchApiKey } from "./api-keys.js";
import { writeEvents } from "./ingest.js";
import { findRunProject } from "./runs.js";
import { createProject, findProject, instanceValue, listProjectDetails, listProjects, renameProject } from "./projects.js";
import { createSession, deleteSession, findSession, purgeSessions } from "./sessions.js";
import { createUser, ensureAdmin, findUserByEmail, hasUsers, listUsers, setUserPassword, updateUser } from "./users.js";

const TIMES = { maxAgeMs: 60_000, idleMs: 30_000, touchMs: 10_000 };

for (const kind of await testStoreKinds()) {
  describe(`users, sessions, projects and keys on ${kind.name}`, () => {
    const t = suiteStore(kind);

    it("creates users with unique emails whatever their case, members with their projects", async () => {
      const db = t.store.db;
      expect(await hasUsers(db)).toBe(false);
      const p = await createProject(db, "Payments");
      const admin = await createUser(db, { email: "Ada@Example.com", password: "first password", role: "admin" });
      expect(admin).toMatchObject({ email: "Ada@Example.com", role: "admin", disabled: false, projectIds: [] });
      expect(JSON.stringify(admin)).not.toContain("scrypt");
      await expect(createUser(db, { email: "ada@example.COM", password: "other password", role: "member" })).rejects.toBeInstanceOf(ConflictError);
      const member = await createUser(db, { email: "bob@example.com", password: "bob password", role: "member", projectIds: [p.id] });
      expect(member.projectIds).toEqual([p.id]);
      expect(await hasUsers(db)).toBe(true);
      expect((await findUserByEmail(db, "ADA@example.com"))?.id).toBe(admin.id);
      expect(await listProjects(db, member.id)).toEqual([p]);
      expect((await listProjects(db)).map((x) => x.name)).toContain("Payments");
      expect((await listUsers(db)).map((u) => u.email)).toEqual(["Ada@Example.com", "bob@example.com"]);
    });

    it("keeps at least one enabled admin, and disabling signs a user out", async () => {
      const db = t.store.db;
      const admin = await findUserByEmail(db, "ada@example.com");
      const bob = await findUserByEmail(db, "bob@example.com");
      if (!admin || !bob) throw new Error("users missing");
      await expect(updateUser(db, admin.id, { role: "member" })).rejects.toThrow("at least one enabled admin must remain");
      await expect(updateUser(db, admin.id, { disabled: true })).rejects.toBeInstanceOf(ConflictError);
      expect((await findUserByEmail(db, "ada@example.com"))?.role).toBe("admin");
      const s = await createSession(db, bob.id, TIMES);
      expect(await findSession(db, s.token, TIMES)).not.toBeNull();
      expect((await updateUser(db, bob.id, { disabled: true })).disabled).toBe(true);
      expect(await findSession(db, s.token, TIMES)).toBeNull();
      await updateUser(db, bob.id, { disabled: false, projectIds: [] });
      expect(await listProjects(db, bob.id)).toEqual([]);
      await expect(updateUser(db, "nobody", { role: "admin" })).rejects.toBeInstanceOf(NotFoundError);
    });

    it("stores only a hash of the session token; expired, idle and deleted sessions are gone", async () => {
      const db = t.store.db;
      const ada = await findUserByEmail(db, "ada@example.com");
      if (!ada) throw new Error("ada missing");
      const s = await createSession(db, ada.id, TIMES);
      expect(s.token).toMatch(/^[\w-]{43}$/);
      expect(s.id).not.toContain(s.token);
      const found = await findSession(db, s.token, TIMES);
      expect(found).toMatchObject({ id: s.id, csrfToken: s.csrfToken, user: { id: ada.id, role: "admin" } });
      expect(await findSession(db, s.id, TIMES)).toBeNull(); // the stored hash is not a token
      expect(await findSession(db, `${s.token}x`, TIMES)).toBeNull();
      expect(await findSession(db, "../../etc", TIMES)).toBeNull();

      const idle = await createSession(db, ada.id, { ...TIMES, idleMs: 1 });
      await new Promise((r) => setTimeout(r, 20));
      expect(await findSession(db, idle.token, { ...TIMES, idleMs: 1 })).toBeNull();
      const short = await createSession(db, ada.id, { ...TIMES, maxAgeMs: 1 });
      await new Promise((r) => setTimeout(r, 20));
      expect(await findSession(db, short.token, TIMES)).toBeNull();

      await deleteSession(db, s.id);
      expect(await findSession(db, s.token, TIMES)).toBeNull();
      await createSession(db, ada.id, { ...TIMES, maxAgeMs: -1 });
      expect(await purgeSessions(db, TIMES.idleMs)).toBeGreaterThanOrEqual(1);
    });

    it("a new password signs out every other session", async () => {
      const db = t.store.db;
      const ada = await findUserByEmail(db, "ada@example.com");
      if (!ada) throw new Error("ada missing");
      const keep = await createSession(db, ada.id, TIMES);
      const other = await createSession(db, ada.id, TIMES);
      await setUserPassword(db, ada.id, "second password", keep.id);
      expect(await findSession(db, keep.token, TIMES)).not.toBeNull();
      expect(await findSession(db, other.token, TIMES)).toBeNull();
    });

    it("ensureAdmin creates, then updates role, state and password, then changes nothing", async () => {
      const db = t.store.db;
      expect(await ensureAdmin(db, "root@example.com", "root password 1")).toBe("created");
      expect(await ensureAdmin(db, "ROOT@example.com", "root password 1")).toBe("unchanged");
      const root = await findUserByEmail(db, "root@example.com");
      if (!root) throw new Error("root missing");
      const s = await createSession(db, root.id, TIMES);
      await updateUser(db, root.id, { role: "member" });
      expect(await ensureAdmin(db, "root@example.com", "root password 2")).toBe("updated");
      expect((await findUserByEmail(db, "root@example.com"))?.role).toBe("admin");
      expect(await findSession(db, s.token, TIMES)).toBeNull();
    });

    it("projects: unique names whatever the case, rename, find by id or name", async () => {
      const db = t.store.db;
      const a = await createProject(db, "Search");
      expect(a.id).toMatch(/^p_[a-z2-7]{12}$/);
      await expect(createProject(db, "search")).rejects.toBeInstanceOf(ConflictError);
      expect(await renameProject(db, a.id, "Search v2")).toEqual({ id: a.id, name: "Search v2" });
      await expect(renameProject(db, a.id, "PAYMENTS")).rejects.toBeInstanceOf(ConflictError);
      await expect(renameProject(db, "p_nope", "x")).rejects.toBeInstanceOf(NotFoundError);
      expect(await findProject(db, a.id)).toEqual({ id: a.id, name: "Search v2" });
      expect(await findProject(db, "search V2")).toEqual({ id: a.id, name: "Search v2" });
      expect(await findProject(db, "nothing")).toBeNull();
      await createApiKey(db, a.id, "one");
      const revoked = await createApiKey(db, a.id, "two");
      await revokeApiKey(db, a.id, revoked.view.id);
      await writeEvents(db, a.id, [{ id: "e1", runId: "r1", seq: 1, type: "run.start", taskId: null, ts: new Date(), payload: { name: "r" } }]);
      const details = await listProjectDetails(db);
      expect(details.find((p) => p.id === a.id)).toMatchObject({ keyCount: 1, runCount: 1 });
      expect(details.find((p) => p.name === "Payments")).toMatchObject({ keyCount: 0, runCount: 0 });
    });

    it("finds which of a viewer's projects holds a run id, in the order asked", async () => {
      const db = t.store.db;
      const [x, y, z] = [await createProject(db, "Find X"), await createProject(db, "Find Y"), await createProject(db, "Find Z")];
      const start = (runId: string) => [{ id: `${runId}-e`, runId, seq: 1, type: "run.start" as const, taskId: null, ts: new Date(), payload: { name: "r" } }];
      await writeEvents(db, y.id, start("shared"));
      await writeEvents(db, z.id, start("shared"));
      await writeEvents(db, z.id, start("only-z"));
      expect(await findRunProject(db, "shared", [x.id, y.id, z.id])).toBe(y.id);
      expect(await findRunProject(db, "shared", [z.id, y.id])).toBe(z.id);
      expect(await findRunProject(db, "only-z", [x.id, y.id])).toBeNull();
      expect(await findRunProject(db, "shared", [])).toBeNull();
    });

    it("keys: shown once, hashed, scoped to their project, revoked, last use moved cheaply", async () => {
      const db = t.store.db;
      const p = await createProject(db, "Keys");
      const q = await createProject(db, "Other keys");
      const ada = await findUserByEmail(db, "ada@example.com");
      const { key, view } = await createApiKey(db, p.id, "ci", ada?.id ?? null);
      expect(key).toMatch(/^rt_[\w-]{43}$/);
      expect(view).toMatchObject({ projectId: p.id, name: "ci", prefix: key.slice(0, 10), createdBy: "Ada@Example.com", lastUsedAt: null, revokedAt: null });
      expect(JSON.stringify(await listApiKeys(db, p.id))).not.toContain(key);
      expect(await findApiKey(db, key)).toEqual({ id: view.id, projectId: p.id });

      await touchApiKey(db, view.id, 60_000);
      const used = (await listApiKeys(db, p.id))[0]?.lastUsedAt;
      expect(used).toBeInstanceOf(Date);
      await touchApiKey(db, view.id, 60_000);
      expect((await listApiKeys(db, p.id))[0]?.lastUsedAt).toEqual(used);

      // Another project's id does not reach the key: not found, and the key still works.
      await expect(revokeApiKey(db, q.id, view.id)).rejects.toBeInstanceOf(NotFoundError);
      expect(await findApiKey(db, key)).not.toBeNull();
      const revoked = await revokeApiKey(db, p.id, view.id);
      expect(revoked.revokedAt).toBeInstanceOf(Date);
      expect(await findApiKey(db, key)).toBeNull();
      expect(await listApiKeys(db, p.id)).toEqual([]);
      expect((await revokeApiKey(db, p.id, view.id)).revokedAt).toEqual(revoked.revokedAt);
      await expect(createApiKey(db, "p_missing", "x")).rejects.toBeInstanceOf(NotFoundError);
    });

    it("an instance value is made once, whoever asks first", async () => {
      const db = t.store.db;
      const first = await instanceValue(db, "test-secret", () => "one");
      expect(first).toBe("one");
      expect(await instanceValue(db, "test-secret", () => "two")).toBe("one");
    });
  });
}
