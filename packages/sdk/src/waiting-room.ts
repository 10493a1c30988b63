/**
 * Backpressure's bookkeeping, used by the queue only when it is full: the
 * events of awaited calls waiting for room (first in, first out), and the
 * watch on delivery's progress that decides when waiting stops.
 *
 * The watch runs while someone waits or the queue is past its byte bound.
 * When delivery made no progress (no event left the queue's head) for
 * `maxBlockMs` since the watch began or since the last progress, the room
 * *stalls*: it calls `onStall` (the queue drops the waiting events and what is
 * past its byte bound), and until the next progress, events that find no room
 * are dropped instead of waiting. Its timer keeps the process alive only while
 * a caller waits: an awaited promise must settle.
 */
import { keepAlive } from "./timers.js";

export interface Waiter<T> {
  item: T;
  resolve: () => void;
}

export class WaitingRoom<T> {
  /** No progress for `maxBlockMs` while watched: drop rather than wait, until delivery progresses. */
  stalled = false;
  private waiters: (Waiter<T> | undefined)[] = [];
  private head = 0;
  /** When delivery last progressed, or when the watch began. */
  private progressAt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly maxBlockMs: number;

  constructor(
    maxBlockMs: number,
    /** No progress for `maxBlockMs`: the queue sheds what it must. Called once per stall. */
    private readonly onStall: () => void,
  ) {
    // setTimeout treats values past 2^31-1 as 1 ms.
    this.maxBlockMs = Math.min(maxBlockMs, 2 ** 31 - 1);
  }

  get size(): number {
    return this.waiters.length - this.head;
  }

  /** Drop at once instead of waiting: delivery stalled, or waiting is off (`maxBlockMs` 0). */
  get dropping(): boolean {
    return this.stalled || this.maxBlockMs <= 0;
  }

  /** Waits for room; resolves once `next()` takes the event, or `dropAll()` drops it. */
  enter(item: T): Promise<void> {
    return new Promise<void>((resolve) => {
      this.waiters.push({ item, resolve });
    });
  }

  /** The oldest waiting event, or undefined; `resolve` lets its caller go on (call it once the event is queued). */
  next(): Waiter<T> | undefined {
    if (this.head === this.waiters.length) return undefined;
    const waiter = this.waiters[this.head];
    this.waiters[this.head++] = undefined;
    if (this.head === this.waiters.length) {
      this.waiters = [];
      this.head = 0;
    }
    return waiter;
  }

  /** Resolves every waiting caller, their events dropped; returns how many. */
  dropAll(): number {
    const waiters = this.waiters;
    const head = this.head;
    this.waiters = [];
    this.head = 0;
    for (let i = head; i < waiters.length; i++) waiters[i]?.resolve();
    return waiters.length - head;
  }

  /** Delivery progressed: waiting makes sense again, and the time without progress starts over. */
  progress(now: number): void {
    this.stalled = false;
    this.progressAt = now;
  }

  /** Runs the watch while `needed` (someone waits, or the queue is past its byte bound), else stops it. */
  watch(needed: boolean): void {
    if (!needed) {
      this.stop();
      return;
    }
    if (this.timer === undefined) {
      this.progressAt = Date.now();
      this.timer = setTimeout(this.check, this.maxBlockMs);
    }
    keepAlive(this.timer, this.size > 0);
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly check = (): void => {
    this.timer = undefined;
    const idle = Date.now() - this.progressAt;
    if (idle < this.maxBlockMs) {
      this.timer = keepAlive(setTimeout(this.check, this.maxBlockMs - idle), this.size > 0);
      return;
    }
    this.stalled = true;
    this.onStall();
  };
}
