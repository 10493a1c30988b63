import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../client.js";
import { findApiKey } from "../queries/api-keys.js";
import { findUserByEmail } from "../queries/users.js";
import { type TestStore, testStoreKinds } from "../testing/stores.js";
import { runCli } from "./main.js";

interface Outcome {
  code: number;
  out: string[];
  err: string;
}

function cli(env: Record<string, string | undefined>, secret = "") {
  return async (...argv: string[]): Promise<Outcome> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env,
      readSecret: async () => secret,
    });
    return { code, out, err: err.join("\n") };
  };
}

// Every command opens the store as the real command line does (PGlite on disk: seconds
// each on a loaded machine), hence the long timeouts.
const SLOW = { timeout: 300_000 };

for (const kind of await testStoreKinds()) {
  describe(`runtrail command line on ${kind.name}`, SLOW, () => {
    let pg: TestStore | undefined;
    let dir: string;
    let env: Record<string, string | undefined>;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "runtrail-cli-"));
      if (kind.name !== "pglite") {
        pg = await kind.open();
        env = { DATABASE_URL: pg.env.DATABASE_URL, RUNTRAIL_DATA_DIR: dir };
      } else env = { RUNTRAIL_DATA_DIR: dir };
    });
    afterAll(async () => {
      await pg?.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    it("creates the first admin with the password from stdin, never from argv", async () => {
      expect((await cli(env)("users", "list")).out.join("\n")).toContain("No users");
      const refused = await cli(env, "stdin password 1")("users", "create-admin", "--email", "ada@example.com", "--password", "visible");
      expect(refused.code).toBe(2);
      expect(refused.err).toContain("never taken from the command line");
      const short = await cli(env, "short")("users", "create-admin", "--email", "ada@example.com");
      expect(short).toMatchObject({ code: 1, err: "password: must be at least 10 characters" });
      const bad = await cli(env, "stdin password 1")("users", "create-admin", "--email", "ada");
      expect(bad).toMatchObject({ code: 1, err: '--email: "ada" is not an email address' });

      const made = await cli(env, "stdin password 1")("users", "create-admin", "--email", "ada@example.com");
      expect(made.code, made.err).toBe(0);
      expect(made.out[0]).toContain("Created admin ada@example.com");
      // RUNTRAIL_ADMIN_PASSWORD wins over stdin; an existing email is reset, not duplicated.
      const again = await cli({ ...env, RUNTRAIL_ADMIN_PASSWORD: "env password 2" }, "ignored")("users", "create-admin", "--email", "ADA@example.com");
      expect(again.out[0]).toContain("Updated ada@example.com");
      const listed = await cli(env)("users", "list", "--json");
      expect(JSON.parse(listed.out.join("\n"))).toEqual([expect.objectContaining({ email: "ada@example.com", role: "admin", disabled: false })]);
      expect(listed.out.join("\n")).not.toContain("scrypt");
    });

    it("creates, renames and lists projects; makes, lists and revokes keys", async () => {
      const run = cli(env);
      const created = await run("projects", "create", "Payments", "API");
      expect(created.code, created.err).toBe(0);
      expect(created.out[0]).toMatch(/^Created project "Payments API" \(id p_[a-z2-7]{12}\)/);
      expect((await run("projects", "create", "payments api")).err).toBe('name: a project called "payments api" already exists');
      expect((await run("projects", "rename", "payments api", "Payments")).code).toBe(0);
      const projects = await run("projects", "list");
      expect(projects.out[0]).toMatch(/^ID\s+NAME\s+KEYS\s+RUNS\s+CREATED$/);
      expect(projects.out.join("\n")).toMatch(/default\s+Default project/);
      expect(projects.out.join("\n")).toContain("Payments ");

      const key = await run("keys", "create", "--project", "Payments", "--name", "ci");
      expect(key.code, key.err).toBe(0);
      expect(key.out).toEqual([expect.stringMatching(/^rt_[\w-]{43}$/)]);
      expect(key.err).toContain("shown once");
      const secret = key.out[0] as string;
      expect((await run("keys", "create", "--project", "nope")).err).toContain('no project has the id or name "nope"');
      expect((await run("keys", "create")).code).toBe(2);

      const list = await run("keys", "list", "--project", "payments");
      expect(list.out).toHaveLength(2);
      expect(list.out[1]).toContain(`${secret.slice(0, 10)}…`);
      expect(list.out.join("\n")).not.toContain(secret);

      const store = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: dir, holder: "test" });
      try {
        expect(await findApiKey(store.db, secret)).not.toBeNull();
      } finally {
        await store.close();
      }
      const revoked = await run("keys", "revoke", `${secret.slice(0, 10)}…`);
      expect(revoked.code, revoked.err).toBe(0);
      expect((await run("keys", "list", "--project", "payments")).out).toHaveLength(1);
      expect((await run("keys", "list", "--all", "--json")).out.join("\n")).toContain('"revokedAt": "');
      expect((await run("keys", "revoke", "rt_nothing")).code).toBe(2);
      const after = await openStore({ databaseUrl: env.DATABASE_URL, dataDir: dir, holder: "test" });
      try {
        expect(await findApiKey(after.db, secret)).toBeNull();
        expect(await findUserByEmail(after.db, "ada@example.com")).not.toBeNull();
      } finally {
        await after.close();
      }
    });

    it("db distribute refuses a store that is not a Citus coordinator and is a no-op on one already laid out", async () => {
      const r = await cli(env)("db", "distribute");
      if (kind.name === "citus") {
        expect(r.code, r.err).toBe(0);
        expect(r.out.join("\n")).toMatch(/^runs\s+distributed\s+id\s+already so$/m);
        expect(r.out.at(-1)).toBe("Nothing to do: the database already has the distributed layout.");
        expect((await cli(env)("db", "distribute", "--shards", "0")).code).toBe(2);
      } else {
        expect(r.code).toBe(1);
        expect(r.err).toMatch(kind.name === "pglite" ? /needs a Citus coordinator: set DATABASE_URL/ : /is not a Citus database .*nothing was changed/);
      }
    });

    it("explains unknown commands and prints the usage", async () => {
      const r = await cli(env)("keys", "delete");
      expect(r.code).toBe(2);
      expect(r.err).toContain("Unknown command: keys delete");
      expect(r.err).toContain("Usage: npm run runtrail -- <command>");
      expect((await cli(env)()).code).toBe(0);
    });
  });
}

describe("runtrail command line and a PGlite directory in use", SLOW, () => {
  it("refuses to open it, naming the process that holds it, and takes over a stale lock", async () => {
    const dir = mkdtempSync(join(tmpdir(), "runtrail-cli-lock-"));
    const holder = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
    try {
      writeFileSync(join(dir, "pglite.lock"), JSON.stringify({ pid: holder.pid, host: (await import("node:os")).hostname(), holder: "runtrail server", since: "x" }));
      const r = await cli({ RUNTRAIL_DATA_DIR: dir })("projects", "list");
      expect(r.code).toBe(1);
      expect(r.err).toContain(`process ${holder.pid} (runtrail server) has this PGlite database open`);
      expect(r.err).toContain("RUNTRAIL_ADMIN_EMAIL");
      holder.kill("SIGKILL");
      await new Promise((resolve) => holder.once("exit", resolve));
      const ok = await cli({ RUNTRAIL_DATA_DIR: dir })("projects", "list");
      expect(ok.code, ok.err).toBe(0);
    } finally {
      holder.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
