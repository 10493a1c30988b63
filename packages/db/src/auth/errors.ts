/** Errors of the access layer that callers turn into answers (409, 404, ...). */

export class ConflictError extends Error {
  readonly code = "conflict";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends Error {
  readonly code = "not_found";
}

/** SQLSTATE 23505 anywhere in the cause chain (drizzle wraps the driver's error). */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === "23505") return true;
  }
  return false;
}
