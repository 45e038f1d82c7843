/**
 * A `watchOrderBook` consumed in the background for behaviour tests: the latest book, every `resync` reason and
 * `problem` the client emitted for it, its synchronizer's counters, and a wait until it equals the venue's truth.
 */
import type { Exchange } from '../../src/client/exchange.js';
import type { BookSyncStats } from '../../src/core/book/book-sync.js';
import type { OrderBookView } from '../../src/core/book/book-view.js';
import type { VenueError } from '../../src/core/errors.js';
import type { WatchBookOptions } from '../../src/client/watch-book.js';
import { bookView } from './truth-book.js';
import { waitFor } from './wait.js';

export interface WatchedBook {
  readonly latest: OrderBookView | undefined;
  /** Reasons of the `resync` events for this symbol, in order. */
  readonly resyncs: string[];
  readonly problems: VenueError[];
  /** Books handed to the consumer that were crossed (must stay 0). */
  readonly crossed: number;
  /** The counters of the book's synchronizer. */
  stats(): BookSyncStats;
  /** Resolves once the consumer's book is at `seq` and shows exactly `view` (a `TruthBook.view` of `depth`). */
  reaches(seq: string, view: () => string, what: string, depth?: number): Promise<void>;
  stop(): Promise<void>;
}

export function watchedBook(ex: Exchange, symbol: string, opts: WatchBookOptions = {}): WatchedBook {
  const controller = new AbortController();
  const state = { latest: undefined as OrderBookView | undefined, crossed: 0 };
  const resyncs: string[] = [];
  const problems: VenueError[] = [];
  ex.events.on('resync', (e) => {
    if (e.symbol === symbol) resyncs.push(e.reason);
  });
  ex.events.on('problem', (e) => problems.push(e.error));
  const watch = ex.watchOrderBook(symbol, { ...opts, signal: controller.signal });
  const done = (async () => {
    for await (const book of watch) {
      if (book.isCrossed()) state.crossed++;
      state.latest = book;
    }
  })().catch((err: unknown) => {
    if (!controller.signal.aborted) throw err;
  });
  return {
    get latest() {
      return state.latest;
    },
    get crossed() {
      return state.crossed;
    },
    resyncs,
    problems,
    // The counters of the synchronizer behind the book, as every consumer can read them.
    stats: () => {
      const stats = state.latest?.stats;
      if (stats === undefined) throw new Error(`no book of ${symbol} yet: no counters to read`);
      return stats;
    },
    async reaches(seq, view, what, depth = Infinity) {
      try {
        await waitFor(() => state.latest !== undefined && String(state.latest.seq) === seq && bookView(state.latest, depth) === view(), what, 8000);
      } catch (err) {
        const b = state.latest;
        throw new Error(`${(err as Error).message}: the book is at ${String(b?.seq)} (want ${seq}), ${b !== undefined && bookView(b, depth) === view() ? 'same' : 'different'} levels; resyncs ${resyncs.join(',')}; problems ${problems.map((p) => p.message).join(' / ')}`);
      }
    },
    async stop() {
      controller.abort();
      await done;
    },
  };
}
