/**
 * The public client for one venue: ccxt-style request methods (`fetch*`) and async-iterator streams
 * (`watch*`) over a venue's `MarketDataAdapter`, composed with the core's HTTP, rate governor, clock and
 * stream hub. Venue-neutral: nothing here names a venue.
 */
import type { MarketDataAdapter } from '../core/adapter.js';
import { ClockSync } from '../core/clock/clock-sync.js';
import { VenueError, toVenueError } from '../core/errors.js';
import { HttpClient } from '../core/http/http-client.js';
import { problemError } from '../core/problems.js';
import type { HttpResponse } from '../core/http/http-client.js';
import type { BookTicker, Candle, Market, OrderBookSnapshot, Ticker, Trade, VenueId } from '../core/model.js';
import { RateGovernor } from '../core/resilience/rate-limiter.js';
import type { GovernorRule } from '../core/resilience/rate-limiter.js';
import { TypedEvents } from '../core/streams/typed-events.js';
import { MarketRegistry } from '../core/symbols.js';
import { argumentChecks } from '../core/validation.js';
import type { ArgumentChecks } from '../core/validation.js';
import type { Credentials, RestRequest } from '../core/venue.js';
import { StreamHub } from '../core/ws/stream-hub.js';
import type { ShardInfo, StreamHubOptions } from '../core/ws/stream-hub.js';
import { callOnly, callOptions, checkExchangeOptions, conflatedWatchOptions, EXCHANGE_OPTION_KEYS, WATCH_BOOK_OPTION_KEYS, watchOptions } from './arguments.js';
import { deferredWatch } from './deferred-watch.js';
import { levelsFromDepth } from './levels.js';
import { SharedBooks } from './shared-books.js';
import type { WatchBookOptions } from './watch-book.js';
import { newTopicWatchStats, watchTopic } from './watch-topic.js';
import type { TopicWatch, TopicWatchStats, Watch, WatchOptions, WatchTopicParams } from './watch-topic.js';
import type { ExchangeEvents } from './events.js';
import type { OrderBookView } from '../core/book/book-view.js';
import type { Decimal } from '../core/decimal.js';
import type { Fill, Order, OrderRequest } from '../core/orders/order-model.js';
import type { RiskCheck } from '../core/orders/pre-trade.js';
import type { Balances, OrderRef, Position, TradingAdapter } from '../core/trading.js';
import { Trading } from './trading.js';
import type { CreateOrderOptions, OutcomePolicy } from './trading.js';

/** Per-call options for requests. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export interface ExchangeOptions {
  /** REST base URL per api (`{ spot: 'https://api.binance.com', usdm: ... }`); one rate governor each. */
  readonly restUrls: Readonly<Record<string, string>>;
  readonly credentials?: Credentials;
  /** Keep an offset to the venue's clock (default true): resampled periodically and on clock-skew errors. */
  readonly clockSync?: boolean;
  /** Request timeout (default 10 s). */
  readonly timeoutMs?: number;
  /** The largest REST response body read (default 32 MiB, far above the largest market list); larger is `decode`. */
  readonly maxResponseBytes?: number;
  /**
   * Tuning for the WebSocket hub (tests shorten lifetimes and backoff). `maxAttempts` / `connectTimeoutMs` here
   * are the default of every watch's own (see `WatchOptions`): unset, a watch waits for its connection for ever.
   */
  readonly streams?: Omit<StreamHubOptions, 'dialect'>;
  /** How a place whose outcome is unknown is resolved (queries by client order id). */
  readonly outcomePolicy?: Partial<OutcomePolicy>;
}

