/**
 * The bounded async-iterable queue behind every `watch*` stream: producers `push`, one consumer iterates.
 * A stated overflow policy with a drop counter; `return()` is idempotent and settles a pending `next()`.
 * The queue owns its producer's lifetime: it starts it (`start`) only when the stream is not already over,
 * and stops it once, whatever ends the stream.
 */
import { VenueError } from '../errors.js';
import { abortError, onAbort } from '../resilience/cancellation.js';

/**
 * What happens when the consumer falls `capacity` items behind:
 * `error` ends the stream with `VenueError('closed')` after the buffered items (nothing is lost silently);
 * `drop-oldest` discards the oldest buffered item; `conflate` keeps only the latest item (for state such
 * as a book or ticker, where only the newest matters), whatever the capacity.
 */
export type OverflowPolicy = 'error' | 'drop-oldest' | 'conflate';

export interface AsyncQueueOptions<T = unknown> {
  /** Buffered items before the overflow policy applies (default 1024). */
  readonly capacity?: number;
  /** Default `'error'`. */
  readonly overflow?: OverflowPolicy;
  /**
   * Aborting ends the stream at once: buffered items are discarded and `next()` rejects with `closed`. A signal
   * that has already fired gives a stream that is over from the start: the first `next()` rejects with
   * `closed` and `start` is never called.
   */
  readonly signal?: AbortSignal;
  /**
   * Starts the producer (subscribe here). Called by the constructor, unless `signal` has already fired, so a
   * stream that is over before it began never subscribes anything. It may push right away; what it returns
   * (unsubscribe) is called once when the stream is over, just before `onClose`.
   */
  readonly start?: (queue: AsyncQueue<T>) => (() => void) | void;
  /**
   * Called once when the stream is over for whatever reason: the consumer left (`return()`, dispose), the
   * signal fired, or the producer ended it (`end()`, `fail()`; the buffered items still drain). Never called
   * from inside the constructor (an already-fired signal calls it from a microtask).
   */
  readonly onClose?: () => void;
}

interface Waiter<T> {
  readonly resolve: (r: IteratorResult<T>) => void;
  readonly reject: (err: unknown) => void;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/** A bounded queue consumed with `for await`. */
export class AsyncQueue<T> implements AsyncIterableIterator<T>, AsyncDisposable {
  private readonly capacity: number;
  private readonly overflow: OverflowPolicy;
  private readonly signal: AbortSignal | undefined;
  private readonly onClose: (() => void) | undefined;
  /** The producer's stop, from `start`. */
  private stop: (() => void) | void = undefined;
  /** `onClose` (and `stop`) ran. */
  private closeCalled = false;
  /** Inside the constructor: closing waits for a microtask (the owner's variables exist by then). */
  private constructing = true;
  private readonly ring: Array<T | undefined>;
  private head = 0;
  private count = 0;
  private waiters: Array<Waiter<T>> = [];
  /** No more pushes; the buffer still drains. */
  private ended = false;
  /** Thrown once the buffer is drained. */
  private failure: unknown = undefined;
  private failed = false;
  /** The consumer left; nothing more is delivered. */
  private returned = false;
  private droppedCount = 0;
  /** Forgets the abort callback (the signal's one listener is shared, see `onAbort`). */
  private offAbort: (() => void) | undefined;

  constructor(opts: AsyncQueueOptions<T> = {}) {
    this.overflow = opts.overflow ?? 'error';
    this.capacity = this.overflow === 'conflate' ? 1 : Math.max(1, opts.capacity ?? 1024);
    this.ring = new Array<T | undefined>(this.capacity);
    this.signal = opts.signal;
    this.onClose = opts.onClose;
    const signal = this.signal;
    if (signal?.aborted) {
      // Over before it began: nothing is started, and the owner hears of it once its constructor returned.
      this.returned = true;
      this.ended = true;
      this.failed = true;
      this.failure = abortError(signal);
      this.closeOnce();
      this.constructing = false;
      return;
    }
    if (signal !== undefined) this.offAbort = onAbort(signal, () => this.abort(abortError(signal)));
    try {
      this.stop = opts.start?.(this);
    } catch (err) {
      this.offAbort?.();
      throw err;
    } finally {
      this.constructing = false;
    }
  }

