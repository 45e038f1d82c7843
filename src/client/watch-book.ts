/**
 * One `watchOrderBook` consumer: its own conflating queue over a (possibly shared) book, its own view trimmed
 * to the depth it asked for, and its own snapshot/resync markers, which conflation never loses and which never
 * leak to the other watchers of the same book.
 */
import type { BookSyncStats } from '../core/book/book-sync.js';
import { OrderBookView } from '../core/book/book-view.js';
import type { OrderBook, ResyncReason } from '../core/book/order-book.js';
import type { VenueError } from '../core/errors.js';
import { AsyncQueue } from '../core/streams/async-queue.js';
import type { Watch, WatchOptions } from './watch-topic.js';

export interface WatchBookOptions extends WatchOptions {
  /**
   * Levels per side the consumer sees, at most (default: every level the venue's book or window holds and the
   * snapshot covered). Fewer only where the venue has fewer, or, for a depth close to the venue's largest
   * snapshot, where the market drifted past what the snapshot covered: a level the book does not know is
   * never shown.
   */
  readonly depth?: number;
}

/** What a book source tells one watcher. */
export interface BookWatcher {
  /** The book changed; `rebuilt` is set when it was (re)built from a snapshot (the reason). */
  deliver(rebuilt: ResyncReason | undefined): void;
  /** The book ended for good (the subscription was refused). */
  fail(error: VenueError): void;
}

/** A book several watchers can follow (see `SharedBooks`). */
export interface BookSource {
  /** The book to show now (live, or the last good one while resyncing); undefined before the first sync. */
  readonly book: OrderBook | undefined;
  /** The counters of the synchronizer keeping the book. */
  readonly stats: Readonly<BookSyncStats>;
  /** Starts delivering to `watcher`; a source that already holds a book delivers it at once as the initial snapshot. */
  add(watcher: BookWatcher): void;
  /** Stops delivering to `watcher`; resolves once whatever it held for it (the last watcher: the book) is closed. */
  remove(watcher: BookWatcher): Promise<void>;
}

/**
 * A live, self-resyncing order book as an async iterator over one watcher's view of the source `open` gives
 * (called only when the watch starts: not for an already aborted signal).
 */
export function watchBook(open: () => BookSource, options: WatchBookOptions): Watch<OrderBookView> {
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
