/**
 * The Binance front end's public REST market data (spot `/api/v3/*`, USD-M `/fapi/v1/*`), matched by path
 * suffix so prefixed paths work. Bodies, errors, weights and `X-MBX-USED-WEIGHT-1M` as Binance sends them.
 */
import type { SimFaults } from '../faults.js';
import type { Market } from '../market.js';
import { INTERVAL_MS, type SimStats, type SimTrade } from '../trade-tape.js';
import { exchangeInfoBody } from './exchange-info.js';
import type { WeightMeter } from './request-weights.js';
import { change, levelsJson, price, qty, quote, type BinanceSegment, type WireSymbol } from './wire-format.js';

export interface RestResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

interface Ctx {
  readonly url: URL;
  readonly now: number;
}

/** A route: its weight (from the query) and its handler. Handlers throw `ApiError` for 4xx answers. */
interface Route {
  weight(q: URLSearchParams): number;
  run(ctx: Ctx): unknown;
}

/** A Binance `{code,msg}` error answer. */
class ApiError {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly msg: string,
  ) {}
}

const SPOT_DEPTH_MAX = 5000;
const USDM_DEPTH_LIMITS = [5, 10, 20, 50, 100, 500, 1000];

/** Serves one segment's REST API from the market truth. */
export class BinanceRestApi {
  private readonly routes: Array<[suffix: string, route: Route]>;
  /** Requests answered, by route suffix (or `unknown`), and by HTTP status. */
  readonly counts = { total: 0, byRoute: {} as Record<string, number>, byStatus: {} as Record<string, number> };

  constructor(
    private readonly segment: BinanceSegment,
    private readonly market: Market,
    private readonly faults: SimFaults,
    private readonly meter: WeightMeter,
    private readonly symbols: ReadonlyMap<string, WireSymbol>,
  ) {
    this.routes = segment === 'spot' ? this.spotRoutes() : this.usdmRoutes();
  }

  /** Answers one request. Never throws. */
  handle(method: string, pathAndQuery: string, ip: string): RestResponse {
    const url = new URL(pathAndQuery, 'http://sim.invalid');
    const now = this.faults.now();
    const found = this.routes.find(([suffix]) => url.pathname.endsWith(suffix));
    const key = found?.[0] ?? 'unknown';
    const res = this.answer(method, url, ip, now, found?.[1]);
    this.record(key, res.status);
    return res;
  }

  /** Counts an answered request (the trading routes answer through `handle`'s sibling in trading-rest.ts). */
  record(routeKey: string, status: number): void {
    this.counts.total++;
    this.counts.byRoute[routeKey] = (this.counts.byRoute[routeKey] ?? 0) + 1;
    this.counts.byStatus[status] = (this.counts.byStatus[status] ?? 0) + 1;
  }

  /**
   * The checks every request passes before its handler: a pending REST fault, then the weight meter. Returns the
   * weight used after charging, or the failure answer to send.
   */
  admit(ip: string, weight: number, now: number): { readonly ok: true; readonly used: number } | { readonly ok: false; readonly response: RestResponse } {
    const failed = this.restFault(ip, now);
    if (failed !== undefined) return { ok: false, response: failed };
    const verdict = this.meter.charge(ip, weight, now);
    if (!verdict.ok) {
      const body = verdict.status === 429 ? this.tooManyBody() : this.bannedBody(verdict.bannedUntil ?? now);
      return { ok: false, response: this.json(verdict.status, body, verdict.used, { 'Retry-After': String(verdict.retryAfterSec) }) };
    }
    return { ok: true, used: verdict.used };
  }

  /** The answer of a pending REST fault of this segment, if one is armed. */
  private restFault(ip: string, now: number): RestResponse | undefined {
    const fault = this.faults.takeRestFailure('binance', this.segment);
    if (fault === undefined) return undefined;
    const used = this.meter.used(ip, now);
    const body = fault.status === 429 ? this.tooManyBody() : fault.status === 418 ? this.bannedBody(now + fault.retryAfterSec * 1000) : fault.status === 500 ? { code: -1000, msg: 'An unknown error occurred while processing the request.' } : this.unavailableBody();
    return this.json(fault.status, body, used, { 'Retry-After': String(fault.retryAfterSec) });
  }

