/**
 * The ordered, bounded queue of encoded events, and the delivery counters.
 *
 * Events leave in the order they were recorded. A batch is taken from the head
 * and stays there until it is sent or dropped, so a retried batch keeps its
 * place. When the queue is full the new event is dropped and counted; one
 * warning is printed until the counts have been reported by `flush()`.
 */
import { utf8Length } from "./events.js";

/** Why events were dropped instead of delivered. */
export type DropReason = "queue_overflow" | "payload_too_large" | "rejected";

/**
 * What `flush()` and `shutdown()` resolve to. `sent` and `dropped` are totals
 * for the client's lifetime; `pending` is what is still queued.
 *
 * @example
 * const { sent, pending, dropped } = await client.flush();
 * if (pending > 0 || dropped.queue_overflow > 0) console.warn("runtrail lost or delayed events");
 */
export interface DeliveryReport {
  sent: number;
  pending: number;
  dropped: Record<DropReason, number>;
}

export interface QueueLimits {
  maxQueueSize: number;
  maxQueueBytes: number;
  maxBatchSize: number;
  maxBatchBytes: number;
}

/** `{"batch":[` + `]}` */
const BODY_OVERHEAD = 12;
/** Compact the backing arrays once this many slots at the head are spent. */
const COMPACT_AFTER = 1024;

export class EventQueue {
  /** Events accepted so far; with `removed` it gives absolute positions for flush targets. */
  accepted = 0;
  /** Events taken off the head (sent or dropped) so far. */
  removed = 0;
  private sent = 0;
  private readonly dropped: Record<DropReason, number> = { queue_overflow: 0, payload_too_large: 0, rejected: 0 };
  private items: string[] = [];
  private sizes: number[] = [];
  private head = 0;
  private bytes = 0;
  private warned = false;

  constructor(
    private readonly limits: QueueLimits,
    private readonly warn: (message: string) => void = (message) => globalThis.console?.warn(message),
  ) {}

  /** Events waiting (including a batch in flight). */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Bytes waiting (including a batch in flight). */
  get byteSize(): number {
    return this.bytes;
  }

  /** Appends one encoded event; returns false (and counts the drop) when the queue is full. */
  push(json: string): boolean {
    const size = utf8Length(json);
    if (this.length >= this.limits.maxQueueSize || this.bytes + size > this.limits.maxQueueBytes) {
      this.countDropped("queue_overflow", 1);
      if (!this.warned) {
        this.warned = true;
        this.warn(
          `[runtrail] event queue full (${this.length} events, ${this.bytes} bytes; limits ` +
            `${this.limits.maxQueueSize} events / ${this.limits.maxQueueBytes} bytes): dropping new events. ` +
            `Dropped so far: ${JSON.stringify(this.dropped)}. Further drops are counted silently; ` +
            "see the report of client.flush().",
        );
      }
      return false;
    }
    this.items.push(json);
    this.sizes.push(size);
    this.bytes += size;
    this.accepted++;
    return true;
  }

  /** True when a full batch (by count or bytes) is waiting. */
  isBatchReady(): boolean {
    return this.length >= this.limits.maxBatchSize || this.bytes + BODY_OVERHEAD >= this.limits.maxBatchBytes;
  }

  /** The next batch from the head, without removing it; at least one event unless empty. */
  peekBatch(): string[] {
    const end = Math.min(this.items.length, this.head + this.limits.maxBatchSize);
    let bytes = BODY_OVERHEAD;
    let i = this.head;
    while (i < end) {
      const size = (this.sizes[i] ?? 0) + 1;
      if (i > this.head && bytes + size > this.limits.maxBatchBytes) break;
      bytes += size;
      i++;
    }
    return this.items.slice(this.head, i);
  }

  /** Removes `count` events from the head, once they are sent or dropped. */
  remove(count: number): void {
    const end = Math.min(this.items.length, this.head + count);
    for (let i = this.head; i < end; i++) {
      this.bytes -= this.sizes[i] ?? 0;
      this.items[i] = "";
    }
    this.removed += end - this.head;
    this.head = end;
    if (this.head === this.items.length) {
      this.items = [];
      this.sizes = [];
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
  }

  countSent(count: number): void {
    this.sent += count;
  }

  countDropped(reason: DropReason, count: number): void {
    this.dropped[reason] += count;
  }

  /** Totals so far; re-arms the overflow warning, since the counts are now reported. */
  report(): DeliveryReport {
    this.warned = false;
    return { sent: this.sent, pending: this.length, dropped: { ...this.dropped } };
  }
}
