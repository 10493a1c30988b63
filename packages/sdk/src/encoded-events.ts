/**
 * The queue's encoded events, in order: their JSON, UTF-8 sizes and queue
 * positions, with batches cut from the head. A batch stays at the head until
 * it is removed (sent or dropped), so a retried batch keeps its place.
 */

/** `{"batch":[` + `]}` */
export const BODY_OVERHEAD = 12;
/** Compact the backing arrays once this many slots at the head are spent. */
const COMPACT_AFTER = 1024;

export class EncodedEvents {
  /** Events removed from the head so far. */
  removed = 0;
  /** UTF-8 bytes of the events held. */
  bytes = 0;
  private items: string[] = [];
  private sizes: number[] = [];
  private positions: number[] = [];
  private head = 0;
  /** Events at the head handed out by the last `peekBatch` and not yet removed. */
  private inFlight = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  /** Queue position of the oldest event held; undefined when empty. */
  get headPosition(): number | undefined {
    return this.head < this.items.length ? this.positions[this.head] : undefined;
  }

  add(json: string, size: number, position: number): void {
    this.items.push(json);
    this.sizes.push(size);
    this.positions.push(position);
    this.bytes += size;
  }

  /**
   * Up to `maxCount` events from the head within `maxBodyBytes` of request body
   * and `maxEventBytes` of events; at least one unless empty.
   */
  peekBatch(maxCount: number, maxBodyBytes: number, maxEventBytes: number): string[] {
    const end = Math.min(this.items.length, this.head + maxCount);
    let body = BODY_OVERHEAD;
    let events = 0;
    let i = this.head;
    while (i < end) {
      const size = this.sizes[i] ?? 0;
      if (i > this.head && (body + size + 1 > maxBodyBytes || events + size > maxEventBytes)) break;
      body += size + 1;
      events += size;
      i++;
    }
    this.inFlight = i - this.head;
    return this.items.slice(this.head, i);
  }

  /** Removes up to `count` events from the head; returns how many. */
  removeHead(count: number): number {
    const start = this.head;
    const end = Math.min(this.items.length, start + count);
    for (let i = start; i < end; i++) {
      this.bytes -= this.sizes[i] ?? 0;
      this.items[i] = "";
    }
    const removed = end - start;
    this.removed += removed;
    this.inFlight = Math.max(0, this.inFlight - removed);
    this.head = end;
    if (this.head === this.items.length) {
      this.items = [];
      this.sizes = [];
      this.positions = [];
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.positions = this.positions.slice(this.head);
      this.head = 0;
    }
    return removed;
  }

  /** Drops the newest events (never a batch in flight) until at most `maxBytes` are held; returns how many. */
  dropNewestPast(maxBytes: number): number {
    let dropped = 0;
    while (this.bytes > maxBytes && this.items.length - this.head > this.inFlight) {
      this.bytes -= this.sizes.pop() ?? 0;
      this.items.pop();
      this.positions.pop();
      dropped++;
    }
    if (this.head === this.items.length) {
      this.items = [];
      this.sizes = [];
      this.positions = [];
      this.head = 0;
    }
    return dropped;
  }
}
