import { resolve } from "node:path";
import { ConflictError, NotFoundError } from "../auth/errors.js";
import { InvalidInputError } from "../auth/validate.js";
import { LayoutConflictError, NotCitusError, requireCoordinator } from "../citus/distribute.js";
import { openStore } from "../client.js";
import { migrate } from "../migrate.js";
import { StoreLockedError } from "../pglite-lock.js";
import { DEFAULT_PROJECT_ID, ensureProject } from "../queries/api-keys.js";
import { parseArgs, UsageError } from "./args.js";
import { COMMANDS, USAGE } from "./commands.js";
import type { CliIo } from "./io.js";
import { readSecret } from "./secret.js";

/**
 * `npm run runtrail -- <command>`: users, projects and API keys, and the Citus layout
 * (`db distribute`), on the same store the server uses. Returns the exit code (0 done, 1 failed, 2 wrong usage).
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  // Any form of --password (with a value, `=value` or none) gets this answer, not a parse error.
  if (argv.some((a) => a === "--password" || a.startsWith("--password="))) {
    io.err("Passwords are never taken from the command line (shell history, ps). Set RUNTRAIL_ADMIN_PASSWORD or pipe it on standard input.");
    return 2;
  }
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`${err.message}\n\n${USAGE}`);
    return 2;
  }
  const name = args.words.slice(0, 2).join(" ");
  const command = COMMANDS[name];
  if (!command || args.options.has("help")) {
    if (args.words.length > 0 && !args.options.has("help")) io.err(`Unknown command: ${args.words.join(" ")}\n`);
    io.err(USAGE);
    return command || args.words.length === 0 || args.options.has("help") ? 0 : 2;
  }

  const databaseUrl = io.env.DATABASE_URL || undefined;
  if (name === "db distribute" && !databaseUrl) {
    io.err("db distribute needs a Citus coordinator: set DATABASE_URL to it (the embedded PGlite database lives on one machine only).");
    return 1;
  }
  const dataDir = resolve(io.env.RUNTRAIL_DATA_DIR || ".runtrail");
  let store: Awaited<ReturnType<typeof openStore>>;
  try {
    store = await openStore({ databaseUrl, dataDir, maxConnections: 2, holder: "runtrail command line" });
  } catch (err) {
    if (err instanceof StoreLockedError) {
      io.err(
        `Cannot open ${err.dataDir}: process ${err.pid} (${err.holder}) has this PGlite database open, and PGlite allows one process at a time.\n` +
          "Either stop that process (Ctrl-C in the terminal running `npm start`) and run this command again, or do it in the dashboard\n" +
          "(Settings: projects, API keys, users). To create the first admin without stopping anything, restart the server with\n" +
          "RUNTRAIL_ADMIN_EMAIL and RUNTRAIL_ADMIN_PASSWORD set.",
      );
      return 1;
    }
    io.err(`Cannot open the store: ${(err as Error).message}`);
    return 1;
  }
  try {
    // Refused before migrating: a database that is not Citus is left exactly as it was.
    if (name === "db distribute") await requireCoordinator(store);
    await migrate(store);
    await ensureProject(store.db, DEFAULT_PROJECT_ID, "Default project");
    await command(store.db, args, io, store);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof InvalidInputError || err instanceof ConflictError || err instanceof NotFoundError || err instanceof NotCitusError || err instanceof LayoutConflictError) {
      io.err(err.message);
      return 1;
    }
    io.err(`Failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  } finally {
    await store.close();
  }
}

export async function main(argv: readonly string[]): Promise<void> {
  const io: CliIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
    readSecret: (prompt) => readSecret(prompt),
  };
  process.exitCode = await runCli(argv, io);
}
