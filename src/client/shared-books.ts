/**
 * The books behind `watchOrderBook`, one per shared state: watchers of a market whose depths the venue serves from
 * the same topic, snapshot and window share one book (one venue subscription, one synchronizer, one REST
 * snapshot), each with its own delivery, trimmed to its own depth (`watch-book.ts`), and its own connect limits.
 * The last watcher leaving closes the book. Venue-neutral: the adapter says which topic, snapshot and window.
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
import type { StreamHub, Subscription } from '../core/ws/stream-hub.js';
import type { ExchangeEvents } from './events.js';
import { watchBook } from './watch-book.js';
import type { BookSource, BookWatcher, WatchBookOptions } from './watch-book.js';
import { DEFAULT_LIVENESS_MS } from './watch-topic.js';
import type { Watch } from './watch-topic.js';

export interface SharedBooksParams {
  readonly hub: StreamHub;
  readonly events: TypedEvents<ExchangeEvents>;
  readonly adapter: MarketDataAdapter;
  /** Sends a REST request through the client's HTTP stack (rate governor, timeouts). */
  readonly request: (req: RestRequest, signal: AbortSignal) => Promise<HttpResponse>;
}

/** What a book for `depth` is made of: its topic, the levels its REST snapshot asks, its window. */
interface BookShape {
  readonly topic: StreamTopic;
  readonly snapshotDepth: number;
  readonly windowDepth: number | undefined;
  /** Names the shared state: books of one key are one book. */
  readonly key: string;
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
   * A watcher of `market`'s book at `opts.depth`, joining the book already open for the same topic, snapshot depth
   * and window, whatever depth its other watchers asked (each trims its own view). Its connect limits and liveness
   * window are its own (see `WatchBookOptions`).
   * @throws VenueError `invalid-argument` on bad connect limits or liveness window.
   */
  watch(market: Market, opts: WatchBookOptions): Watch<OrderBookView> {
    const shape = this.shapeOf(market, opts.depth);
    return watchBook(() => {
      const open = this.books.get(shape.key);
      if (open !== undefined) return open;
      const created = new SharedBook({ ...this.p, market, ...shape, coverDepth: this.deepestServed(market, opts.depth, shape.key) }, () => {
        if (this.books.get(shape.key) === created) this.books.delete(shape.key);
      });
      this.books.set(shape.key, created);
      return created;
    }, opts);
  }

  private shapeOf(market: Market, depth: number | undefined): BookShape {
    const adapter = this.p.adapter;
    const opts = depth === undefined ? {} : { depth };
    const topic = adapter.bookTopic(market, opts);
    const snapshotDepth = adapter.bookSnapshotDepth(market, opts);
    const windowDepth = adapter.bookWindowDepth?.(market, opts);
    return { topic, snapshotDepth, windowDepth, key: JSON.stringify([topic.connection, topic.key, snapshotDepth, windowDepth ?? null]) };
  }

