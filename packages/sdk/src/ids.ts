/**
 * Identifiers. Run ids are UUIDv7 (time-ordered, so the server's indexes stay
 * append-friendly). Task and event ids only need to be unique (the server
 * treats them as opaque text), so each is a per-client random prefix plus a
 * counter: a few nanoseconds each, which matters on the recording path.
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

const DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz";
/** Base-36 of 0 .. 36² - 1: without leading zero, and padded to two digits. */
const B36: string[] = [];
const B36_PADDED: string[] = [];
for (let i = 0; i < 36 * 36; i++) {
  const hi = DIGITS[Math.floor(i / 36)] ?? "0";
  const lo = DIGITS[i % 36] ?? "0";
  B36.push(i < 36 ? lo : hi + lo);
  B36_PADDED.push(hi + lo);
}

/**
 * Ids `<prefix>.<n>`: 80 random bits drawn once per sequence, then `n` in
 * base 36. Unique across sequences (and so across clients and processes); the
 * client keeps one for task ids and one for event ids.
 *
 * Ids are made on the recording path, and `Number#toString(36)` costs ~100 ns
 * on a slow machine: the last two digits come from a table, the rest is
 * printed once per 1,296 ids.
 */
export class IdSequence {
  private readonly prefix: string;
  private counter = 0;
  /** `prefix` plus the digits above the last two of the last id made with them. */
  private stem = "";
  private stemHigh = -1;

  constructor() {
    const o = take(10);
    let prefix = "";
    for (let i = 0; i < 10; i++) prefix += hexAt(o + i);
    this.prefix = `${prefix}.`;
  }

  /** The next id. */
  next(): string {
    return this.idOf(this.counter++);
  }

  /** The next number, for an id made later with `idOf` (the recording path makes no string). */
  nextNumber(): number {
    return this.counter++;
  }

  /** The id of number `n` (a non-negative integer). */
  idOf(n: number): string {
    const size = B36.length;
    if (n < size) return this.prefix + B36[n];
    const high = Math.floor(n / size);
    if (high !== this.stemHigh) {
      this.stemHigh = high;
      this.stem = this.prefix + high.toString(36);
    }
    return this.stem + B36_PADDED[n % size];
  }
}