/** One venue, fully wired. Close it with `await using` or `close()`. */
export class Exchange implements AsyncDisposable {
  readonly id: VenueId;
  /**
   * Lifecycle only (reconnects, resyncs, rate-limit pauses, bad frames skipped); data goes through `watch*`. A
   * listener that throws is reported as a `problem` (one that throws on `problem` as a process warning).
   */
  readonly events: TypedEvents<ExchangeEvents> = new TypedEvents((error, name) => this.events.emit('problem', { context: `a listener of '${name}' threw`, error }));
  readonly #adapter: MarketDataAdapter;
  readonly #http: HttpClient;
  /** One governor per REST api (base URL): the venue meters each host separately. */
  readonly #governors = new Map<string, RateGovernor>();
  readonly #clock: ClockSync | undefined;
  readonly #hub: StreamHub;
  readonly #books: SharedBooks;
  readonly #closers = new Set<() => Promise<void> | void>();
  readonly #trading: Trading | undefined;
  readonly #hasCredentials: boolean;
  readonly #check: ArgumentChecks;
  #registry: MarketRegistry | undefined;
  /** `markets` as built for the current registry. */
  #bySymbol: { readonly registry: MarketRegistry | undefined; readonly markets: Record<string, Market> } | undefined;
  #loading: Promise<MarketRegistry> | undefined;
  #clockStarted = false;
  #closed = false;

  /** @throws VenueError `invalid-argument` naming the option, for any option of the wrong shape or an unknown one. */
  constructor(adapter: MarketDataAdapter, options: ExchangeOptions, trading?: TradingAdapter) {
    this.id = adapter.venue;
    this.#check = argumentChecks({ venue: adapter.venue });
    const o = this.#check.options('exchange options', options, ['restUrls', ...EXCHANGE_OPTION_KEYS]);
    const restUrls = this.#check.object('restUrls', o['restUrls']);
    for (const [api, url] of Object.entries(restUrls)) this.#check.url(`restUrls.${api}`, url, ['https', 'http']);
    checkExchangeOptions(this.#check, o);
    this.#adapter = adapter;
    this.#hasCredentials = options.credentials !== undefined;
    for (const api of Object.keys(options.restUrls)) {
      const governor = new RateGovernor({ rules: [...(adapter.staticRateLimits ?? []), ...(trading?.staticRateLimits ?? [])] as GovernorRule[] });
      governor.events.on('paused', (e) => this.events.emit('rate-limited', { api, untilMs: e.untilMs }));
      this.#governors.set(api, governor);
    }
    const firstSegment = adapter.segments[0] ?? '';
    this.#clock =
      options.clockSync === false
        ? undefined
        : new ClockSync({
            fetchServerTime: async (signal) => {
              const r = await this.#http.request(adapter.serverTimeRequest(firstSegment), signal === undefined ? {} : { signal });
              return adapter.parseServerTime(r.body);
            },
          });
    this.#http = new HttpClient({
      dialect: adapter.rest,
      baseUrls: options.restUrls,
      governor: (api) => this.#governors.get(api),
      ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
      ...(this.#clock === undefined ? {} : { clock: this.#clock }),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.maxResponseBytes === undefined ? {} : { maxResponseBytes: options.maxResponseBytes }),
    });
    this.#hub = new StreamHub({ ...options.streams, dialect: adapter.stream });
    this.#hub.events.on('reconnecting', (e) => this.events.emit('reconnecting', e));
    this.#hub.events.on('reconnected', (e) => this.events.emit('reconnected', e));
    this.#hub.events.on('rotated', (e) => this.events.emit('rotated', e));
    this.#hub.events.on('problem', (e) => this.events.emit('problem', { context: `ws ${e.connection}`, error: e.error, ...(e.skipped === undefined ? {} : { skipped: e.skipped }) }));
    this.#books = new SharedBooks({ hub: this.#hub, events: this.events, adapter, request: (req, signal) => this.#request(req, { signal }) });
    this.#trading =
      trading === undefined
        ? undefined
        : new Trading(
            {
              adapter: trading,
              credentials: options.credentials,
              events: this.events,
              market: (symbol, opts) => this.#market(symbol, opts),
              loadMarkets: () => this.loadMarkets(),
              resolver: () => (id, segment) => this.#registry?.resolve(id, segment),
              request: (req, opts) => this.#request(req, opts),
              lastPrice: async (market, opts) => (await this.fetchTicker(market.symbol, callOnly(opts))).last,
              now: () => this.#clock?.now() ?? Date.now(),
            },
            options.outcomePolicy,
          );
  }

