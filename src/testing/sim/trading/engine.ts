/**
 * The simulator's venue-neutral trading core over one venue's `Market`: accounts and API keys, a matching
 * engine (price-time priority, partial fills, market orders sweeping the book, IOC/FOK/post-only, cancels),
 * self-consistent balances and one-way positions, and the account events front ends turn into wire frames.
 */
import { Decimal } from '../../../core/decimal.js';
import { VenueError } from '../../../core/errors.js';
import type { Instrument } from '../instruments.js';
import type { Market, SimTrade } from '../market.js';
import type { PlaceInput, SimAccountEvent, SimBalance, SimCredentials, SimFill, SimOrder, SimOrderStatus, SimPosition, SimRejectReason, SimSide } from './engine-types.js';
import { SimRejection } from './engine-types.js';
import { Ledger } from './ledger.js';
import { isOpen, minDecimal, planCost, planMatch, RestingBook, viewOf, withinLimit, type MatchPlan, type OrderRecord } from './matching.js';
import { DIV_SCALE, initialMargin, notional, PositionState, priceOf, qtyOf } from './positions.js';

export interface SimTradingOptions {
  readonly market: Market;
  /** The venue's clock (the faults' skewed `now`). */
  readonly now: () => number;
  /** Fee rates as decimal strings (default maker `0.0002`, taker `0.0005`). */
  readonly makerFee?: string;
  readonly takerFee?: string;
  /** Default leverage of new positions (default 10). */
  readonly leverage?: number;
  /**
   * Decimals the venue charges fees in (Binance: 8, as its commissions and balances are written), rounded half-even;
   * the ledger charges exactly the fee the fill records, so the fees a client sums equal its balance change.
   * Default: exact (derivatives: to 12 decimals, the engine's division scale).
   */
  readonly feeDecimals?: number;
}

/** An account to create: its key and starting balances (`{ USDT: '100000', BTC: '2' }`). */
export interface SimAccountSpec extends SimCredentials {
  readonly balances?: Readonly<Record<string, string>>;
}

interface Account {
  readonly ledger: Ledger;
  readonly orders: OrderRecord[];
  readonly fills: SimFill[];
  readonly positions: Map<string, PositionState>;
}

/** Account events gathered during one operation, sent when it is complete (per account: orders, balance, positions). */
class EventBatch {
  readonly byKey = new Map<string, { orders: SimAccountEvent[]; positions: Set<string> }>();

  entry(apiKey: string): { orders: SimAccountEvent[]; positions: Set<string> } {
    let e = this.byKey.get(apiKey);
    if (e === undefined) {
      e = { orders: [], positions: new Set() };
      this.byKey.set(apiKey, e);
    }
    return e;
  }
}

/**
 * One venue's accounts, orders and matching.
 *
 * Timing: `place` and `cancel` finish (fills, resting remainder, events) before they return. A public trade
 * of the market that trades through resting orders fills them synchronously inside the market's trade
 * callback (the market is not touched). A book change that makes the market's opposite best cross a resting
 * order is settled in a microtask (the engine then takes that liquidity from the market); `settle()` runs it
 * at once, and `place` settles first. A market order that finds no liquidity at all throws `no-liquidity`.
 */
export class SimTradingEngine {
  /** Account-listener exceptions swallowed so far (a front-end bug). */
  listenerErrors = 0;
  private readonly accounts = new Map<string, Account>();
  private readonly listeners = new Map<string, Set<(event: SimAccountEvent) => void>>();
  private readonly books = new Map<string, RestingBook>();
  private readonly makerFee: Decimal;
  private readonly takerFee: Decimal;
  private readonly pendingCross = new Set<string>();
  private readonly unhook: () => void;
  private settleQueued = false;
  /** True while the engine itself changes the market (its own trades and book changes are not trade-throughs). */
  private busy = false;
  private nextOrderId = 1_000_001;
  private nextTradeId = 1_000_001;
  private seq = 0;

  constructor(readonly options: SimTradingOptions) {
    const d = options.feeDecimals;
    if (d !== undefined && (!Number.isSafeInteger(d) || d < 0 || d > DIV_SCALE)) throw new VenueError('invalid-argument', `feeDecimals must be an integer in [0, ${DIV_SCALE}], got ${String(d)}`);
    this.makerFee = Decimal.from(options.makerFee ?? '0.0002');
    this.takerFee = Decimal.from(options.takerFee ?? '0.0005');
    this.unhook = options.market.listen({
      trade: (t) => this.onTrade(t),
      bookChange: (c) => this.onBookMoved(c.symbol),
      bookReplaced: (symbol) => this.onBookMoved(symbol),
    });
  }

