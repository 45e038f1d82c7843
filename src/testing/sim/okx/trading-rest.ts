/**
 * The OKX front end's signed REST trading and account endpoints over the shared trading engine: place / cancel /
 * query orders, open orders, fills, balances, positions, with OKX's refusals (`code:"1"` + per-order `sCode`,
 * `51603`, parameter errors) and the per-order wire fields the engine does not keep (`ordType`, `tdMode`, `tgtCcy`).
 */
import { Decimal, parseScaled } from '../../../core/decimal.js';
import type { Market } from '../market.js';
import type { SimTradingEngine } from '../trading/engine.js';
import { SimRejection, type SimFill, type SimOrder, type SimRejectReason, type SimTimeInForce } from '../trading/engine-types.js';
import { signedRequestPath, verifyRestRequest } from './auth-check.js';
import { balanceDetail, balanceSummary, dec, fillRecord, fillsSoFar, orderRecord, positionRecord, type OkxOrderMeta, type OkxOrdType } from './order-bodies.js';
import { px, sz, type OkxInstrument } from './wire-format.js';

/** A private REST answer; `orderCommand` marks a place / cancel the engine acted on (the ack faults apply). */
export interface PrivateRestAnswer {
  readonly status: number;
  readonly body: string;
  readonly route: string;
  readonly orderCommand: boolean;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** A refusal with OKX's HTTP status and code (`{code,msg,data:[]}`). */
class OkxApiError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly msg: string,
  ) {}
}

const ORD_TYPES: Record<OkxOrdType, { type: 'limit' | 'market'; tif: SimTimeInForce }> = {
  limit: { type: 'limit', tif: 'GTC' },
  market: { type: 'market', tif: 'IOC' },
  post_only: { type: 'limit', tif: 'GTX' },
  fok: { type: 'limit', tif: 'FOK' },
  ioc: { type: 'limit', tif: 'IOC' },
};

const DECIMAL_TEXT = /^\d{1,20}(\.\d{1,20})?$/;
const CL_ORD_ID = /^[a-zA-Z0-9]{1,32}$/;
const NOT_FOUND_BODY = '{"code":404,"data":{},"detailMsg":"","error_code":"404","error_message":"Not Found","msg":"Not Found"}';

/** The routes served, `METHOD path`. */
const ROUTES = ['POST /api/v5/trade/order', 'POST /api/v5/trade/cancel-order', 'GET /api/v5/trade/order', 'GET /api/v5/trade/orders-pending', 'GET /api/v5/trade/fills', 'GET /api/v5/account/balance', 'GET /api/v5/account/positions'] as const;

/** OKX's `sCode` / `sMsg` of an engine refusal. */
export function rejectionCode(reason: SimRejectReason, w: OkxInstrument | undefined, side: 'buy' | 'sell'): [code: string, msg: string] {
  switch (reason) {
    case 'unknown-symbol':
      return ['51001', "Instrument ID, Instrument ID code, or Spread ID doesn't exist."];
    case 'invalid-quantity':
      return ['51000', 'Parameter sz error'];
    case 'invalid-price':
      return ['51000', 'Parameter px error'];
    case 'insufficient-balance': {
      if (w === undefined || w.instType !== 'SPOT') return ['51008', `Order failed. Insufficient ${w?.instrument.settle ?? 'USDT'} margin in account `];
      return ['51008', `Order failed. Insufficient ${side === 'buy' ? w.instrument.quote : w.instrument.base} balance in account.`];
    }
    case 'duplicate-client-order-id':
      return ['51016', 'Duplicated clOrdId'];
    case 'unknown-order':
      return ['51603', 'Order does not exist'];
    case 'order-closed':
      return ['51400', 'Order cancellation failed as the order has been filled, canceled or does not exist.'];
    case 'post-only-would-take':
      return ['51023', 'Post-only order would take liquidity and was canceled.'];
    case 'fok-unfillable':
      return ['51024', 'FOK order could not be fully filled and was canceled.'];
    case 'no-liquidity':
      return ['51149', 'Order failed: no liquidity on the order book.'];
    case 'reduce-only-would-increase':
      return ['51169', "Order failed because you don't have any positions in this direction for this contract to reduce or close."];
  }
}

