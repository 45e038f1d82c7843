/**
 * One function per Bybit v5 market-data REST endpoint, each returning a `RestRequest`. Every request draws
 * from the IP-wide limit and from its own endpoint limit, whose size `X-Bapi-Limit` announces per response.
 */
import { VenueError } from '../../core/errors.js';
import type { HttpMethod, QueryValue, RateCost, RestRequest } from '../../core/venue.js';
import { INSTRUMENTS_PAGE_LIMIT, IP_LIMIT, KLINE_LIMIT, RECENT_TRADES_LIMIT, REST_API, REST_DEPTH_LIMIT, VENUE, type BybitCategory } from './config.js';
import { toBybitInterval } from './intervals.js';

/**
 * The per-UID endpoint limit a request draws from: `GET /v5/order/realtime`, and per category where the
 * venue sizes limits per category (`POST /v5/order/create#linear`).
 */
export function endpointLimitName(method: HttpMethod, path: string, category?: string): string {
  return category === undefined ? `${method} ${path}` : `${method} ${path}#${category}`;
}

/** What a request costs: one from the IP-wide limit and one from its endpoint limit. */
export function costsOf(method: HttpMethod, path: string, category?: string): RateCost[] {
  return [
    { limit: IP_LIMIT.limit, weight: 1 },
    { limit: endpointLimitName(method, path, category), weight: 1 },
  ];
}

/** The endpoint limit name of a built request (the cost that is not the IP-wide one). */
export function endpointLimitOf(request: RestRequest): string {
  const endpoint = request.costs.find((c) => c.limit !== IP_LIMIT.limit);
  if (endpoint !== undefined) return endpoint.limit;
  const category = request.query?.['category'] ?? request.body?.['category'];
  return endpointLimitName(request.method, request.path, typeof category === 'string' ? category : undefined);
}

function get(path: string, category: BybitCategory | undefined, query: Record<string, QueryValue>): RestRequest {
  const request: RestRequest = { method: 'GET', api: REST_API, path, signed: false, costs: costsOf('GET', path, category) };
  return Object.keys(query).length === 0 ? request : { ...request, query };
}

function invalid(message: string): VenueError {
  return new VenueError('invalid-argument', message, { venue: VENUE });
}

function checkLimit(what: string, limit: number | undefined, max: number): void {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > max)) throw invalid(`${what} limit must be 1..${max}, got ${limit}`);
}

/**
 * `GET /v5/market/instruments-info`. Linear/inverse are paged (at most 1000 per page; `cursor` from the
 * previous page's `nextPageCursor`); spot returns every instrument at once.
 */
export function instrumentsInfo(category: BybitCategory, cursor?: string): RestRequest {
  return get('/v5/market/instruments-info', undefined, {
    category,
    limit: category === 'spot' ? undefined : INSTRUMENTS_PAGE_LIMIT,
    cursor,
  });
}

/** `GET /v5/market/time`. */
export function serverTime(): RestRequest {
  return get('/v5/market/time', undefined, {});
}

/**
 * The smallest REST depth that covers `levels` (spot 1..200, derivatives 1..500).
 * @throws {VenueError} `invalid-argument` when `levels` is not a number ≥ 1 (never mapped to a default).
 */
export function depthLimitFor(category: BybitCategory, levels: number): number {
  if (!(typeof levels === 'number' && levels >= 1)) throw invalid(`depth must be at least 1 level, got ${String(levels)}`);
  return Math.min(Math.ceil(levels), REST_DEPTH_LIMIT[category]);
}

/** `GET /v5/market/orderbook`. @throws {VenueError} `invalid-argument` on a limit the venue refuses. */
export function orderbook(category: BybitCategory, symbol: string, limit: number): RestRequest {
  checkLimit(`${category} orderbook`, limit, REST_DEPTH_LIMIT[category]);
  return get('/v5/market/orderbook', undefined, { category, symbol, limit });
}

/** `GET /v5/market/tickers`: one symbol, or the whole category when `symbol` is omitted. */
export function tickers(category: BybitCategory, symbol?: string): RestRequest {
  return get('/v5/market/tickers', undefined, { category, symbol });
}

/** `GET /v5/market/recent-trade`: spot at most 60, derivatives at most 1000 (newest first). */
export function recentTrades(category: BybitCategory, symbol: string, limit?: number): RestRequest {
  checkLimit(`${category} recent-trade`, limit, RECENT_TRADES_LIMIT[category]);
  return get('/v5/market/recent-trade', undefined, { category, symbol, limit });
}

/** `GET /v5/market/kline` (at most 1000 rows, newest first); `interval` is unified (`1m`, `1h`, `1d`...). */
export function kline(category: BybitCategory, symbol: string, interval: string, options: { start?: number; end?: number; limit?: number } = {}): RestRequest {
  checkLimit('kline', options.limit, KLINE_LIMIT);
  return get('/v5/market/kline', undefined, { category, symbol, interval: toBybitInterval(interval), start: options.start, end: options.end, limit: options.limit });
}
