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
// C0 controls (NUL among them: Postgres refuses it in text), DEL and C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// A lone surrogate has no UTF-8 form: the drivers would store U+FFFD instead of what was typed.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why `text` cannot be stored or looked up as typed (control characters, a lone
 * surrogate), or null when it can. For emails and names, and the sign-in form.
 */
export function unusableCharacters(text: string): string | null {
  if (CONTROL.test(text)) return "must not contain control characters";
  if (LONE_SURROGATE.test(text)) return "must not contain a lone UTF-16 surrogate";
  return null;
}

export function cleanEmail(value: unknown, field = "email"): string {
  if (typeof value !== "string" || value.trim() === "") throw new InvalidInputError(field, "required");
  const email = value.trim();
  if (email.length > 254) throw new InvalidInputError(field, "must be at most 254 characters");
  const bad = unusableCharacters(email);
  if (bad) throw new InvalidInputError(field, bad);
  if (!EMAIL.test(email)) throw new InvalidInputError(field, `${JSON.stringify(email)} is not an email address`);
  return email;
}

export function checkPassword(value: unknown, field = "password"): string {
  if (typeof value !== "string" || value === "") throw new InvalidInputError(field, "required");
  if ([...value].length < PASSWORD_MIN) throw new InvalidInputError(field, `must be at least ${PASSWORD_MIN} characters`);
  if (value.length > PASSWORD_MAX) throw new InvalidInputError(field, `must be at most ${PASSWORD_MAX} characters`);
  const bad = unusablePasswordCharacters(value);
  if (bad) throw new InvalidInputError(field, bad);
  return value;
}

/**
 * Why `password` would hash like other passwords, or null. scrypt's HMAC pads a short
 * key with zero bytes, so "secret" and "secret\0" hash alike (each signs in with the
 * other); a lone surrogate becomes U+FFFD in UTF-8, so all of them hash alike too.
 * Checked when a password is set and at sign-in.
 */
export function unusablePasswordCharacters(password: string): string | null {
  if (password.includes("\u0000")) return "must not contain a NUL character";
  if (LONE_SURROGATE.test(password)) return "must not contain a lone UTF-16 surrogate";
  return null;
}

/** A project or key name: trimmed, 1–100 characters, no control characters or lone surrogates. */
export function cleanName(value: unknown, field = "name"): string {
  if (typeof value !== "string" || value.trim() === "") throw new InvalidInputError(field, "required");
  const name = value.trim();
  if (name.length > NAME_MAX) throw new InvalidInputError(field, `must be at most ${NAME_MAX} characters`);
  const bad = unusableCharacters(name);
  if (bad) throw new InvalidInputError(field, bad);
  return name;
}
