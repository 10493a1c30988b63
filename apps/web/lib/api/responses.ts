/** JSON answers of the HTTP API; every error body says what was wrong and where. */

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export function apiError(
  status: number,
  code: string,
  message: string,
  extra: { field?: string; headers?: Record<string, string>; details?: Record<string, unknown> } = {},
): Response {
  const error = { code, message, ...(extra.field ? { field: extra.field } : {}), ...extra.details };
  return json({ error }, status, extra.headers);
}

/** postgres.js and Node codes of a connection that failed or went away. */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/**
 * True when an error means "the database is unreachable or busy right now" (retry
 * later) rather than "this request breaks something" (a bug: retrying won't help).
 * SQLSTATE classes 08 (connection), 53 (resources), 57P0x (shutdown, starting up),
 * 40001/40P01 (serialisation failure, deadlock) and 55P03 (lock not available).
 */
export function isTransientStoreError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== "string") continue;
    if (CONNECTION_CODES.has(code)) return true;
    if (/^(08|53)/.test(code) || /^57P0[1-4]$/.test(code) || code === "40001" || code === "40P01" || code === "55P03") return true;
  }
  return false;
}

/**
 * An error and its causes for the server log, without the values of the failed query:
 * drizzle puts the statement's parameters in its message ("params: …"), and those are
 * payloads, password hashes and session tokens.
 */
export function describeError(err: unknown): string {
  const lines: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (!(e instanceof Error)) {
      lines.push(`${depth ? "caused by: " : ""}${typeof e === "object" ? "(not an Error)" : String(e)}`);
      break;
    }
    const code = (e as { code?: unknown }).code;
    const message = e.message.replace(/\nparams:[\s\S]*$/, " (parameters not logged)");
    lines.push(`${depth ? "caused by: " : ""}${e.name}${typeof code === "string" ? ` [${code}]` : ""}: ${message}`);
    if (depth === 0) lines.push(...(e.stack ?? "").split("\n").filter((l) => /^\s+at /.test(l)).slice(0, 8));
  }
  return lines.join("\n");
}

/**
 * A store failure: 503 + Retry-After when it is transient (the SDK retries), 500
 * otherwise. Either way the cause goes to the server log (without query values), not to
 * the client.
 */
export function storeError(err: unknown): Response {
  if (isTransientStoreError(err)) {
    console.error(`runtrail: store unavailable: ${describeError(err).split("\n")[0]}`);
    return apiError(503, "store_unavailable", "the database is unavailable; retry shortly", { headers: { "retry-after": "1" } });
  }
  console.error(`runtrail: internal error\n${describeError(err)}`);
  return apiError(500, "internal", "internal error while storing or reading; it has been logged on the server");
}
