/**
 * Binance user-data event frames from the engine's account events: spot `executionReport` and
 * `outboundAccountPosition` (spot-user-*.json), USD-M `ORDER_TRADE_UPDATE`, `TRADE_LITE`, `ACCOUNT_UPDATE` and
 * `listenKeyExpired` (usdm-user-*.json), with Binance's field order and string-typed numbers.
 */
import { Decimal } from '../../../core/decimal.js';
import type { SimTradingEngine } from '../trading/engine.js';
import type { SimAccountEvent, SimBalance, SimFill, SimOrder, SimPosition } from '../trading/engine-types.js';
import { isWorking, money, priceDecimal, qtyDecimal, rawInt, realizedPnlByFill, sideOf, spotTif, spotType, STATUS, toJson, usdmAvgPrice, usdmTif } from './order-bodies.js';
import { price, qty, type WireSymbol } from './wire-format.js';

/** Execution type `x` of an order event: `TRADE` with a fill, else from the status. */
function executionType(o: SimOrder, fill: SimFill | undefined): string {
  if (fill !== undefined) return 'TRADE';
  if (o.status === 'cancelled') return 'CANCELED';
  if (o.status === 'expired') return 'EXPIRED';
  if (o.status === 'rejected') return 'REJECTED';
  return 'NEW';
}

// ------------------------------------------------------------------ spot

/**
 * Turns one account's engine events into spot user-data events (the WS API wraps them per subscription). The events
 * of one engine call are written together at the end of the call, so that a LIMIT_MAKER the venue rejects (-2010)
 * leaves no trace on the stream, as on Binance.
 */
export class SpotUserEvents {
  private batch: SimAccountEvent[] = [];

  constructor(
    private readonly symbols: ReadonlyMap<string, WireSymbol>,
    /** Execution ids (`I`), unique per front end. */
    private readonly nextExecutionId: () => number,
    private readonly now: () => number,
    private readonly emit: (event: string) => void,
  ) {}

  push(ev: SimAccountEvent): void {
    if (this.batch.push(ev) === 1) queueMicrotask(() => this.flush());
  }

  private flush(): void {
    const batch = this.batch;
    this.batch = [];
    const rejectedMakers = new Set(batch.flatMap((e) => (e.kind === 'order' && e.order.status === 'expired' && e.order.rejectReason === 'post-only-would-take' && e.order.type === 'limit' ? [e.order.orderId] : [])));
    const kept = batch.filter((e) => e.kind !== 'order' || !rejectedMakers.has(e.order.orderId));
    if (rejectedMakers.size > 0 && kept.every((e) => e.kind !== 'order')) return; // only the rejected order's lock and release
    // Balances moved by another segment's orders (the engine's one wallet) are not this segment's account events.
    const own = kept.some((e) => e.kind === 'order' && this.symbols.has(e.order.symbol));
    const foreign = kept.some((e) => e.kind !== 'balance' && !this.symbols.has(e.kind === 'order' ? e.order.symbol : e.position.symbol));
    const now = this.now();
    for (const ev of kept) {
      if (ev.kind === 'balance') {
        if (own || !foreign) this.emit(outboundAccountPosition(ev.balances, ev.time, now));
      } else if (ev.kind === 'order') {
        const w = this.symbols.get(ev.order.symbol);
        if (w !== undefined) this.emit(executionReport(w, ev.order, ev.fill, now, this.nextExecutionId()));
      }
    }
  }
}

/** `executionReport` in the docs' field order (spot-user-execution-report.json, without the STP-only `v`). */
export function executionReport(w: WireSymbol, o: SimOrder, fill: SimFill | undefined, eventTime: number, executionId: number): string {
  const x = executionType(o, fill);
  const lastQuote = fill === undefined ? Decimal.ZERO : priceDecimal(w, fill.priceUnits).mul(qtyDecimal(w, fill.qtyUnits));
  return toJson({
    e: 'executionReport',
    E: eventTime,
    s: w.id,
    c: o.clientOrderId,
    S: sideOf(o),
    o: spotType(o),
    f: spotTif(o),
    q: qty(w, o.qtyUnits),
    p: price(w, o.type === 'market' ? 0 : (o.priceUnits ?? 0)),
    P: price(w, 0),
    F: qty(w, 0),
    g: -1,
    C: x === 'CANCELED' ? o.clientOrderId : '',
    x,
    X: STATUS[o.status],
    r: 'NONE',
    i: rawInt(o.orderId),
    l: qty(w, fill?.qtyUnits ?? 0),
    z: qty(w, o.filledUnits),
    L: price(w, fill?.priceUnits ?? 0),
    n: fill === undefined ? '0' : money(fill.fee),
    N: fill === undefined ? null : fill.feeCurrency,
    T: fill?.time ?? o.updatedAt,
    t: fill === undefined ? -1 : rawInt(fill.tradeId),
    I: executionId,
    w: isWorking(o),
    m: fill?.liquidity === 'maker',
    M: fill !== undefined,
    O: o.createdAt,
    Z: money(o.cumQuote, w.priceDecimals),
    Y: money(lastQuote, w.priceDecimals),
    Q: money(Decimal.ZERO, w.priceDecimals),
    W: o.createdAt,
    V: 'NONE',
  });
}