  private answer(method: string, url: URL, ip: string, now: number, route: Route | undefined): RestResponse {
    if (route === undefined || (method !== 'GET' && method !== 'HEAD')) {
      const failed = this.restFault(ip, now);
      if (failed !== undefined) return failed;
      const msg = `Path ${url.pathname}, Method ${method} is invalid`;
      return this.json(404, this.segment === 'usdm' ? { code: -5000, msg } : { code: -1000, msg }, this.meter.used(ip, now));
    }
    let weight: number;
    try {
      weight = route.weight(url.searchParams);
    } catch {
      weight = 1;
    }
    const admitted = this.admit(ip, weight, now);
    if (!admitted.ok) return admitted.response;
    try {
      const body = route.run({ url, now });
      return { status: 200, headers: this.headers(admitted.used), body: typeof body === 'string' ? body : JSON.stringify(body) };
    } catch (err) {
      if (err instanceof ApiError) return this.json(err.status, { code: err.code, msg: err.msg }, admitted.used);
      return this.json(500, { code: -1000, msg: 'An unknown error occurred while processing the request.' }, admitted.used);
    }
  }

  private tooManyBody(): unknown {
    const [num, unit] = this.weightInterval();
    const name = { S: 'SECOND', M: 'MINUTE', H: 'HOUR', D: 'DAY' }[unit];
    return { code: -1003, msg: `Too much request weight used; current limit is ${this.meter.limit} request weight per ${num} ${name}. Please use WebSocket Streams for live updates to avoid polling the API.` };
  }

  /** The metered window as Binance writes it in header names: `1M` for a minute, `10S`, `1H`... */
  private weightInterval(): [number, 'S' | 'M' | 'H' | 'D'] {
    const ms = this.meter.windowMs;
    if (ms % 86_400_000 === 0) return [ms / 86_400_000, 'D'];
    if (ms % 3_600_000 === 0) return [ms / 3_600_000, 'H'];
    if (ms % 60_000 === 0) return [ms / 60_000, 'M'];
    return [Math.max(1, Math.round(ms / 1000)), 'S'];
  }

  private bannedBody(until: number): unknown {
    return { code: -1003, msg: `Way too much request weight used; IP banned until ${until}. Please use WebSocket Streams for live updates to avoid bans.` };
  }

  private unavailableBody(): unknown {
    return this.segment === 'spot'
      ? { code: -1008, msg: 'Server is currently overloaded with other requests. Please try again in a few minutes.' }
      : { code: -1008, msg: 'Request throttled by system-level protection. Reduce-only/close-position orders are exempt. Please try again.' };
  }

  /** Response headers with the IP's used weight (`X-MBX-USED-WEIGHT-1M`). */
  headers(used: number, extra: Record<string, string> = {}): Record<string, string> {
    const [num, unit] = this.weightInterval();
    return { 'Content-Type': 'application/json;charset=UTF-8', [`X-MBX-USED-WEIGHT-${num}${unit}`]: String(used), 'x-mbx-used-weight': String(used), ...extra };
  }

  json(status: number, body: unknown, used: number, extra: Record<string, string> = {}): RestResponse {
    return { status, headers: this.headers(used, extra), body: JSON.stringify(body) };
  }

  // ------------------------------------------------------------------ parameters

