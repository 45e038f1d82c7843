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
import type { StreamHub } from '../core/ws/stream-hub.js';
import type { ExchangeEvents } from './events.js';

export interface WatchOptions {
  readonly signal?: AbortSignal;
  /** Items buffered for a slow consumer before the overflow policy applies (default 4096). */
  readonly capacity?: number;
  /**
   * How long a subscription may keep receiving data while accepting none (default 30,000 ms): past it, a book is
   * rebuilt from a fresh snapshot (a `resync` event with reason `stalled`).
   */
  readonly livenessMs?: number;
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
  const queue = new AsyncQueue<T>({
    overflow: p.overflow,
    capacity: p.options.capacity ?? 4096,
    ...(p.options.signal === undefined ? {} : { signal: p.options.signal }),
    onClose: () => {
      sub.unsubscribe();
      done();
    },
  });
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
  const sub = p.hub.subscribe(
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
        if (!queue.push(item)) {
          sub.unsubscribe();
          done();
          return;
        }
      }
    },
    {
      onSubscribeFailed: (error: VenueError) => {
        queue.fail(error);
        done();
      },
    },
  );
  return Object.assign(queue, { finished: closed }) as unknown as Watch<T>;
}