/** `outboundAccountPosition`: the balances that changed (wsapi-user-event-wrapped.json). */
export function outboundAccountPosition(balances: readonly SimBalance[], updateTime: number, eventTime: number): string {
  return toJson({ e: 'outboundAccountPosition', E: eventTime, u: updateTime, B: balances.map((b) => ({ a: b.currency, f: money(b.free), l: money(b.locked) })) });
}

// ------------------------------------------------------------------ USD-M

/** Zero is written `"0"` in USD-M user events (usdm-user-open-close-recorded-2024-11.jsonl), other values at their decimals. */
function orZero(units: number, text: () => string): string {
  return units === 0 ? '0' : text();
}

function decimalOrZero(d: Decimal): string {
  return d.isZero() ? '0' : money(d);
}

/**
 * Turns one account's engine events into USD-M user-data events. Balance and position changes that follow each
 * other are written as one `ACCOUNT_UPDATE` (reason `ORDER`), sent before the next order event or at the end of
 * the engine's current call.
 */
export class UsdmUserEvents {
  private pendingBalances: SimBalance[] = [];
  private pendingPositions: SimPosition[] = [];
  private flushQueued = false;
  /** Whether the engine call being delivered now (until the microtask) touched this segment's / another's orders. */
  private ownRun = false;
  private foreignRun = false;
  private lastTime = 0;
  /** Wallet balance last written per asset (from the connection's start). */
  private readonly walletSent = new Map<string, string>();

  constructor(
    private readonly symbols: ReadonlyMap<string, WireSymbol>,
    private readonly engine: SimTradingEngine,
    private readonly apiKey: string,
    private readonly now: () => number,
    private readonly emit: (frame: string) => void,
  ) {
    for (const b of engine.balances(apiKey)) this.walletSent.set(b.currency, money(b.free.add(b.locked)));
  }

  push(ev: SimAccountEvent): void {
    if (ev.kind === 'balance') {
      // Balances moved only by another segment's orders (the engine's one wallet) are not this account's events.
      if (this.foreignRun && !this.ownRun) return;
      this.pendingBalances.push(...ev.balances);
      this.lastTime = ev.time;
      this.queueFlush();
      return;
    }
    if (ev.kind === 'position') {
      if (!this.symbols.has(ev.position.symbol)) return;
      this.ownRun = true;
      this.pendingPositions.push(ev.position);
      this.lastTime = ev.position.updatedAt;
      this.queueFlush();
      return;
    }
    const w = this.symbols.get(ev.order.symbol);
    this.queueFlush();
    if (w === undefined) {
      this.foreignRun = true;
      return;
    }
    this.ownRun = true;
    this.flush();
    const now = this.now();
    if (ev.fill !== undefined) this.emit(tradeLite(w, ev.order, ev.fill, now));
    this.emit(this.orderTradeUpdate(w, ev.order, ev.fill, now));
  }

  /** Sends the gathered `ACCOUNT_UPDATE`, if any. */
  flush(): void {
    if (this.pendingBalances.length === 0 && this.pendingPositions.length === 0) return;
    // The wallet balance is free + locked: margin locked by a resting order moves neither, so it is no update.
    const balances = latestBy(this.pendingBalances, (b) => b.currency).filter((b) => {
      const wb = money(b.free.add(b.locked));
      if (this.walletSent.get(b.currency) === wb) return false;
      this.walletSent.set(b.currency, wb);
      return true;
    });
    const positions = latestBy(this.pendingPositions, (p) => p.symbol);
    this.pendingBalances = [];
    this.pendingPositions = [];
    if (balances.length === 0 && positions.length === 0) return;
    const B = balances.map((b) => ({ a: b.currency, wb: money(b.free.add(b.locked)), cw: money(b.free.add(b.locked)), bc: '0' }));
    const P = positions.map((p) => this.positionEntry(this.symbols.get(p.symbol) as WireSymbol, p));
    this.emit(toJson({ e: 'ACCOUNT_UPDATE', T: this.lastTime, E: this.now(), a: { B, P, m: 'ORDER' } }));
  }

  private queueFlush(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    queueMicrotask(() => {
      this.flushQueued = false;
      this.ownRun = false;
      this.foreignRun = false;
      this.flush();
    });
  }

