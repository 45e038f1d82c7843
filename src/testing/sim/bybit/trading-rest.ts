/**
 * The Bybit v5 signed REST endpoints of the simulator: `/v5/order/{create,cancel,realtime,history}`,
 * `/v5/execution/list`, `/v5/position/list`, `/v5/account/wallet-balance`, answered from the trading engine with
 * Bybit's parameters, retCodes and bodies. Authentication is checked here, over the exact bytes received.
 */
import { Decimal, parseScaled } from '../../../core/decimal.js';
import type { Market } from '../market.js';
import type { SimTradingEngine } from '../trading/engine.js';
import { SimRejection, type PlaceInput, type SimFill, type SimOrder, type SimPosition, type SimRejectReason, type SimTimeInForce } from '../trading/engine-types.js';
import { verifyRestSignature, type SignedRequestParts } from './auth-check.js';
import { restExecutionItem, restOrderItem, restPositionItem, restWalletAccount, type BybitBodyContext, type SettledPositions } from './order-bodies.js';
import { BYBIT_CATEGORIES, type BybitCategory, type BybitSymbol } from './wire-format.js';

/** The answer of a trading endpoint, before the envelope; `command` marks an order command that reached the engine (accepted or refused). */
export interface TradingAnswer {
  readonly retCode: number;
  readonly retMsg: string;
  readonly result: unknown;
  readonly command: boolean;
}

/** A Bybit error raised while handling a trading request. */
class TradingError {
  constructor(
    readonly retCode: number,
    readonly retMsg: string,
  ) {}
}

const ROUTES = new Set(['/v5/order/create', '/v5/order/cancel', '/v5/order/realtime', '/v5/order/history', '/v5/execution/list', '/v5/position/list', '/v5/account/wallet-balance']);
const COMMANDS = new Set(['/v5/order/create', '/v5/order/cancel']);
const LINK_ID = /^[A-Za-z0-9_-]{1,36}$/;

/** retCode and message of an engine refusal (derivatives and spot differ on balance and price codes). */
export function rejectionCode(reason: SimRejectReason, category: BybitCategory): [number, string] {
  const spot = category === 'spot';
  switch (reason) {
    case 'insufficient-balance':
      return spot ? [170131, 'Insufficient balance.'] : [110007, 'ab not enough for new order'];
    case 'duplicate-client-order-id':
      return [110072, 'OrderLinkedID is duplicate'];
    case 'unknown-order':
      return [110001, 'Order does not exist.'];
    case 'order-closed':
      return [110008, 'The order has been completed or cancelled.'];
    case 'invalid-price':
      return spot ? [170134, 'Order price has too many decimals.'] : [110003, 'Order price is out of permissible range.'];
    case 'invalid-quantity':
      return spot ? [170137, 'Order quantity has too many decimals.'] : [10001, 'params error: qty invalid'];
    case 'reduce-only-would-increase':
      return [110017, 'Reduce-only rule not satisfied'];
    case 'unknown-symbol':
      return [10001, 'params error: symbol invalid'];
    case 'post-only-would-take':
      return [170218, 'The LIMIT-MAKER order is rejected due to its price would take liquidity.'];
    case 'fok-unfillable':
      return [10001, 'FOK order cannot be filled in full.'];
    case 'no-liquidity':
      return [10001, 'No liquidity to fill the market order.'];
  }
}

function offsetCursor(offset: number): string {
  return Buffer.from(`offset=${offset}`).toString('base64url');
}

function readCursor(cursor: string | null): number {
  if (cursor === null || cursor === '') return 0;
  const m = /^offset=(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (m === null) throw new TradingError(10001, 'params error: cursor invalid');
  return Number(m[1]);
}

/** One page of `items` and its `nextPageCursor`. */
function page<T>(items: readonly T[], q: URLSearchParams, def: number, max: number): { items: T[]; next: string } {
  const lim = q.get('limit');
  if (lim !== null && !/^\d{1,4}$/.test(lim)) throw new TradingError(10001, 'params error: limit invalid');
  const limit = lim === null ? def : Math.max(1, Math.min(max, Number(lim)));
  const start = readCursor(q.get('cursor'));
  return { items: items.slice(start, start + limit), next: start + limit < items.length ? offsetCursor(start + limit) : '' };
}

function timeParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^\d{1,15}$/.test(v)) throw new TradingError(10001, `params error: ${name} invalid`);
  return Number(v);
}

