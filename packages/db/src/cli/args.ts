/** `--name value`, `--name=value` and bare `--flag` options around positional words. */

export interface ParsedArgs {
  words: string[];
  options: Map<string, string | true>;
}

export class UsageError extends Error {
  readonly code = "usage";
}

export function parseArgs(argv: readonly string[], booleans: ReadonlySet<string>): ParsedArgs {
  const words: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("--")) {
      words.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (eq !== -1) options.set(name, arg.slice(eq + 1));
    else if (booleans.has(name)) options.set(name, true);
    else {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`--${name} needs a value`);
      options.set(name, value);
      i++;
    }
  }
  return { words, options };
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.options.get(name);
  if (v === true) throw new UsageError(`--${name} needs a value`);
  return v;
}
