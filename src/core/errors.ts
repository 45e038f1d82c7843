/**
 * The one error class venuekit throws, with a closed set of stable codes. Venue folders map their own
 * codes onto these (exchanges/<x>/errors.ts); nothing here knows any venue. Never carries secrets.
 */

/** Stable error codes. Switch on these, never on messages. */
export type ErrorCode =
  /** Connection reset, refused, DNS, TLS, socket closed. Retryable. */
  | 'network'
  /** No answer in time for a read. Commands that time out become `outcome-unknown` instead. */
  | 'timeout'
  /** Over a venue limit (429/418, -1003, 10006, 50011...). Retry after `retryAfterMs`. */
  | 'rate-limited'
  /** Bad key, signature, passphrase or permissions. Not retryable. */
  | 'auth'
  /** The venue definitively refused (insufficient balance, filter, post-only would cross...). */
  | 'rejected'
  /** Unknown order, symbol or path on the venue. */
  | 'not-found'
  /** A command may have reached the venue; reconcile by query, never resend blindly. */
  | 'outcome-unknown'
  /** We refused to call because the venue's circuit is open. */
  | 'circuit-open'
  /** A payload did not match its wire type, or a number was not a valid decimal. */
  | 'decode'
  /** A caller error caught before anything was sent. */
  | 'invalid-argument'
  /** An order book failed a sequence, checksum or crossed-book check. */
  | 'book-integrity'
  /** Local clock too far from the venue's (-1021, 10002, 50102...). */
  | 'clock-skew'
  /** The operation was cancelled or the owner was closed. */
  | 'closed';

export const ERROR_CODES: readonly ErrorCode[] = [
  'network',
  'timeout',
  'rate-limited',
  'auth',
  'rejected',
  'not-found',
  'outcome-unknown',
  'circuit-open',
  'decode',
  'invalid-argument',
  'book-integrity',
  'clock-skew',
  'closed',
];

const RETRYABLE: ReadonlySet<ErrorCode> = new Set(['network', 'timeout', 'rate-limited', 'clock-skew', 'book-integrity']);

export interface VenueErrorDetails {
  /** Which venue, e.g. `'binance'`. */
  venue?: string | undefined;
  /** The venue's own code, as a string (`'-2010'`, `'110007'`, `'51008'`). */
  venueCode?: string | undefined;
  /** HTTP status when the error came from an HTTP response. */
  httpStatus?: number | undefined;
  /** When to retry, for `rate-limited`. */
  retryAfterMs?: number | undefined;
  /**
   * For `rate-limited`: the one limit the venue says is spent (a per-endpoint limit such as Bybit's 10006).
   * Only requests drawing from it wait; absent means every request to that host waits.
   */
  retryLimit?: string | undefined;
  /** Where it happened, e.g. `'GET /api/v3/depth'` (never a signed query string). */
  operation?: string | undefined;
  cause?: unknown;
}

const BRAND = Symbol.for('venuekit.VenueError');

/** The single error class of the library. `code` is stable; `message` is for humans. */
export class VenueError extends Error {
  readonly code: ErrorCode;
  readonly venue: string | undefined;
  readonly venueCode: string | undefined;
  readonly httpStatus: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly retryLimit: string | undefined;
  readonly operation: string | undefined;

  constructor(code: ErrorCode, message: string, details: VenueErrorDetails = {}) {
    const where = [details.venue, code, details.venueCode].filter((x) => x !== undefined).join(' ');
    const op = details.operation ? ` (${details.operation})` : '';
    super(`${where}: ${redact(message)}${op}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'VenueError';
    this.code = code;
    this.venue = details.venue;
    this.venueCode = details.venueCode;
    this.httpStatus = details.httpStatus;
    this.retryAfterMs = details.retryAfterMs;
    this.retryLimit = details.retryLimit;
    this.operation = details.operation;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** Whether repeating the same read may succeed. Commands are never retried on this alone. */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }

  /** Works across duplicate copies of the package. */
  static is(value: unknown, code?: ErrorCode): value is VenueError {
    const ok = typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
    return ok && (code === undefined || (value as VenueError).code === code);
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      venue: this.venue,
      venueCode: this.venueCode,
      httpStatus: this.httpStatus,
      retryAfterMs: this.retryAfterMs,
      operation: this.operation,
      message: this.message,
    };
  }
}

const SECRET_PARAMS = /\b(signature|apiKey|api_key|secret|passphrase|sign|listenKey|X-MBX-APIKEY|X-BAPI-API-KEY|X-BAPI-SIGN|OK-ACCESS-KEY|OK-ACCESS-SIGN|OK-ACCESS-PASSPHRASE)(["']?\s*[=:]\s*["']?)([^&"'\s,}]+)/gi;

/** Removes anything that looks like a credential or signature from a message. */
export function redact(text: string): string {
  return text.replace(SECRET_PARAMS, (_m, k: string, sep: string) => `${k}${sep}[redacted]`);
}

/** Converts anything thrown into a VenueError, keeping VenueErrors and abort reasons as they are. */
export function toVenueError(err: unknown, fallback: ErrorCode = 'network', details: VenueErrorDetails = {}): VenueError {
  if (VenueError.is(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new VenueError(fallback, message, { ...details, cause: err });
}
