import { resolve } from "node:path";
import { parseArgs } from "node:util";

/** Wrong usage: the message names the option or variable and why; exit code 2. */
export class UsageError extends Error {
  readonly code = "usage";
}

/** Where and on what the server runs. */
export interface ServeOptions {
  host: string;
  port: number;
  /** Absolute: the server changes its working directory to its own. */
  dataDir: string;
  databaseUrl: string | undefined;
}

/** Options that pick the store, taken by `serve` and by every store command. */
const STORE_OPTIONS = {
  "data-dir": { type: "string", short: "d" },
  "database-url": { type: "string" },
} as const;

const SERVE_OPTIONS = {
  ...STORE_OPTIONS,
  port: { type: "string", short: "p" },
  host: { type: "string", short: "H" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "v" },
} as const;

type Env = Record<string, string | undefined>;

function port(raw: string, name: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(n) || n < 1 || n > 65_535) throw new UsageError(`${name}: must be a port number from 1 to 65535, got ${JSON.stringify(raw)}`);
  return n;
}

function nonEmpty(raw: string | undefined, name: string): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.trim() === "") throw new UsageError(`${name}: must not be empty`);
  return raw;
}

export type ServeArgs = { help: true } | { version: true } | { serve: ServeOptions };

/**
 * `runtrail [serve] [--port] [--host] [--data-dir] [--database-url]`. Options win over
 * the variables (PORT, HOST, RUNTRAIL_DATA_DIR, DATABASE_URL); HOSTNAME is never read,
 * since shells and containers set it to the machine's name.
 */
export function parseServeArgs(args: readonly string[], env: Env, cwd: string): ServeArgs {
  const values = (() => {
    try {
      return parseArgs({ args: [...args], options: SERVE_OPTIONS, allowPositionals: false, strict: true }).values;
    } catch (err) {
      // node:util's messages name the option: "Unknown option '--prot'", "Option '-p, --port <value>' argument missing".
      throw new UsageError((err as Error).message, { cause: err });
    }
  })();
  if (values.help) return { help: true };
  if (values.version) return { version: true };
  const host = nonEmpty(values.host, "--host") ?? nonEmpty(env.HOST || undefined, "HOST") ?? "127.0.0.1";
  const p = values.port !== undefined ? port(values.port, "--port") : env.PORT ? port(env.PORT, "PORT") : 3000;
  const dataDir = resolve(cwd, nonEmpty(values["data-dir"], "--data-dir") ?? (env.RUNTRAIL_DATA_DIR || ".runtrail"));
  const databaseUrl = nonEmpty(values["database-url"], "--database-url") ?? (env.DATABASE_URL || undefined);
  return { serve: { host, port: p, dataDir, databaseUrl } };
}

/**
 * A store command's arguments with --data-dir / --database-url taken out (wherever they
 * are) and turned into the variables the command reads; everything else is the command's.
 */
export function splitStoreArgs(args: readonly string[], cwd: string): { rest: string[]; env: { RUNTRAIL_DATA_DIR?: string; DATABASE_URL?: string } } {
  const { tokens } = parseArgs({ args: [...args], options: STORE_OPTIONS, allowPositionals: true, strict: false, tokens: true });
  const taken = new Set<number>();
  const out: { RUNTRAIL_DATA_DIR?: string; DATABASE_URL?: string } = {};
  for (const t of tokens) {
    if (t.kind !== "option" || !(t.name in STORE_OPTIONS)) continue;
    const name = `--${t.name}`;
    if (t.value === undefined) throw new UsageError(`${name}: needs a value`);
    taken.add(t.index);
    if (t.inlineValue === false) taken.add(t.index + 1);
    const value = nonEmpty(t.value, name) ?? "";
    if (t.name === "data-dir") out.RUNTRAIL_DATA_DIR = resolve(cwd, value);
    else out.DATABASE_URL = value;
  }
  return { rest: args.filter((_, i) => !taken.has(i)), env: out };
}
