/**
 * The Bybit front end's REST market data (`/v5/market/{time,instruments-info,tickers,orderbook,recent-trade,kline}`,
 * every category on one host) with Bybit's envelope, `X-Bapi-Limit*` headers, 10006 / 403 limits and REST faults;
 * the signed trading endpoints are routed to `BybitTradingRest` behind the same envelope, limits and faults.
 */
import type { SimFaults } from '../faults.js';
import type { Market } from '../market.js';
import type { SignedRequestParts } from './auth-check.js';
import type { BybitRateLimiter } from './rate-limits.js';
import { restCandle, restTickerFields, tickerValues } from './ticker-values.js';
import type { BybitTradingRest } from './trading-rest.js';
import { BYBIT_CATEGORIES, KLINE_INTERVALS, levelsJson, px, trimmed, sz, tradeExecId, type BybitCategory, type BybitSymbol } from './wire-format.js';

export interface RestResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** An order command (place / cancel) that reached the trading engine: its answer goes through the ack faults. */
  readonly command?: boolean;
}

/** What a signed request carries besides its URL: the headers (lower-cased names) and the raw body text. */
export interface RequestExtras {
  readonly headers: SignedRequestParts['headers'];
  readonly body: string;
}

class ApiError {
  constructor(
    readonly retCode: number,
    readonly retMsg: string,
    readonly status = 200,
  ) {}
}

const ROUTES = ['time', 'instruments-info', 'tickers', 'orderbook', 'recent-trade', 'kline'] as const;
type Route = (typeof ROUTES)[number];

export class BybitRestApi {
  readonly counts = { total: 0, byRoute: {} as Record<string, number>, byStatus: {} as Record<string, number> };
  /** REST book ids (`u`) per unified symbol: advanced on every market change. */
  private readonly restU = new Map<string, number>();

  constructor(
    private readonly market: Market,
    private readonly faults: SimFaults,
    readonly limiter: BybitRateLimiter,
    /** Symbols by category then id. */
    private readonly symbols: ReadonlyMap<BybitCategory, ReadonlyMap<string, BybitSymbol>>,
    private readonly directions: (symbol: string) => string,
    /** The signed trading endpoints (absent: they answer 404 like any unknown path). */
    private readonly trading?: BybitTradingRest,
  ) {}

  /** Advances the REST book id of a symbol (called on each market change). */
  noteBookChange(symbol: string): void {
    this.restU.set(symbol, (this.restU.get(symbol) ?? 100_000) + 1);
  }

  handle(method: string, rawUrl: string, ip: string, extras: RequestExtras = { headers: {}, body: '' }): RestResponse {
    const url = new URL(rawUrl, 'http://sim.invalid');
    // ccxt keeps the original host as a path prefix (`/api.bybit.com/v5/...`): route on what follows `/v5/`.
    const at = url.pathname.indexOf('/v5/');
    const path = at < 0 ? url.pathname : url.pathname.slice(at);
    const res = this.trading?.owns(path) === true ? this.signed(method, path, rawUrl, ip, extras) : this.route(method, path, url.searchParams, ip);
    this.counts.total++;
    this.counts.byRoute[path] = (this.counts.byRoute[path] ?? 0) + 1;
    this.counts.byStatus[res.status] = (this.counts.byStatus[res.status] ?? 0) + 1;
    return res;
  }

  private route(method: string, path: string, q: URLSearchParams, ip: string): RestResponse {
    const now = this.faults.now();
    const name = path.startsWith('/v5/market/') ? (path.slice('/v5/market/'.length) as Route) : undefined;
    if (name === undefined || !ROUTES.includes(name)) return { status: 404, headers: { 'Content-Type': 'text/plain' }, body: '404 page not found' };
    if (method !== 'GET' && method !== 'HEAD') return this.envelope(now, {}, 10001, 'method not allowed', 405);
    const failure = this.faults.takeRestFailure('bybit', q.get('category') ?? '');
    if (failure !== undefined) return this.failure(failure.status, failure.retryAfterSec, now);
    const verdict = this.limiter.charge(ip, path, now);
    if (verdict.kind === 'banned') return { status: 403, headers: { 'Content-Type': 'text/plain' }, body: 'access too frequent' };
    const limitHeaders = { 'X-Bapi-Limit': String(verdict.limit), 'X-Bapi-Limit-Status': String(verdict.remaining), 'X-Bapi-Limit-Reset-Timestamp': String(verdict.resetAt) };
    if (verdict.kind === 'limited') return this.envelope(now, {}, 10006, 'Too many visits!', 200, limitHeaders);
    try {
      return this.envelope(now, this.body(name, q, now), 0, 'OK', 200, limitHeaders);
    } catch (err) {
      if (err instanceof ApiError) return this.envelope(now, {}, err.retCode, err.retMsg, err.status, limitHeaders);
      return this.envelope(now, {}, 10016, 'Internal server error.', 500, limitHeaders);
    }
  }

