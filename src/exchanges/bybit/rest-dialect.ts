/**
 * The Bybit `RestDialect`: signing, error decoding, per-endpoint usage readings from the `X-Bapi-Limit-*`
 * headers and the server-time request. Pure; the core sends the requests.
 */
import type { RateUsage, RawResponse, RestDialect, RestRequest } from '../../core/venue.js';
import { signRestRequest, type BybitSignOptions } from './auth.js';
import { ENDPOINT_WINDOW_MS } from './config.js';
import { decodeBybitError } from './errors.js';
import { parseServerTime } from './parse.js';
import { endpointLimitOf, serverTime } from './rest.js';

function header(headers: RawResponse['headers'], lowerName: string): string | undefined {
  const direct = headers[lowerName];
  if (direct !== undefined) return direct;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lowerName) return v;
  return undefined;
}

function nonNegativeInteger(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = value.trim();
  return /^\d{1,15}$/.test(t) ? Number(t) : undefined;
}

/**
 * The endpoint's usage from `X-Bapi-Limit` (its per-second limit), `X-Bapi-Limit-Status` (remaining) and
 * `X-Bapi-Limit-Reset-Timestamp`, as one reading for the request's endpoint limit (per UID, 1 s window),
 * so the governor creates or resizes that window by itself. Empty when the headers are absent (public
 * endpoints) or malformed.
 */
export function usageFromBybitHeaders(headers: RawResponse['headers'], request: RestRequest): RateUsage[] {
  const max = nonNegativeInteger(header(headers, 'x-bapi-limit'));
  const remaining = nonNegativeInteger(header(headers, 'x-bapi-limit-status'));
  if (max === undefined || max === 0 || remaining === undefined) return [];
  const resetAt = nonNegativeInteger(header(headers, 'x-bapi-limit-reset-timestamp'));
  const usage: RateUsage = {
    limit: endpointLimitOf(request),
    windowMs: ENDPOINT_WINDOW_MS,
    used: Math.max(0, max - remaining),
    remaining,
    max,
    scope: 'uid',
  };
  return [resetAt === undefined ? usage : { ...usage, resetAt }];
}

export type BybitRestDialectOptions = BybitSignOptions;

/** A `RestDialect` for Bybit v5 (one host for every category). */
export function createBybitRestDialect(options: BybitRestDialectOptions = {}): RestDialect {
  const signOptions = options.recvWindowMs === undefined ? {} : { recvWindowMs: options.recvWindowMs };
  return {
    venue: 'bybit',
    sign: (request, credentials, timestampMs) => signRestRequest(request, credentials, timestampMs, signOptions),
    decodeError: decodeBybitError,
    usageFromHeaders: usageFromBybitHeaders,
    serverTime: { request: serverTime(), parse: parseServerTime },
  };
}
