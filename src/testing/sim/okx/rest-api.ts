/**
 * The OKX front end's REST API (`/api/v5/public/*`, `/api/v5/market/*`), matched by path suffix so prefixed
 * paths work: the `{"code":"0","msg":"","data":[...]}` envelope, per-endpoint per-IP rate limits answered with
 * `50011` and HTTP 429, the recorded numeric `code:404` body for unknown paths, and the REST fault switch.
 * Private paths go to the trading endpoints (`trading-rest.ts`) when an engine is attached.
 */
import type { SimFaults } from '../faults.js';
import type { Market } from '../market.js';
import { candleRows, instrumentRecord, OKX_BARS, tickerFields } from './market-bodies.js';
import { levelsJson, px, sz, tickerObject, type OkxInstrument, type OkxInstType } from './wire-format.js';

export interface RestResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** A place / cancel the trading engine acted on: the front end applies the ack faults to this answer. */
  readonly orderCommand?: boolean;
  /** The private route answered (counters). */
  readonly route?: string;
}

/** The signed trading and account endpoints (`OkxTradingRest`). */
export interface PrivateRestApi {
  handle(method: string, pathAndQuery: string, headers: Readonly<Record<string, string | string[] | undefined>>, body: Buffer): { status: number; body: string; route: string; orderCommand: boolean };
}

/** A per-endpoint limit: `limit` requests per `windowMs` per IP (OKX public endpoints use 2 s windows). */
export interface EndpointLimit {
  readonly limit: number;
  readonly windowMs: number;
}

/** The documented public limits (requests per 2 s per IP). */
export const OKX_REST_LIMITS: Readonly<Record<string, EndpointLimit>> = {
  '/api/v5/public/time': { limit: 10, windowMs: 2000 },
  '/api/v5/public/instruments': { limit: 20, windowMs: 2000 },
  '/api/v5/market/tickers': { limit: 20, windowMs: 2000 },
  '/api/v5/market/ticker': { limit: 20, windowMs: 2000 },
  '/api/v5/market/books': { limit: 40, windowMs: 2000 },
  '/api/v5/market/books-full': { limit: 10, windowMs: 2000 },
  '/api/v5/market/trades': { limit: 100, windowMs: 2000 },
  '/api/v5/market/candles': { limit: 40, windowMs: 2000 },
  '/api/v5/market/history-candles': { limit: 20, windowMs: 2000 },
};

/** What the REST API needs from the stream side: the `books` window at its last `seqId` (pushed first if stale). */
export interface BookSource {
  restSnapshot(w: OkxInstrument, depth: number): { bids: Array<readonly [number, number]>; asks: Array<readonly [number, number]>; seqId: number };
}

/** An OKX error answer: HTTP status and `{code,msg,data}` (or a fixed body). */
class ApiError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly msg: string,
  ) {}
}

interface Ctx {
  readonly q: URLSearchParams;
  readonly now: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

type Handler = (ctx: Ctx) => string | unknown[];

const INST_TYPES: readonly string[] = ['SPOT', 'MARGIN', 'SWAP', 'FUTURES', 'OPTION'];
const NOT_FOUND_BODY = '{"code":404,"data":{},"detailMsg":"","error_code":"404","error_message":"Not Found","msg":"Not Found"}';
const TOO_MANY_BODY = '{"msg":"Too Many Requests","code":"50011"}';

/** Serves the OKX REST API from the market truth. */
export class OkxRestApi {
  /** Requests answered, by route (or `unknown`), and by HTTP status. */
  readonly counts = { total: 0, byRoute: {} as Record<string, number>, byStatus: {} as Record<string, number> };
  private readonly routes: Array<[path: string, handler: Handler]>;
  private readonly hits = new Map<string, number[]>();
  private readonly limits: Readonly<Record<string, EndpointLimit>>;
  private readonly byId: ReadonlyMap<string, OkxInstrument>;