  /** A signed trading request: REST faults and limits first, then `BybitTradingRest` over the exact bytes received. */
  private signed(method: string, path: string, rawUrl: string, ip: string, extras: RequestExtras): RestResponse {
    const now = this.faults.now();
    const trading = this.trading as BybitTradingRest;
    const q = rawUrl.indexOf('?');
    const query = q < 0 ? '' : rawUrl.slice(q + 1);
    let category = new URLSearchParams(query).get('category') ?? '';
    if (method === 'POST') category = /"category"\s*:\s*"(\w+)"/.exec(extras.body)?.[1] ?? '';
    const failure = this.faults.takeRestFailure('bybit', category);
    if (failure !== undefined) return this.failure(failure.status, failure.retryAfterSec, now);
    const verdict = this.limiter.charge(ip, path, now);
    if (verdict.kind === 'banned') return { status: 403, headers: { 'Content-Type': 'text/plain' }, body: 'access too frequent' };
    const limitHeaders = { 'X-Bapi-Limit': String(verdict.limit), 'X-Bapi-Limit-Status': String(verdict.remaining), 'X-Bapi-Limit-Reset-Timestamp': String(verdict.resetAt) };
    if (verdict.kind === 'limited') return this.envelope(now, {}, 10006, 'Too many visits!', 200, limitHeaders);
    const a = trading.handle(method, path, { headers: extras.headers, payload: method === 'POST' ? extras.body : query }, now);
    return { ...this.envelope(now, a.result, a.retCode, a.retMsg, 200, limitHeaders), command: a.command };
  }

  /** A forced failure: 429 → 10006 with spent limit headers, 418 → the IP ban's 403, 5xx → 10016. */
  private failure(status: number, retryAfterSec: number, now: number): RestResponse {
    if (status === 418) return { status: 403, headers: { 'Content-Type': 'text/plain' }, body: 'access too frequent' };
    if (status === 429) return this.envelope(now, {}, 10006, 'Too many visits!', 429, { 'X-Bapi-Limit': String(this.limiter.endpointPerSecond), 'X-Bapi-Limit-Status': '0', 'X-Bapi-Limit-Reset-Timestamp': String(now + retryAfterSec * 1000) });
    return this.envelope(now, {}, 10016, status === 503 ? 'Service Unavailable' : 'Internal server error.', status);
  }

  private envelope(now: number, result: unknown, retCode: number, retMsg: string, status = 200, headers: Record<string, string> = {}): RestResponse {
    const body = `{"retCode":${retCode},"retMsg":${JSON.stringify(retMsg)},"result":${typeof result === 'string' ? result : JSON.stringify(result)},"retExtInfo":{},"time":${now}}`;
    return { status, headers: { 'Content-Type': 'application/json; charset=utf-8', Timenow: String(now), ...headers }, body };
  }

  // ------------------------------------------------------------------ parameters

  private category(q: URLSearchParams, fallback?: BybitCategory): BybitCategory | 'option' {
    const c = q.get('category') ?? fallback;
    if (c === 'option') return 'option';
    if (c === undefined || c === '' || !BYBIT_CATEGORIES.includes(c as BybitCategory)) throw new ApiError(10001, 'Illegal category');
    return c as BybitCategory;
  }

  private symbol(q: URLSearchParams, category: BybitCategory | 'option'): BybitSymbol {
    const id = q.get('symbol');
    if (id === null || id === '') throw new ApiError(10001, 'params error: symbol is required');
    const s = category === 'option' ? undefined : this.symbols.get(category)?.get(id);
    if (s === undefined) throw new ApiError(10001, 'params error: symbol invalid');
    return s;
  }