  /** Items dropped by the overflow policy so far. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Items buffered now. */
  get size(): number {
    return this.count;
  }

  /** True once nothing more will be delivered after the buffer. */
  get closed(): boolean {
    return this.ended || this.returned;
  }

  /** Adds an item; false when the queue no longer accepts items (ended, failed, returned, overflowed). */
  push(item: T): boolean {
    if (this.ended || this.returned) return false;
    const w = this.waiters.shift();
    if (w !== undefined) {
      w.resolve({ done: false, value: item });
      return true;
    }
    if (this.count < this.capacity) {
      this.ring[(this.head + this.count) % this.capacity] = item;
      this.count++;
      return true;
    }
    if (this.overflow === 'error') {
      this.fail(new VenueError('closed', `consumer fell behind: ${this.capacity} items buffered; the stream was ended (overflow policy 'error')`));
      return false;
    }
    this.droppedCount++;
    if (this.overflow === 'conflate') {
      this.ring[(this.head + this.count - 1) % this.capacity] = item;
      return true;
    }
    this.ring[this.head] = item; // drop-oldest: overwrite the oldest and advance
    this.head = (this.head + 1) % this.capacity;
    return true;
  }

  /** Ends the stream with `error` once the buffered items are consumed. */
  fail(error: unknown): void {
    if (this.ended || this.returned) return;
    this.ended = true;
    this.failed = true;
    this.failure = error;
    if (this.count === 0) this.settleWaiters();
    this.closeOnce();
  }

  /** Ends the stream normally once the buffered items are consumed. */
  end(): void {
    if (this.ended || this.returned) return;
    this.ended = true;
    if (this.count === 0) this.settleWaiters();
    this.closeOnce();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.count > 0) {
      const value = this.ring[this.head] as T;
      this.ring[this.head] = undefined;
      this.head = (this.head + 1) % this.capacity;
      this.count--;
      return Promise.resolve({ done: false, value });
    }
    if (this.failed) {
      this.failed = false; // thrown once; afterwards the stream is simply done
      const err = this.failure;
      this.failure = undefined;
      return Promise.reject(err);
    }
    if (this.ended || this.returned) return Promise.resolve(DONE);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** The consumer is leaving: drops the buffer, settles a pending `next()` as done, calls `onClose` once. Idempotent. */
  async return(): Promise<IteratorResult<T>> {
    this.leave();
    return DONE;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.leave();
  }

  private leave(): void {
    if (this.returned) return;
    this.returned = true;
    this.failed = false;
    this.failure = undefined;
    this.clearBuffer();
    this.settleWaiters();
    this.closeOnce();
  }

  private abort(error: VenueError): void {
    if (this.returned) return;
    this.clearBuffer();
    this.ended = true;
    this.failed = true;
    this.failure = error;
    this.settleWaiters();
    this.returned = true;
    this.closeOnce();
  }

  /** Stops the producer, then tells the owner; once. */
  private closeOnce(): void {
    if (this.closeCalled) return;
    if (this.constructing) return queueMicrotask(() => this.closeOnce());
    this.closeCalled = true;
    this.offAbort?.();
    this.offAbort = undefined;
    const stop = this.stop;
    this.stop = undefined;
    try {
      stop?.();
    } finally {
      this.onClose?.();
    }
  }

  /** Buffer is empty and the stream is over: the first waiter gets the failure (if any), the rest are done. */
  private settleWaiters(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      if (this.failed) {
        this.failed = false;
        const err = this.failure;
        this.failure = undefined;
        w.reject(err);
      } else w.resolve(DONE);
    }
  }

  private clearBuffer(): void {
    this.ring.fill(undefined);
    this.head = 0;
    this.count = 0;
  }
}