  /** Adds (or replaces) an account. Replacing drops the old account's open orders from matching. */
  addAccount(spec: SimAccountSpec): void {
    const old = this.accounts.get(spec.apiKey);
    if (old !== undefined) for (const o of old.orders) if (isOpen(o)) this.restingBook(o.symbol).remove(o);
    const credentials: SimCredentials = { apiKey: spec.apiKey, secret: spec.secret, ...(spec.passphrase === undefined ? {} : { passphrase: spec.passphrase }) };
    this.accounts.set(spec.apiKey, { ledger: new Ledger(credentials, spec.balances), orders: [], fills: [], positions: new Map() });
  }

  /** The credentials of an API key, or undefined when the key is unknown (front ends verify signatures with it). */
  credentials(apiKey: string): SimCredentials | undefined {
    return this.accounts.get(apiKey)?.ledger.credentials;
  }

  /** Sets the leverage of the account's position on `symbol` (applies to margin taken from now on). */
  setLeverage(apiKey: string, symbol: string, leverage: number): void {
    if (!Number.isSafeInteger(leverage) || leverage < 1 || leverage > 125) throw new SimRejection('invalid-quantity', `leverage must be an integer in [1, 125], got ${leverage}`);
    const inst = this.instrument(symbol);
    if (inst.kind === 'spot') throw new SimRejection('unknown-symbol', `${symbol} is not a derivatives instrument`);
    this.position(this.account(apiKey), inst).leverage = leverage;
  }

  /**
   * Places an order and matches it at once: the fills, the resting remainder and the account events happen
   * before this returns. @throws SimRejection for a refused order (nothing changes then).
   */
  place(input: PlaceInput): { readonly order: SimOrder; readonly fills: readonly SimFill[] } {
    this.settle();
    const account = this.account(input.apiKey);
    const inst = this.instrument(input.symbol);
    const tif = input.timeInForce ?? (input.type === 'market' ? 'IOC' : 'GTC');
    const limit = input.type === 'limit' ? input.priceUnits : undefined;
    this.validate(inst, input, account);
    const derivative = inst.kind !== 'spot';
    const reduceOnly = derivative && input.reduceOnly === true;
    const position = derivative ? this.position(account, inst) : undefined;
    if (reduceOnly && position !== undefined && position.closingUnits(input.side, input.qtyUnits) < input.qtyUnits) {
      throw new SimRejection('reduce-only-would-increase', `reduce-only ${input.side} of ${input.qtyUnits} units would increase the position of ${position.sizeUnits}`);
    }
    const plan = this.plan(input.apiKey, inst.symbol, input.side, input.qtyUnits, limit);
    if (input.type === 'market' && plan.filledUnits === 0 && tif !== 'GTX') throw new SimRejection('no-liquidity', `no liquidity for a market ${input.side} on ${inst.symbol}`);
    // What the order locks: limit orders at their price, market orders what the sweep costs.
    const lockCurrency = derivative ? (inst.settle as string) : input.side === 'buy' ? inst.quote : inst.base;
    let lock: Decimal;
    if (derivative) {
      const leverage = (position as PositionState).leverage;
      if (reduceOnly) lock = Decimal.ZERO;
      else if (limit !== undefined) lock = initialMargin(inst, input.qtyUnits, priceOf(inst, limit), leverage);
      else lock = plan.steps.reduce((sum, s) => sum.add(initialMargin(inst, s.qtyUnits, priceOf(inst, s.priceUnits), leverage)), Decimal.ZERO);
    } else if (input.side === 'sell') lock = qtyOf(inst, input.qtyUnits);
    else lock = limit !== undefined ? priceOf(inst, limit).mul(qtyOf(inst, input.qtyUnits)) : planCost(plan, inst.priceScale, inst.qtyScale);
    if (account.ledger.free(lockCurrency).lt(lock)) {
      throw new SimRejection('insufficient-balance', `${lock.toString()} ${lockCurrency} needed, ${account.ledger.free(lockCurrency).toString()} free`);
    }

    // Accepted: from here on the order exists.
    const now = this.options.now();
    const record: OrderRecord = {
      seq: ++this.seq,
      orderId: String(this.nextOrderId++),
      clientOrderId: input.clientOrderId,
      apiKey: input.apiKey,
      symbol: inst.symbol,
      side: input.side,
      type: input.type,
      timeInForce: tif,
      reduceOnly,
      priceUnits: limit,
      qtyUnits: input.qtyUnits,
      createdAt: now,
      filledUnits: 0,
      cumQuote: Decimal.ZERO,
      status: 'new',
      rejectReason: undefined,
      updatedAt: now,
      lockCurrency,
      locked: lock,
      view: undefined as unknown as SimOrder,
    };
    record.view = viewOf(record);
    account.orders.push(record);
    account.ledger.lock(lockCurrency, lock);
    const batch = new EventBatch();
    batch.entry(input.apiKey).orders.push({ kind: 'order', order: record.view });
    const fills: SimFill[] = [];
    if (tif === 'GTX' && plan.steps.length > 0) this.finish(record, 'expired', batch, 'post-only-would-take');
    else if (tif === 'FOK' && plan.filledUnits < input.qtyUnits) this.finish(record, 'expired', batch);
    else {
      this.execute(record, plan, batch, fills);
      if (isOpen(record)) {
        if (input.type === 'limit' && (tif === 'GTC' || tif === 'GTX')) this.restingBook(inst.symbol).insert(record);
        else this.finish(record, 'expired', batch);
      }
    }
    this.flush(batch);
    return { order: record.view, fills };
  }