  private symbolParam(q: URLSearchParams): WireSymbol {
    const s = q.get('symbol');
    if (s === null || s === '') throw new ApiError(400, -1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
    const w = this.symbols.get(s);
    if (w === undefined) throw new ApiError(400, -1121, 'Invalid symbol.');
    return w;
  }

  /** `symbol`, `symbols=["A","B"]` or neither (all). */
  private symbolsParam(q: URLSearchParams): WireSymbol[] {
    const one = q.get('symbol');
    const many = q.get('symbols');
    if (one !== null && many !== null) throw new ApiError(400, -1128, 'Combination of optional parameters invalid.');
    if (one !== null) return [this.symbolParam(q)];
    if (many === null) return [...this.symbols.values()];
    let list: unknown;
    try {
      list = JSON.parse(many);
    } catch {
      list = undefined;
    }
    if (!Array.isArray(list) || list.length === 0 || !list.every((x) => typeof x === 'string')) {
      throw new ApiError(400, -1100, "Illegal characters found in parameter 'symbols'; legal range is '^\\[(\"[A-Z0-9-_.]{1,20}\"(,\"[A-Z0-9-_.]{1,20}\"){0,}){0,1}\\]$'.");
    }
    return (list as string[]).map((s) => {
      const w = this.symbols.get(s);
      if (w === undefined) throw new ApiError(400, -1121, 'Invalid symbol.');
      return w;
    });
  }

  private intParam(q: URLSearchParams, name: string): number | undefined {
    const v = q.get(name);
    if (v === null) return undefined;
    if (!/^[0-9]{1,20}$/.test(v)) throw new ApiError(400, -1100, `Illegal characters found in parameter '${name}'; legal range is '^[0-9]{1,20}$'.`);
    return Number(v);
  }

  private limitParam(q: URLSearchParams, def: number, max: number): number {
    const v = this.intParam(q, 'limit') ?? def;
    return Math.max(1, Math.min(max, v));
  }

  private intervalParam(q: URLSearchParams): [string, number] {
    const i = q.get('interval');
    if (i === null || i === '') throw new ApiError(400, -1102, "Mandatory parameter 'interval' was not sent, was empty/null, or malformed.");
    const ms = INTERVAL_MS[i];
    if (ms === undefined) throw new ApiError(400, -1120, 'Invalid interval.');
    return [i, ms];
  }

  private usdmDepthLimit(q: URLSearchParams): number {
    const v = this.intParam(q, 'limit') ?? 500;
    return USDM_DEPTH_LIMITS.find((l) => l >= v) ?? 1000;
  }

  // ------------------------------------------------------------------ bodies

  private depthBody(w: WireSymbol, limit: number, now: number): string {
    const snap = this.market.snapshot(w.instrument.symbol, limit);
    if (this.segment === 'spot') return `{"lastUpdateId":${snap.updateId},"bids":${levelsJson(w, snap.bids)},"asks":${levelsJson(w, snap.asks)}}`;
    return `{"lastUpdateId":${snap.updateId},"E":${now},"T":${now},"bids":${levelsJson(w, snap.bids)},"asks":${levelsJson(w, snap.asks)}}`;
  }

  private tradesBody(w: WireSymbol, limit: number): unknown[] {
    const skew = this.faults.clockSkewMs;
    return this.market
      .tape(w.instrument.symbol)
      .recentTrades(limit)
      .map((t: SimTrade) => {
        const base = { id: t.id, price: price(w, t.price), qty: qty(w, t.qty), quoteQty: quote(w, BigInt(t.price) * BigInt(t.qty)), time: t.time + skew, isBuyerMaker: t.takerSide === 'sell' };
        return this.segment === 'spot' ? { ...base, isBestMatch: true } : base;
      });
  }

  private aggTradesBody(w: WireSymbol, limit: number): unknown[] {
    const skew = this.faults.clockSkewMs;
    return this.market
      .tape(w.instrument.symbol)
      .recentTrades(limit)
      .map((t) => {
        const base = { a: t.id, p: price(w, t.price), q: qty(w, t.qty), f: t.id, l: t.id, T: t.time + skew, m: t.takerSide === 'sell' };
        return this.segment === 'spot' ? { ...base, M: true } : base;
      });
  }

  private klinesBody(ctx: Ctx, max: number): unknown[] {
    const q = ctx.url.searchParams;
    const w = this.symbolParam(q);
    const [, ms] = this.intervalParam(q);
    const limit = this.limitParam(q, 500, max);
    const skew = this.faults.clockSkewMs;
    const start = this.intParam(q, 'startTime');
    const end = this.intParam(q, 'endTime');
    const candles = this.market.tape(w.instrument.symbol).candles(ms, ctx.now - skew, limit, start === undefined ? undefined : start - skew, end === undefined ? undefined : end - skew);
    return candles.map((c) => [c.openTime + skew, price(w, c.open), price(w, c.high), price(w, c.low), price(w, c.close), qty(w, c.volume), c.closeTime + skew, quote(w, c.quoteVolume), c.count, qty(w, c.takerBuyVolume), quote(w, c.takerBuyQuoteVolume), '0']);
  }

  private ticker24hBody(w: WireSymbol, now: number, mini: boolean): Record<string, unknown> {
    const skew = this.faults.clockSkewMs;
    const symbol = w.instrument.symbol;
    // Before any trade Binance reports zero prices, zero volume and ids of -1.
    const s: SimStats = this.market.tape(symbol).stats(now - skew) ?? { openTime: now - skew - 86_400_000, closeTime: now - skew, open: 0, high: 0, low: 0, last: 0, lastQty: 0, prevClose: 0, volume: 0n, quoteVolume: 0n, count: 0, firstId: -1, lastId: -1 };
    const book = this.market.book(symbol);
    const bid = book.bids.top(1)[0] ?? [0, 0];
    const ask = book.asks.top(1)[0] ?? [0, 0];
    const c = change(w, s);
    const times = { openTime: s.openTime + skew, closeTime: s.closeTime + skew, firstId: s.firstId, lastId: s.lastId, count: s.count };
    if (mini) {
      return { symbol: w.id, openPrice: price(w, s.open), highPrice: price(w, s.high), lowPrice: price(w, s.low), lastPrice: price(w, s.last), volume: qty(w, s.volume), quoteVolume: quote(w, s.quoteVolume), ...times };
    }
    if (this.segment === 'spot') {
      return {
        symbol: w.id,
        priceChange: c.change,
        priceChangePercent: c.percent,
        weightedAvgPrice: c.vwap,
        prevClosePrice: price(w, s.prevClose),
        lastPrice: price(w, s.last),
        lastQty: qty(w, s.lastQty),
        bidPrice: price(w, bid[0]),
        bidQty: qty(w, bid[1]),
        askPrice: price(w, ask[0]),
        askQty: qty(w, ask[1]),
        openPrice: price(w, s.open),
        highPrice: price(w, s.high),
        lowPrice: price(w, s.low),
        volume: qty(w, s.volume),
        quoteVolume: quote(w, s.quoteVolume),
        ...times,
      };
    }
    return { symbol: w.id, priceChange: c.change, priceChangePercent: c.percent, weightedAvgPrice: c.vwap, lastPrice: price(w, s.last), lastQty: qty(w, s.lastQty), openPrice: price(w, s.open), highPrice: price(w, s.high), lowPrice: price(w, s.low), volume: qty(w, s.volume), quoteVolume: quote(w, s.quoteVolume), ...times };
  }

  private bookTickerBody(w: WireSymbol, now: number): Record<string, unknown> {
    const book = this.market.book(w.instrument.symbol);
    const bid = book.bids.top(1)[0] ?? [0, 0];
    const ask = book.asks.top(1)[0] ?? [0, 0];
    const body = { symbol: w.id, bidPrice: price(w, bid[0]), bidQty: qty(w, bid[1]), askPrice: price(w, ask[0]), askQty: qty(w, ask[1]) };
    return this.segment === 'spot' ? body : { ...body, time: now };
  }

  private priceBody(w: WireSymbol, now: number): Record<string, unknown> {
    const t = this.market.tape(w.instrument.symbol).lastTrade;
    const body = { symbol: w.id, price: price(w, t?.price ?? 0) };
    return this.segment === 'spot' ? body : { ...body, time: now };
  }

  /** Single object when `symbol` was given, else a list. */
  private perSymbol(ctx: Ctx, one: (w: WireSymbol) => unknown): unknown {
    const list = this.symbolsParam(ctx.url.searchParams);
    return ctx.url.searchParams.has('symbol') ? one(list[0] as WireSymbol) : list.map(one);
  }

  // ------------------------------------------------------------------ route tables

  private spotRoutes(): Array<[string, Route]> {
    const many = (q: URLSearchParams, single: number, all: number): number => (q.has('symbol') ? single : all);
    const tickerWeight = (q: URLSearchParams): number => {
      if (q.has('symbol')) return 2;
      const list = q.get('symbols');
      if (list === null) return 80;
      const n = list.split(',').length;
      return n <= 20 ? 2 : n <= 100 ? 40 : 80;
    };
    const klines: Route = { weight: () => 2, run: (ctx) => this.klinesBody(ctx, 1000) };
    return [
      ['/api/v3/ping', { weight: () => 1, run: () => ({}) }],
      ['/api/v3/time', { weight: () => 1, run: (ctx) => ({ serverTime: ctx.now }) }],
      ['/api/v3/exchangeInfo', { weight: () => 20, run: (ctx) => exchangeInfoBody('spot', this.symbolsParam(ctx.url.searchParams), ctx.now, { limit: this.meter.limit, windowMs: this.meter.windowMs }) }],
      [
        '/api/v3/depth',
        {
          weight: (q) => {
            const l = Math.min(SPOT_DEPTH_MAX, Number(q.get('limit') ?? 100));
            return l <= 100 ? 5 : l <= 500 ? 25 : l <= 1000 ? 50 : 250;
          },
          run: (ctx) => this.depthBody(this.symbolParam(ctx.url.searchParams), this.limitParam(ctx.url.searchParams, 100, SPOT_DEPTH_MAX), ctx.now),
        },
      ],
      ['/api/v3/trades', { weight: () => 25, run: (ctx) => this.tradesBody(this.symbolParam(ctx.url.searchParams), this.limitParam(ctx.url.searchParams, 500, 1000)) }],
      ['/api/v3/aggTrades', { weight: () => 4, run: (ctx) => this.aggTradesBody(this.symbolParam(ctx.url.searchParams), this.limitParam(ctx.url.searchParams, 500, 1000)) }],
      ['/api/v3/klines', klines],
      ['/api/v3/uiKlines', klines],
      ['/api/v3/ticker/24hr', { weight: tickerWeight, run: (ctx) => this.perSymbol(ctx, (w) => this.ticker24hBody(w, ctx.now, ctx.url.searchParams.get('type') === 'MINI')) }],
      ['/api/v3/ticker/bookTicker', { weight: (q) => many(q, 2, 4), run: (ctx) => this.perSymbol(ctx, (w) => this.bookTickerBody(w, ctx.now)) }],
      ['/api/v3/ticker/price', { weight: (q) => many(q, 2, 4), run: (ctx) => this.perSymbol(ctx, (w) => this.priceBody(w, ctx.now)) }],
    ];
  }

  private usdmRoutes(): Array<[string, Route]> {
    const many = (q: URLSearchParams, single: number, all: number): number => (q.has('symbol') ? single : all);
    const one = (ctx: Ctx, f: (w: WireSymbol) => unknown): unknown => {
      const q = ctx.url.searchParams;
      return q.has('symbol') ? f(this.symbolParam(q)) : [...this.symbols.values()].map(f);
    };
    const priceRoute: Route = { weight: (q) => many(q, 1, 2), run: (ctx) => one(ctx, (w) => this.priceBody(w, ctx.now)) };
    return [
      ['/fapi/v1/ping', { weight: () => 1, run: () => ({}) }],
      ['/fapi/v1/time', { weight: () => 1, run: (ctx) => ({ serverTime: ctx.now }) }],
      ['/fapi/v1/exchangeInfo', { weight: () => 1, run: (ctx) => exchangeInfoBody('usdm', [...this.symbols.values()], ctx.now, { limit: this.meter.limit, windowMs: this.meter.windowMs }) }],
      [
        '/fapi/v1/depth',
        {
          weight: (q) => {
            const l = this.usdmDepthLimit(q);
            return l <= 50 ? 2 : l === 100 ? 5 : l === 500 ? 10 : 20;
          },
          run: (ctx) => this.depthBody(this.symbolParam(ctx.url.searchParams), this.usdmDepthLimit(ctx.url.searchParams), ctx.now),
        },
      ],
      ['/fapi/v1/trades', { weight: () => 5, run: (ctx) => this.tradesBody(this.symbolParam(ctx.url.searchParams), this.limitParam(ctx.url.searchParams, 500, 1000)) }],
      ['/fapi/v1/aggTrades', { weight: () => 20, run: (ctx) => this.aggTradesBody(this.symbolParam(ctx.url.searchParams), this.limitParam(ctx.url.searchParams, 500, 1000)) }],
      [
        '/fapi/v1/klines',
        {
          weight: (q) => {
            const l = Number(q.get('limit') ?? 500);
            return l < 100 ? 1 : l < 500 ? 2 : l <= 1000 ? 5 : 10;
          },
          run: (ctx) => this.klinesBody(ctx, 1500),
        },
      ],
      ['/fapi/v1/ticker/24hr', { weight: (q) => many(q, 1, 40), run: (ctx) => one(ctx, (w) => this.ticker24hBody(w, ctx.now, false)) }],
      ['/fapi/v1/ticker/bookTicker', { weight: (q) => many(q, 2, 5), run: (ctx) => one(ctx, (w) => this.bookTickerBody(w, ctx.now)) }],
      ['/fapi/v1/ticker/price', priceRoute],
      ['/fapi/v2/ticker/price', priceRoute],
    ];
  }
}