  constructor(
    private readonly market: Market,
    private readonly faults: SimFaults,
    private readonly instruments: readonly OkxInstrument[],
    private readonly books: BookSource,
    limits: Readonly<Record<string, Partial<EndpointLimit>>> = {},
    private readonly privateApi?: PrivateRestApi,
  ) {
    this.byId = new Map(instruments.map((w) => [w.instId, w]));
    const merged: Record<string, EndpointLimit> = {};
    for (const [path, l] of Object.entries(OKX_REST_LIMITS)) merged[path] = { ...l, ...limits[path] };
    this.limits = merged;
    this.routes = [
      ['/api/v5/public/time', (c) => [{ ts: String(c.now) }]],
      ['/api/v5/public/instruments', (c) => this.instrumentsBody(c)],
      ['/api/v5/market/tickers', (c) => this.tickersBody(c)],
      ['/api/v5/market/ticker', (c) => [tickerObject(this.instParam(c.q), tickerFields(this.market, this.instParam(c.q), c.now, this.faults.clockSkewMs))]],
      ['/api/v5/market/books-full', (c) => this.booksFullBody(c)],
      ['/api/v5/market/books', (c) => this.booksBody(c)],
      ['/api/v5/market/trades', (c) => this.tradesBody(c)],
      ['/api/v5/market/candles', (c) => this.candlesBody(c, 300)],
      ['/api/v5/market/history-candles', (c) => this.candlesBody(c, 100)],
    ];
  }

  /** Answers one request. Never throws. */
  handle(method: string, pathAndQuery: string, ip: string, headers: Readonly<Record<string, string | string[] | undefined>> = {}, body: Buffer = Buffer.alloc(0)): RestResponse {
    const url = new URL(pathAndQuery, 'http://sim.invalid');
    const found = this.routes.find(([path]) => url.pathname.endsWith(path));
    const res = this.answer(method, url, ip, headers, found, pathAndQuery, body);
    const key = found?.[0] ?? res.route ?? (isPrivatePath(url.pathname) ? 'private' : 'unknown');
    this.counts.total++;
    this.counts.byRoute[key] = (this.counts.byRoute[key] ?? 0) + 1;
    this.counts.byStatus[res.status] = (this.counts.byStatus[res.status] ?? 0) + 1;
    return res;
  }

  private answer(method: string, url: URL, ip: string, headers: Ctx['headers'], found: [string, Handler] | undefined, pathAndQuery: string, body: Buffer): RestResponse {
    const now = this.faults.now();
    const fault = this.faults.takeRestFailure('okx', 'v5');
    if (fault !== undefined) {
      // OKX documents no rate-limit or ban headers and has no 418: a ban reads as its 429.
      if (fault.status === 429 || fault.status === 418) return raw(429, TOO_MANY_BODY);
      if (fault.status === 500) return envelopeError(500, '50026', 'System error. Try again later');
      return envelopeError(503, '50001', 'Service temporarily unavailable. Please try again later');
    }
    if (found === undefined) {
      if (isPrivatePath(url.pathname) && this.privateApi !== undefined) {
        const a = this.privateApi.handle(method, pathAndQuery, headers, body);
        return { ...raw(a.status, a.body), orderCommand: a.orderCommand, route: a.route };
      }
      if (isPrivatePath(url.pathname)) {
        // Without a trading engine: without a key OKX answers 50103, with one 50111 here.
        const key = headers['ok-access-key'];
        return key === undefined || key === '' ? raw(401, '{"msg":"Request header OK-ACCESS-KEY can not be empty.","code":"50103"}') : raw(401, '{"msg":"Invalid OK-ACCESS-KEY","code":"50111"}');
      }
      return raw(404, NOT_FOUND_BODY);
    }
    if (method !== 'GET' && method !== 'HEAD') return raw(405, '{"msg":"Method Not Allowed","code":"405"}');
    const [path, handler] = found;
    if (!this.admit(`${ip} ${path}`, this.limits[path] as EndpointLimit, now)) return raw(429, TOO_MANY_BODY);
    try {
      const data = handler({ q: url.searchParams, now, headers });
      return raw(200, typeof data === 'string' ? `{"code":"0","msg":"","data":${data}}` : JSON.stringify({ code: '0', msg: '', data }));
    } catch (err) {
      if (err instanceof ApiError) return envelopeError(err.status, err.code, err.msg);
      return envelopeError(500, '50026', 'System error. Try again later');
    }
  }

  /** Sliding-window count per (IP, endpoint); false when this request would go over. */
  private admit(key: string, l: EndpointLimit, now: number): boolean {
    let times = this.hits.get(key);
    if (times === undefined) {
      times = [];
      this.hits.set(key, times);
    }
    while (times.length > 0 && (times[0] as number) <= now - l.windowMs) times.shift();
    if (times.length >= l.limit) return false;
    times.push(now);
    return true;
  }

  // ------------------------------------------------------------------ parameters

  private instParam(q: URLSearchParams): OkxInstrument {
    const id = q.get('instId');
    if (id === null || id === '') throw new ApiError(400, '50014', 'Parameter instId can not be empty.');
    const w = this.byId.get(id);
    if (w === undefined) throw new ApiError(200, '51001', "Instrument ID, Instrument ID code, or Spread ID doesn't exist.");
    return w;
  }