  private limit(q: URLSearchParams, def: number, max: number): number {
    const v = q.get('limit');
    if (v === null) return def;
    if (!/^\d{1,9}$/.test(v)) throw new ApiError(10001, 'params error: limit invalid');
    return Math.max(1, Math.min(max, Number(v)));
  }

  // ------------------------------------------------------------------ bodies

  private body(name: Route, q: URLSearchParams, now: number): unknown {
    switch (name) {
      case 'time':
        return { timeSecond: String(Math.floor(now / 1000)), timeNano: `${now}000000` };
      case 'instruments-info':
        return this.instrumentsInfo(q);
      case 'tickers':
        return this.tickers(q, now);
      case 'orderbook':
        return this.orderbook(q, now);
      case 'recent-trade':
        return this.recentTrades(q);
      case 'kline':
        return this.klines(q, now);
    }
  }

  /** Spot answers in one page; linear and inverse page with `limit` (max 1000) and `cursor` / `nextPageCursor`. */
  private instrumentsInfo(q: URLSearchParams): string {
    const category = this.category(q);
    if (category === 'option') return '{"category":"option","nextPageCursor":"","list":[]}';
    const status = q.get('status');
    const baseCoin = q.get('baseCoin');
    let list = [...(this.symbols.get(category)?.values() ?? [])].filter((s) => (status === null || status === 'Trading') && (baseCoin === null || s.instrument.base === baseCoin));
    const one = q.get('symbol');
    if (one !== null) list = list.filter((s) => s.id === one);
    if (category === 'spot') return `{"category":"spot","list":[${list.map((s) => JSON.stringify(spotInstrument(s))).join(',')}]}`;
    const limit = this.limit(q, 500, 1000);
    const cursor = q.get('cursor');
    const start = cursor === null || cursor === '' ? 0 : decodeCursor(cursor);
    const page = list.slice(start, start + limit);
    const next = start + limit < list.length ? encodeCursor(start + limit) : '';
    return `{"category":"${category}","list":[${page.map((s) => JSON.stringify(derivativeInstrument(s))).join(',')}],"nextPageCursor":"${next}"}`;
  }

  private tickers(q: URLSearchParams, now: number): string {
    const category = this.category(q);
    if (category === 'option') return '{"category":"option","list":[]}';
    const list = q.has('symbol') ? [this.symbol(q, category)] : [...(this.symbols.get(category)?.values() ?? [])];
    const items = list.map((s) => {
      const v = tickerValues(this.market, s, now, this.directions(s.instrument.symbol));
      return `{${restTickerFields(s)
        .map((f) => `"${f}":${JSON.stringify(v[f] ?? '')}`)
        .join(',')}}`;
    });
    return `{"category":"${category}","list":[${items.join(',')}]}`;
  }

  /** Spot limit 1..200 (default 1), derivatives 1..500 (default 25). Prices and sizes trimmed, as recorded. */
  private orderbook(q: URLSearchParams, now: number): string {
    const category = this.category(q);
    const s = this.symbol(q, category);
    const limit = category === 'spot' ? this.limit(q, 1, 200) : this.limit(q, 25, 500);
    const i = s.instrument;
    const snap = this.market.snapshot(i.symbol, limit);
    const p = (u: number): string => trimmed(u, i.priceScale);
    const z = (u: number): string => trimmed(u, i.qtyScale);
    const u = this.restU.get(i.symbol) ?? 100_000;
    return `{"s":"${s.id}","b":${levelsJson(snap.bids, p, z)},"a":${levelsJson(snap.asks, p, z)},"ts":${now},"u":${u},"seq":${this.market.book(i.symbol).updateId},"cts":${now}}`;
  }

  /** Spot limit 1..60 (default 60), derivatives 1..1000 (default 500); newest first. */
  private recentTrades(q: URLSearchParams): unknown {
    const category = this.category(q);
    const s = this.symbol(q, category);
    const limit = category === 'spot' ? this.limit(q, 60, 60) : this.limit(q, 500, 1000);
    const skew = this.faults.clockSkewMs;
    const list = this.market
      .tape(s.instrument.symbol)
      .recentTrades(limit)
      .reverse()
      .map((t) => ({ execId: tradeExecId(s, t), symbol: s.id, price: px(s, t.price), size: sz(s, t.qty), side: t.takerSide === 'buy' ? 'Buy' : 'Sell', time: String(t.time + skew), isBlockTrade: false, isRPITrade: false, seq: String(t.id) }));
    return { category, list };
  }