  private positionEntry(w: WireSymbol, p: SimPosition): Record<string, unknown> {
    const taker = Decimal.from(this.engine.options.takerFee ?? '0.0005');
    const bep = p.sizeUnits === 0 ? Decimal.ZERO : p.entryPrice.mul(p.sizeUnits > 0 ? Decimal.ONE.add(taker) : Decimal.ONE.sub(taker)).toScale(8, 'half-even');
    return {
      s: w.id,
      pa: orZero(p.sizeUnits, () => qty(w, p.sizeUnits)),
      ep: p.entryPrice.isZero() ? '0' : p.entryPrice.normalize().toString(),
      cr: decimalOrZero(p.realizedPnl),
      up: decimalOrZero(p.unrealizedPnl),
      mt: p.marginMode,
      iw: p.marginMode === 'isolated' ? money(p.margin) : '0',
      ps: 'BOTH',
      ma: w.instrument.settle ?? w.instrument.quote,
      bep: bep.isZero() ? '0' : bep.normalize().toString(),
    };
  }

  private orderTradeUpdate(w: WireSymbol, o: SimOrder, fill: SimFill | undefined, now: number): string {
    const time = fill?.time ?? o.updatedAt;
    const [bidNotional, askNotional] = this.openNotional(w);
    const type = o.type === 'market' ? 'MARKET' : 'LIMIT';
    return toJson({
      e: 'ORDER_TRADE_UPDATE',
      T: time,
      E: now,
      o: {
        s: w.id,
        c: o.clientOrderId,
        S: sideOf(o),
        o: type,
        f: usdmTif(o),
        q: qty(w, o.qtyUnits),
        p: o.type === 'market' ? '0' : price(w, o.priceUnits ?? 0),
        ap: o.filledUnits === 0 ? '0' : usdmAvgPrice(w, o),
        sp: '0',
        x: executionType(o, fill),
        X: STATUS[o.status],
        i: rawInt(o.orderId),
        l: orZero(fill?.qtyUnits ?? 0, () => qty(w, fill?.qtyUnits ?? 0)),
        z: orZero(o.filledUnits, () => qty(w, o.filledUnits)),
        L: orZero(fill?.priceUnits ?? 0, () => price(w, fill?.priceUnits ?? 0)),
        n: fill === undefined ? '0' : money(fill.fee),
        N: fill?.feeCurrency ?? w.instrument.settle ?? w.instrument.quote,
        T: time,
        t: fill === undefined ? 0 : rawInt(fill.tradeId),
        b: decimalOrZero(bidNotional),
        a: decimalOrZero(askNotional),
        m: fill?.liquidity === 'maker',
        R: o.reduceOnly,
        wt: 'CONTRACT_PRICE',
        ot: type,
        ps: 'BOTH',
        cp: false,
        rp: fill === undefined ? '0' : money(this.realizedPnl(w, fill)),
        pP: false,
        si: 0,
        ss: 0,
        V: 'NONE',
        pm: 'NONE',
        gtd: 0,
      },
    });
  }

  /** Notional of the account's working buy and sell orders on the symbol (price × remaining size). */
  private openNotional(w: WireSymbol): [Decimal, Decimal] {
    let bid = Decimal.ZERO;
    let ask = Decimal.ZERO;
    for (const o of this.engine.openOrders(this.apiKey, w.instrument.symbol)) {
      const n = priceDecimal(w, o.priceUnits ?? 0).mul(qtyDecimal(w, o.qtyUnits - o.filledUnits));
      if (o.side === 'buy') bid = bid.add(n);
      else ask = ask.add(n);
    }
    return [bid, ask];
  }

  private realizedPnl(w: WireSymbol, fill: SimFill): Decimal {
    const fills = this.engine.fills(this.apiKey, w.instrument.symbol);
    const upTo = fills.findIndex((f) => f.tradeId === fill.tradeId);
    const history = upTo < 0 ? [...fills, fill] : fills.slice(0, upTo + 1);
    return realizedPnlByFill(w, history).get(fill.tradeId) ?? Decimal.ZERO;
  }
}

/** `TRADE_LITE`, sent with each fill (usdm-user-trade-lite.json). */
export function tradeLite(w: WireSymbol, o: SimOrder, fill: SimFill, now: number): string {
  return toJson({
    e: 'TRADE_LITE',
    E: now,
    T: fill.time,
    s: w.id,
    q: qty(w, o.qtyUnits),
    p: o.type === 'market' ? price(w, 0) : price(w, o.priceUnits ?? 0),
    m: fill.liquidity === 'maker',
    c: o.clientOrderId,
    S: sideOf(o),
    L: price(w, fill.priceUnits),
    l: qty(w, fill.qtyUnits),
    t: rawInt(fill.tradeId),
    i: rawInt(o.orderId),
  });
}

/** `listenKeyExpired`; `E` is a string on the wire (usdm-user-listen-key-expired.json). */
export function listenKeyExpired(listenKey: string, now: number): string {
  return JSON.stringify({ e: 'listenKeyExpired', E: String(now), listenKey });
}

function latestBy<T>(items: readonly T[], key: (t: T) => string): T[] {
  const m = new Map<string, T>();
  for (const t of items) {
    m.delete(key(t));
    m.set(key(t), t);
  }
  return [...m.values()];
}
