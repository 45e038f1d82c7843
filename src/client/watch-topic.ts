/**
 * A `watch*` stream over one hub topic: subscribe, parse every frame into items, queue them with a stated
 * overflow policy, and unsubscribe when the consumer leaves. A bad frame or item is reported and skipped, and
 * counted; a subscription that receives data but accepts none for longer than its liveness window starts over.
 */
import type { VenueError} from '../core/errors.js';
import { toVenueError } from '../core/errors.js';
import { problemError, type ProblemSink } from '../core/problems.js';
import { AsyncQueue } from '../core/streams/async-queue.js';
import type { OverflowPolicy } from '../core/streams/async-queue.js';
import { IdSequence, type SequenceResetReason } from '../core/streams/id-sequence.js';
import type { TypedEvents } from '../core/streams/typed-events.js';
import type { StreamTopic } from '../core/venue.js';
import { checkConnectLimits } from '../core/ws/connect-wait.js';
import type { ConnectLimits } from '../core/ws/connect-wait.js';
import type { StreamHub, Subscription } from '../core/ws/stream-hub.js';
import type { ExchangeEvents } from './events.js';

export interface WatchOptions {
  /** Ends the watch: `next()` rejects with `VenueError` `closed` (at once when it had already fired: nothing is subscribed). */
  readonly signal?: AbortSignal;
  /**
   * Items buffered for a slow consumer before the overflow policy applies (default 4096): then a trade or candle
   * stream ends with `closed` rather than lose an item. Refused by conflating watches (books, tickers), which buffer
   * nothing: a slow consumer sees the latest state.
   */
  readonly capacity?: number;
  /**
   * How long a subscription may keep receiving data while accepting none (default 30,000 ms). Past it a book is
   * rebuilt from a fresh snapshot (a `resync` event with reason `stalled`); other streams start over: dedup
   * restarts, the topic is resubscribed and a `stream-reset` event says so. Checked as frames arrive: no timer.
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

export const DEFAULT_LIVENESS_MS = 30_000;

/** An async iterator that owns a subscription: leaving the loop (or disposing) unsubscribes. */
export interface Watch<T> extends AsyncIterableIterator<T>, AsyncDisposable {
  /** Settles once the stream is over, for whatever reason. */
  readonly finished: Promise<void>;
}

/** What a topic watch did with what it received (live counters). */
export interface TopicWatchStats {
  /** Frames received. */
  frames: number;
  /** Items handed to the consumer. */
  accepted: number;
  /** Frames that could not be read (a `problem` event each). */
  rejectedFrames: number;
  /** Items the parser refused (a nonsense value: a `problem` event each). */
  refusedItems: number;
  /** Items dropped as already delivered (ids at or below the newest, within the overlap window). */
  duplicates: number;
  /** Holes in contiguous ids (a `gap` event each). */
  gaps: number;
  /** Restarts: implausible ids and liveness expiries (a `stream-reset` event each). */
  resets: number;
}

export interface TopicWatch<T> extends Watch<T> {
  readonly stats: Readonly<TopicWatchStats>;
}

export interface WatchTopicParams<T> {
  readonly hub: StreamHub;
  readonly events: TypedEvents<ExchangeEvents>;
  readonly topic: StreamTopic;
  /** Items of one frame; an item refused on its own (a trade of price 0 among several) goes to `problems`. */
  readonly parse: (payload: unknown, receivedAt: number, problems: ProblemSink) => T[];
  readonly overflow: OverflowPolicy;
  readonly options: WatchOptions;
  /**
   * For streams whose items carry contiguous ids (Binance trade ids): the id of an item. Repeats within the
   * overlap window are dropped as duplicates (e.g. a rotation overlap); a hole is reported as a `gap` event; an
   * id that cannot belong to the sequence restarts it (`stream-reset`) and is delivered (core/streams/id-sequence).
   */
  readonly sequence?: (item: T) => bigint | undefined;
  readonly symbol?: string;
  /** The counters to keep (default a fresh set): a caller that hands the watch out before it opens passes its own. */
  readonly stats?: TopicWatchStats;
}

/** A fresh set of `TopicWatchStats`, all zero. */
export function newTopicWatchStats(): TopicWatchStats {
  return { frames: 0, accepted: 0, rejectedFrames: 0, refusedItems: 0, duplicates: 0, gaps: 0, resets: 0 };
}

export function watchTopic<T>(p: WatchTopicParams<T>): TopicWatch<T> {
  let done!: () => void;
  const closed = new Promise<void>((r) => (done = r));
  const stats = p.stats ?? newTopicWatchStats();
  const symbol = p.symbol ?? p.topic.key;
  const livenessMs = p.options.livenessMs ?? DEFAULT_LIVENESS_MS;
  const ids = new IdSequence();
  const reset = (reason: SequenceResetReason, previousId?: bigint, id?: bigint): void => {
    stats.resets++;
    p.events.emit('stream-reset', {
      symbol,
      stream: p.topic.key,
      reason,
      ...(previousId === undefined ? {} : { previousId: previousId.toString() }),
      ...(id === undefined ? {} : { id: id.toString() }),
      resets: stats.resets,
    });
  };
  const inSequence = (item: T): boolean => {
    const id = (p.sequence as (item: T) => bigint | undefined)(item);
    if (id === undefined) return true;
    const v = ids.accept(id);
    if (v.kind === 'duplicate') {
      stats.duplicates++;
      return false;
    }
    if (v.kind === 'gap') {
      stats.gaps++;
      p.events.emit('gap', { symbol, stream: p.topic.key, afterId: v.afterId.toString(), beforeId: v.beforeId.toString(), missing: v.missing.toString() });
    } else if (v.kind === 'reset') reset(v.reason, v.previousId, v.id);
    return true;
  };
  // Liveness without a timer: checked when a frame arrives that refuses what it carried. Since when frames have
  // been refused with nothing accepted in between (undefined while the last frame with items gave some).
  let refusingSince: number | undefined;
  const refused: ProblemSink = (problem) => {
    stats.refusedItems++;
    p.events.emit('problem', { context: `item on ${p.topic.key} refused`, error: problemError(problem) });
  };
  const limits = connectLimitsOf(p.options);
  const subscribe = (queue: AsyncQueue<T>): Subscription => {
    const sub: Subscription = p.hub.subscribe(
      p.topic,
      (payload, receivedAt) => {
        stats.frames++;
        const acceptedBefore = stats.accepted;
        const refusedBefore = stats.refusedItems + stats.rejectedFrames + stats.duplicates;
        let items: T[] = [];
        try {
          items = p.parse(payload, receivedAt, refused);
        } catch (err) {
          stats.rejectedFrames++;
          p.events.emit('problem', { context: `frame on ${p.topic.key} skipped`, error: toVenueError(err, 'decode') });
        }
        for (const item of items) {
          if (p.sequence !== undefined && !inSequence(item)) continue;
          stats.accepted++;
          if (!queue.push(item)) return; // the queue is over and has unsubscribed
        }
        // A frame that carried nothing (and refused nothing) says nothing about the subscription's health.
        const refusedSome = stats.refusedItems + stats.rejectedFrames + stats.duplicates > refusedBefore;
        if (stats.accepted > acceptedBefore) refusingSince = undefined;
        else if (refusedSome && receivedAt - (refusingSince ??= receivedAt) > livenessMs) {
          refusingSince = receivedAt;
          ids.reset();
          reset('liveness');
          sub.resubscribe();
        }
      },
      {
        onSubscribeFailed: (error: VenueError) => queue.fail(error),
        onGaveUp: (error: VenueError) => queue.fail(error),
      },
      limits,
    );
    return sub;
  };
  // The queue subscribes (`start`) unless the signal had already fired, and unsubscribes once it is over.
  const queue = new AsyncQueue<T>({
    overflow: p.overflow,
    capacity: p.options.capacity ?? 4096,
    ...(p.options.signal === undefined ? {} : { signal: p.options.signal }),
    start: (q) => {
      const sub = subscribe(q);
      return () => sub.unsubscribe();
    },
    onClose: () => done(),
  });
  return Object.assign(queue, { finished: closed, stats }) as unknown as TopicWatch<T>;
}
