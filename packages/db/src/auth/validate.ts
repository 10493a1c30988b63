/**
 * Rules for what people type (dashboard and command line alike). Each returns the
 * cleaned value or throws an InvalidInputError naming the field and what is wrong.
 */

export class InvalidInputError extends Error {
  readonly code = "invalid_input";
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 1024;
const NAME_MAX = 100;
// Deliberately loose: one @, something on both sides, a dot in the domain, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function cleanEmail(value: unknown, field = "email"): string {
  if (typeof value !== "string" || value.trim() === "") throw new InvalidInputError(field, "required");
  const email = value.trim();
  if (email.length > 254) throw new InvalidInputError(field, "must be at most 254 characters");
  if (!EMAIL.test(email)) throw new InvalidInputError(field, `${JSON.stringify(email)} is not an email address`);
  return email;
}

export function checkPassword(value: unknown, field = "password"): string {
  if (typeof value !== "string" || value === "") throw new InvalidInputError(field, "required");
  if ([...value].length < PASSWORD_MIN) throw new InvalidInputError(field, `must be at least ${PASSWORD_MIN} characters`);
  if (value.length > PASSWORD_MAX) throw new InvalidInputError(field, `must be at most ${PASSWORD_MAX} characters`);
  return value;
}

/** A project or key name: trimmed, 1–100 characters, no control characters. */
export function cleanName(value: unknown, field = "name"): string {
  if (typeof value !== "string" || value.trim() === "") throw new InvalidInputError(field, "required");
  const name = value.trim();
  if (name.length > NAME_MAX) throw new InvalidInputError(field, `must be at most ${NAME_MAX} characters`);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new InvalidInputError(field, "must not contain control characters");
  return name;
}
