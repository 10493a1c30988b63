import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { checkPassword, cleanEmail, DEFAULT_PROJECT_ID, type Db, ensureAdmin, ensureApiKey, ensureProject, generateApiKey, InvalidInputError } from "@runtrail/db";
import { refuseOpenOnNetwork } from "./auth/mode";
import { env } from "./env";

/** A setting the server cannot start with: the process prints it and exits (see instrumentation.ts). */
export class ConfigError extends Error {
  readonly code = "config";
}

/**
 * A setting the server cannot start with, or a PGlite directory another process holds:
 * say so and stop, rather than serve errors. (A database that is down is not that: the
 * store is opened again on the next request.) Anything else returns.
 */
export function stopOnStartupError(err: unknown): void {
  if (err instanceof ConfigError || (err as { code?: unknown } | null)?.code === "store_locked") {
    console.error(`\n  Runtrail will not start: ${(err as Error).message}\n`);
    process.exit(1);
  }
}

export interface Bootstrap {
  projectId: string;
  /** Where the default key came from. */
  keySource: "env" | "file" | "generated";
  keyFile: string;
}

/**
 * Makes sure the default project and its key exist. The key is RUNTRAIL_API_KEY
 * when set; otherwise it is generated on first start and kept in the data dir,
 * so the same key keeps working across restarts (and `npm run demo` can read it).
 */
export async function bootstrap(db: Db): Promise<Bootstrap> {
  await ensureProject(db, DEFAULT_PROJECT_ID, "Default project");
  await bootstrapAdmin(db);
  // Before the key banner: a server that will not start should not print a key.
  await refuseOpenOnNetwork(db);
  const keyFile = join(env.dataDir, "api-key");
  let key = env.apiKey;
  let keySource: Bootstrap["keySource"] = "env";
  if (!key && existsSync(keyFile)) {
    key = readFileSync(keyFile, "utf8").trim();
    keySource = "file";
  }
  if (!key) {
    key = generateApiKey();
    keySource = "generated";
    mkdirSync(env.dataDir, { recursive: true });
    writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
  }
  const ok = await ensureApiKey(db, DEFAULT_PROJECT_ID, key, "default");
  if (!ok) throw new ConfigError("RUNTRAIL_API_KEY belongs to another project than the default one");
  if (!env.quiet) {
    const where = keySource === "env" ? "from RUNTRAIL_API_KEY" : `kept in ${keyFile}`;
    const shown = keySource === "env" ? `${key.slice(0, 10)}…` : key;
    console.log(`\n  Runtrail API key (default project, ${where}):\n    ${shown}\n`);
  }
  return { projectId: DEFAULT_PROJECT_ID, keySource, keyFile };
}

/** RUNTRAIL_ADMIN_EMAIL + RUNTRAIL_ADMIN_PASSWORD: that admin exists, enabled, with that password. */
async function bootstrapAdmin(db: Db): Promise<void> {
  if (!env.adminEmail && !env.adminPassword) return;
  if (!env.adminEmail || !env.adminPassword) throw new ConfigError("set both RUNTRAIL_ADMIN_EMAIL and RUNTRAIL_ADMIN_PASSWORD (or neither)");
  let email: string;
  let password: string;
  try {
    email = cleanEmail(env.adminEmail, "RUNTRAIL_ADMIN_EMAIL");
    password = checkPassword(env.adminPassword, "RUNTRAIL_ADMIN_PASSWORD");
  } catch (err) {
    if (err instanceof InvalidInputError) throw new ConfigError(err.message);
    throw err;
  }
  const outcome = await ensureAdmin(db, email, password);
  if (!env.quiet && outcome !== "unchanged") console.log(`  Admin ${email} ${outcome} from RUNTRAIL_ADMIN_EMAIL / RUNTRAIL_ADMIN_PASSWORD.`);
}
