/**
 * Trading and account for one venue, over its `TradingAdapter`: pre-trade checks, orders placed, cancelled and
 * queried through the order tracker, the outcome-unknown policy (never resend a place; resolve by client order
 * id), the private streams, and reconciliation over REST after every reconnect. Venue-neutral.
 */
import type { Decimal } from '../core/decimal.js';
import { VenueError, toVenueError } from '../core/errors.js';
import type { ErrorCode } from '../core/errors.js';
import type { Market } from '../core/model.js';
import type { Fill, Order, OrderReport, OrderRequest } from '../core/orders/order-model.js';
import { TERMINAL_STATUSES } from '../core/orders/order-model.js';
import { cancelRefused, markCancelling, markOutcomeUnknown, pendingOrder } from '../core/orders/order-state.js';
import { RiskChecks, validateAgainstMarket } from '../core/orders/pre-trade.js';
import { problemError, type DecodeProblem } from '../core/problems.js';
import { AsyncQueue } from '../core/streams/async-queue.js';
import { delay } from '../core/resilience/cancellation.js';
import type { TypedEvents } from '../core/streams/typed-events.js';
import type { Balances, MarketResolver, OrderRef, Position, PrivateEvent, TradingAdapter } from '../core/trading.js';
import { argumentChecks, keysOf } from '../core/validation.js';
import type { ArgumentChecks } from '../core/validation.js';
import type { Credentials, RestRequest } from '../core/venue.js';
import { PrivateSession } from '../core/ws/private-session.js';
import { callOptions, orderRef, privateWatchOptions } from './arguments.js';
import type { ExchangeEvents } from './events.js';
import { OrderTracker } from './order-tracker.js';
import type { Watch, WatchOptions } from './watch-topic.js';

/** Per-call options for requests. */
export interface TradingCallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/** `createOrder` extras. */
export interface CreateOrderOptions extends TradingCallOptions {
  readonly timeInForce?: OrderRequest['timeInForce'];
  readonly postOnly?: boolean;
  readonly reduceOnly?: boolean;
  readonly clientOrderId?: string;
  /** Reference price for notional and price-band checks (default: the venue's last price, fetched when a check needs it). */
  readonly lastPrice?: Decimal;
}

/** What the trading layer needs from its `Exchange`. */
export interface TradingHost {
  readonly adapter: TradingAdapter;
  readonly credentials: Credentials | undefined;
  readonly events: TypedEvents<ExchangeEvents>;
  market(symbol: string, opts: TradingCallOptions): Promise<Market>;
  /** Loads the markets when they are not yet (the private streams resolve venue ids with them). */
  loadMarkets(): Promise<unknown>;
  resolver(): MarketResolver;
  request(req: RestRequest, opts: TradingCallOptions): Promise<{ readonly body: unknown; readonly receivedAt: number }>;
  lastPrice(market: Market, opts: TradingCallOptions): Promise<Decimal | undefined>;
  /** Venue time (ms). */
  now(): number;
}

/** How outcome-unknown commands are resolved. */
export interface OutcomePolicy {
  /** Queries by client order id after an ambiguous place (default 6). */
  readonly queries: number;
  /** Delay before the first query, doubled each time (default 250 ms). */
  readonly firstDelayMs: number;
}

const DEFAULT_POLICY: OutcomePolicy = { queries: 6, firstDelayMs: 250 };
/**
 * Errors that prove a place or cancel did nothing: the venue's definitive refusals (each venue's error table maps its
 * refusals onto these), and what the transport raises only for a command it never sent (its contract, see
 * `HttpClient.request`: a command that may have reached the venue is `outcome-unknown`): `network` (refused,
 * unreachable), `timeout` (no slot or no connection in time), `closed` (aborted before sending), `circuit-open`.
 * Anything else (`outcome-unknown`, `decode` of a 2xx answer...) may hide an order the venue took: it is settled by
 * query, and a place is never resent.
 */