/** Serves the private REST endpoints and remembers each order's wire-only fields. */
export class OkxTradingRest {
  private readonly metaByOrderId = new Map<string, OkxOrderMeta>();
  /** Set before `engine.place` (events fire during it), keyed `apiKey clientOrderId`. */
  private readonly metaPending = new Map<string, OkxOrderMeta>();
  private readonly bySymbol: ReadonlyMap<string, OkxInstrument>;
  private generated = 0;

  constructor(
    private readonly engine: SimTradingEngine,
    private readonly market: Market,
    private readonly byId: ReadonlyMap<string, OkxInstrument>,
    private readonly now: () => number,
  ) {
    this.bySymbol = new Map([...byId.values()].map((w) => [w.instrument.symbol, w]));
  }

  /** The OKX instrument of a unified symbol. */
  instrumentOf(symbol: string): OkxInstrument | undefined {
    return this.bySymbol.get(symbol);
  }

  /** The wire fields of an order (derived from the engine's order when it was not placed through OKX REST). */
  metaOf(order: SimOrder): OkxOrderMeta {
    const known = this.metaByOrderId.get(order.orderId) ?? this.metaPending.get(`${order.apiKey} ${order.clientOrderId}`);
    if (known !== undefined) return known;
    const w = this.bySymbol.get(order.symbol);
    const ordType: OkxOrdType = order.type === 'market' ? 'market' : order.timeInForce === 'GTX' ? 'post_only' : order.timeInForce === 'FOK' ? 'fok' : order.timeInForce === 'IOC' ? 'ioc' : 'limit';
    return { ordType, tdMode: w?.instType === 'SPOT' ? 'cash' : 'cross', clOrdId: CL_ORD_ID.test(order.clientOrderId) ? order.clientOrderId : '', tag: '', tgtCcy: '', sz: w === undefined ? '' : sz(w, order.qtyUnits) };
  }

  /** The fills that made an order's current state (plus `extra`, the event's fill, when the engine has not listed it yet). */
  orderFills(order: SimOrder, extra?: SimFill): SimFill[] {
    return order.filledUnits === 0 ? [] : fillsSoFar(order, this.engine.fills(order.apiKey, order.symbol), extra);
  }

  /** Answers a request to a private path (`/api/v5/trade|account|...`). Never throws. */
  handle(method: string, pathAndQuery: string, headers: Headers, body: Buffer): PrivateRestAnswer {
    const url = new URL(pathAndQuery, 'http://sim.invalid');
    const route = ROUTES.find((r) => url.pathname.endsWith(r.slice(r.indexOf(' ') + 1)) && r.startsWith(`${method} `));
    const pathKnown = ROUTES.some((r) => url.pathname.endsWith(r.slice(r.indexOf(' ') + 1)));
    const key = route ?? 'private';
    const now = this.now();
    const auth = verifyRestRequest(method, signedRequestPath(pathAndQuery), body, headers, (k) => this.engine.credentials(k), now);
    if (!('apiKey' in auth)) return { ...auth, route: key, orderCommand: false };
    if (route === undefined) return pathKnown ? { status: 405, body: '{"msg":"Method Not Allowed","code":"405"}', route: key, orderCommand: false } : { status: 404, body: NOT_FOUND_BODY, route: key, orderCommand: false };
    try {
      if (method === 'POST') {
        const input = parseBody(body);
        const out = route === 'POST /api/v5/trade/order' ? this.place(auth.apiKey, input, now) : this.cancel(auth.apiKey, input, now);
        return { status: 200, body: out.body, route, orderCommand: out.engineActed };
      }
      const q = url.searchParams;
      const data =
        route === 'GET /api/v5/trade/order'
          ? this.queryOrder(auth.apiKey, q)
          : route === 'GET /api/v5/trade/orders-pending'
            ? this.pendingOrders(auth.apiKey, q)
            : route === 'GET /api/v5/trade/fills'
              ? this.fillsBody(auth.apiKey, q)
              : route === 'GET /api/v5/account/balance'
                ? this.balanceBody(auth.apiKey, q, now)
                : this.positionsBody(auth.apiKey, q);
      return { status: 200, body: JSON.stringify({ code: '0', msg: '', data }), route, orderCommand: false };
    } catch (err) {
      if (err instanceof OkxApiError) return { status: err.status, body: JSON.stringify({ code: err.code, msg: err.msg, data: [] }), route, orderCommand: false };
      return { status: 500, body: JSON.stringify({ code: '50026', msg: 'System error. Try again later', data: [] }), route, orderCommand: false };
    }
  }

