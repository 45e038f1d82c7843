/**
 * The Binance error table: venue codes (`{"code":-2010,"msg":...}`) and HTTP statuses → `VenueError`
 * codes, plus `decodeBinanceError` for REST responses. Messages carry the venue's `msg`, never secrets.
 */
import type { ErrorCode } from '../../core/errors.js';
import { VenueError } from '../../core/errors.js';
import type { RawResponse, RestRequest } from '../../core/venue.js';
import { VENUE } from './config.js';

/**
 * `ambiguous` = the request may have been executed: `outcome-unknown` for commands, and for reads
 * `timeout` (venue timeouts) or `network`.
 */
export type BinanceErrorVerdict = ErrorCode | 'ambiguous';

/** Binance codes with a fixed meaning (spot `errors.md`, USD-M "Error Codes"). */
export const BINANCE_ERROR_TABLE: ReadonlyMap<number, BinanceErrorVerdict> = new Map<number, BinanceErrorVerdict>([
  [-1000, 'ambiguous'], // UNKNOWN: an unknown error occurred while processing the request
  [-1001, 'ambiguous'], // DISCONNECTED: internal error
  [-1002, 'auth'], // UNAUTHORIZED
  [-1003, 'rate-limited'], // TOO_MANY_REQUESTS (429) or IP banned (418)
  [-1006, 'ambiguous'], // UNEXPECTED_RESP: execution status unknown
  [-1007, 'ambiguous'], // TIMEOUT: execution status unknown
  [-1008, 'rate-limited'], // SERVER_BUSY / request throttled by system-level protection: a failure, retry later
  [-1013, 'rejected'], // INVALID_MESSAGE / filter failure (LOT_SIZE, NOTIONAL...)
  [-1014, 'invalid-argument'], // UNKNOWN_ORDER_COMPOSITION
  [-1015, 'rate-limited'], // TOO_MANY_ORDERS
  [-1016, 'network'], // SERVICE_SHUTTING_DOWN
  [-1020, 'invalid-argument'], // UNSUPPORTED_OPERATION
  [-1021, 'clock-skew'], // INVALID_TIMESTAMP: outside recvWindow or ahead of server time
  [-1022, 'auth'], // INVALID_SIGNATURE
  [-1099, 'auth'], // not found, authenticated, or authorized
  [-1121, 'not-found'], // BAD_SYMBOL
  [-1125, 'not-found'], // INVALID_LISTEN_KEY: this listenKey does not exist
  [-2008, 'auth'], // BAD_API_ID: invalid Api-Key ID
  [-2010, 'rejected'], // NEW_ORDER_REJECTED (insufficient balance, LIMIT_MAKER would take, ...)
  [-2011, 'rejected'], // CANCEL_REJECTED ("Unknown order sent." / "Order does not exist." are refined to not-found below)
  [-2013, 'not-found'], // NO_SUCH_ORDER
  [-2014, 'auth'], // BAD_API_KEY_FMT
  [-2015, 'auth'], // REJECTED_MBX_KEY: invalid API key, IP, or permissions
  [-2018, 'rejected'], // USD-M BALANCE_NOT_SUFFICIENT
  [-2019, 'rejected'], // USD-M MARGIN_NOT_SUFFICIENT
  [-2021, 'rejected'], // USD-M ORDER_WOULD_IMMEDIATELY_TRIGGER
  [-2022, 'rejected'], // USD-M REDUCE_ONLY_REJECT
  [-2026, 'not-found'], // ORDER_ARCHIVED
  [-2035, 'rejected'], // user data stream subscription already active
  [-2036, 'rejected'], // user data stream subscription not active
  [-5021, 'rejected'], // USD-M FOK order rejected: could not be filled completely
  [-5022, 'rejected'], // USD-M post-only (GTX) order rejected: it would take
  [-5000, 'not-found'], // USD-M: "Path /fapi/v1/account, Method GET is invalid"
]);

/** The verdict for a code not in the table, by its range. */
function verdictByRange(code: number): BinanceErrorVerdict | undefined {
  if (code <= -1100 && code >= -1199) return 'invalid-argument'; // 11xx: request parameter issues (-1102 missing, -1111 precision...)
  if (code <= -2000 && code >= -5999) return 'rejected'; // 2xxx order/account, 3xxx margin, 4xxx USD-M filters, 5xxx USD-M order rules
  return undefined;
}