  /**
   * The deepest depth a watcher may ask (up to the venue's largest) whose book is the one `key` names: the shared
   * book keeps that many levels exact, so any watcher that joins it later is served. A binary search, relying on
   * the adapter's topic, snapshot and window never shrinking as the depth grows. Undefined when only the default
   * depth maps to it (every covered level is shown).
   */
  private deepestServed(market: Market, depth: number | undefined, key: string): number | undefined {
    const max = this.p.adapter.maxBookDepth(market, 'watch');
    const same = (d: number): boolean => this.shapeOf(market, d).key === key;
    if (depth === undefined) return same(max) ? max : undefined;
    if (depth >= max) return depth;
    if (same(max)) return max;
    let lo = depth;
    let hi = max; // same(lo), not same(hi)
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (same(mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  }
}

interface SharedBookParams extends SharedBooksParams, BookShape {
  readonly market: Market;
  /** Levels per side the book keeps exact: the deepest depth any of its watchers may ask. */
  readonly coverDepth: number | undefined;
}

/**
 * One book: a `RefreshingBookSync` fanned out to its watchers. Each watcher holds its own hub subscription of the
 * book's topic, with its own connect limits (the hub shares one venue subscription among them); the frames of one
 * of them, the feeder, feed the book, and another takes over when it leaves.
 */
class SharedBook implements BookSource {
  private readonly watchers = new Map<BookWatcher, Subscription>();
  private readonly sync: RefreshingBookSync;
  private feeder: BookWatcher | undefined;
  /** The last frame fed: a feeder handing over in the middle of a frame's delivery cannot feed it twice. */
  private lastFrame: unknown;
  private livenessMs = DEFAULT_LIVENESS_MS;
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
      resubscribe: () => this.feedingSubscription()?.resubscribe(),
      ...(p.windowDepth === undefined ? {} : { maxDepth: p.windowDepth }),
      ...(p.coverDepth === undefined ? {} : { depth: p.coverDepth }),
      onBook: (_book, rebuilt) => this.onBook(rebuilt),
      livenessMs: this.livenessMs,
      // Every event that carries an error is a problem handled (decode, snapshot, listener, id reset, stall).
      onEvent: (e) => {
        if ('error' in e) events.emit('problem', { context: `book ${symbol}: ${e.type}`, error: e.error });
      },
    });
  }

  get book(): OrderBook | undefined {
    return this.sync.book;
  }

  get stats(): Readonly<BookSyncStats> {
    return this.sync.stats;
  }

  /** @throws VenueError `closed` when the hub is closed (the book closes if it has no other watcher). */
  add(watcher: BookWatcher): void {
    let sub: Subscription;
    try {
      sub = this.p.hub.subscribe(
        this.p.topic,
        (payload, receivedAt) => {
          if (this.feeder === watcher) this.onFrame(payload, receivedAt);
        },
        {
          onReconnect: () => {
            if (this.feeder === watcher) this.sync.onDisconnect();
          },
          onSubscribeFailed: (error) => this.fail(error),
          onGaveUp: (error) => this.gaveUp(watcher, error),
        },
        watcher.limits,
      );
    } catch (err) {
      if (this.watchers.size === 0) void this.close();
      throw err;
    }
    this.watchers.set(watcher, sub);
    this.feeder ??= watcher;
    this.tuneLiveness();
    if (this.sync.book !== undefined) watcher.deliver('initial');
  }

  remove(watcher: BookWatcher): Promise<void> {
    this.watchers.get(watcher)?.unsubscribe();
    this.leave(watcher);
    return this.watchers.size === 0 ? this.close() : Promise.resolve();
  }

  private onFrame(payload: unknown, receivedAt: number): void {
    if (payload === this.lastFrame && typeof payload === 'object' && payload !== null) return;
    this.lastFrame = payload;
    const { adapter, market, topic } = this.p;
    let msg: DepthMessage;
    try {
      msg = adapter.parseBookFrame(payload, market, receivedAt);
    } catch (err) {
      // A frame we cannot read may have carried levels: the book can no longer be trusted (reported, rebuilt).
      this.sync.onUnreadable(toVenueError(err, 'decode', { venue: adapter.venue, operation: `book frame on ${topic.key}` }));
      return;
    }
    this.sync.onDelta(msg);
  }

  private onBook(rebuilt: ResyncReason | undefined): void {
    if (rebuilt !== undefined && rebuilt !== 'initial') this.p.events.emit('resync', { symbol: this.p.market.symbol, reason: rebuilt });
    for (const w of this.watchers.keys()) w.deliver(rebuilt);
  }

  private feedingSubscription(): Subscription | undefined {
    return this.feeder === undefined ? undefined : this.watchers.get(this.feeder);
  }

  /** Forgets `watcher` (its subscription is gone or going); another one feeds the book if it did. */
  private leave(watcher: BookWatcher): void {
    if (!this.watchers.delete(watcher)) return;
    if (this.feeder === watcher) this.feeder = this.watchers.keys().next().value;
    this.tuneLiveness();
  }

  /** The book's liveness window: the shortest its watchers ask for. */
  private tuneLiveness(): void {
    let ms = Infinity;
    for (const w of this.watchers.keys()) ms = Math.min(ms, w.livenessMs ?? DEFAULT_LIVENESS_MS);
    if (ms === Infinity || ms === this.livenessMs) return;
    this.livenessMs = ms;
    this.sync.setLivenessMs(ms);
  }

  /** `watcher`'s connection did not open within its limits: it ends alone (the hub dropped its subscription). */
  private gaveUp(watcher: BookWatcher, error: VenueError): void {
    this.leave(watcher);
    if (this.watchers.size === 0) void this.close();
    watcher.fail(error);
  }

  /** The venue refused the topic: every watcher ends with its error. */
  private fail(error: VenueError): void {
    const watchers = [...this.watchers.keys()];
    void this.close();
    for (const w of watchers) w.fail(error);
  }

  private close(): Promise<void> {
    if (this.closing === undefined) {
      this.onClosed();
      for (const sub of this.watchers.values()) sub.unsubscribe();
      this.watchers.clear();
      this.feeder = undefined;
      this.closing = this.sync.close();
    }
    return this.closing;
  }
}