  // ------------------------------------------------------------------ commands

  private place(apiKey: string, b: Record<string, unknown>, now: number): { body: string; engineActed: boolean } {
    const inTime = String(now * 1000);
    const clOrdId = optionalText(b, 'clOrdId');
    if (clOrdId !== '' && !CL_ORD_ID.test(clOrdId)) throw new OkxApiError(400, '51000', 'Parameter clOrdId error');
    const tag = optionalText(b, 'tag');
    const refuse = (code: string, msg: string, engineActed = false): { body: string; engineActed: boolean } => ({
      body: JSON.stringify({ code: '1', data: [{ clOrdId, ordId: '', sCode: code, sMsg: msg, tag, ts: String(now) }], inTime, msg: 'All operations failed', outTime: String(this.now() * 1000) }),
      engineActed,
    });
    const w = this.instrument(requiredText(b, 'instId'));
    const tdMode = requiredText(b, 'tdMode');
    const side = requiredText(b, 'side');
    const ordTypeText = requiredText(b, 'ordType');
    const szText = requiredText(b, 'sz');
    if (w === undefined) return refuse('51001', "Instrument ID, Instrument ID code, or Spread ID doesn't exist.");
    if (!(w.instType === 'SPOT' ? ['cash'] : ['cross', 'isolated']).includes(tdMode)) throw new OkxApiError(400, '51000', 'Parameter tdMode error');
    if (side !== 'buy' && side !== 'sell') throw new OkxApiError(400, '51000', 'Parameter side error');
    if (!(ordTypeText in ORD_TYPES)) throw new OkxApiError(400, '51000', 'Parameter ordType error');
    const ordType = ordTypeText as OkxOrdType;
    if (!DECIMAL_TEXT.test(szText)) throw new OkxApiError(400, '51000', 'Parameter sz error');
    const reduceOnly = booleanParam(b, 'reduceOnly');
    const tgtCcyText = optionalText(b, 'tgtCcy');
    if (tgtCcyText !== '' && tgtCcyText !== 'base_ccy' && tgtCcyText !== 'quote_ccy') throw new OkxApiError(400, '51000', 'Parameter tgtCcy error');
    const inst = w.instrument;
    let priceUnits: number | undefined;
    if (ordType !== 'market') {
      const pxText = requiredText(b, 'px');
      if (!DECIMAL_TEXT.test(pxText)) throw new OkxApiError(400, '51000', 'Parameter px error');
      priceUnits = parseScaled(pxText, inst.priceScale);
      if (Number.isNaN(priceUnits) || priceUnits <= 0 || priceUnits % inst.tickUnits !== 0) return refuse('51000', 'Parameter px error');
    }
    // SPOT market buys are quote amounts unless `tgtCcy` says base (OKX's default); contracts count `sz` in contracts.
    const quoteAmount = w.instType === 'SPOT' && ordType === 'market' && (tgtCcyText === 'quote_ccy' || (tgtCcyText === '' && side === 'buy'));
    const qtyUnits = quoteAmount ? this.baseForQuote(w, side, Decimal.from(szText)) : parseScaled(szText, inst.qtyScale);
    if (!quoteAmount && (Number.isNaN(qtyUnits) || qtyUnits % inst.stepUnits !== 0)) return refuse('51121', 'Order quantity must be a multiple of the lot size.');
    if (qtyUnits <= 0 || (!quoteAmount && qtyUnits < inst.minQtyUnits)) return refuse(quoteAmount ? '51149' : '51020', quoteAmount ? 'Order failed: no liquidity on the order book.' : 'Order amount should be greater than the min available amount.');
    const clientOrderId = clOrdId !== '' ? clOrdId : `_okxsim${++this.generated}`;
    const meta: OkxOrderMeta = { ordType, tdMode, clOrdId, tag, tgtCcy: w.instType === 'SPOT' && ordType === 'market' ? tgtCcyText : '', sz: szText };
    const pendingKey = `${apiKey} ${clientOrderId}`;
    this.metaPending.set(pendingKey, meta);
    const { type, tif } = ORD_TYPES[ordType];
    try {
      const { order } = this.engine.place({ apiKey, symbol: inst.symbol, side, type, qtyUnits, priceUnits, timeInForce: tif, reduceOnly, clientOrderId });
      this.metaByOrderId.set(order.orderId, meta);
      return {
        body: JSON.stringify({ code: '0', data: [{ clOrdId, ordId: order.orderId, sCode: '0', sMsg: 'Order placed', tag, ts: String(now) }], inTime, msg: '', outTime: String(this.now() * 1000) }),
        engineActed: true,
      };
    } catch (err) {
      if (!(err instanceof SimRejection)) throw err;
      const [code, msg] = rejectionCode(err.reason, w, side);
      return refuse(code, msg, true);
    } finally {
      this.metaPending.delete(pendingKey);
    }
  }

