import type { Db } from "../client.js";

/**
 * Runs one of the ingest path's fixed statements (`$1`… parameters). On postgres.js
 * it is a prepared statement, kept per connection: Postgres parses and plans it once,
 * and the driver sends Bind/Execute straight away instead of first asking for the
 * parameter types, so statements issued together are pipelined in one round trip.
 * (Behind PgBouncer this needs its protocol-level prepared statements, 1.21 or later.)
 * PGlite runs it as any query.
 */
export async function runStatement<T>(db: Db, text: string, params: unknown[]): Promise<T[]> {
  const result: unknown = await db._.session.prepareQuery({ sql: text, params }, undefined, "runtrail", false).execute();
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * A Postgres `text[]` literal, sent as one parameter (`= any($n::text[])`): the same on
 * both drivers, and Citus prunes shards on `run_id = any(…)` of a parameter.
 */
export function textArray(values: Iterable<string>): string {
  const parts: string[] = [];
  for (const v of values) parts.push(`"${v.replace(/[\\"]/g, "\\$&")}"`);
  return `{${parts.join(",")}}`;
}
