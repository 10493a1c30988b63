import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

/**
 * Password hashes: scrypt (node:crypto) with a random 16-byte salt. The stored form
 * carries its parameters, `scrypt$<N>$<r>$<p>$<salt>$<hash>` (base64url), so they can be
 * raised later without breaking existing hashes.
 */

/** N = 2^15, r = 8: about 32 MiB and ~100 ms per hash on one core. */
const PARAMS = { N: 32_768, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Refuse hashes whose parameters would make one check take a lot of memory (a tampered row). */
const MAX_COST = 1 << 20;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, PARAMS);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

interface Parsed {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parse(stored: string): Parsed | null {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every(Number.isSafeInteger) || N < 2 || N > MAX_COST || (N & (N - 1)) !== 0 || r < 1 || r > 32 || p < 1 || p > 16) return null;
  const salt = Buffer.from(parts[4] ?? "", "base64url");
  const key = Buffer.from(parts[5] ?? "", "base64url");
  if (salt.length < 8 || key.length < 16) return null;
  return { N, r, p, salt, key };
}

// A hash of nothing anyone knows, checked when the email is unknown so that an unknown
// email costs the same scrypt as a wrong password (no timing tells which emails exist).
let decoy: Promise<string> | undefined;

/**
 * True when `password` matches `stored`. With `stored` null (no such user) the same
 * work is done against a decoy hash and the answer is false.
 */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  decoy ??= hashPassword(randomBytes(16).toString("hex"));
  const target = stored === null ? null : parse(stored);
  const parsed = target ?? (parse(await decoy) as Parsed);
  const key = await derive(password, parsed.salt, parsed);
  return target !== null && key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** True when a stored hash uses weaker parameters than today's (rehash at the next sign-in). */
export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.N < PARAMS.N || parsed.r < PARAMS.r || parsed.key.length < KEY_BYTES;
}