  private cancel(apiKey: string, b: Record<string, unknown>, now: number): { body: string; engineActed: boolean } {
    const inTime = String(now * 1000);
    const w = this.instrument(requiredText(b, 'instId'));
    const ref = orderRef(b);
    const item = (o: { clOrdId: string; ordId: string }, code: string, msg: string): Record<string, string> => ({ clOrdId: o.clOrdId, ordId: o.ordId, ts: String(now), sCode: code, sMsg: msg });
    const given = { clOrdId: ref.clientOrderId ?? '', ordId: ref.orderId ?? '' };
    const failed = (code: string, msg: string, engineActed: boolean): { body: string; engineActed: boolean } => ({
      body: JSON.stringify({ code: '1', msg: 'All operations failed', data: [item(given, code, msg)], inTime, outTime: String(this.now() * 1000) }),
      engineActed,
    });
    if (w === undefined) return failed('51001', "Instrument ID, Instrument ID code, or Spread ID doesn't exist.", false);
    try {
      const order = this.engine.cancel(apiKey, w.instrument.symbol, ref);
      const done = item({ clOrdId: this.metaOf(order).clOrdId, ordId: order.orderId }, '0', '');
      return { body: JSON.stringify({ code: '0', msg: '', data: [done], inTime, outTime: String(this.now() * 1000) }), engineActed: true };
    } catch (err) {
      if (!(err instanceof SimRejection)) throw err;
      const [code, msg] = rejectionCode(err.reason, w, 'buy');
      return failed(code, msg, true);
    }
  }

  // ------------------------------------------------------------------ queries

  private queryOrder(apiKey: string, q: URLSearchParams): unknown[] {
    const w = this.instrument(requiredText(Object.fromEntries(q), 'instId'));
    const ref = orderRef(Object.fromEntries(q));
    if (w === undefined) throw new OkxApiError(200, '51001', "Instrument ID, Instrument ID code, or Spread ID doesn't exist.");
    const order = this.engine.order(apiKey, w.instrument.symbol, ref);
    if (order === undefined) throw new OkxApiError(200, '51603', 'Order does not exist');
    return [orderRecord(w, order, this.metaOf(order), this.orderFills(order))];
  }

  /** Open orders, newest first, narrowed by `instType`, `instId`, `ordType`, `state`; at most `limit` (100). */
  private pendingOrders(apiKey: string, q: URLSearchParams): unknown[] {
    const type = q.get('instType');
    const id = q.get('instId');
    const ordType = q.get('ordType');
    const state = q.get('state');
    const symbol = id === null || id === '' ? undefined : this.byId.get(id)?.instrument.symbol;
    if (id !== null && id !== '' && symbol === undefined) return [];
    const out: unknown[] = [];
    for (const order of this.engine.openOrders(apiKey, symbol).reverse()) {
      const w = this.bySymbol.get(order.symbol);
      if (w === undefined || (type !== null && type !== '' && w.instType !== type)) continue;
      const meta = this.metaOf(order);
      if (ordType !== null && ordType !== '' && !ordType.split(',').includes(meta.ordType)) continue;
      const record = orderRecord(w, order, meta, this.orderFills(order));
      if (state !== null && state !== '' && record['state'] !== state) continue;
      out.push(record);
      if (out.length >= limitParam(q)) break;
    }
    return out;
  }

