import { readFileSync } from "node:fs";
import { serveUsage } from "./help.js";
import { parseServeArgs, splitStoreArgs, UsageError } from "./options.js";
import { serve } from "./serve.js";
import { runStoreCommand, storeCommandsUsage } from "./store-commands.js";

const PROGRAM = "npx runtrail";

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version?: string };
  return pkg.version ?? "unknown";
}

const out = (line: string): void => void process.stdout.write(`${line}\n`);
const err = (line: string): void => void process.stderr.write(`${line}\n`);

/**
 * `runtrail [serve] [options]` serves; `runtrail <command> …` runs a store command;
 * `--help` and `--version`. Sets process.exitCode: 0 done, 1 failed, 2 wrong usage.
 */
export async function main(argv: readonly string[]): Promise<void> {
  const [first, ...rest] = argv;
  try {
    if (first === undefined || first === "serve" || first.startsWith("-")) {
      const parsed = parseServeArgs(first === "serve" ? rest : argv, process.env, process.cwd());
      if ("version" in parsed) return out(version());
      if ("help" in parsed) return out(`${serveUsage(PROGRAM, version())}\n${await storeCommandsUsage(PROGRAM)}`);
      return await serve(parsed.serve, out);
    }
    if (first === "help") return out(`${serveUsage(PROGRAM, version())}\n${await storeCommandsUsage(PROGRAM)}`);
    const { rest: commandArgs, env } = splitStoreArgs(argv, process.cwd());
    Object.assign(process.env, env);
    await runStoreCommand(commandArgs);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`${PROGRAM}: ${e.message}\nSee: ${PROGRAM} --help`);
      process.exitCode = 2;
      return;
    }
    err(`${PROGRAM}: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
