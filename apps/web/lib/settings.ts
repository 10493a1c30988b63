import { z } from "zod";

/**
 * The kinds of setting the server reads from its environment, each a zod schema, bound
 * to one set of variables (env.ts passes process.env). Unset and empty both mean "use
 * the default", as with `VAR= npm start`. A bad value throws at start, naming the
 * variable, why, and what it got: `RUNTRAIL_MAX_TAGS must be at most 1000, got "5000"`.
 */

type Vars = Readonly<Record<string, string | undefined>>;

const POSITIVE = "must be a positive integer";
const AT_LEAST_ZERO = "must be a number of at least 0 (0 = off)";

export function settingsFrom(vars: Vars) {
  function read<T>(name: string, schema: z.ZodType<T>): T {
    const raw = vars[name];
    const parsed = schema.safeParse(raw === "" ? undefined : raw);
    if (parsed.success) return parsed.data;
    throw new Error(`${name} ${parsed.error.issues[0]?.message ?? "is not valid"}, got ${JSON.stringify(raw)}`);
  }

  return {
    /** A text, or undefined when unset. */
    text: (name: string): string | undefined => read(name, z.string().optional()),

    /** A text with a default. */
    textOr: (name: string, fallback: string): string => read(name, z.string().default(fallback)),

    /** `1` turns it on; anything else, or nothing, leaves it off. */
    flag: (name: string): boolean => read(name, z.string().optional()) === "1",

    /** A positive integer setting, at most `max` (where storage or safety needs a ceiling). */
    int: (name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number =>
      read(name, z.coerce.number({ error: POSITIVE }).int(POSITIVE).positive(POSITIVE).max(max, `must be at most ${max}`).default(fallback)),

    /** A positive number, fractions allowed (0.5 = one every two seconds); `0` turns the feature off. */
    rateOrOff: (name: string, fallback: number): number => read(name, z.coerce.number({ error: AT_LEAST_ZERO }).min(0, AT_LEAST_ZERO).default(fallback)),

    /** A comma-separated list; unset or blank gives `fallback`. */
    list: (name: string, fallback: string[]): string[] =>
      read(
        name,
        z
          .string()
          .trim()
          .transform((raw) => (raw === "" ? fallback : raw.split(",").map((s) => s.trim()).filter((s) => s !== "")))
          .default(fallback),
      ),

    /** An origin (scheme, host, port) from an http(s) URL setting, or undefined when unset. */
    origin: (name: string): string | undefined =>
      read(
        name,
        z
          .url({ error: "must be a URL such as https://runtrail.example.com", abort: true })
          .refine((url) => /^https?:$/.test(new URL(url).protocol), "must be an http or https URL")
          .transform((url) => new URL(url).origin)
          .optional(),
      ),

    /** One of `options`. */
    choice: <T extends string>(name: string, options: readonly [T, ...T[]], fallback: T): T =>
      read(name, z.enum(options, { error: `must be one of ${options.join(", ")}` }).default(fallback)),
  };
}
