/**
 * One function per OKX market-data REST endpoint, each returning a `RestRequest` that names the per-endpoint
 * limit it draws from, plus those limits (OKX sends no usage headers, protocols.md §4.4: the client meters
 * itself). Every request uses the one `rest` api: one host, one governor.
 */
import { VenueError } from '../../core/errors.js';
import type { RateLimitRule, RestRequest } from '../../core/venue.js';
import { BOOKS_DEPTH, BOOKS_FULL_DEPTH, OKX_REST_API, VENUE, type OkxInstType } from './config.js';
import { toOkxBar } from './intervals.js';

/** Per-endpoint limit names, as the costs of each request name them. */
export type OkxEndpointLimit = 'instruments' | 'time' | 'books' | 'books-full' | 'ticker' | 'tickers' | 'trades' | 'candles';

/**
 * The documented public limits, per IP, each over 2 s (OKX API docs "Rate Limit: N requests per 2 seconds"
 * on each endpoint; the same figures as ccxt's per-endpoint costs).
 */
export const OKX_RATE_LIMITS: readonly RateLimitRule[] = (
  [
    ['instruments', 20],
    ['time', 10],
    ['books', 40],
    ['books-full', 10],
    ['ticker', 20],
    ['tickers', 20],
    ['trades', 100],
    ['candles', 40],
  ] as const
).map(([limit, max]) => ({ limit, scope: 'ip', windowMs: 2000, max }));

function get(path: string, limit: OkxEndpointLimit, query?: Record<string, string | number | undefined>): RestRequest {
  const request: RestRequest = { method: 'GET', api: OKX_REST_API, path, signed: false, costs: [{ limit, weight: 1 }] };
  return query === undefined ? request : { ...request, query };
}

function invalid(message: string): VenueError {
  return new VenueError('invalid-argument', message, { venue: VENUE });
}

function checkLimit(name: string, value: number | undefined, max: number): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > max)) throw invalid(`${name} must be 1..${max}, got ${value}`);
}

/** `GET /api/v5/public/instruments?instType=...` (20 / 2 s). */
export function instruments(instType: OkxInstType): RestRequest {
  return get('/api/v5/public/instruments', 'instruments', { instType });
}

/** `GET /api/v5/public/time` (10 / 2 s). */
export function serverTime(): RestRequest {
  return get('/api/v5/public/time', 'time');
}

/**
 * The order book: `GET /api/v5/market/books` (up to 400 levels, 40 / 2 s) or, deeper, `books-full` (up to
 * 5000 levels, 10 / 2 s). @throws {VenueError} `invalid-argument` beyond 5000 levels.
 */
export function books(instId: string, levels: number): RestRequest {
  checkLimit('book depth', levels, BOOKS_FULL_DEPTH);
  return levels <= BOOKS_DEPTH
    ? get('/api/v5/market/books', 'books', { instId, sz: levels })
    : get('/api/v5/market/books-full', 'books-full', { instId, sz: levels });
}

/** `GET /api/v5/market/ticker?instId=...` (20 / 2 s). */
export function ticker(instId: string): RestRequest {
  return get('/api/v5/market/ticker', 'ticker', { instId });
}

/** `GET /api/v5/market/tickers?instType=...` (20 / 2 s). */
export function tickers(instType: OkxInstType): RestRequest {
  return get('/api/v5/market/tickers', 'tickers', { instType });
}

/** `GET /api/v5/market/trades?instId=...&limit=` (up to 500, default 100; 100 / 2 s). */
export function trades(instId: string, limit?: number): RestRequest {
  checkLimit('trades limit', limit, 500);
  return get('/api/v5/market/trades', 'trades', { instId, limit });
}

/** Longest span of one bar in ms (months counted as 31 days, quarters as 92), for paging windows. */
const BAR_SPAN_MS: Readonly<Record<string, number>> = {
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
  '2d': 172_800_000,
  '3d': 259_200_000,
  '1w': 604_800_000,
  '1M': 31 * 86_400_000,
  '3M': 92 * 86_400_000,
};

/**
 * `GET /api/v5/market/candles` (up to 300 rows, default 100; 40 / 2 s). `interval` is unified (`1m`, `1h`,
 * `1d`...). OKX pages by `before` (newer than) and `after` (older than); `since` asks for the candles from
 * `since` on, so both are set: `before = since − 1`, `after = since + limit bars`.
 */
export function candles(instId: string, interval: string, options: { since?: number; limit?: number } = {}): RestRequest {
  checkLimit('candles limit', options.limit, 300);
  const bar = toOkxBar(interval);
  const { since, limit } = options;
  const span = BAR_SPAN_MS[interval] ?? 0;
  return get('/api/v5/market/candles', 'candles', {
    instId,
    bar,
    before: since === undefined ? undefined : Math.max(since - 1, 0),
    after: since === undefined ? undefined : since + (limit ?? 100) * span,
    limit,
  });
}