  /** `interval` 1..720 or D; `start`/`end` ms; `limit` 1..1000 (default 200); newest first. */
  private klines(q: URLSearchParams, now: number): unknown {
    const category = this.category(q, 'linear');
    const s = this.symbol(q, category);
    const interval = q.get('interval') ?? '';
    const ms = KLINE_INTERVALS[interval];
    if (ms === undefined) throw new ApiError(10001, 'params error: interval invalid');
    const limit = this.limit(q, 200, 1000);
    const skew = this.faults.clockSkewMs;
    const num = (name: string): number | undefined => (q.has(name) && /^\d{1,15}$/.test(q.get(name) ?? '') ? Number(q.get(name)) - skew : undefined);
    const start = num('start');
    const end = num('end');
    const candles = this.market.tape(s.instrument.symbol).candles(ms, now - skew, limit, start, end);
    const list = candles.reverse().map((c) => restCandle(s, { ...c, openTime: c.openTime + skew }));
    return { symbol: s.id, category, list };
  }
}

function encodeCursor(offset: number): string {
  return Buffer.from(`offset=${offset}`).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const m = /^offset=(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (m === null) throw new ApiError(10001, 'params error: cursor invalid');
  return Number(m[1]);
}

/** One spot `instruments-info` item, keys as in `instruments-info-spot.json`. */
function spotInstrument(s: BybitSymbol): unknown {
  const i = s.instrument;
  return {
    symbolId: 0,
    symbol: s.id,
    baseCoin: i.base,
    quoteCoin: i.quote,
    innovation: '0',
    status: 'Trading',
    marginTrading: 'utaOnly',
    stTag: '0',
    lotSizeFilter: { basePrecision: i.stepSize, quotePrecision: '0.00000001', minOrderQty: i.minQty, maxOrderQty: i.maxQty, minOrderAmt: i.minNotional, maxOrderAmt: '8000000', maxLimitOrderQty: i.maxQty, maxMarketOrderQty: i.maxQty, postOnlyMaxLimitOrderSize: i.maxQty },
    priceFilter: { tickSize: i.tickSize },
    riskParameters: { priceLimitRatioX: '0.005', priceLimitRatioY: '0.01' },
    symbolType: '',
  };
}

/** One linear / inverse `instruments-info` item, keys as in `instruments-info-linear.json`. */
function derivativeInstrument(s: BybitSymbol): unknown {
  const i = s.instrument;
  const contractType = i.inverse ? (i.expiry === undefined ? 'InversePerpetual' : 'InverseFutures') : i.expiry === undefined ? 'LinearPerpetual' : 'LinearFutures';
  return {
    symbol: s.id,
    symbolId: 0,
    contractType,
    status: 'Trading',
    baseCoin: i.base,
    quoteCoin: i.quote,
    launchTime: '1585526400000',
    deliveryTime: String(i.expiry ?? 0),
    deliveryFeeRate: i.expiry === undefined ? '' : '0.0005',
    priceScale: String(i.priceScale),
    leverageFilter: { minLeverage: '1', maxLeverage: '100.00', leverageStep: '0.01' },
    priceFilter: { minPrice: i.tickSize, maxPrice: '1999999.80', tickSize: i.tickSize },
    lotSizeFilter: { maxOrderQty: i.maxQty, minOrderQty: i.minQty, qtyStep: i.stepSize, postOnlyMaxOrderQty: i.maxQty, maxMktOrderQty: i.maxQty, minNotionalValue: i.minNotional },
    unifiedMarginTrade: true,
    fundingInterval: i.expiry === undefined ? 480 : 0,
    settleCoin: i.settle ?? i.quote,
    copyTrading: 'both',
    upperFundingRate: '0.00375',
    lowerFundingRate: '-0.00375',
    isPreListing: false,
    preListingInfo: null,
    riskParameters: { priceLimitRatioX: '0.01', priceLimitRatioY: '0.02' },
    symbolType: '',
  };
}
