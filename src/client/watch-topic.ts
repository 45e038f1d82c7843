/**
 * A `watch*` stream over one hub topic: subscribe, parse every frame into items, queue them with a stated
 * overflow policy, and unsubscribe when the consumer leaves. A bad frame is reported and skipped.
 */
import type { VenueError} from '../core/errors.js';
import { toVenueError } from '../core/errors.js';
import { AsyncQueue } from '../core/streams/async-queue.js';
import type { OverflowPolicy } from '../core/streams/async-queue.js';
import type { TypedEvents } from '../core/streams/typed-events.js';
import type { StreamTopic } from '../core/venue.js';
import { checkConnectLimits } from '../core/ws/connect-wait.js';
import type { ConnectLimits } from '../core/ws/connect-wait.js';
import type { StreamHub, Subscription } from '../core/ws/stream-hub.js';
import type { ExchangeEvents } from './events.js';

export interface WatchOptions {
  /** Ends the watch: `next()` rejects with `VenueError` `closed` (at once when it had already fired: nothing is subscribed). */
  readonly signal?: AbortSignal;
  /** Items buffered for a slow consumer before the overflow policy applies (default 4096). */
  readonly capacity?: number;
  /**
   * How long a subscription may keep receiving data while accepting none (default 30,000 ms): past it, a book is
   * rebuilt from a fresh snapshot (a `resync` event with reason `stalled`).
   */
  readonly livenessMs?: number;
  /**
   * End the watch with `VenueError` `network` after this many attempts in a row failed to open its connection
   * (refused, handshake timed out...). Default: `ExchangeOptions.streams.maxAttempts`, else retry for ever
   * (`ex.connections()` and the `reconnecting` events show the attempts meanwhile). Market-data watches only:
   * the private streams behind `watchOrders` and the like keep retrying.
   */
  readonly maxAttempts?: number;
  /**
   * End the watch with `VenueError` `network` when its connection has not opened within this many ms of being
   * needed (the watch started, or the connection was lost). Default: `ExchangeOptions.streams.connectTimeoutMs`,
   * else wait for ever.
   */
  readonly connectTimeoutMs?: number;
}

/**
 * The `ConnectLimits` a watch's options ask for (only those set: the hub's defaults fill the rest).
 * @throws VenueError `invalid-argument` naming a bad `maxAttempts` / `connectTimeoutMs`.
 */
export function connectLimitsOf(options: WatchOptions): ConnectLimits {
  const limits = {
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
  };
  checkConnectLimits(limits);
  return limits;
}

/** An async iterator that owns a subscription: leaving the loop (or disposing) unsubscribes. */
export interface Watch<T> extends AsyncIterableIterator<T>, AsyncDisposable {
  /** Settles once the stream is over, for whatever reason. */
  readonly finished: Promise<void>;
}

export interface WatchTopicParams<T> {
  readonly hub: StreamHub;
  readonly events: TypedEvents<ExchangeEvents>;
  readonly topic: StreamTopic;
  readonly parse: (payload: unknown, receivedAt: number) => T[];
  readonly overflow: OverflowPolicy;
  readonly options: WatchOptions;
  /**
   * For streams whose items carry contiguous ids (Binance trade ids): the id of an item. Items at or below
   * the last id are dropped as duplicates (e.g. a rotation overlap); a jump is reported as a `gap` event.
   */
  readonly sequence?: (item: T) => bigint | undefined;
  readonly symbol?: string;
}

export function watchTopic<T>(p: WatchTopicParams<T>): Watch<T> {
  let done!: () => void;
  const closed = new Promise<void>((r) => (done = r));
  let last: bigint | undefined;
  const inSequence = (item: T): boolean => {
    const id = (p.sequence as (item: T) => bigint | undefined)(item);
    if (id === undefined) return true;
    if (last !== undefined) {
      if (id <= last) return false;
      if (id > last + 1n) p.events.emit('gap', { symbol: p.symbol ?? p.topic.key, stream: p.topic.key, afterId: last.toString(), beforeId: id.toString(), missing: (id - last - 1n).toString() });
    }
    last = id;
    return true;
  };
  const limits = connectLimitsOf(p.options);
  const subscribe = (): Subscription => p.hub.subscribe(
    p.topic,
    (payload, receivedAt) => {
      let items: T[];
      try {
        items = p.parse(payload, receivedAt);
      } catch (err) {
        p.events.emit('problem', { context: `frame on ${p.topic.key} skipped`, error: toVenueError(err, 'decode') });
        return;
      }
      for (const item of items) {
        if (p.sequence !== undefined && !inSequence(item)) continue;
        if (!queue.push(item)) return; // the queue is over and has unsubscribed
      }
    },
    {
      onSubscribeFailed: (error: VenueError) => queue.fail(error),
      onGaveUp: (error: VenueError) => queue.fail(error),
    },
    limits,
  );
  // The queue subscribes (`start`) unless the signal had already fired, and unsubscribes once it is over.
  const queue = new AsyncQueue<T>({
    overflow: p.overflow,
    capacity: p.options.capacity ?? 4096,
    ...(p.options.signal === undefined ? {} : { signal: p.options.signal }),
    start: () => {
      const sub = subscribe();
      return () => sub.unsubscribe();
    },
    onClose: () => done(),
  });
  return Object.assign(queue, { finished: closed }) as unknown as Watch<T>;
}