export interface BybitTradingRestOptions {
  readonly engine: SimTradingEngine;
  readonly market: Market;
  /** Symbols by category then Bybit id. */
  readonly symbols: ReadonlyMap<BybitCategory, ReadonlyMap<string, BybitSymbol>>;
  readonly body: BybitBodyContext;
}

export class BybitTradingRest {
  private readonly engine: SimTradingEngine;
  private readonly symbols: ReadonlyMap<BybitCategory, ReadonlyMap<string, BybitSymbol>>;
  /** Bybit symbols by unified symbol. */
  readonly byUnified = new Map<string, BybitSymbol>();
  private readonly ctx: BybitBodyContext;
  /** Set when the request being handled called `place` or `cancel` on the engine. */
  private reachedEngine = false;

  constructor(private readonly o: BybitTradingRestOptions) {
    this.engine = o.engine;
    this.symbols = o.symbols;
    this.ctx = o.body;
    for (const m of o.symbols.values()) for (const s of m.values()) this.byUnified.set(s.instrument.symbol, s);
  }

  /** Whether `path` (from `/v5/`) is one of the signed trading endpoints. */
  owns(path: string): boolean {
    return ROUTES.has(path);
  }

  /** Whether `path` is an order command (place or cancel): its answer goes through the ack faults. */
  isCommand(path: string): boolean {
    return COMMANDS.has(path);
  }

  /** Handles a signed request: `parts.payload` is the raw query string (GET) or the raw body (POST). */
  handle(method: string, path: string, parts: SignedRequestParts, now: number): TradingAnswer {
    const post = path === '/v5/order/create' || path === '/v5/order/cancel';
    if (post !== (method === 'POST')) return { retCode: 10001, retMsg: `method ${method} is not supported on ${path}`, result: {}, command: false };
    const auth = verifyRestSignature(parts, now, (k) => this.engine.credentials(k));
    if (!auth.ok) return { retCode: auth.retCode, retMsg: auth.retMsg, result: {}, command: false };
    this.reachedEngine = false;
    try {
      const result = post ? this.command(path, auth.apiKey, parseBody(parts.payload)) : this.query(path, auth.apiKey, new URLSearchParams(parts.payload));
      return { retCode: 0, retMsg: 'OK', result, command: this.reachedEngine };
    } catch (err) {
      if (err instanceof TradingError) return { retCode: err.retCode, retMsg: err.retMsg, result: {}, command: this.reachedEngine };
      throw err;
    }
  }

  // ------------------------------------------------------------------ parameters

  private category(value: unknown, allowed: readonly BybitCategory[] = BYBIT_CATEGORIES): BybitCategory {
    if (typeof value !== 'string' || !allowed.includes(value as BybitCategory)) throw new TradingError(10001, 'params error: Category is invalid');
    return value as BybitCategory;
  }

  private symbolOf(category: BybitCategory, value: unknown): BybitSymbol {
    if (typeof value !== 'string' || value === '') throw new TradingError(10001, 'params error: symbol is required');
    const s = this.symbols.get(category)?.get(value);
    if (s === undefined) throw new TradingError(10001, 'params error: symbol invalid');
    return s;
  }

  private optionalSymbol(category: BybitCategory, value: string | null): BybitSymbol | undefined {
    return value === null || value === '' ? undefined : this.symbolOf(category, value);
  }

  // ------------------------------------------------------------------ commands

  private command(path: string, apiKey: string, body: Record<string, unknown>): unknown {
    const category = this.category(body['category']);
    const s = this.symbolOf(category, body['symbol']);
    if (path === '/v5/order/create') return this.create(apiKey, category, s, body);
    const orderId = optionalString(body['orderId'], 'orderId');
    const orderLinkId = optionalString(body['orderLinkId'], 'orderLinkId');
    if (orderId === undefined && orderLinkId === undefined) throw new TradingError(10001, 'params error: orderId or orderLinkId is required');
    this.reachedEngine = true;
    try {
      const order = this.engine.cancel(apiKey, s.instrument.symbol, orderId !== undefined ? { orderId } : { clientOrderId: orderLinkId as string });
      return { orderId: order.orderId, orderLinkId: this.ctx.linkIds.wire(order.clientOrderId) };
    } catch (err) {
      throw asTradingError(err, category);
    }
  }

