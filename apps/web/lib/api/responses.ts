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
  extra: { field?: string; headers?: Record<string, string> } = {},
): Response {
  const error = extra.field ? { code, message, field: extra.field } : { code, message };
  return json({ error }, status, extra.headers);
}

/** The store is down or failing: tell clients to retry shortly (the SDK does). */
export function storeUnavailable(err: unknown): Response {
  console.error("runtrail: store error", err);
  return apiError(503, "store_unavailable", "the database is unavailable; retry shortly", {
    headers: { "retry-after": "1" },
  });
}
