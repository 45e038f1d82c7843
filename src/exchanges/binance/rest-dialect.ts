/**
 * The Binance `RestDialect`: signing, error decoding, usage readings from `X-MBX-USED-WEIGHT-*` and
 * `X-MBX-ORDER-COUNT-*` headers, and the server-time request. Pure; the core sends the requests.
 */
import type { RateUsage, RawResponse, RestDialect } from '../../core/venue.js';
import { signRestRequest } from './auth.js';
import type { BinanceSegment } from './config.js';
import { decodeBinanceError } from './errors.js';
import { parseServerTime } from './parse.js';
import { serverTime } from './rest.js';

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const USAGE_HEADER = /^x-mbx-(used-weight|order-count)-(\d+)([smhd])$/i;

/**
 * Usage readings from response headers: `X-MBX-USED-WEIGHT-1M: 22` → REQUEST_WEIGHT 22 used in 60 s
 * (per IP); `X-MBX-ORDER-COUNT-10S` → ORDERS (per account). Header names are matched case-insensitively;
 * the interval-less legacy `X-MBX-USED-WEIGHT` is ignored.
 */
export function usageFromBinanceHeaders(headers: RawResponse['headers']): RateUsage[] {
  const out: RateUsage[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const m = USAGE_HEADER.exec(name);
    if (m === null || value === undefined || !/^\d+$/.test(value.trim())) continue;
    const [, kind = '', num = '', unit = ''] = m;
    const unitMs = UNIT_MS[unit.toLowerCase()];
    if (unitMs === undefined) continue;
    out.push({ limit: kind.toLowerCase() === 'used-weight' ? 'REQUEST_WEIGHT' : 'ORDERS', windowMs: unitMs * Number(num), used: Number(value.trim()) });
  }
  return out;
}

export interface BinanceRestDialectOptions {
  /** `recvWindow` for signed requests that do not set one; default 5000 ms. */
  readonly recvWindowMs?: number;
  /** Which segment's clock `serverTime` reads; default spot. */
  readonly serverTimeSegment?: BinanceSegment;
}

/** A `RestDialect` for Binance spot and USD-M (requests choose their base URL through `api`). */
export function createBinanceRestDialect(options: BinanceRestDialectOptions = {}): RestDialect {
  const signOptions = options.recvWindowMs === undefined ? {} : { recvWindowMs: options.recvWindowMs };
  return {
    venue: 'binance',
    sign: (request, credentials, timestampMs) => signRestRequest(request, credentials, timestampMs, signOptions),
    decodeError: decodeBinanceError,
    usageFromHeaders: usageFromBinanceHeaders,
    serverTime: { request: serverTime(options.serverTimeSegment ?? 'spot'), parse: parseServerTime },
  };
}
