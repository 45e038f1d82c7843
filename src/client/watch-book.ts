/**
 * `watchOrderBook` machinery: one hub subscription feeding a `BookSynchronizer`, whose consistent books are
 * handed to the consumer through a conflating queue. A resync marker is never lost to conflation.
 */
import { BookSynchronizer } from '../core/book/book-sync.js';
import type { OrderBook, ResyncReason } from '../core/book/order-book.js';
import { toVenueError } from '../core/errors.js';
import type { DepthMessage } from '../core/model.js';
import { AsyncQueue } from '../core/streams/async-queue.js';
import type { TypedEvents } from '../core/streams/typed-events.js';
import type { BookRules, StreamTopic } from '../core/venue.js';
import type { StreamHub } from '../core/ws/stream-hub.js';
import type { ExchangeEvents } from './events.js';
import type { Watch, WatchOptions } from './watch-topic.js';

export interface WatchBookOptions extends WatchOptions {
  /** Levels per side wanted (default: as deep as the venue's snapshot allows). */
  readonly depth?: number;
}

export interface WatchBookParams {
  readonly hub: StreamHub;
  readonly events: TypedEvents<ExchangeEvents>;
  readonly topic: StreamTopic;
  readonly rules: BookRules;
  readonly symbol: string;
  readonly priceScale: number;
  readonly qtyScale: number;
  readonly parse: (payload: unknown, receivedAt: number) => DepthMessage;
  readonly fetchSnapshot: (signal: AbortSignal) => Promise<DepthMessage>;
  readonly options: WatchBookOptions;
  /** Window depth for venues that send a fixed-depth book. */
  readonly maxDepth?: number;
}

/** A live, self-resyncing order book as an async iterator. */
export function watchBook(p: WatchBookParams): Watch<OrderBook> & { readonly sync: BookSynchronizer } {
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  // A (re)sync seen since the consumer's last read: re-marked on delivery so conflation cannot hide it.
  let pendingSnapshot: ResyncReason | undefined;
  // The book changed since the consumer last saw it. The live book is one object, so a conflated queue entry
  // can be the very state already handed out: such an entry is skipped, never shown twice.
  let changed = false;

  const queue = new AsyncQueue<OrderBook>({
    overflow: 'conflate',
    ...(p.options.signal === undefined ? {} : { signal: p.options.signal }),
    onClose: () => {
      sub.unsubscribe();
      void sync.close().finally(done);
    },
  });

  const sync: BookSynchronizer = new BookSynchronizer({
    symbol: p.symbol,
    priceScale: p.priceScale,
    qtyScale: p.qtyScale,
    rules: p.rules,
    fetchSnapshot: p.fetchSnapshot,
    // Venues that send their snapshot in-band (Bybit, OKX) send a fresh one when the topic is resubscribed.
    resubscribe: () => sub.resubscribe(),
    ...(p.maxDepth === undefined ? {} : { maxDepth: p.maxDepth }),
    ...(p.options.livenessMs === undefined ? {} : { livenessMs: p.options.livenessMs }),
    onBook: (book) => {
      if (book.event === 'snapshot') {
        pendingSnapshot = book.resyncReason ?? 'initial';
        if (pendingSnapshot !== 'initial') p.events.emit('resync', { symbol: p.symbol, reason: pendingSnapshot });
      }
      changed = true;
      queue.push(book);
    },
    onEvent: (e) => {
      // Every event that carries an error is a problem handled (decode, snapshot, listener, id reset, stall).
      if ('error' in e) p.events.emit('problem', { context: `book ${p.symbol}: ${e.type}`, error: e.error });
    },
  });

  const sub = p.hub.subscribe(
    p.topic,
    (payload, receivedAt) => {
      let msg: DepthMessage;
      try {
        msg = p.parse(payload, receivedAt);
      } catch (err) {
        // A frame we cannot read may have carried levels: the book can no longer be trusted.
        p.events.emit('problem', { context: `book frame on ${p.topic.key} skipped`, error: toVenueError(err, 'decode') });
        sync.onDisconnect();
        return;
      }
      sync.onDelta(msg);
    },
    {
      onReconnect: () => sync.onDisconnect(),
      onSubscribeFailed: (error) => queue.fail(error),
    },
  );

  const next = queue.next.bind(queue);
  const watch = Object.assign(queue, {
    finished,
    sync,
    next: async (): Promise<IteratorResult<OrderBook>> => {
      for (;;) {
        const r = await next();
        if (r.done) return r;
        if (!changed) continue;
        changed = false;
        if (pendingSnapshot !== undefined) {
          r.value.markSnapshot(pendingSnapshot);
          pendingSnapshot = undefined;
        }
        return r;
      }
    },
  });
  return watch as unknown as Watch<OrderBook> & { readonly sync: BookSynchronizer };
}
