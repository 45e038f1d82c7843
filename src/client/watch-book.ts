/**
 * One `watchOrderBook` consumer: its own conflating queue over a (possibly shared) book, its own view trimmed
 * to the depth it asked for, and its own snapshot/resync markers, which conflation never loses and which never
 * leak to the other watchers of the same book.
 */
import { checkLivenessMs } from '../core/book/feed-health.js';
import type { BookSyncStats } from '../core/book/book-sync.js';
import { OrderBookView } from '../core/book/book-view.js';
import type { OrderBook, ResyncReason } from '../core/book/order-book.js';
import type { VenueError } from '../core/errors.js';
import { AsyncQueue } from '../core/streams/async-queue.js';
import type { ConnectLimits } from '../core/ws/connect-wait.js';
import { connectLimitsOf } from './watch-topic.js';
import type { Watch, WatchOptions } from './watch-topic.js';

/**
 * Options of `watchOrderBook`. Watchers of one market whose depths the venue serves from the same topic and the
 * same snapshot (Bybit depths 1 to 50 all stream `orderbook.50`; Binance USD-M depths 1 to 50 all fetch a
 * 100-level snapshot) share one book: one venue subscription, one snapshot, kept exact as deep as the deepest of
 * those depths; each watcher sees its own depth. What each watcher asks for stays its own where it can:
 * - `maxAttempts` / `connectTimeoutMs`: each watcher's own. A watcher whose limits run out ends alone with
 *   `network`; the book lives on for the others (the connection keeps retrying while anyone needs it).
 * - `livenessMs`: the shortest among the book's current watchers applies to the book, since a rebuild is one
 *   for all of them (a book that accepts nothing for that long is broken for every watcher).
 * - `signal`: each watcher's own.
 */
export interface WatchBookOptions extends WatchOptions {
  /**
   * Levels per side the consumer sees, at most (default: every level the venue's book or window holds and the
   * snapshot covered). Fewer only where the venue has fewer, or, for a depth close to the venue's largest
   * snapshot, where the market drifted past what the snapshot covered: a level the book does not know is
   * never shown.
   */
  readonly depth?: number;
}

/** What a book source tells one watcher, and what the watcher asks of the source. */
export interface BookWatcher {
  /** The watcher's own connect limits: its own subscription of the book's topic ends it alone when they run out. */
  readonly limits: ConnectLimits;
  /** The liveness window it asks for (the book keeps the shortest of its watchers'); undefined for the default. */
  readonly livenessMs: number | undefined;
  /** The book changed; `rebuilt` is set when it was (re)built from a snapshot (the reason). */
  deliver(rebuilt: ResyncReason | undefined): void;
  /** The watch ended for good (the subscription was refused, or the watcher's connect limits ran out). */
  fail(error: VenueError): void;
}

/** A book several watchers can follow (see `SharedBooks`). */
export interface BookSource {
  /** The book to show now (live, or the last good one while resyncing); undefined before the first sync. */
  readonly book: OrderBook | undefined;
  /** The counters of the synchronizer keeping the book. */
  readonly stats: Readonly<BookSyncStats>;
  /**
   * Starts delivering to `watcher` (subscribing it with its limits); a source that already holds a book delivers it
   * at once as the initial snapshot.
   */
  add(watcher: BookWatcher): void;
  /** Stops delivering to `watcher`; resolves once whatever it held for it (the last watcher: the book) is closed. */
  remove(watcher: BookWatcher): Promise<void>;
}

/**
 * A live, self-resyncing order book as an async iterator over one watcher's view of the source `open` gives
 * (called only when the watch starts: not for an already aborted signal).
 * @throws VenueError `invalid-argument` on bad connect limits or liveness window (at once: nothing is opened).
 */
export function watchBook(open: () => BookSource, options: WatchBookOptions): Watch<OrderBookView> {
  const limits = connectLimitsOf(options);
  if (options.livenessMs !== undefined) checkLivenessMs(options.livenessMs);
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  // A (re)sync seen since the consumer's last read: shown on delivery so conflation cannot hide it.
  let pending: ResyncReason | undefined;
  // The book changed since the consumer last saw it. The view is one object, so a conflated queue entry can be
  // the very state already handed out: such an entry is skipped, never shown twice.
  let changed = false;
  let view: OrderBookView | undefined;
  let source: BookSource | undefined;
  // The queue, as `start` hands it over: a source holding a book delivers it while the queue is being built.
  let target: AsyncQueue<OrderBookView> | undefined;

  const watcher: BookWatcher = {
    limits,
    livenessMs: options.livenessMs,
    deliver(rebuilt) {
      const book = source?.book;
      if (book === undefined) return;
      if (rebuilt !== undefined) pending = rebuilt;
      changed = true;
      target?.push((view ??= new OrderBookView(book, options.depth, () => (source as BookSource).stats)));
    },
    fail(error) {
      target?.fail(error);
    },
  };

  // The queue joins the source (`start`) unless the signal had already fired; once the stream is over
  // (consumer gone, abort, refused or given up) it leaves the source, which closes the book with its last watcher.
  const queue: AsyncQueue<OrderBookView> = new AsyncQueue<OrderBookView>({
    overflow: 'conflate',
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    start: (q) => {
      target = q;
      const joined = open();
      source = joined;
      joined.add(watcher);
      return () => void joined.remove(watcher).finally(done);
    },
    onClose: () => {
      if (source === undefined) done();
    },
  });

  const next = queue.next.bind(queue);
  const watch = Object.assign(queue, {
    finished,
    next: async (): Promise<IteratorResult<OrderBookView>> => {
      for (;;) {
        const r = await next();
        if (r.done) return r;
        const book = source?.book;
        if (!changed || book === undefined) continue;
        changed = false;
        r.value.show(book, pending);
        pending = undefined;
        return r;
      }
    },
  });
  return watch as unknown as Watch<OrderBookView>;
}