  private create(apiKey: string, category: BybitCategory, s: BybitSymbol, body: Record<string, unknown>): unknown {
    const i = s.instrument;
    const sideText = body['side'];
    if (sideText !== 'Buy' && sideText !== 'Sell') throw new TradingError(10001, 'params error: side invalid');
    const typeText = body['orderType'];
    if (typeText !== 'Limit' && typeText !== 'Market') throw new TradingError(10001, 'params error: orderType invalid');
    const side = sideText === 'Buy' ? 'buy' : 'sell';
    const type = typeText === 'Limit' ? 'limit' : 'market';
    const qtyText = body['qty'];
    if (typeof qtyText !== 'string' || qtyText === '') throw new TradingError(10001, 'params error: qty invalid');
    const positionIdx = body['positionIdx'];
    if (positionIdx !== undefined && positionIdx !== 0 && positionIdx !== '0') throw new TradingError(10001, 'position idx not match position mode');
    const marketUnit = body['marketUnit'];
    if (marketUnit !== undefined && marketUnit !== 'baseCoin' && marketUnit !== 'quoteCoin') throw new TradingError(10001, 'params error: marketUnit invalid');
    // Spot market buys count `qty` in the quote coin unless told otherwise (create-order.mdx, marketUnit).
    const inQuote = category === 'spot' && type === 'market' && (marketUnit === 'quoteCoin' || (marketUnit === undefined && side === 'buy'));
    const qtyUnits = inQuote ? this.baseForQuote(s, side, qtyText) : parseScaled(qtyText, i.qtyScale);
    if (!Number.isSafeInteger(qtyUnits) || qtyUnits <= 0) throw new TradingError(inQuote ? 170131 : 10001, inQuote ? 'Insufficient liquidity for the market order amount.' : 'params error: qty invalid');
    let priceUnits: number | undefined;
    if (type === 'limit') {
      const priceText = body['price'];
      if (typeof priceText !== 'string' || priceText === '') throw new TradingError(10001, 'params error: price is required for a Limit order');
      priceUnits = parseScaled(priceText, i.priceScale);
      if (!Number.isSafeInteger(priceUnits) || priceUnits <= 0) throw new TradingError(10001, 'params error: price invalid');
    }
    const tif = timeInForce(body['timeInForce'], type);
    const reduceOnly = body['reduceOnly'];
    if (reduceOnly !== undefined && typeof reduceOnly !== 'boolean') throw new TradingError(10001, 'params error: reduceOnly invalid');
    const link = optionalString(body['orderLinkId'], 'orderLinkId');
    if (link !== undefined && !LINK_ID.test(link)) throw new TradingError(10001, 'params error: orderLinkId invalid');
    const input: PlaceInput = {
      apiKey,
      symbol: i.symbol,
      side,
      type,
      qtyUnits,
      ...(priceUnits === undefined ? {} : { priceUnits }),
      ...(tif === undefined ? {} : { timeInForce: tif }),
      reduceOnly: category !== 'spot' && reduceOnly === true,
      clientOrderId: link ?? this.ctx.linkIds.generate(),
    };
    this.reachedEngine = true;
    try {
      const { order } = this.engine.place(input);
      return { orderId: order.orderId, orderLinkId: link ?? '' };
    } catch (err) {
      throw asTradingError(err, category);
    }
  }

  /** The base quantity (qty units) a spot market buy of `quoteText` quote coin takes from the book now. */
  private baseForQuote(s: BybitSymbol, side: 'buy' | 'sell', quoteText: string): number {
    const i = s.instrument;
    const budget = Decimal.tryParse(quoteText);
    if (budget === undefined || !budget.isPositive()) throw new TradingError(10001, 'params error: qty invalid');
    const snap = this.o.market.snapshot(i.symbol);
    let left = budget;
    let units = 0;
    for (const [p, q] of side === 'buy' ? snap.asks : snap.bids) {
      const price = Decimal.fromScaled(p, i.priceScale);
      const cost = price.mul(Decimal.fromScaled(q, i.qtyScale));
      if (cost.lte(left)) {
        units += q;
        left = left.sub(cost);
        continue;
      }
      const affordable = Number(left.div(price, i.qtyScale, 'down').toScaledBigInt(i.qtyScale));
      units += affordable - (affordable % Math.max(1, i.stepUnits));
      break;
    }
    return units;
  }

