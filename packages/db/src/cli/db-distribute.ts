import type { Store } from "../client.js";
import { distribute } from "../citus/distribute.js";
import { type ParsedArgs, stringOption, UsageError } from "./args.js";
import type { CliIo } from "./io.js";
import { table } from "./table.js";

/**
 * `db distribute [--shards N]`: the Citus layout (citus/layout.ts) on the coordinator
 * DATABASE_URL names. Safe to run again: what is laid out already is left alone.
 */
export async function dbDistribute(store: Store, args: ParsedArgs, io: CliIo): Promise<void> {
  const shards = stringOption(args, "shards");
  let shardCount: number | undefined;
  if (shards !== undefined) {
    shardCount = Number(shards);
    if (!/^\d+$/.test(shards) || shardCount < 1 || shardCount > 64_000) throw new UsageError(`--shards: must be a whole number from 1 to 64000, got ${JSON.stringify(shards)}`);
  }
  const done = await distribute(store, { shardCount });
  if (args.options.has("json")) return io.out(JSON.stringify(done, null, 2));
  for (const line of table(
    ["TABLE", "LAYOUT", "BY", "NOW"],
    done.map((t) => [t.table, t.kind, t.column, t.action === "distributed" ? "converted" : "already so"]),
  ))
    io.out(line);
  const converted = done.filter((t) => t.action === "distributed").length;
  io.out(converted === 0 ? "Nothing to do: the database already has the distributed layout." : `Converted ${converted} table(s) on ${store.location}.`);
}