  /** Cancels an open order by id or client order id. @throws SimRejection `unknown-order` / `order-closed`. */
  cancel(apiKey: string, symbol: string, ref: { readonly orderId?: string; readonly clientOrderId?: string }): SimOrder {
    const record = this.find(apiKey, symbol, ref);
    if (record === undefined) throw new SimRejection('unknown-order', `no order ${ref.orderId ?? ref.clientOrderId ?? '(no id)'} on ${symbol}`);
    if (!isOpen(record)) throw new SimRejection('order-closed', `order ${record.orderId} is already ${record.status}`);
    const batch = new EventBatch();
    this.finish(record, 'cancelled', batch);
    this.flush(batch);
    return record.view;
  }

  /** An order of the account (open or closed) by id or client order id (the open one first, else the latest). */
  order(apiKey: string, symbol: string, ref: { readonly orderId?: string; readonly clientOrderId?: string }): SimOrder | undefined {
    return this.find(apiKey, symbol, ref)?.view;
  }

  /** The account's open orders, of one symbol or all, oldest first. */
  openOrders(apiKey: string, symbol?: string): SimOrder[] {
    return this.orders(apiKey, symbol).filter((o) => o.status === 'new' || o.status === 'partially-filled');
  }

  /** Every order the account ever placed on a symbol (or all), oldest first. */
  orders(apiKey: string, symbol?: string): SimOrder[] {
    const account = this.accounts.get(apiKey);
    if (account === undefined) return [];
    return account.orders.filter((o) => symbol === undefined || o.symbol === symbol).map((o) => o.view);
  }

  /** The account's fills, oldest first, optionally of one symbol and from `since` (ms, inclusive). */
  fills(apiKey: string, symbol?: string, since?: number): SimFill[] {
    const account = this.accounts.get(apiKey);
    if (account === undefined) return [];
    return account.fills.filter((f) => (symbol === undefined || f.symbol === symbol) && (since === undefined || f.time >= since));
  }

  /** Every currency the account holds (free and locked). */
  balances(apiKey: string): SimBalance[] {
    return this.accounts.get(apiKey)?.ledger.all() ?? [];
  }

  /** Positions of the account's derivatives instruments (flat ones included once traded). */
  positions(apiKey: string): SimPosition[] {
    const account = this.accounts.get(apiKey);
    if (account === undefined) return [];
    return [...account.positions.entries()].filter(([, p]) => p.traded).map(([symbol, p]) => p.view(symbol, this.markPrice(p.inst)));
  }