  // ------------------------------------------------------------------ queries

  private query(path: string, apiKey: string, q: URLSearchParams): unknown {
    switch (path) {
      case '/v5/order/realtime':
        return this.orders(apiKey, q, true);
      case '/v5/order/history':
        return this.orders(apiKey, q, false);
      case '/v5/execution/list':
        return this.executions(apiKey, q);
      case '/v5/position/list':
        return this.positions(apiKey, q);
      default:
        return this.wallet(apiKey, q);
    }
  }

  /** Fees paid per order id, over the account's fills. */
  private feesByOrder(apiKey: string, symbol?: string): Map<string, Decimal> {
    const fees = new Map<string, Decimal>();
    for (const f of this.engine.fills(apiKey, symbol)) fees.set(f.orderId, (fees.get(f.orderId) ?? Decimal.ZERO).add(f.fee));
    return fees;
  }

  /** Open orders (realtime; with `orderId`/`orderLinkId` or `openOnly=1` closed ones too) or the history, newest first. */
  private orders(apiKey: string, q: URLSearchParams, realtime: boolean): unknown {
    const category = this.category(q.get('category'));
    const s = this.optionalSymbol(category, q.get('symbol'));
    const orderId = q.get('orderId') ?? '';
    const link = q.get('orderLinkId') ?? '';
    const settleCoin = q.get('settleCoin');
    const baseCoin = q.get('baseCoin');
    const status = q.get('orderStatus');
    const start = timeParam(q, 'startTime');
    const end = timeParam(q, 'endTime');
    const openOnly = q.get('openOnly') ?? '0';
    const byId = orderId !== '' || link !== '';
    const list = this.engine
      .orders(apiKey, s?.instrument.symbol)
      .filter((o) => {
        const bs = this.byUnified.get(o.symbol);
        if (bs === undefined || bs.category !== category) return false;
        if (orderId !== '' && o.orderId !== orderId) return false;
        if (link !== '' && this.ctx.linkIds.wire(o.clientOrderId) !== link) return false;
        if (settleCoin !== null && settle(bs) !== settleCoin) return false;
        if (baseCoin !== null && bs.instrument.base !== baseCoin) return false;
        const open = o.status === 'new' || o.status === 'partially-filled';
        if (realtime && !byId && (openOnly === '0' ? !open : open)) return false;
        if (!realtime && status !== null && status !== '' && this.statusText(bs, o) !== status) return false;
        return (start === undefined || o.createdAt >= start) && (end === undefined || o.createdAt <= end);
      })
      .reverse();
    const fees = this.feesByOrder(apiKey, s?.instrument.symbol);
    const { items, next } = page(list, q, 20, 50);
    const rows = items.map((o) => restOrderItem(this.byUnified.get(o.symbol) as BybitSymbol, o, fees.get(o.orderId) ?? Decimal.ZERO, this.ctx));
    return { nextPageCursor: next, category, list: rows };
  }

  private statusText(s: BybitSymbol, o: SimOrder): string {
    return restOrderItem(s, o, Decimal.ZERO, this.ctx)['orderStatus'] as string;
  }

  /** Fills newest first, each with the order's remaining quantity right after it. */
  private executions(apiKey: string, q: URLSearchParams): unknown {
    const category = this.category(q.get('category'));
    const s = this.optionalSymbol(category, q.get('symbol'));
    const orderId = q.get('orderId') ?? '';
    const link = q.get('orderLinkId') ?? '';
    const start = timeParam(q, 'startTime');
    const end = timeParam(q, 'endTime');
    const orders = new Map(this.engine.orders(apiKey, s?.instrument.symbol).map((o) => [o.orderId, o]));
    const filledSoFar = new Map<string, number>();
    const rows: Array<{ f: SimFill; leaves: number }> = [];
    for (const f of this.engine.fills(apiKey, s?.instrument.symbol)) {
      const done = (filledSoFar.get(f.orderId) ?? 0) + f.qtyUnits;
      filledSoFar.set(f.orderId, done);
      rows.push({ f, leaves: Math.max(0, (orders.get(f.orderId)?.qtyUnits ?? done) - done) });
    }
    const list = rows
      .filter(({ f }) => {
        const bs = this.byUnified.get(f.symbol);
        if (bs === undefined || bs.category !== category) return false;
        if (orderId !== '' && f.orderId !== orderId) return false;
        if (link !== '' && this.ctx.linkIds.wire(f.clientOrderId) !== link) return false;
        return (start === undefined || f.time >= start) && (end === undefined || f.time <= end);
      })
      .reverse();
    const { items, next } = page(list, q, 50, 100);
    return { nextPageCursor: next, category, list: items.map(({ f, leaves }) => restExecutionItem(this.byUnified.get(f.symbol) as BybitSymbol, f, orders.get(f.orderId), leaves, this.ctx)) };
  }