  /** Fills of the last days, newest first, narrowed by `instType`, `instId`, `ordId`, `begin` / `end` (ms). */
  private fillsBody(apiKey: string, q: URLSearchParams): unknown[] {
    const type = q.get('instType');
    const id = q.get('instId');
    const ordId = q.get('ordId');
    const begin = timeParam(q, 'begin');
    const end = timeParam(q, 'end');
    const symbol = id === null || id === '' ? undefined : this.byId.get(id)?.instrument.symbol;
    if (id !== null && id !== '' && symbol === undefined) return [];
    const makerFee = this.engine.options.makerFee ?? '0.0002';
    const takerFee = this.engine.options.takerFee ?? '0.0005';
    const out: unknown[] = [];
    for (const f of this.engine.fills(apiKey, symbol, begin).reverse()) {
      const w = this.bySymbol.get(f.symbol);
      if (w === undefined || (type !== null && type !== '' && w.instType !== type) || (ordId !== null && ordId !== '' && f.orderId !== ordId) || (end !== undefined && f.time > end)) continue;
      const order = this.engine.order(apiKey, f.symbol, { orderId: f.orderId });
      const meta = order === undefined ? undefined : this.metaOf(order);
      out.push(fillRecord(w, f, meta?.clOrdId ?? '', meta?.tag ?? '', f.liquidity === 'maker' ? makerFee : takerFee, f.time));
      if (out.length >= limitParam(q)) break;
    }
    return out;
  }

  /** The trading account (`ccy=BTC,USDT` narrows `details`). */
  private balanceBody(apiKey: string, q: URLSearchParams, now: number): unknown[] {
    return [this.accountRecord(apiKey, now, q.get('ccy')?.split(',').filter((c) => c !== ''))];
  }

  /** The account object of `account/balance` and the `account` channel, for every currency or `only` those. */
  accountRecord(apiKey: string, now: number, only?: readonly string[]): Record<string, unknown> {
    const upl = new Map<string, Decimal>();
    let totalUpl = Decimal.ZERO;
    for (const p of this.engine.positions(apiKey)) {
      const ccy = this.market.instruments.get(p.symbol)?.settle;
      if (ccy === undefined) continue;
      upl.set(ccy, (upl.get(ccy) ?? Decimal.ZERO).add(p.unrealizedPnl));
    }
    let totalEq = Decimal.ZERO;
    const details: Array<Record<string, unknown>> = [];
    for (const b of this.engine.balances(apiKey)) {
      if (only !== undefined && only.length > 0 && !only.includes(b.currency)) continue;
      const u = upl.get(b.currency) ?? Decimal.ZERO;
      const usd = this.usdValue(b.currency, b.free.add(b.locked).add(u));
      if (usd !== undefined) {
        totalEq = totalEq.add(usd);
        totalUpl = totalUpl.add(this.usdValue(b.currency, u) ?? Decimal.ZERO);
      }
      details.push(balanceDetail(b, u, usd === undefined ? '' : dec(usd), now));
    }
    return balanceSummary(details, totalEq, totalUpl, now);
  }

  /** Positions that are not flat, narrowed by `instType` (SWAP, FUTURES) and `instId` (comma separated). */
  private positionsBody(apiKey: string, q: URLSearchParams): unknown[] {
    const type = q.get('instType');
    if (type !== null && type !== '' && !['MARGIN', 'SWAP', 'FUTURES', 'OPTION'].includes(type)) throw new OkxApiError(400, '51000', 'Parameter instType error');
    const ids = q.get('instId')?.split(',').filter((s) => s !== '');
    const out: unknown[] = [];
    for (const p of this.engine.positions(apiKey)) {
      const w = this.bySymbol.get(p.symbol);
      if (w === undefined || p.sizeUnits === 0 || (type !== null && type !== '' && w.instType !== type) || (ids !== undefined && ids.length > 0 && !ids.includes(w.instId))) continue;
      out.push(this.positionItem(apiKey, w, p));
    }
    return out;
  }

