/**
 * The OKX `RestDialect`: signing (with the demo header when configured), error decoding, no usage headers
 * (OKX sends none; limits are the static per-endpoint table in rest.ts), and the server-time request.
 * Pure; the core sends the requests.
 */
import type { RateUsage, RestDialect } from '../../core/venue.js';
import { signRestRequest } from './auth.js';
import { decodeOkxError } from './errors.js';
import { parseServerTime } from './parse.js';
import { serverTime } from './rest.js';

export interface OkxRestDialectOptions {
  /** Demo trading: every request carries `x-simulated-trading: 1`. */
  readonly simulatedTrading?: boolean;
}

/** OKX reports no rate-limit usage in headers (protocols.md §4.4). */
export function usageFromOkxHeaders(): RateUsage[] {
  return [];
}

/** A `RestDialect` for OKX (every request goes to the one `rest` api). */
export function createOkxRestDialect(options: OkxRestDialectOptions = {}): RestDialect {
  const signOptions = options.simulatedTrading === true ? { simulatedTrading: true } : {};
  return {
    venue: 'okx',
    sign: (request, credentials, timestampMs) => signRestRequest(request, credentials, timestampMs, signOptions),
    decodeError: decodeOkxError,
    usageFromHeaders: usageFromOkxHeaders,
    serverTime: { request: serverTime(), parse: parseServerTime },
  };
}