const REFUSED: ReadonlySet<ErrorCode> = new Set(['rejected', 'invalid-argument', 'auth', 'not-found', 'rate-limited', 'clock-skew', 'network', 'timeout', 'closed', 'circuit-open']);
const CREATE_ORDER_OPTION_KEYS = keysOf<CreateOrderOptions>({ signal: true, timeoutMs: true, timeInForce: true, postOnly: true, reduceOnly: true, clientOrderId: true, lastPrice: true });
const ORDER_TYPES: readonly OrderRequest['type'][] = ['limit', 'market'];
const SIDES: readonly OrderRequest['side'][] = ['buy', 'sell'];
const TIME_IN_FORCE: readonly NonNullable<OrderRequest['timeInForce']>[] = ['GTC', 'IOC', 'FOK'];
/** Unknown orders queried per symbol and reconciliation (their fills were seen). */
const MAX_ORPHAN_QUERIES = 50;

export class Trading {
  readonly risk = new RiskChecks();
  readonly tracker = new OrderTracker();
  readonly #host: TradingHost;
  readonly #policy: OutcomePolicy;
  readonly #sessions = new Map<string, PrivateSession>();
  readonly #balances = new Map<string, Balances>();
  readonly #positions = new Map<string, Position>();
  readonly #balanceListeners = new Set<(b: Balances) => void>();
  readonly #positionListeners = new Set<(p: Position) => void>();
  readonly #closers = new Set<() => void>();
  readonly #check: ArgumentChecks;
  #closed = false;

  constructor(host: TradingHost, policy: Partial<OutcomePolicy> = {}) {
    this.#host = host;
    this.#check = argumentChecks({ venue: host.adapter.venue });
    this.#policy = { ...DEFAULT_POLICY, ...policy };
    // Oddities a venue report carried (REST or stream): the report stands, the oddity is told.
    this.tracker.listenProblems((p, r) => this.#decodeProblem(`${r.source} order report ${r.orderId ?? r.clientOrderId ?? '?'} on ${r.symbol}`, p));
  }

  get #adapter(): TradingAdapter {
    return this.#host.adapter;
  }

  // ------------------------------------------------------------------ orders