  private instTypeParam(q: URLSearchParams): string {
    const t = q.get('instType');
    if (t === null || t === '') throw new ApiError(400, '50014', 'Parameter instType can not be empty.');
    if (!INST_TYPES.includes(t)) throw new ApiError(400, '51000', 'Parameter instType error');
    return t;
  }

  private intParam(q: URLSearchParams, name: string, def: number, max: number): number {
    const v = q.get(name);
    if (v === null || v === '') return def;
    if (!/^[0-9]{1,15}$/.test(v)) throw new ApiError(400, '51000', `Parameter ${name} error`);
    return Math.max(1, Math.min(max, Number(v)));
  }

  private timeParam(q: URLSearchParams, name: string): number | undefined {
    const v = q.get(name);
    if (v === null || v === '') return undefined;
    if (!/^[0-9]{1,15}$/.test(v)) throw new ApiError(400, '51000', `Parameter ${name} error`);
    return Number(v);
  }

  /** Instruments of a type, narrowed by `instId`, `uly` or `instFamily` when given. */
  private ofType(q: URLSearchParams): OkxInstrument[] {
    const type = this.instTypeParam(q);
    const id = q.get('instId');
    const family = q.get('instFamily') ?? q.get('uly');
    return this.instruments.filter((w) => w.instType === (type as OkxInstType) && (id === null || w.instId === id) && (family === null || w.uly === family));
  }

  // ------------------------------------------------------------------ bodies

  private instrumentsBody(c: Ctx): unknown[] {
    return this.ofType(c.q).map((w) => instrumentRecord(w, this.instruments.indexOf(w)));
  }

  private tickersBody(c: Ctx): unknown[] {
    const skew = this.faults.clockSkewMs;
    return this.ofType(c.q).map((w) => tickerObject(w, tickerFields(this.market, w, c.now, skew)));
  }

  /** `sz` levels a side (default 1, at most 400) with the `books` channel's `seqId` (the 2026 REST-snapshot procedure). */
  private booksBody(c: Ctx): string {
    const w = this.instParam(c.q);
    const depth = this.intParam(c.q, 'sz', 1, 400);
    const snap = this.books.restSnapshot(w, depth);
    return `[{"asks":${levelsJson(w, snap.asks)},"bids":${levelsJson(w, snap.bids)},"ts":"${c.now}","seqId":${snap.seqId}}]`;
  }

  /**
   * `books-full`: up to 5,000 levels a side (default 1) of the truth, taken right after the `books` window was
   * brought up to it, so its `seqId` (placed as in `/market/books`; an assumption) names the same state.
   */
  private booksFullBody(c: Ctx): string {
    const w = this.instParam(c.q);
    const depth = this.intParam(c.q, 'sz', 1, 5000);
    const { seqId } = this.books.restSnapshot(w, 0);
    const snap = this.market.snapshot(w.instrument.symbol, depth);
    return `[{"asks":${levelsJson(w, snap.asks)},"bids":${levelsJson(w, snap.bids)},"ts":"${c.now}","seqId":${seqId}}]`;
  }

  private tradesBody(c: Ctx): unknown[] {
    const w = this.instParam(c.q);
    const limit = this.intParam(c.q, 'limit', 100, 500);
    const skew = this.faults.clockSkewMs;
    return this.market
      .tape(w.instrument.symbol)
      .recentTrades(limit)
      .reverse()
      .map((t) => ({ instId: w.instId, side: t.takerSide, sz: sz(w, t.qty), px: px(w, t.price), tradeId: String(t.id), ts: String(t.time + skew) }));
  }

  private candlesBody(c: Ctx, max: number): unknown[] {
    const w = this.instParam(c.q);
    const barName = c.q.get('bar') ?? '1m';
    const bar = OKX_BARS[barName];
    if (bar === undefined) throw new ApiError(400, '51000', 'Parameter bar error');
    const limit = this.intParam(c.q, 'limit', 100, max);
    return candleRows(this.market, w, bar, c.now, this.faults.clockSkewMs, limit, this.timeParam(c.q, 'after'), this.timeParam(c.q, 'before'));
  }
}

function isPrivatePath(path: string): boolean {
  return /\/api\/v5\/(account|asset|trade|users|finance|copytrading)\//.test(path);
}

function raw(status: number, body: string): RestResponse {
  return { status, headers: { 'Content-Type': 'application/json' }, body };
}

/** `{"code":"5xxxx","msg":"...","data":[]}`, the envelope OKX uses for parameter and system errors. */
function envelopeError(status: number, code: string, msg: string): RestResponse {
  return raw(status, JSON.stringify({ code, msg, data: [] }));
}