  /** Positions of `category` by `symbol` (a flat one when never traded) or by `settleCoin`. */
  private positions(apiKey: string, q: URLSearchParams): unknown {
    const category = this.category(q.get('category'), ['linear', 'inverse']);
    const s = this.optionalSymbol(category, q.get('symbol'));
    const settleCoin = q.get('settleCoin');
    if (s === undefined && (settleCoin === null || settleCoin === '') && category === 'linear') throw new TradingError(10001, 'Missing some parameters that must be filled in, symbol or settleCoin');
    const held = this.engine.positions(apiKey).filter((p) => {
      const bs = this.byUnified.get(p.symbol);
      return bs !== undefined && bs.category === category && (s === undefined || bs === s) && (settleCoin === null || settleCoin === '' || settle(bs) === settleCoin);
    });
    const now = this.o.market.time();
    const list = held.length === 0 && s !== undefined ? [flatPosition(s, now)] : held;
    const { items, next } = page(list, q, 20, 200);
    return { list: items.map((p, n) => restPositionItem(this.byUnified.get(p.symbol) as BybitSymbol, p, n + 1)), nextPageCursor: next, category };
  }

  private wallet(apiKey: string, q: URLSearchParams): unknown {
    if (q.get('accountType') !== 'UNIFIED') throw new TradingError(10001, 'accountType only support UNIFIED.');
    const coins = (q.get('coin') ?? '').split(',').filter((c) => c !== '');
    const all = this.engine.balances(apiKey);
    const shown = coins.length === 0 ? all : all.filter((b) => coins.includes(b.currency));
    return { list: [restWalletAccount(this.o.market, shown, all, this.settledPositions(apiKey))] };
  }

  /** The account's positions with their settlement coins (the wallet's PnL and margin figures). */
  settledPositions(apiKey: string): SettledPositions {
    return this.engine.positions(apiKey).flatMap((p) => {
      const bs = this.byUnified.get(p.symbol);
      return bs === undefined ? [] : [{ settle: settle(bs), p }];
    });
  }
}

/** The settlement coin of a derivative (inverse: the base coin). */
export function settle(s: BybitSymbol): string {
  const i = s.instrument;
  return i.settle ?? (i.inverse ? i.base : i.quote);
}

function flatPosition(s: BybitSymbol, now: number): SimPosition {
  return { symbol: s.instrument.symbol, sizeUnits: 0, entryPrice: Decimal.ZERO, markPrice: Decimal.ZERO, unrealizedPnl: Decimal.ZERO, realizedPnl: Decimal.ZERO, leverage: 10, marginMode: 'cross', margin: Decimal.ZERO, updatedAt: now };
}

function parseBody(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new TradingError(10001, 'Request parameter error.');
}

function optionalString(v: unknown, name: string): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new TradingError(10001, `params error: ${name} invalid`);
  return v;
}

function timeInForce(v: unknown, type: 'limit' | 'market'): SimTimeInForce | undefined {
  if (v === undefined || v === '') return type === 'market' ? 'IOC' : 'GTC';
  // Market orders are always IOC or FOK on Bybit; a GTC sent with one is taken as IOC.
  if (v === 'GTC') return type === 'market' ? 'IOC' : 'GTC';
  if (v === 'IOC' || v === 'FOK') return v;
  if (v === 'PostOnly') {
    if (type === 'market') throw new TradingError(10001, 'params error: Market order cannot be PostOnly');
    return 'GTX';
  }
  throw new TradingError(10001, 'params error: timeInForce invalid');
}

function asTradingError(err: unknown, category: BybitCategory): TradingError {
  if (err instanceof SimRejection) {
    const [code, msg] = rejectionCode(err.reason, category);
    return new TradingError(code, msg);
  }
  throw err;
}