  /**
   * Places an order after the market's filters and the registered risk checks pass (else nothing is sent).
   * Returns the order as known after the venue's answer. A place that fails ambiguously (timeout, connection lost
   * after sending, 5xx, an answer that cannot be read: any error but a definitive refusal) is never resent: it is
   * resolved by querying the client order id; if that cannot settle
   * it, the call throws `outcome-unknown` and the order stays tracked with `outcomeUnknown: true` until a query,
   * the private stream or the next reconciliation settles it.
   * @throws VenueError `invalid-argument` (filters), `rejected` (risk check or the venue), `outcome-unknown`.
   */
  async createOrder(symbol: string, type: OrderRequest['type'], side: OrderRequest['side'], amount: Decimal | string, price?: Decimal | string, opts: CreateOrderOptions = {}): Promise<Order> {
    this.#checkOpen();
    const c = this.#check;
    c.string('symbol', symbol);
    const orderType = c.oneOf('type', type, ORDER_TYPES);
    const orderSide = c.oneOf('side', side, SIDES);
    const qty = c.decimal('amount', amount, { positive: true });
    const px = c.optionalDecimal('price', price, { positive: true });
    if (orderType === 'limit' && px === undefined) c.fail('price', 'is required for a limit order; got undefined');
    if (orderType === 'market' && px !== undefined) c.fail('price', `must be left out of a market order (it takes no price); got ${px.toString()}`);
    const o = callOptions(c, 'createOrder', opts, CREATE_ORDER_OPTION_KEYS);
    const timeInForce = c.optionalOneOf('timeInForce', o['timeInForce'], TIME_IN_FORCE);
    const postOnly = c.optionalBoolean('postOnly', o['postOnly']);
    const reduceOnly = c.optionalBoolean('reduceOnly', o['reduceOnly']);
    const userClientOrderId = c.optionalString('clientOrderId', o['clientOrderId']);
    const givenLastPrice = c.optionalDecimal('lastPrice', o['lastPrice'], { positive: true });
    const market = await this.#host.market(symbol, opts);
    const req: OrderRequest = {
      symbol: market.symbol,
      side: orderSide,
      type: orderType,
      amount: qty,
      ...(px === undefined ? {} : { price: px }),
      ...(timeInForce === undefined ? {} : { timeInForce }),
      ...(postOnly === undefined ? {} : { postOnly }),
      ...(reduceOnly === undefined ? {} : { reduceOnly }),
      ...(userClientOrderId === undefined ? {} : { clientOrderId: userClientOrderId }),
    };
    const needsPrice = req.type === 'market' || this.risk.names.length > 0;
    const lastPrice = givenLastPrice ?? (needsPrice ? await this.#host.lastPrice(market, opts) : undefined);
    validateAgainstMarket(market, req, lastPrice);
    this.risk.run({ order: req, market, ...(lastPrice === undefined ? {} : { lastPrice }) });
    const clientOrderId = userClientOrderId ?? this.#adapter.newClientOrderId();
    const problem = this.#adapter.clientOrderIdProblem(clientOrderId);
    if (problem !== undefined) throw new VenueError('invalid-argument', `client order id ${JSON.stringify(clientOrderId)}: ${problem}`, { venue: market.venue, operation: 'createOrder' });
    if (this.tracker.get({ clientOrderId }) !== undefined) throw new VenueError('invalid-argument', `client order id ${clientOrderId} is already in use`, { venue: market.venue, operation: 'createOrder' });

    // Built first: an order the venue's rules refuse (reduce-only on spot...) is refused here, and never tracked.
    const request = this.#adapter.createOrderRequest(market, req, clientOrderId);
    this.tracker.add(pendingOrder(market.venue, req, clientOrderId, Date.now()));
    try {
      const res = await this.#host.request(request, opts);
      try {
        this.tracker.applyReport(this.#adapter.parseCreateOrder(res.body, market, res.receivedAt));
      } catch (err) {
        // A 2xx whose answer we cannot read: the order may be live (unless the body held the venue's refusal).
        throw answerError('createOrder', market, err);
      }
    } catch (err) {
      const error = toVenueError(err);
      if (!REFUSED.has(error.code)) return this.#resolvePlace(market, clientOrderId, error, opts);
      // A definitive refusal, or nothing sent: the order never existed on the venue.
      this.tracker.applyReport(rejectedReport(market, clientOrderId, error.message));
      throw error;
    }
    return this.#tracked(clientOrderId);
  }

  /** After an ambiguous place: query by client order id until the venue says, never resending the order. */
  async #resolvePlace(market: Market, clientOrderId: string, cause: VenueError, opts: TradingCallOptions): Promise<Order> {
    const current = this.#tracked(clientOrderId);
    this.tracker.update(markOutcomeUnknown(current));
    this.#host.events.emit('problem', { context: `createOrder ${clientOrderId}: outcome unknown, resolving by query`, error: cause });
    let wait = this.#policy.firstDelayMs;
    let notFound = 0;
    for (let i = 0; i < this.#policy.queries; i++) {
      // The private stream may settle it first.
      const seen = this.#tracked(clientOrderId);
      if (!seen.outcomeUnknown) return seen;
      await delay(wait, opts.signal);
      wait *= 2;
      try {
        const report = await this.#query(market, { clientOrderId }, opts);
        this.tracker.applyReport(report);
        return this.#tracked(clientOrderId);
      } catch (err) {
        const error = toVenueError(err);
        if (error.code === 'closed') throw error;
        if (error.code === 'not-found') notFound++;
      }
    }
    const settled = this.#tracked(clientOrderId);
    if (!settled.outcomeUnknown) return settled;
    throw new VenueError('outcome-unknown', `order ${clientOrderId} on ${market.symbol}: the venue did not answer the place and ${notFound} of ${this.#policy.queries} queries found no such order; it stays tracked as outcome-unknown`, { venue: market.venue, operation: 'createOrder', cause });
  }

  /**
   * Cancels by venue id or client order id. Resolves with the order once the venue confirms (querying it when
   * the venue only accepted the cancel). A cancel that failed ambiguously (its answer lost or unreadable) is checked
   * by query and sent again only while the order is still open (a second cancel is harmless; a second place never is).
   */
  async cancelOrder(ref: OrderRef | string, symbol: string, opts: TradingCallOptions = {}): Promise<Order> {
    this.#checkOpen();
    const r = orderRef(this.#check, ref);
    this.#check.string('symbol', symbol);
    callOptions(this.#check, 'cancelOrder', opts);
    const market = await this.#host.market(symbol, opts);
    const known = this.tracker.get(r);
    const target: OrderRef = { ...r, ...(known?.id !== undefined && r.id === undefined ? { id: known.id } : {}), ...(known?.clientOrderId !== undefined && r.clientOrderId === undefined ? { clientOrderId: known.clientOrderId } : {}) };
    if (known !== undefined && !TERMINAL_STATUSES.has(known.status)) this.tracker.update(markCancelling(known));
    for (let attempt = 0; ; attempt++) {
      const error = await this.#cancelOnce(market, target, opts);
      if (error === undefined) return this.#orderOf(target, market);
      // Refused (unknown order, already final) or maybe acted on (a lost or unreadable answer): the order tells.
      const now = await this.#query(market, target, opts).catch(() => undefined);
      if (now !== undefined) this.#apply(now);
      const ambiguous = !REFUSED.has(error.code);
      // Done by this cancel, or (a refusal of the second try) by the first one whose answer was lost.
      if (now !== undefined && (ambiguous ? TERMINAL_STATUSES.has(now.status) : attempt > 0 && (now.status === 'cancelled' || now.status === 'expired'))) return this.#orderOf(target, market);
      if (ambiguous && attempt === 0) continue;
      const cur = this.tracker.get(target);
      if (cur !== undefined && cur.status === 'pending-cancel') this.tracker.update(cancelRefused(cur));
      throw error;
    }
  }

  /**
   * One cancel: undefined once the venue's answer is applied (the order queried when the venue only accepted the
   * cancel), else what went wrong; an answer that cannot be read is `outcome-unknown` (the venue may have acted).
   */
  async #cancelOnce(market: Market, target: OrderRef, opts: TradingCallOptions): Promise<VenueError | undefined> {
    try {
      const res = await this.#host.request(this.#adapter.cancelOrderRequest(market, target), opts);
      let report: OrderReport | undefined;
      try {
        report = this.#adapter.parseCancelOrder(res.body, market, res.receivedAt);
        if (report !== undefined) this.#apply(report);
      } catch (err) {
        return answerError('cancelOrder', market, err);
      }
      if (report === undefined) this.#apply(await this.#query(market, target, opts));
      return undefined;
    } catch (err) {
      return toVenueError(err);
    }
  }

  /** The order as the venue reports it now (tracked from then on). */
  async fetchOrder(ref: OrderRef | string, symbol: string, opts: TradingCallOptions = {}): Promise<Order> {
    this.#checkOpen();
    const r = orderRef(this.#check, ref);
    this.#check.string('symbol', symbol);
    callOptions(this.#check, 'fetchOrder', opts);
    const market = await this.#host.market(symbol, opts);
    this.#apply(await this.#query(market, r, opts));
    return this.#orderOf(r, market);
  }

  /** Open orders of a symbol, as the venue lists them (each tracked). */
  async fetchOpenOrders(symbol: string, opts: TradingCallOptions = {}): Promise<Order[]> {
    this.#checkOpen();
    this.#check.string('symbol', symbol);
    callOptions(this.#check, 'fetchOpenOrders', opts);
    const market = await this.#host.market(symbol, opts);
    const res = await this.#host.request(this.#adapter.openOrdersRequest(market), opts);
    const reports = this.#adapter.parseOpenOrders(res.body, market, res.receivedAt);
    const out: Order[] = [];
    for (const r of reports) {
      this.#apply(r);
      const o = this.tracker.get({ ...(r.orderId === undefined ? {} : { id: r.orderId }), ...(r.clientOrderId === undefined ? {} : { clientOrderId: r.clientOrderId }) });
      if (o !== undefined) out.push(o);
    }
    return out;
  }

  /** The account's own fills on a symbol (applied to their orders, each once). */
  async fetchMyTrades(symbol: string, since?: number, limit?: number, opts: TradingCallOptions = {}): Promise<Fill[]> {
    this.#checkOpen();
    this.#check.string('symbol', symbol);
    this.#check.optionalInteger('since', since, { min: 0 });
    this.#check.optionalInteger('limit', limit, { min: 1 });
    callOptions(this.#check, 'fetchMyTrades', opts);
    const market = await this.#host.market(symbol, opts);
    const q: { since?: number; limit?: number } = {};
    if (since !== undefined) q.since = since;
    if (limit !== undefined) q.limit = limit;
    const res = await this.#host.request(this.#adapter.myTradesRequest(market, q), opts);
    const fills = this.#adapter.parseMyTrades(res.body, market, res.receivedAt);
    for (const f of fills) this.tracker.applyFill(f);
    return fills;
  }

  /** Balances of one account (default the venue's first: Binance `spot`, Bybit `unified`, OKX `trading`). */
  async fetchBalance(opts: TradingCallOptions & { readonly account?: string } = {}): Promise<Balances> {
    this.#checkOpen();
    const given = this.#check.optionalOneOf('account', callOptions(this.#check, 'fetchBalance', opts, ['account'])['account'], this.#adapter.accounts);
    const account = given ?? this.#adapter.accounts[0] ?? '';
    const res = await this.#host.request(this.#adapter.balanceRequest(account), opts);
    const b = this.#adapter.parseBalance(res.body, account, res.receivedAt);
    this.#onBalance(b);
    return this.#balances.get(account) ?? b;
  }

  /** Open positions (every position segment, or the segment of `symbols`' markets); flat ones left out. */
  async fetchPositions(symbols?: readonly string[], opts: TradingCallOptions = {}): Promise<Position[]> {
    this.#checkOpen();
    if (symbols !== undefined) this.#check.list('symbols', symbols, (f, v) => this.#check.string(f, v));
    callOptions(this.#check, 'fetchPositions', opts);
    let segments = this.#adapter.positionSegments;
    if (symbols !== undefined) {
      const mine = new Set<string>();
      for (const s of symbols) mine.add((await this.#host.market(s, opts)).segment);
      segments = segments.filter((s) => mine.has(s));
    }
    const out: Position[] = [];
    for (const segment of segments) {
      const res = await this.#host.request(this.#adapter.positionsRequest(segment), opts);
      for (const p of this.#adapter.parsePositions(res.body, segment, this.#host.resolver(), res.receivedAt)) {
        this.#onPosition(p);
        if (p.side !== 'flat' && (symbols === undefined || symbols.includes(p.symbol))) out.push(p);
      }
    }
    return out;
  }

  /** Orders venuekit tracks (placed here, or seen on a stream or in a query). */
  orders(symbol?: string): Order[] {
    return this.tracker.all(this.#check.optionalString('symbol', symbol));
  }

  // ------------------------------------------------------------------ streams

  /** Every change of every tracked order (of `symbol` when given), in order; starts the private streams. */
  watchOrders(symbol?: string, opts: WatchOptions = {}): Watch<Order> {
    this.#checkOpen();
    const symbols = this.#watchArguments('watchOrders', symbol, opts);
    return this.#watch<Order>(opts, symbols, (push) =>
      this.tracker.listen((c) => {
        if (c.order !== undefined && (symbol === undefined || c.order.symbol === symbol)) push(c.order);
      }),
    );
  }

  /** Each of the account's fills once (of `symbol` when given); starts the private streams. */
  watchMyTrades(symbol?: string, opts: WatchOptions = {}): Watch<Fill> {
    this.#checkOpen();
    const symbols = this.#watchArguments('watchMyTrades', symbol, opts);
    return this.#watch<Fill>(opts, symbols, (push) =>
      this.tracker.listen((c) => {
        for (const f of c.newFills) if (symbol === undefined || f.symbol === symbol) push(f);
      }),
    );
  }

  /** The balances of an account after each change (a full view: stream updates merged into the last known). */
  watchBalance(opts: WatchOptions & { readonly account?: string } = {}): Watch<Balances> {
    this.#checkOpen();
    this.#check.optionalOneOf('account', privateWatchOptions(this.#check, 'watchBalance', opts, ['account'])['account'], this.#adapter.accounts);
    return this.#watch<Balances>(opts, [], (push) => {
      const l = (b: Balances): void => {
        if (opts.account === undefined || b.account === opts.account) push(b);
      };
      this.#balanceListeners.add(l);
      return () => this.#balanceListeners.delete(l);
    });
  }

  /** Position updates (of `symbols` when given). */
  watchPositions(symbols?: readonly string[], opts: WatchOptions = {}): Watch<Position> {
    this.#checkOpen();
    if (symbols !== undefined) this.#check.list('symbols', symbols, (f, v) => this.#check.string(f, v));
    privateWatchOptions(this.#check, 'watchPositions', opts);
    return this.#watch<Position>(opts, symbols ?? [], (push) => {
      const l = (p: Position): void => {
        if (symbols === undefined || symbols.includes(p.symbol)) push(p);
      };
      this.#positionListeners.add(l);
      return () => this.#positionListeners.delete(l);
    });
  }

  /** Starts every private stream and resolves once all are logged in and subscribed. @throws VenueError `auth`. */
  async startPrivateStreams(signal?: AbortSignal): Promise<void> {
    this.#checkOpen();
    this.#check.signal('signal', signal);
    // Events name markets by venue id: they resolve only once the markets are loaded.
    await this.#host.loadMarkets();
    await Promise.all(this.#adapter.privateStream.connections.map((c) => this.#session(c).ready(signal)));
  }

  /** States of the private streams, by connection. */
  privateStreamStates(): Record<string, string> {
    return Object.fromEntries([...this.#sessions].map(([k, s]) => [k, s.state]));
  }

  /**
   * Brings the tracked state in line with the venue over REST: open orders of every symbol with live tracked
   * orders, each live order the venue no longer lists (queried), fills since the newest seen, balances and
   * positions. Runs by itself after every private-stream reconnect.
   */
  async reconcile(opts: TradingCallOptions = {}): Promise<{ readonly orders: number; readonly fills: number }> {
    this.#checkOpen();
    callOptions(this.#check, 'reconcile', opts);
    let orders = 0;
    let fills = 0;
    const symbols = new Set(this.tracker.live().map((o) => o.symbol));
    for (const symbol of symbols) {
      const market = await this.#host.market(symbol, opts);
      const open = await this.fetchOpenOrders(symbol, opts);
      orders += open.length;
      const listed = new Set(open.map((o) => o.clientOrderId ?? o.id));
      for (const o of this.tracker.live(symbol)) {
        if (listed.has(o.clientOrderId ?? o.id)) continue;
        const ref: OrderRef = { ...(o.id === undefined ? {} : { id: o.id }), ...(o.clientOrderId === undefined ? {} : { clientOrderId: o.clientOrderId }) };
        const report = await this.#query(market, ref, opts).catch(() => undefined);
        if (report !== undefined) {
          this.#apply(report);
          orders++;
        }
      }
      const since = this.tracker.lastFillAt(symbol);
      const before = this.tracker.all(symbol).reduce((n, o) => n + o.fills.length, 0);
      await this.fetchMyTrades(symbol, since === undefined ? undefined : since - 1000, undefined, opts);
      // Fills of orders we did not know (placed by another program with this key): learn those orders too.
      for (const id of this.tracker.orphanOrderIds(symbol).slice(0, MAX_ORPHAN_QUERIES)) {
        const report = await this.#query(market, { id }, opts).catch(() => undefined);
        if (report !== undefined) this.#apply(report);
      }
      fills += this.tracker.all(symbol).reduce((n, o) => n + o.fills.length, 0) - before;
    }
    for (const account of this.#adapter.accounts) await this.fetchBalance({ ...opts, account }).catch((err: unknown) => this.#problem(`reconcile balance ${account}`, err));
    if (this.#adapter.positionSegments.length > 0) await this.fetchPositions(undefined, opts).catch((err: unknown) => this.#problem('reconcile positions', err));
    return { orders, fills };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const c of [...this.#closers]) c();
    await Promise.allSettled([...this.#sessions.values()].map((s) => s.close()));
  }

  // ------------------------------------------------------------------ internals

  /** Checks a private watch's symbol and options; the symbols to resolve before it starts. */
  #watchArguments(call: string, symbol: unknown, opts: unknown): string[] {
    const s = this.#check.optionalString('symbol', symbol);
    privateWatchOptions(this.#check, call, opts);
    return s === undefined ? [] : [s];
  }

  /**
   * A private watch: listening at once (orders placed from now on are seen), the private streams started once the
   * markets are loaded (their events name markets by venue id) and `symbols` are known ones; else the watch fails.
   */
  #watch<T>(opts: WatchOptions, symbols: readonly string[], subscribe: (push: (item: T) => void) => () => void): Watch<T> {
    this.#checkOpen();
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const closer = (): void => void queue.return();
    // The queue starts it all (`start`) unless the signal had already fired: then nothing is subscribed or logged in.
    const queue: AsyncQueue<T> = new AsyncQueue<T>({
      overflow: 'error',
      capacity: opts.capacity ?? 4096,
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
      start: (q) => {
        const off = subscribe((item) => q.push(item));
        this.#closers.add(closer);
        const ready = async (): Promise<void> => {
          await this.#host.loadMarkets();
          for (const s of symbols) await this.#host.market(s, {});
        };
        ready().then(
          () => {
            if (q.closed || this.#closed) return;
            for (const c of this.#adapter.privateStream.connections) {
              const s = this.#session(c);
              s.ready().catch((err: unknown) => q.fail(toVenueError(err)));
            }
          },
          (err: unknown) => q.fail(toVenueError(err)),
        );
        return off;
      },
      onClose: () => {
        this.#closers.delete(closer);
        done();
      },
    });
    return Object.assign(queue, { finished }) as unknown as Watch<T>;
  }

  #session(connection: string): PrivateSession {
    const existing = this.#sessions.get(connection);
    if (existing !== undefined) return existing;
    const credentials = this.#host.credentials;
    if (credentials === undefined) throw new VenueError('auth', 'private streams need credentials (apiKey and secret)', { venue: this.#adapter.venue });
    const s = new PrivateSession({
      dialect: this.#adapter.privateStream,
      connection,
      credentials,
      now: () => this.#host.now(),
      request: (req, signal) => this.#host.request(req, { signal }),
      resolve: this.#host.resolver(),
      onEvents: (events) => this.#onEvents(events),
    });
    s.events.on('ready', (e) => {
      this.#host.events.emit('private-ready', e);
      if (e.reconnect) {
        this.reconcile().then(
          (r) => this.#host.events.emit('reconciled', { connection, ...r }),
          (err: unknown) => this.#problem(`reconcile after ${connection} reconnect`, err),
        );
      }
    });
    s.events.on('down', (e) => this.#host.events.emit('private-down', e));
    s.events.on('problem', (e) => this.#host.events.emit('problem', { context: `private ${e.connection}`, error: e.error, ...(e.skipped === undefined ? {} : { skipped: e.skipped }) }));
    s.events.on('failed', (e) => this.#host.events.emit('problem', { context: `private ${e.connection} login`, error: e.error }));
    this.#sessions.set(connection, s);
    s.start();
    return s;
  }

  #onEvents(events: PrivateEvent[]): void {
    for (const e of events) {
      try {
        if (e.kind === 'order') this.#apply(e.report);
        else if (e.kind === 'fill') this.tracker.applyFill(e.fill);
        else if (e.kind === 'balance') this.#onBalance(e.balances);
        else if (e.kind === 'position') this.#onPosition(e.position);
        else this.#decodeProblem('private event', e.problem);
      } catch (err) {
        this.#problem(`private ${e.kind} event`, err);
      }
    }
  }

  #onBalance(b: Balances): void {
    if (b.problems !== undefined) for (const p of b.problems) this.#decodeProblem(`${b.account} balances`, p);
    const prev = this.#balances.get(b.account);
    const merged: Balances = b.partial && prev !== undefined ? { ...b, balances: { ...prev.balances, ...b.balances }, partial: false } : { ...b, partial: b.partial && prev === undefined };
    this.#balances.set(b.account, merged);
    for (const l of this.#balanceListeners) l(merged);
  }

  #onPosition(p: Position): void {
    if (p.problems !== undefined) for (const problem of p.problems) this.#decodeProblem(`position ${p.symbol}`, problem);
    const key = `${p.symbol}|${p.hedgeSide ?? ''}`;
    const prev = this.#positions.get(key);
    if (prev !== undefined && prev.exchangeTime > p.exchangeTime) return;
    this.#positions.set(key, p);
    for (const l of this.#positionListeners) l(p);
  }

  #apply(report: OrderReport): void {
    this.tracker.applyReport(report);
  }

  async #query(market: Market, ref: OrderRef, opts: TradingCallOptions): Promise<OrderReport> {
    const res = await this.#host.request(this.#adapter.fetchOrderRequest(market, ref), opts);
    return this.#adapter.parseOrder(res.body, market, res.receivedAt);
  }

  #tracked(clientOrderId: string): Order {
    const o = this.tracker.get({ clientOrderId });
    if (o === undefined) throw new VenueError('not-found', `order ${clientOrderId} is not tracked`, { venue: this.#adapter.venue });
    return o;
  }

  #orderOf(ref: OrderRef, market: Market): Order {
    const o = this.tracker.get(ref);
    if (o === undefined) throw new VenueError('not-found', `order ${ref.id ?? ref.clientOrderId ?? '?'} on ${market.symbol} is not known`, { venue: market.venue });
    return o;
  }

  #problem(context: string, err: unknown): void {
    this.#host.events.emit('problem', { context, error: toVenueError(err) });
  }

  /** A venue oddity a parser passed through or left out, as a `decode` problem naming the field and the raw value. */
  #decodeProblem(context: string, p: DecodeProblem): void {
    this.#host.events.emit('problem', { context, error: problemError(p) });
  }

  #checkOpen(): void {
    if (this.#closed) throw new VenueError('closed', 'the exchange client was closed', { venue: this.#adapter.venue });
  }
}

function rejectedReport(market: Market, clientOrderId: string, reason: string): OrderReport {
  const now = Date.now();
  return { venue: market.venue, symbol: market.symbol, clientOrderId, status: 'rejected', reason, exchangeTime: now, receivedAt: now, source: 'rest' };
}

/**
 * What a parser's error on a command's 2xx answer means: a refusal the venue wrote in the body (a code of its error
 * table, such as an OKX `sCode`) stands; anything else is an answer we could not read, and the venue may have acted.
 */
function answerError(operation: 'createOrder' | 'cancelOrder', market: Market, err: unknown): VenueError {
  if (VenueError.is(err) && err.venueCode !== undefined && REFUSED.has(err.code)) return err;
  const cause = toVenueError(err, 'decode', { venue: market.venue, operation });
  return new VenueError('outcome-unknown', `the venue accepted the command but its answer could not be read (${cause.code}: ${cause.message})`, { venue: market.venue, operation, cause });
}
