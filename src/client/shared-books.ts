/**
 * The books behind `watchOrderBook`, one per topic and depth: every watcher of the same book shares one hub
 * subscription and one synchronizer (one REST snapshot), each with its own delivery (`watch-book.ts`). The
 * last watcher leaving closes the book. Venue-neutral: the adapter says which topic, snapshot and window.
 */
import type { MarketDataAdapter } from '../core/adapter.js';
import { RefreshingBookSync } from '../core/book/book-refresh.js';
import type { BookSyncStats } from '../core/book/book-sync.js';
import type { OrderBookView } from '../core/book/book-view.js';
import type { OrderBook, ResyncReason } from '../core/book/order-book.js';
import { decimalsOf } from '../core/decimal.js';
import { toVenueError } from '../core/errors.js';
import type { VenueError } from '../core/errors.js';
import type { HttpResponse } from '../core/http/http-client.js';
import type { DepthMessage, Market } from '../core/model.js';
import type { TypedEvents } from '../core/streams/typed-events.js';
import type { RestRequest, StreamTopic } from '../core/venue.js';
import type { ConnectLimits } from '../core/ws/connect-wait.js';
import type { StreamHub, Subscription } from '../core/ws/stream-hub.js';
import type { ExchangeEvents } from './events.js';
import { watchBook } from './watch-book.js';
import type { BookSource, BookWatcher, WatchBookOptions } from './watch-book.js';
import { connectLimitsOf } from './watch-topic.js';
import type { Watch } from './watch-topic.js';

export interface SharedBooksParams {
  readonly hub: StreamHub;
  readonly events: TypedEvents<ExchangeEvents>;
  readonly adapter: MarketDataAdapter;
  /** Sends a REST request through the client's HTTP stack (rate governor, timeouts). */
  readonly request: (req: RestRequest, signal: AbortSignal) => Promise<HttpResponse>;
}

/** The registry of live books of one client. */
export class SharedBooks {
  private readonly books = new Map<string, SharedBook>();

  constructor(private readonly p: SharedBooksParams) {}

  /** Open books (for tests and diagnostics). */
  get size(): number {
    return this.books.size;
  }

  /**
   * A watcher of `market`'s book at `opts.depth`, joining the book already open for that topic and depth (and
   * connect limits: one book gives up on its connection for all its watchers at once).
   */
  watch(market: Market, opts: WatchBookOptions): Watch<OrderBookView> {
    const adapter = this.p.adapter;
    const topic = adapter.bookTopic(market, opts);
    const snapshotDepth = adapter.bookSnapshotDepth(market, opts);
    const windowDepth = adapter.bookWindowDepth?.(market, opts);
    const limits = connectLimitsOf(opts);
    const key = JSON.stringify([topic.connection, topic.key, snapshotDepth, windowDepth ?? null, opts.depth ?? null, limits.maxAttempts ?? null, limits.connectTimeoutMs ?? null, opts.livenessMs ?? null]);
    return watchBook(() => {
      const open = this.books.get(key);
      if (open !== undefined) return open;
      const created = new SharedBook({ ...this.p, market, topic, snapshotDepth, windowDepth, depth: opts.depth, limits, livenessMs: opts.livenessMs }, () => {
        if (this.books.get(key) === created) this.books.delete(key);
      });
      this.books.set(key, created);
      return created;
    }, opts);
  }
}

interface SharedBookParams extends SharedBooksParams {
  readonly market: Market;
  readonly topic: StreamTopic;
  readonly snapshotDepth: number;
  readonly windowDepth: number | undefined;
  readonly depth: number | undefined;
  readonly limits: ConnectLimits;
  readonly livenessMs: number | undefined;
}

/** One book: a hub subscription feeding a `RefreshingBookSync`, fanned out to its watchers. */
class SharedBook implements BookSource {
  private readonly watchers = new Set<BookWatcher>();
  private readonly sync: RefreshingBookSync;
  private readonly sub: Subscription;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly p: SharedBookParams,
    private readonly onClosed: () => void,
  ) {
    const { adapter, market, events } = p;
    const symbol = market.symbol;
    this.sync = new RefreshingBookSync({
      symbol,
      priceScale: decimalsOf(market.tickSize),
      qtyScale: decimalsOf(market.stepSize),
      rules: adapter.bookRules(market),
      fetchSnapshot: async (signal) => {
        const r = await p.request(adapter.depthRequest(market, p.snapshotDepth), signal);
        return adapter.parseDepth(r.body, market, r.receivedAt);
      },
      snapshotDepth: p.snapshotDepth,
      // Venues that send their snapshot in-band (Bybit, OKX) send a fresh one when the topic is resubscribed.
      resubscribe: () => this.sub.resubscribe(),
      ...(p.windowDepth === undefined ? {} : { maxDepth: p.windowDepth }),
      ...(p.depth === undefined ? {} : { depth: p.depth }),
      onBook: (_book, rebuilt) => this.onBook(rebuilt),
      ...(p.livenessMs === undefined ? {} : { livenessMs: p.livenessMs }),
      // Every event that carries an error is a problem handled (decode, snapshot, listener, id reset, stall).
      onEvent: (e) => {
        if ('error' in e) events.emit('problem', { context: `book ${symbol}: ${e.type}`, error: e.error });
      },
    });
    this.sub = p.hub.subscribe(
      p.topic,
      (payload, receivedAt) => {
        let msg: DepthMessage;
        try {
          msg = adapter.parseBookFrame(payload, market, receivedAt);
        } catch (err) {
          // A frame we cannot read may have carried levels: the book can no longer be trusted (reported, rebuilt).
          this.sync.onUnreadable(toVenueError(err, 'decode', { venue: adapter.venue, operation: `book frame on ${p.topic.key}` }));
          return;
        }
        this.sync.onDelta(msg);
      },
      {
        onReconnect: () => this.sync.onDisconnect(),
        onSubscribeFailed: (error) => this.fail(error),
        onGaveUp: (error) => this.fail(error),
      },
      p.limits,
    );
  }

  get book(): OrderBook | undefined {
    return this.sync.book;
  }

  get stats(): Readonly<BookSyncStats> {
    return this.sync.stats;
  }

  add(watcher: BookWatcher): void {
    this.watchers.add(watcher);
    if (this.sync.book !== undefined) watcher.deliver('initial');
  }

  remove(watcher: BookWatcher): Promise<void> {
    this.watchers.delete(watcher);
    return this.watchers.size === 0 ? this.close() : Promise.resolve();
  }

  private onBook(rebuilt: ResyncReason | undefined): void {
    if (rebuilt !== undefined && rebuilt !== 'initial') this.p.events.emit('resync', { symbol: this.p.market.symbol, reason: rebuilt });
    for (const w of this.watchers) w.deliver(rebuilt);
  }

  private fail(error: VenueError): void {
    const watchers = [...this.watchers];
    void this.close();
    for (const w of watchers) w.fail(error);
  }

  private close(): Promise<void> {
    if (this.closing === undefined) {
      this.onClosed();
      this.sub.unsubscribe();
      this.closing = this.sync.close();
    }
    return this.closing;
  }
}