  /** One position as OKX writes it, with the instrument's last price and the account's last trade on it. */
  positionItem(apiKey: string, w: OkxInstrument, p: Parameters<typeof positionRecord>[1]): Record<string, unknown> {
    const lastTrade = this.market.tape(w.instrument.symbol).lastTrade;
    const fills = this.engine.fills(apiKey, w.instrument.symbol);
    return positionRecord(w, p, lastTrade === undefined ? dec(p.markPrice) : px(w, lastTrade.price), fills[fills.length - 1]?.tradeId ?? '');
  }

  // ------------------------------------------------------------------ helpers

  private instrument(instId: string): OkxInstrument | undefined {
    return this.byId.get(instId);
  }

  /** The USD(T) value of an amount of `ccy`: stablecoins at par, others at the mid of `<ccy>/USDT` when listed. */
  private usdValue(ccy: string, amount: Decimal): Decimal | undefined {
    if (ccy === 'USDT' || ccy === 'USDC' || ccy === 'USD' || ccy === 'FDUSD') return amount;
    const symbol = `${ccy}/USDT`;
    const inst = this.market.instruments.get(symbol);
    if (inst === undefined) return undefined;
    const book = this.market.book(symbol);
    const bid = book.bids.top(1)[0];
    const ask = book.asks.top(1)[0];
    if (bid === undefined || ask === undefined) return undefined;
    const mid = Decimal.fromScaled(bid[0] + ask[0], inst.priceScale).div('2', inst.priceScale + 1);
    return amount.mul(mid).toScale(8, 'half-even').normalize();
  }

  /** Base units a SPOT market order of `amount` quote currency takes from the book now (rounded down to the lot). */
  private baseForQuote(w: OkxInstrument, side: 'buy' | 'sell', amount: Decimal): number {
    const inst = w.instrument;
    const book = this.market.book(inst.symbol);
    const levels = side === 'buy' ? book.asks.top(1000) : book.bids.top(1000);
    let left = amount;
    let units = 0;
    for (const [p, q] of levels) {
      const price = Decimal.fromScaled(p, inst.priceScale);
      const cost = price.mul(Decimal.fromScaled(q, inst.qtyScale));
      if (cost.lte(left)) {
        units += q;
        left = left.sub(cost);
        continue;
      }
      const part = Number(left.div(price, inst.qtyScale, 'down').toScaledBigInt(inst.qtyScale));
      units += part - (part % inst.stepUnits);
      break;
    }
    return units;
  }
}

function parseBody(body: Buffer): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(body.toString('utf8'));
  } catch {
    throw new OkxApiError(400, '50002', 'JSON syntax error');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new OkxApiError(400, '50002', 'JSON syntax error');
  return v as Record<string, unknown>;
}

function requiredText(b: Record<string, unknown>, name: string): string {
  const v = b[name];
  if (v === undefined || v === null || v === '') throw new OkxApiError(400, '50014', `Parameter ${name} can not be empty.`);
  if (typeof v !== 'string') throw new OkxApiError(400, '51000', `Parameter ${name} error`);
  return v;
}

function optionalText(b: Record<string, unknown>, name: string): string {
  const v = b[name];
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new OkxApiError(400, '51000', `Parameter ${name} error`);
  return v;
}

function booleanParam(b: Record<string, unknown>, name: string): boolean {
  const v = b[name];
  if (v === undefined || v === null || v === '' || v === false || v === 'false') return false;
  if (v === true || v === 'true') return true;
  throw new OkxApiError(400, '51000', `Parameter ${name} error`);
}

/** `ordId` wins over `clOrdId`, as OKX documents; one of them is required. */
function orderRef(b: Record<string, unknown>): { orderId?: string; clientOrderId?: string } {
  const ordId = optionalText(b, 'ordId');
  const clOrdId = optionalText(b, 'clOrdId');
  if (ordId !== '') return { orderId: ordId };
  if (clOrdId !== '') return { clientOrderId: clOrdId };
  throw new OkxApiError(400, '50015', 'Either parameter ordId or clOrdId is required.');
}

function limitParam(q: URLSearchParams): number {
  const v = q.get('limit');
  if (v === null || v === '') return 100;
  if (!/^\d{1,3}$/.test(v)) throw new OkxApiError(400, '51000', 'Parameter limit error');
  return Math.max(1, Math.min(100, Number(v)));
}

function timeParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^\d{1,15}$/.test(v)) throw new OkxApiError(400, '51000', `Parameter ${name} error`);
  return Number(v);
}