/** The verdict for an HTTP status when the body carries no known code. */
function verdictByStatus(status: number): BinanceErrorVerdict {
  if (status === 429 || status === 418) return 'rate-limited';
  if (status === 401) return 'auth';
  if (status === 403 || status === 451) return 'rejected'; // WAF block, restricted location
  if (status === 404) return 'not-found';
  if (status === 408 || status >= 500) return 'ambiguous';
  return 'invalid-argument';
}

/**
 * The `VenueError` code for a Binance error. HTTP 429/418 always mean rate-limited; 409 (cancelReplace
 * partly done) needs reconciliation; USD-M 503 "Service Unavailable." is a definite failure.
 */
export function binanceErrorCode(venueCode: number | undefined, httpStatus: number | undefined, msg: string, command: boolean): ErrorCode {
  let verdict: BinanceErrorVerdict | undefined;
  if (httpStatus === 429 || httpStatus === 418) verdict = 'rate-limited';
  else if (httpStatus === 409) verdict = command ? 'ambiguous' : 'rejected';
  else if (venueCode === -2011 && /unknown order|does not exist/i.test(msg)) verdict = 'not-found';
  else if (venueCode !== undefined) verdict = BINANCE_ERROR_TABLE.get(venueCode) ?? verdictByRange(venueCode);
  if (verdict === undefined && httpStatus === 503 && /service unavailable/i.test(msg)) verdict = 'network';
  if (verdict === undefined) verdict = httpStatus === undefined ? 'rejected' : verdictByStatus(httpStatus);
  if (verdict !== 'ambiguous') return verdict;
  if (command) return 'outcome-unknown';
  return venueCode === -1007 || httpStatus === 408 ? 'timeout' : 'network';
}

function header(headers: RawResponse['headers'], name: string): string | undefined {
  const direct = headers[name] ?? headers[name.toLowerCase()];
  if (direct !== undefined) return direct;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/**
 * How long to wait, in ms: the `Retry-After` header (seconds), else an "IP banned until <epoch ms>"
 * message measured against the response's `Date` header.
 */
function retryAfterMs(response: RawResponse, msg: string): number | undefined {
  const retryAfter = header(response.headers, 'Retry-After');
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter.trim())) return Number(retryAfter.trim()) * 1000;
  const until = /banned until (\d{13})/i.exec(msg);
  const date = header(response.headers, 'Date');
  if (until?.[1] !== undefined && date !== undefined) {
    const now = Date.parse(date);
    if (!Number.isNaN(now)) return Math.max(0, Number(until[1]) - now);
  }
  return undefined;
}

/** `{code, msg}` from a body, or undefined when it is not a Binance error body. */
function errorBody(text: string): { code: number; msg: string } | undefined {
  if (text === '' || text[0] !== '{') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { code, msg } = parsed as { code?: unknown; msg?: unknown };
  if (typeof code !== 'number' || !Number.isInteger(code)) return undefined;
  return { code, msg: typeof msg === 'string' ? msg : '' };
}

/**
 * The error a Binance REST response stands for, or undefined when it succeeded. Covers non-2xx statuses
 * (with or without a JSON body) and 2xx bodies carrying a negative `code`.
 */
export function decodeBinanceError(response: RawResponse, request: RestRequest): VenueError | undefined {
  const body = errorBody(response.body);
  const ok = response.status >= 200 && response.status < 300;
  if (ok && (body === undefined || body.code >= 0)) return undefined;
  const command = request.command === true;
  const msg = body?.msg ?? `HTTP ${response.status}${response.body === '' ? '' : `: ${response.body.slice(0, 120)}`}`;
  const code = binanceErrorCode(body?.code, ok ? undefined : response.status, msg, command);
  const details = {
    venue: VENUE,
    httpStatus: response.status,
    operation: `${request.method} ${request.path}`,
    ...(body === undefined ? {} : { venueCode: String(body.code) }),
    ...(code === 'rate-limited' ? { retryAfterMs: retryAfterMs(response, msg) } : {}),
  };
  const text = response.status === 403 && body === undefined ? `blocked by the web application firewall (${msg})` : msg;
  return new VenueError(code, text, details);
}
