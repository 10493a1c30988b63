import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_PROJECT_ID, type Db, ensureApiKey, ensureProject, generateApiKey } from "@runtrail/db";
import { env } from "./env";

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
  if (!ok) throw new Error("the configured API key belongs to another project");
  if (!env.quiet) {
    const where = keySource === "env" ? "from RUNTRAIL_API_KEY" : `kept in ${keyFile}`;
    const shown = keySource === "env" ? `${key.slice(0, 10)}…` : key;
    console.log(`\n  Runtrail API key (default project, ${where}):\n    ${shown}\n`);
  }
  return { projectId: DEFAULT_PROJECT_ID, keySource, keyFile };
}