  /**
   * The market-data WebSocket connections and their state, for a consumer that wants to see what its watches
   * wait on: each connection's group, `state` (`connecting`, `open`, `reconnecting`...), topics, the attempts in
   * a row that failed to open it, the last error and since when it is down. A watch never connects alone: it
   * retries for ever unless `maxAttempts` / `connectTimeoutMs` ends it with `network`; changes are also
   * announced as `reconnecting` / `reconnected` events. Each connection also counts the frames it skipped
   * (`oversizeFrames`, `undecodableFrames`, `unrecognizedFrames`, `unroutedFrames`): every one is a `decode`
   * `problem` event too, at most 5 at once and then about one a second per connection and kind, each saying how
   * many frames it stands for (data a recent unsubscribe explains is only counted).
   */
  connections(): ShardInfo[] {
    return this.#hub.connections();
  }

  /** The current offset to the venue clock in ms (venue − local), when clock sync is on. */
  get clockOffsetMs(): number | undefined {
    return this.#clock?.offsetMs;
  }

  /** Resamples the venue clock now (it is also resampled periodically and after any clock-skew error); returns the offset. */
  async syncClock(opts: CallOptions = {}): Promise<number> {
    this.#checkOpen();
    callOptions(this.#check, 'syncClock', opts);
    if (this.#clock === undefined) throw new VenueError('invalid-argument', 'clock sync is off for this client', { venue: this.id });
    await this.#clock.resync(opts.signal);
    return this.#clock.offsetMs;
  }

  /** Loads (once) and returns the markets by unified symbol. */
  async loadMarkets(opts: CallOptions & { reload?: boolean } = {}): Promise<Record<string, Market>> {
    this.#checkOpen();
    this.#check.optionalBoolean('reload', callOptions(this.#check, 'loadMarkets', opts, ['reload'])['reload']);
    if (opts.reload === true || this.#loading === undefined) {
      const loading = this.fetchMarkets(callOnly(opts)).then((markets) => new MarketRegistry(markets));
      this.#loading = loading;
      loading.then(
        (reg) => {
          if (this.#loading === loading) this.#registry = reg;
        },
        () => {
          if (this.#loading === loading) this.#loading = undefined;
        },
      );
    }
    const reg = await this.#loading;
    this.#registry = reg;
    return this.markets;
  }

  /** Fetches every market of every segment, and configures the rate governor from what the venue announces. */
  async fetchMarkets(opts: CallOptions = {}): Promise<Market[]> {
    callOptions(this.#check, 'fetchMarkets', opts);
    this.#startClock();
    const all: Market[] = [];
    for (const segment of this.#adapter.segments) {
      const req = this.#adapter.marketsRequest(segment);
      const r = await this.#request(req, opts);
      all.push(...this.#adapter.parseMarkets(r.body, segment));
      let next = this.#adapter.nextMarketsRequest?.(r.body, segment);
      for (let page = 2; next !== undefined; page++) {
        if (page > MAX_MARKET_PAGES) throw new VenueError('decode', `more than ${MAX_MARKET_PAGES} pages of ${segment} markets: the venue's paging does not end`, { venue: this.id });
        const more = await this.#request(next, opts);
        all.push(...this.#adapter.parseMarkets(more.body, segment));
        next = this.#adapter.nextMarketsRequest?.(more.body, segment);
      }
      const announced = this.#adapter.parseRateLimits?.(r.body, segment) ?? [];
      if (announced.length > 0) {
        const governor = this.#governors.get(req.api);
        governor?.configure(announced);
        // The usage this very response reported arrived before its window existed: count it now.
        governor?.observe(this.#adapter.rest.usageFromHeaders(r.headers, req));
      }
    }
    return all;
  }

  /** The loaded market for a unified symbol; throws `not-found`/`invalid-argument`, or if markets are not loaded. */
  market(symbol: string): Market {
    this.#check.string('symbol', symbol);
    if (this.#registry === undefined) throw new VenueError('invalid-argument', 'markets not loaded: call loadMarkets() first', { venue: this.id });
    return this.#registry.get(symbol, this.id);
  }

  /** The loaded markets by unified symbol (the object `loadMarkets()` resolves with); empty before they load. */
  get markets(): Record<string, Market> {
    if (this.#bySymbol === undefined || this.#bySymbol.registry !== this.#registry) {
      this.#bySymbol = { registry: this.#registry, markets: Object.fromEntries((this.#registry?.all() ?? []).map((m) => [m.symbol, m])) };
    }
    return this.#bySymbol.markets;
  }

  /** The venue's time (ms). */
  async fetchTime(opts: CallOptions = {}): Promise<number> {
    callOptions(this.#check, 'fetchTime', opts);
    const r = await this.#request(this.#adapter.serverTimeRequest(this.#adapter.segments[0] ?? ''), opts);
    return this.#adapter.parseServerTime(r.body);
  }

  async fetchTicker(symbol: string, opts: CallOptions = {}): Promise<Ticker> {
    this.#check.string('symbol', symbol);
    callOptions(this.#check, 'fetchTicker', opts);
    const market = await this.#market(symbol, opts);
    const r = await this.#request(this.#adapter.tickerRequest(market), opts);
    return this.#adapter.parseTicker(r.body, market, r.receivedAt);
  }

  /**
   * A REST order book snapshot, detached, with exact levels: `limit` levels per side (default 100), at most the
   * venue's deepest snapshot for the market (`invalid-argument` beyond it, never capped).
   */
  async fetchOrderBook(symbol: string, limit?: number, opts: CallOptions = {}): Promise<OrderBookSnapshot> {
    this.#check.string('symbol', symbol);
    this.#check.optionalInteger('limit', limit, { min: 1 });
    callOptions(this.#check, 'fetchOrderBook', opts);
    const market = await this.#market(symbol, opts);
    const depth = this.#check.integer('limit', limit ?? 100, { min: 1, max: this.#adapter.maxBookDepth(market, 'fetch') });
    const r = await this.#request(this.#adapter.depthRequest(market, depth), opts);
    const msg = this.#adapter.parseDepth(r.body, market, r.receivedAt);
    return {
      symbol: market.symbol,
      bids: levelsFromDepth(msg.bids, 'bids', depth),
      asks: levelsFromDepth(msg.asks, 'asks', depth),
      seq: msg.seq,
      exchangeTime: msg.exchangeTime,
      receivedAt: msg.receivedAt,
    };
  }

  async fetchTrades(symbol: string, limit?: number, opts: CallOptions = {}): Promise<Trade[]> {
    this.#check.string('symbol', symbol);
    this.#check.optionalInteger('limit', limit, { min: 1 });
    callOptions(this.#check, 'fetchTrades', opts);
    const market = await this.#market(symbol, opts);
    const r = await this.#request(this.#adapter.tradesRequest(market, limit), opts);
    // A trade the venue sent with a nonsense value is refused on its own (a `problem` event), the others stand.
    return this.#adapter.parseTrades(r.body, market, r.receivedAt, (p) => this.events.emit('problem', { context: `fetchTrades ${market.symbol}: trade refused`, error: problemError(p) }));
  }

  /** Candles (`timeframe` in ccxt notation: `1m`, `1h`, `1d`...). */
  async fetchOHLCV(symbol: string, timeframe = '1m', since?: number, limit?: number, opts: CallOptions = {}): Promise<Candle[]> {
    this.#check.string('symbol', symbol);
    this.#check.oneOf('timeframe', timeframe, this.#adapter.timeframes);
    this.#check.optionalInteger('since', since, { min: 0 });
    this.#check.optionalInteger('limit', limit, { min: 1 });
    callOptions(this.#check, 'fetchOHLCV', opts);
    const market = await this.#market(symbol, opts);
    const q: { since?: number; limit?: number } = {};
    if (since !== undefined) q.since = since;
    if (limit !== undefined) q.limit = limit;
    const r = await this.#request(this.#adapter.candlesRequest(market, timeframe, q), opts);
    return this.#adapter.parseCandles(r.body, market, timeframe, r.receivedAt);
  }

  /**
   * The live order book: a REST or in-band snapshot plus sequence-checked deltas, resynced by itself on
   * any gap, reconnect, checksum or crossed book. Yields the live book after each update (conflated when
   * the consumer is slower); it stays valid until the next iteration (use `book.snapshot()` to keep one).
   * After a (re)sync the first book yielded has `event === 'snapshot'` and a `resyncReason`. The book shows at
   * most `opts.depth` levels per side, and never a level beyond what its snapshot covered. Watchers of a market
   * whose depths the venue serves from one topic and one snapshot share one book (one subscription, one
   * snapshot); each keeps its own connect limits, and the shortest `livenessMs` among them applies to the book
   * (see `WatchBookOptions`).
   */
  watchOrderBook(symbol: string, opts: WatchBookOptions = {}): Watch<OrderBookView> {
    this.#checkOpen();
    this.#check.string('symbol', symbol);
    const o = conflatedWatchOptions(this.#check, 'watchOrderBook', opts, WATCH_BOOK_OPTION_KEYS);
    this.#check.optionalInteger('depth', o.depth, { min: 1 });
    const adapter = this.#adapter;
    return this.#watch(symbol, opts, (market) => {
      if (opts.depth !== undefined) this.#check.integer('depth', opts.depth, { min: 1, max: adapter.maxBookDepth(market, 'watch') });
      return this.#books.watch(market, opts);
    });
  }

  /**
   * Every public trade, in order, without duplicates. Never drops silently: a consumer too slow for
   * `capacity` gets an error, trades the venue published while a connection was down are reported
   * as a `gap` event (where the venue's trade ids are contiguous), an id that cannot belong to the sequence
   * restarts it (`stream-reset`), a refused trade is a `problem`; `stats` counts it all.
   */
  watchTrades(symbol: string, opts: WatchOptions = {}): TopicWatch<Trade> {
    this.#checkOpen();
    this.#check.string('symbol', symbol);
    watchOptions(this.#check, 'watchTrades', opts);
    return this.#watchTopic<Trade>(symbol, opts, (market) => ({
      topic: this.#adapter.tradeTopic(market),
      parse: (payload, receivedAt, problems) => this.#adapter.parseTradeFrame(payload, market, receivedAt, problems),
      overflow: 'error',
      symbol: market.symbol,
      ...(this.#adapter.contiguousTradeIds ? { sequence: tradeSequence } : {}),
    }));
  }

  /** Ticker updates; a slow consumer sees the latest ticker (conflated). */
  watchTicker(symbol: string, opts: WatchOptions = {}): TopicWatch<Ticker> {
    this.#checkOpen();
    this.#check.string('symbol', symbol);
    conflatedWatchOptions(this.#check, 'watchTicker', opts);
    return this.#watchTopic<Ticker>(symbol, opts, (market) => {
      let previous: Ticker | undefined;
      return {
        topic: this.#adapter.tickerTopic(market),
        parse: (payload, receivedAt) => [(previous = this.#adapter.parseTickerFrame(payload, market, receivedAt, previous))],
        overflow: 'conflate',
        symbol: market.symbol,
      };
    });
  }

  /** Best bid/offer updates; a slow consumer sees the latest (conflated). */
  watchBookTicker(symbol: string, opts: WatchOptions = {}): TopicWatch<BookTicker> {
    this.#checkOpen();
    this.#check.string('symbol', symbol);
    conflatedWatchOptions(this.#check, 'watchBookTicker', opts);
    return this.#watchTopic<BookTicker>(symbol, opts, (market) => ({
      topic: this.#adapter.bookTickerTopic(market),
      parse: (payload, receivedAt) => [this.#adapter.parseBookTickerFrame(payload, market, receivedAt)],
      overflow: 'conflate',
      symbol: market.symbol,
    }));
  }

  /** Candle updates (the forming candle repeatedly, then `closed: true`). */
  watchOHLCV(symbol: string, timeframe = '1m', opts: WatchOptions = {}): TopicWatch<Candle> {
    this.#checkOpen();
    this.#check.string('symbol', symbol);
    this.#check.oneOf('timeframe', timeframe, this.#adapter.timeframes);
    watchOptions(this.#check, 'watchOHLCV', opts);
    return this.#watchTopic<Candle>(symbol, opts, (market) => ({
      topic: this.#adapter.candleTopic(market, timeframe),
      parse: (payload, receivedAt) => this.#adapter.parseCandleFrame(payload, market, timeframe, receivedAt),
      overflow: 'error',
      symbol: market.symbol,
    }));
  }

  /** A `watchTopic` stream opened once the market is known, with its counters readable from the start. */
  #watchTopic<T>(symbol: string, opts: WatchOptions, params: (market: Market) => Omit<WatchTopicParams<T>, 'hub' | 'events' | 'options' | 'stats'>): TopicWatch<T> {
    const stats = newTopicWatchStats();
    const watch = this.#watch(symbol, opts, (market) => watchTopic<T>({ ...params(market), hub: this.#hub, events: this.events, options: opts, stats }));
    return Object.assign(watch, { stats: stats as Readonly<TopicWatchStats> });
  }

  /**
   * A watch returned at once: opened now when the markets are loaded, else once they are (loaded on first use,
   * like the `fetch*` calls). An unknown symbol or a depth the market cannot serve rejects the first `next()`.
   */
  #watch<T>(symbol: string, opts: WatchOptions, open: (market: Market) => Watch<T>): Watch<T> {
    const start = (): Watch<T> => {
      this.#checkOpen();
      return open(this.market(symbol));
    };
    // The markets load without the watch's signal: other callers may share the load; an abort only ends this watch,
    // and a watch left during the load never subscribes.
    return this.#track(deferredWatch((over) => (this.#registry !== undefined ? start() : this.loadMarkets().then(() => (over() ? undefined : start()))), opts.signal));
  }

  // ------------------------------------------------------------------ trading and account

  /**
   * Places an order. The market's filters and the registered risk checks run first (nothing is sent when one
   * refuses); a place that fails ambiguously is never resent but resolved by its client order id.
   * @throws VenueError `invalid-argument`, `rejected`, `outcome-unknown`, `auth`, `rate-limited`...
   */
  createOrder(symbol: string, type: OrderRequest['type'], side: OrderRequest['side'], amount: Decimal | string, price?: Decimal | string, opts?: CreateOrderOptions): Promise<Order> {
    return this.#trade().createOrder(symbol, type, side, amount, price, opts);
  }

  /** Cancels by venue order id (a string) or `{ clientOrderId }`; resolves with the order once the venue confirms. */
  cancelOrder(ref: OrderRef | string, symbol: string, opts?: CallOptions): Promise<Order> {
    return this.#trade().cancelOrder(ref, symbol, opts);
  }

  fetchOrder(ref: OrderRef | string, symbol: string, opts?: CallOptions): Promise<Order> {
    return this.#trade().fetchOrder(ref, symbol, opts);
  }

  fetchOpenOrders(symbol: string, opts?: CallOptions): Promise<Order[]> {
    return this.#trade().fetchOpenOrders(symbol, opts);
  }

  fetchMyTrades(symbol: string, since?: number, limit?: number, opts?: CallOptions): Promise<Fill[]> {
    return this.#trade().fetchMyTrades(symbol, since, limit, opts);
  }

  /** Balances of one account (Binance `spot` or `usdm`, Bybit `unified`, OKX `trading`; default the first). */
  fetchBalance(opts?: CallOptions & { readonly account?: string }): Promise<Balances> {
    return this.#trade().fetchBalance(opts);
  }

  fetchPositions(symbols?: readonly string[], opts?: CallOptions): Promise<Position[]> {
    return this.#trade().fetchPositions(symbols, opts);
  }

  /** Every change of the orders venuekit tracks, in order, never dropped silently; starts the private streams. */
  watchOrders(symbol?: string, opts?: WatchOptions): Watch<Order> {
    return this.#trade().watchOrders(symbol, opts);
  }

  /** Each own fill once; starts the private streams. */
  watchMyTrades(symbol?: string, opts?: WatchOptions): Watch<Fill> {
    return this.#trade().watchMyTrades(symbol, opts);
  }

  watchBalance(opts?: WatchOptions & { readonly account?: string }): Watch<Balances> {
    return this.#trade().watchBalance(opts);
  }

  watchPositions(symbols?: readonly string[], opts?: WatchOptions): Watch<Position> {
    return this.#trade().watchPositions(symbols, opts);
  }

  /** Logs in the private streams and resolves once they are ready. @throws VenueError `auth` on refused keys. */
  startPrivateStreams(signal?: AbortSignal): Promise<void> {
    return this.#trade().startPrivateStreams(signal);
  }

  /** Brings tracked orders, fills, balances and positions in line with the venue over REST (also done after every private reconnect). */
  reconcile(opts?: CallOptions): Promise<{ readonly orders: number; readonly fills: number }> {
    return this.#trade().reconcile(opts);
  }

  /** The orders venuekit tracks. */
  orders(symbol?: string): Order[] {
    return this.#trade().orders(symbol);
  }

  /** Adds a pre-trade risk check run before every order (built-ins: `maxQuantity`, `maxNotional`, `priceBand`); returns its remover. */
  addRiskCheck(check: RiskCheck): () => void {
    return this.#trade().risk.add(check);
  }

  #trade(): Trading {
    this.#checkOpen();
    if (this.#trading === undefined) throw new VenueError('invalid-argument', `trading is not available on this ${this.id} client`, { venue: this.id });
    if (!this.#hasCredentials) throw new VenueError('auth', 'trading needs credentials: pass { credentials: { apiKey, secret } }', { venue: this.id });
    return this.#trading;
  }

  /** Closes every stream, socket and timer. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#trading?.close();
    await Promise.allSettled([...this.#closers].map((c) => c()));
    this.#clock?.close();
    await this.#hub.close();
    for (const g of this.#governors.values()) g.close();
    await this.#http.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #track<W extends Watch<unknown>>(watch: W): W {
    const closer = async (): Promise<void> => {
      await watch.return?.();
    };
    this.#closers.add(closer);
    watch.finished.then(() => this.#closers.delete(closer));
    return watch;
  }

  #startClock(): void {
    if (this.#clockStarted || this.#clock === undefined) return;
    this.#clockStarted = true;
    this.#clock.start().catch((err: unknown) => this.events.emit('problem', { context: 'clock sync', error: toVenueError(err) }));
  }

  async #market(symbol: string, opts: CallOptions): Promise<Market> {
    if (this.#registry === undefined) await this.loadMarkets(callOnly(opts));
    return this.market(symbol);
  }

  async #request(req: RestRequest, opts: CallOptions): Promise<HttpResponse> {
    if (req.signed && !this.#hasCredentials) throw new VenueError('auth', `${req.method} ${req.path} needs credentials`, { venue: this.id });
    this.#checkOpen();
    const o: { signal?: AbortSignal; timeoutMs?: number } = {};
    if (opts.signal !== undefined) o.signal = opts.signal;
    if (opts.timeoutMs !== undefined) o.timeoutMs = opts.timeoutMs;
    return this.#http.request(req, o);
  }

  #checkOpen(): void {
    if (this.#closed) throw new VenueError('closed', 'the exchange client was closed', { venue: this.id });
  }
}

/** A trade's id as an integer, when it is one. */
function tradeSequence(trade: Trade): bigint | undefined {
  return /^\d+$/.test(trade.id) ? BigInt(trade.id) : undefined;
}

/** A bound on instrument-list paging (Bybit pages 1,000 a time): beyond it the cursor is broken. */
const MAX_MARKET_PAGES = 50;
