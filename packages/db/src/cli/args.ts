import { parseArgs as parseNodeArgs } from "node:util";

/** The command line's words (the command and its arguments) and the options given. */
export interface ParsedArgs {
  words: string[];
  options: Map<string, string | true>;
}

export class UsageError extends Error {
  readonly code = "usage";
}

/** Every option any command takes: `--name value` / `--name=value`, or a bare flag (`--password` is refused before parsing: main.ts). */
const OPTIONS = {
  json: { type: "boolean" },
  all: { type: "boolean" },
  help: { type: "boolean" },
  email: { type: "string" },
  name: { type: "string" },
  project: { type: "string" },
  shards: { type: "string" },
} as const;

/** The option a node:util parse error names ("'--name <value>'" → "--name"). */
const named = (message: string) => /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? "an option";

/** Parses argv with node:util's parseArgs (strict: an unknown option or a missing value is a UsageError). */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  let parsed: ReturnType<typeof parseNodeArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseNodeArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    const { code, message } = err as { code?: string; message: string };
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new UsageError(`unknown option ${named(message)}`, { cause: err });
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      const option = named(message);
      throw new UsageError(/does not take an argument/.test(message) ? `${option} takes no value` : `${option} needs a value`, { cause: err });
    }
    throw err;
  }
  const options = new Map<string, string | true>();
  for (const [name, value] of Object.entries(parsed.values)) if (value !== undefined && value !== false) options.set(name, value);
  return { words: parsed.positionals, options };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  if (v === true) throw new UsageError(`--${name} needs a value`);
  return v;
}
