/**
 * One function per Binance market-data REST endpoint, each returning a `RestRequest` with its documented
 * weight. Paths are `/api/v3/...` (spot) and `/fapi/v1/...` (USD-M); `api` is the segment.
 */
import { VenueError } from '../../core/errors.js';
import type { RateCost, RestRequest } from '../../core/venue.js';
import { VENUE, type BinanceSegment } from './config.js';
import { toBinanceInterval } from './intervals.js';

const PREFIX: Readonly<Record<BinanceSegment, string>> = { spot: '/api/v3', usdm: '/fapi/v1' };

function weight(n: number): RateCost[] {
  return [{ limit: 'REQUEST_WEIGHT', weight: n }];
}

function get(segment: BinanceSegment, endpoint: string, cost: number, query?: Record<string, string | number | undefined>): RestRequest {
  const request: RestRequest = { method: 'GET', api: segment, path: `${PREFIX[segment]}/${endpoint}`, signed: false, costs: weight(cost) };
  return query === undefined ? request : { ...request, query };
}

function invalid(message: string): VenueError {
  return new VenueError('invalid-argument', message, { venue: VENUE });
}

/** `GET /api/v3/exchangeInfo` (weight 20) or `GET /fapi/v1/exchangeInfo` (weight 1). */
export function exchangeInfo(segment: BinanceSegment): RestRequest {
  return get(segment, 'exchangeInfo', segment === 'spot' ? 20 : 1);
}

/** `GET /api/v3/time` / `GET /fapi/v1/time` (weight 1). */
export function serverTime(segment: BinanceSegment): RestRequest {
  return get(segment, 'time', 1);
}

/** USD-M accepts only these depth limits. */
const USDM_DEPTH_LIMITS = [5, 10, 20, 50, 100, 500, 1000] as const;

/**
 * Weight of a depth request. Spot: 1-100 → 5, 101-500 → 25, 501-1000 → 50, 1001-5000 → 250.
 * USD-M: 5/10/20/50 → 2, 100 → 5, 500 → 10, 1000 → 20.
 */
export function depthWeight(segment: BinanceSegment, limit: number): number {
  if (segment === 'spot') {
    if (!Number.isInteger(limit) || limit < 1 || limit > 5000) throw invalid(`spot depth limit must be 1..5000, got ${limit}`);
    return limit <= 100 ? 5 : limit <= 500 ? 25 : limit <= 1000 ? 50 : 250;
  }
  if (!(USDM_DEPTH_LIMITS as readonly number[]).includes(limit)) throw invalid(`usdm depth limit must be one of ${USDM_DEPTH_LIMITS.join(', ')}, got ${limit}`);
  return limit <= 50 ? 2 : limit === 100 ? 5 : limit === 500 ? 10 : 20;
}

/**
 * The smallest USD-M depth limit that covers `levels` (capped at 1000); spot takes any 1..5000.
 * @throws {VenueError} `invalid-argument` when `levels` is not a number ≥ 1 (never mapped to a default).
 */
export function depthLimitFor(segment: BinanceSegment, levels: number): number {
  if (!(typeof levels === 'number' && levels >= 1)) throw invalid(`depth must be at least 1 level, got ${String(levels)}`);
  if (segment === 'spot') return Math.min(Math.max(Math.ceil(levels), 1), 5000);
  return USDM_DEPTH_LIMITS.find((l) => l >= levels) ?? 1000;
}

/** `GET /api/v3/depth` / `GET /fapi/v1/depth` for venue id `id`. @throws {VenueError} `invalid-argument` on a limit the venue refuses. */
export function depth(segment: BinanceSegment, id: string, limit: number): RestRequest {
  return get(segment, 'depth', depthWeight(segment, limit), { symbol: id, limit });
}

/**
 * `GET /api/v3/ticker/24hr` / `GET /fapi/v1/ticker/24hr`: one symbol, or all when `id` is omitted.
 * Spot: 2 for one symbol, 80 for all. USD-M: 1 for one, 40 for all.
 */
export function ticker24h(segment: BinanceSegment, id?: string): RestRequest {
  const cost = segment === 'spot' ? (id === undefined ? 80 : 2) : id === undefined ? 40 : 1;
  return get(segment, 'ticker/24hr', cost, id === undefined ? undefined : { symbol: id });
}

/** `GET /api/v3/ticker/bookTicker` / `GET /fapi/v1/ticker/bookTicker`: spot 2 (4 for all), USD-M 2 (5 for all). */
export function bookTicker(segment: BinanceSegment, id?: string): RestRequest {
  const cost = id === undefined ? (segment === 'spot' ? 4 : 5) : 2;
  return get(segment, 'ticker/bookTicker', cost, id === undefined ? undefined : { symbol: id });
}

/** `GET /api/v3/trades` (weight 25) / `GET /fapi/v1/trades` (weight 5); limit ≤ 1000 (default 500). */
export function recentTrades(segment: BinanceSegment, id: string, limit?: number): RestRequest {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 1000)) throw invalid(`trades limit must be 1..1000, got ${limit}`);
  return get(segment, 'trades', segment === 'spot' ? 25 : 5, { symbol: id, limit });
}

/** `GET /api/v3/aggTrades` (weight 4) / `GET /fapi/v1/aggTrades` (weight 20); limit ≤ 1000. */
export function aggTrades(segment: BinanceSegment, id: string, options: { startTime?: number; endTime?: number; limit?: number } = {}): RestRequest {
  const { startTime, endTime, limit } = options;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 1000)) throw invalid(`aggTrades limit must be 1..1000, got ${limit}`);
  return get(segment, 'aggTrades', segment === 'spot' ? 4 : 20, { symbol: id, startTime, endTime, limit });
}

/** USD-M klines weight by limit: [1,100) → 1, [100,500) → 2, [500,1000] → 5, above → 10. */
function usdmKlinesWeight(limit: number): number {
  return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10;
}

/**
 * `GET /api/v3/klines` (weight 2, limit ≤ 1000) / `GET /fapi/v1/klines` (weight by limit, ≤ 1500).
 * `interval` is unified (`1m`, `1h`, `1d`, `1w`, `1M`...).
 */
export function klines(segment: BinanceSegment, id: string, interval: string, options: { startTime?: number; endTime?: number; limit?: number } = {}): RestRequest {
  const { startTime, endTime, limit } = options;
  const max = segment === 'spot' ? 1000 : 1500;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > max)) throw invalid(`${segment} klines limit must be 1..${max}, got ${limit}`);
  const cost = segment === 'spot' ? 2 : usdmKlinesWeight(limit ?? 500);
  return get(segment, 'klines', cost, { symbol: id, interval: toBinanceInterval(interval, segment), startTime, endTime, limit });
}