  /** Account events as they happen, for one key; returns the unsubscribe function. */
  listen(apiKey: string, listener: (event: SimAccountEvent) => void): () => void {
    let set = this.listeners.get(apiKey);
    if (set === undefined) {
      set = new Set();
      this.listeners.set(apiKey, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * Fills resting orders the market's book now crosses (normally run in a microtask after the book change):
   * each such order takes the crossing liquidity from the market up to its price, filled as maker at its price.
   */
  settle(): void {
    if (this.pendingCross.size === 0) return;
    const symbols = [...this.pendingCross];
    this.pendingCross.clear();
    for (const symbol of symbols) {
      const book = this.books.get(symbol);
      if (book === undefined) continue;
      for (const side of ['buy', 'sell'] as const) {
        const other = this.options.market.book(symbol).side(side === 'buy' ? 'asks' : 'bids');
        for (const record of [...book.side(side)]) {
          const best = other.best();
          if (best === undefined || !withinLimit(side, best, record.priceUnits)) break;
          const batch = new EventBatch();
          const cap = this.capacity(record);
          if (cap <= 0) this.finish(record, 'expired', batch);
          else {
            const trades = this.takeFromMarket(symbol, side, cap, record.priceUnits);
            for (const t of trades) this.fill(record, record.priceUnits as number, t.qty, 'maker', batch);
            if (!isOpen(record)) book.remove(record);
          }
          this.flush(batch);
        }
      }
    }
  }

  /** Stops following the market. */
  close(): void {
    this.unhook();
    this.pendingCross.clear();
  }

  // ------------------------------------------------------------------ internals

  private account(apiKey: string): Account {
    const a = this.accounts.get(apiKey);
    if (a === undefined) throw new SimRejection('unknown-order', `unknown API key`);
    return a;
  }

  private instrument(symbol: string): Instrument {
    const inst = this.options.market.instruments.get(symbol);
    if (inst === undefined) throw new SimRejection('unknown-symbol', `unknown symbol ${symbol}`);
    return inst;
  }

  private restingBook(symbol: string): RestingBook {
    let b = this.books.get(symbol);
    if (b === undefined) {
      b = new RestingBook();
      this.books.set(symbol, b);
    }
    return b;
  }

  private position(account: Account, inst: Instrument): PositionState {
    let p = account.positions.get(inst.symbol);
    if (p === undefined) {
      p = new PositionState(inst, this.options.leverage ?? 10);
      account.positions.set(inst.symbol, p);
    }
    return p;
  }

  private validate(inst: Instrument, input: PlaceInput, account: Account): void {
    const q = input.qtyUnits;
    if (!Number.isSafeInteger(q) || q <= 0 || q % inst.stepUnits !== 0 || q < inst.minQtyUnits || q > inst.maxQtyUnits) {
      throw new SimRejection('invalid-quantity', `quantity of ${q} units is not a positive multiple of ${inst.stepUnits} in [${inst.minQtyUnits}, ${inst.maxQtyUnits}]`);
    }
    if (input.type === 'limit') {
      const p = input.priceUnits;
      if (p === undefined || !Number.isSafeInteger(p) || p <= 0 || p % inst.tickUnits !== 0) {
        throw new SimRejection('invalid-price', `price of ${String(p)} units is not a positive multiple of the tick ${inst.tickUnits}`);
      }
    }
    if (account.orders.some((o) => isOpen(o) && o.clientOrderId === input.clientOrderId)) {
      throw new SimRejection('duplicate-client-order-id', `client order id ${input.clientOrderId} is in use by an open order`);
    }
  }

  /** What a resting order can still fill: its remainder, for reduce-only orders at most what its position can reduce. */
  private capacity(o: OrderRecord): number {
    const remaining = o.qtyUnits - o.filledUnits;
    if (!o.reduceOnly) return remaining;
    const p = this.accounts.get(o.apiKey)?.positions.get(o.symbol);
    return p === undefined ? 0 : p.closingUnits(o.side, remaining);
  }

  private plan(apiKey: string, symbol: string, side: SimSide, qtyUnits: number, limit: number | undefined): MatchPlan {
    return planMatch({
      apiKey,
      side,
      qtyUnits,
      limitUnits: limit,
      resting: this.books.get(symbol)?.side(side === 'buy' ? 'sell' : 'buy') ?? [],
      book: this.options.market.book(symbol).side(side === 'buy' ? 'asks' : 'bids'),
      capacity: (o) => this.capacity(o),
    });
  }

  /** Runs a plan for the incoming `taker`: expiries, the market's levels, then the fills in price order. */
  private execute(taker: OrderRecord, plan: MatchPlan, batch: EventBatch, fills: SimFill[]): void {
    const book = this.restingBook(taker.symbol);
    for (const o of [...plan.selfTradeExpired, ...plan.unfillableExpired]) this.finish(o, 'expired', batch);
    if (plan.bookUnits > 0) this.takeFromMarket(taker.symbol, taker.side, plan.bookUnits, plan.bookWorstPrice);
    for (const step of plan.steps) {
      if (step.kind === 'maker') {
        this.fill(step.maker, step.priceUnits, step.qtyUnits, 'maker', batch);
        if (!isOpen(step.maker)) book.remove(step.maker);
        this.busy = true;
        try {
          this.options.market.publishTrade(taker.symbol, taker.side, step.priceUnits, step.qtyUnits);
        } finally {
          this.busy = false;
        }
      }
      fills.push(this.fill(taker, step.priceUnits, step.qtyUnits, 'taker', batch));
    }
  }

  private takeFromMarket(symbol: string, side: SimSide, qtyUnits: number, limit: number | undefined): SimTrade[] {
    this.busy = true;
    try {
      return this.options.market.takeLiquidity(symbol, side, qtyUnits, limit);
    } finally {
      this.busy = false;
    }
  }

  /** One execution of `o`: moves the money, updates the position, records the fill and the order event. */
  private fill(o: OrderRecord, priceUnits: number, qtyUnits: number, liquidity: 'maker' | 'taker', batch: EventBatch): SimFill {
    const account = this.account(o.apiKey);
    const ledger = account.ledger;
    const inst = this.instrument(o.symbol);
    const price = priceOf(inst, priceUnits);
    const qty = qtyOf(inst, qtyUnits);
    const rate = liquidity === 'maker' ? this.makerFee : this.takerFee;
    const now = this.options.now();
    const last = o.filledUnits + qtyUnits === o.qtyUnits;
    // The part of the order's lock this fill uses: at the limit price (market orders: at the fill price).
    const lockPrice = o.priceUnits === undefined ? price : priceOf(inst, o.priceUnits);
    let fee: Decimal;
    let feeCurrency: string;
    if (inst.kind === 'spot') {
      const quote = price.mul(qty);
      if (o.side === 'buy') {
        const share = last ? o.locked : minDecimal(o.locked, lockPrice.mul(qty));
        ledger.spendLocked(inst.quote, share);
        ledger.credit(inst.quote, share.sub(quote));
        o.locked = o.locked.sub(share);
        fee = this.charged(rate.mul(qty));
        feeCurrency = inst.base;
        ledger.credit(inst.base, qty.sub(fee));
      } else {
        const share = minDecimal(o.locked, qty);
        ledger.spendLocked(inst.base, share);
        o.locked = o.locked.sub(share);
        fee = this.charged(rate.mul(quote));
        feeCurrency = inst.quote;
        ledger.credit(inst.quote, quote.sub(fee));
      }
    } else {
      const settle = inst.settle as string;
      const position = this.position(account, inst);
      const share = o.reduceOnly ? Decimal.ZERO : last ? o.locked : minDecimal(o.locked, initialMargin(inst, qtyUnits, lockPrice, position.leverage));
      ledger.spendLocked(settle, share);
      o.locked = o.locked.sub(share);
      const closing = position.closingUnits(o.side, qtyUnits);
      let back = share;
      if (closing > 0) {
        const { realized, marginReleased } = position.reduce(closing, price, now);
        back = back.add(realized).add(marginReleased);
      }
      const opening = qtyUnits - closing;
      if (opening > 0) {
        const margin = initialMargin(inst, opening, price, position.leverage);
        position.increase(o.side, opening, price, margin, now);
        back = back.sub(margin);
      }
      position.updatedAt = now;
      position.traded = true;
      fee = this.charged(rate.mul(notional(inst, qtyUnits, price)), DIV_SCALE);
      feeCurrency = settle;
      ledger.credit(settle, back.sub(fee));
      batch.entry(o.apiKey).positions.add(o.symbol);
    }
    o.filledUnits += qtyUnits;
    o.cumQuote = o.cumQuote.add(price.mul(qty));
    o.status = last ? 'filled' : 'partially-filled';
    o.updatedAt = now;
    o.view = viewOf(o);
    if (last && !o.locked.isZero()) {
      ledger.release(o.lockCurrency, o.locked);
      o.locked = Decimal.ZERO;
    }
    const fill: SimFill = { tradeId: String(this.nextTradeId++), orderId: o.orderId, clientOrderId: o.clientOrderId, symbol: o.symbol, side: o.side, priceUnits, qtyUnits, fee, feeCurrency, liquidity, time: now };
    account.fills.push(fill);
    batch.entry(o.apiKey).orders.push({ kind: 'order', order: o.view, fill });
    return fill;
  }

  /** The fee the venue charges for an exact `raw` fee: to the venue's fee decimals (else to `exactScale`, else exact). */
  private charged(raw: Decimal, exactScale?: number): Decimal {
    const decimals = this.options.feeDecimals ?? exactScale;
    return (decimals === undefined ? raw : raw.toScale(decimals, 'half-even')).normalize();
  }

  /** Closes an open order (cancelled or expired): releases its lock, leaves the book, records the event. */
  private finish(o: OrderRecord, status: SimOrderStatus, batch: EventBatch, reason?: SimRejectReason): void {
    const ledger = this.account(o.apiKey).ledger;
    ledger.release(o.lockCurrency, o.locked);
    o.locked = Decimal.ZERO;
    this.books.get(o.symbol)?.remove(o);
    o.status = status;
    o.rejectReason = reason;
    o.updatedAt = this.options.now();
    o.view = viewOf(o);
    batch.entry(o.apiKey).orders.push({ kind: 'order', order: o.view });
  }

  private find(apiKey: string, symbol: string, ref: { readonly orderId?: string; readonly clientOrderId?: string }): OrderRecord | undefined {
    const orders = this.accounts.get(apiKey)?.orders.filter((o) => o.symbol === symbol) ?? [];
    if (ref.orderId !== undefined) return orders.find((o) => o.orderId === ref.orderId && (ref.clientOrderId === undefined || o.clientOrderId === ref.clientOrderId));
    if (ref.clientOrderId === undefined) return undefined;
    const matching = orders.filter((o) => o.clientOrderId === ref.clientOrderId);
    return matching.find(isOpen) ?? matching[matching.length - 1];
  }

  /** Mid of the market's book (exact), one side when the other is empty. */
  private markPrice(inst: Instrument): Decimal | undefined {
    const book = this.options.market.book(inst.symbol);
    const bid = book.bids.best();
    const ask = book.asks.best();
    if (bid !== undefined && ask !== undefined) return Decimal.fromScaled(bid + ask, inst.priceScale).div(Decimal.from(2), inst.priceScale + 1).normalize();
    const one = bid ?? ask;
    return one === undefined ? undefined : priceOf(inst, one);
  }

  /** Sends a batch: per account its order events, then the changed balances, then the changed positions. */
  private flush(batch: EventBatch): void {
    const time = this.options.now();
    for (const [apiKey, entry] of batch.byKey) {
      const account = this.accounts.get(apiKey);
      if (account === undefined) continue;
      const events: SimAccountEvent[] = [...entry.orders];
      const balances = account.ledger.takeChanged();
      if (balances.length > 0) events.push({ kind: 'balance', balances, time });
      for (const symbol of entry.positions) {
        const p = account.positions.get(symbol) as PositionState;
        events.push({ kind: 'position', position: p.view(symbol, this.markPrice(p.inst)) });
      }
      const listeners = this.listeners.get(apiKey);
      if (listeners === undefined) continue;
      for (const event of events) {
        for (const l of [...listeners]) {
          try {
            l(event);
          } catch {
            this.listenerErrors++;
          }
        }
      }
    }
  }

  /** A public trade of the market: fills the resting orders it traded through, at their own price, up to its qty. */
  private onTrade(t: SimTrade): void {
    if (this.busy) return;
    const book = this.books.get(t.symbol);
    if (book === undefined || book.size === 0) return;
    const side: SimSide = t.takerSide === 'sell' ? 'buy' : 'sell';
    let left = t.qty;
    const batch = new EventBatch();
    for (const o of [...book.side(side)]) {
      if (left <= 0 || !withinLimit(side, t.price, o.priceUnits)) break;
      const cap = this.capacity(o);
      if (cap <= 0) {
        this.finish(o, 'expired', batch);
        continue;
      }
      const q = Math.min(cap, left);
      this.fill(o, o.priceUnits as number, q, 'maker', batch);
      if (!isOpen(o)) book.remove(o);
      left -= q;
    }
    this.flush(batch);
  }

  /** The market's book moved: if it now crosses a resting order, settle that in a microtask. */
  private onBookMoved(symbol: string): void {
    if (this.busy) return;
    const book = this.books.get(symbol);
    if (book === undefined || book.size === 0) return;
    const l2 = this.options.market.book(symbol);
    const bid = book.bids[0]?.priceUnits;
    const ask = book.asks[0]?.priceUnits;
    const bestAsk = l2.asks.best();
    const bestBid = l2.bids.best();
    const crossed = (bid !== undefined && bestAsk !== undefined && bestAsk <= bid) || (ask !== undefined && bestBid !== undefined && bestBid >= ask);
    if (!crossed) return;
    this.pendingCross.add(symbol);
    if (this.settleQueued) return;
    this.settleQueued = true;
    queueMicrotask(() => {
      this.settleQueued = false;
      this.settle();
    });
  }
}
