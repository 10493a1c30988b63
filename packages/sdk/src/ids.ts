/**
 * Identifiers. Run and task ids are UUIDv7 (time-ordered, so the server's
 * indexes stay append-friendly); event ids only need to be unique, so they are
 * a per-client random prefix plus a counter.
 *
 * Randomness comes from one pooled buffer, refilled by a single
 * `crypto.getRandomValues` call every few hundred ids.
 */

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, "0"));

const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let poolOffset = POOL_SIZE;

function fillRandom(bytes: Uint8Array): void {
  const crypto = (globalThis as { crypto?: { getRandomValues?: (array: Uint8Array) => Uint8Array } }).crypto;
  if (typeof crypto?.getRandomValues === "function") {
    crypto.getRandomValues(bytes);
    return;
  }
  // Runtimes without Web Crypto: ids must still be unique, not secret.
  for (let i = 0; i < bytes.length; i++) bytes[i] = (Math.random() * 256) | 0;
}

/** Returns the offset of `count` fresh random bytes in `pool`. */
function take(count: number): number {
  if (poolOffset + count > POOL_SIZE) {
    fillRandom(pool);
    poolOffset = 0;
  }
  const offset = poolOffset;
  poolOffset += count;
  return offset;
}

function hexAt(offset: number): string {
  return HEX[pool[offset] ?? 0] ?? "00";
}

/** A UUIDv7 (RFC 9562): 48-bit millisecond time, version 7, variant 10, 74 random bits. */
export function uuidv7(now: number = Date.now()): string {
  const time = now.toString(16).padStart(12, "0");
  const o = take(10);
  const b6 = HEX[0x70 | ((pool[o] ?? 0) & 0x0f)] ?? "70";
  const b8 = HEX[0x80 | ((pool[o + 2] ?? 0) & 0x3f)] ?? "80";
  return (
    `${time.slice(0, 8)}-${time.slice(8, 12)}-${b6}${hexAt(o + 1)}-${b8}${hexAt(o + 3)}-` +
    `${hexAt(o + 4)}${hexAt(o + 5)}${hexAt(o + 6)}${hexAt(o + 7)}${hexAt(o + 8)}${hexAt(o + 9)}`
  );
}

/**
 * Makes event ids `<prefix>.<counter>`: 80 random bits shared by one client,
 * then a base-36 counter. Unique across clients, a few nanoseconds each.
 */
export function createEventIdGenerator(): () => string {
  const o = take(10);
  let prefix = "";
  for (let i = 0; i < 10; i++) prefix += hexAt(o + i);
  prefix += ".";
  let counter = 0;
  return () => prefix + (counter++).toString(36);
}
