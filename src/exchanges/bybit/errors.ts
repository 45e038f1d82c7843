/**
 * The Bybit error table: v5 `retCode`s and HTTP statuses → `VenueError` codes, plus `decodeBybitError` for
 * REST responses (errors usually arrive as HTTP 200 with `retCode != 0`). Messages carry `retMsg`, never secrets.
 */
import type { ErrorCode } from '../../core/errors.js';
import { VenueError } from '../../core/errors.js';
import type { RawResponse, RestRequest } from '../../core/venue.js';
import { IP_BAN_MS, VENUE } from './config.js';
import { endpointLimitOf } from './rest.js';

/**
 * `ambiguous` = the request may have been executed: `outcome-unknown` for commands, and for reads
 * `timeout` (venue timeouts) or `network`.
 */
export type BybitErrorVerdict = ErrorCode | 'ambiguous';

/** retCodes with a fixed meaning (protocols.md §3.8, `error.mdx`, the recorded error bodies). */
export const BYBIT_ERROR_TABLE: ReadonlyMap<number, BybitErrorVerdict> = new Map<number, BybitErrorVerdict>([
  [10000, 'ambiguous'], // server timeout
  [10001, 'invalid-argument'], // parameter error
  [10002, 'clock-skew'], // request outside recv_window / timestamp ahead of server
  [10003, 'auth'], // API key invalid (also WS: too many sessions)
  [10004, 'auth'], // error sign
  [10005, 'auth'], // permission denied
  [10006, 'rate-limited'], // too many visits (per-UID endpoint limit)
  [10007, 'auth'], // user authentication failed
  [10008, 'rejected'], // account banned / wrong account mode
  [10009, 'auth'], // IP banned
  [10010, 'auth'], // unmatched IP (key bound to other IPs)
  [10014, 'rejected'], // invalid duplicate request
  [10016, 'ambiguous'], // server error (service restarting)
  [10017, 'not-found'], // route not found
  [10018, 'rate-limited'], // exceeded the IP rate limit
  [10019, 'ambiguous'], // service restarting (WS trade): the command may or may not have been taken
  [10024, 'rejected'], // compliance rules
  [10027, 'rejected'], // transactions banned
  [10029, 'invalid-argument'], // symbol not in the key's whitelist
  [10403, 'rate-limited'], // WS trade: IP over 3000 requests/s
  [10404, 'invalid-argument'], // WS trade: op type not found
  [10429, 'rate-limited'], // WS trade: system frequency protection
  [20003, 'rate-limited'], // WS trade: session created too frequently
  [20006, 'rejected'], // WS trade: duplicate reqId
  [33004, 'auth'], // API key expired
  [110001, 'not-found'], // order does not exist
  [110003, 'rejected'], // price out of range
  [110004, 'rejected'], // insufficient wallet balance
  [110006, 'rejected'], // cannot afford the estimated position margin
  [110007, 'rejected'], // insufficient available balance
  [110008, 'rejected'], // order already completed or cancelled
  [110009, 'rejected'], // too many conditional orders
  [110010, 'rejected'], // order already cancelled
  [110012, 'rejected'], // insufficient available balance
  [110017, 'rejected'], // quantity truncated to zero
  [110019, 'invalid-argument'], // order id malformed
  [110020, 'rejected'], // more than 500 active orders
  [110025, 'rejected'], // position mode not modified
  [110043, 'rejected'], // leverage not modified
  [110044, 'rejected'], // available margin insufficient
  [110045, 'rejected'], // wallet balance insufficient
  [110072, 'rejected'], // duplicate orderLinkId
  [110094, 'rejected'], // order value below the minimum notional
  [170121, 'not-found'], // spot: invalid symbol
  [170130, 'invalid-argument'], // spot: a parameter value is not valid
  [170131, 'rejected'], // spot: insufficient balance
  [170136, 'rejected'], // spot: quantity below the minimum
  [170210, 'rejected'], // spot: new order rejected
  [170213, 'not-found'], // spot: order does not exist
]);

/** The verdict for a retCode not in the table, by its family. */
function verdictByRange(code: number): BybitErrorVerdict | undefined {
  if (code >= 110000 && code <= 139999) return 'rejected'; // derivatives / UTA order and position rules
  if (code >= 170000 && code <= 179999) return 'rejected'; // spot order rules
  if (code >= 180000 && code <= 189999) return 'rejected'; // spot/margin/earn business rules
  if (code >= 10000 && code <= 10099) return 'invalid-argument'; // other request-level problems
  return undefined;
}

/** The verdict for an HTTP status when the body carries no retCode. */
function verdictByStatus(status: number): BybitErrorVerdict {
  if (status === 403 || status === 429) return 'rate-limited'; // 403: IP rate limit ("access too frequent") or banned region
  if (status === 401) return 'auth';
  if (status === 404) return 'not-found';
  if (status === 408 || status >= 500) return 'ambiguous';
  return 'invalid-argument';
}

/** The `VenueError` code for a Bybit retCode and/or HTTP status. */
export function bybitErrorCode(retCode: number | undefined, httpStatus: number | undefined, command: boolean): ErrorCode {
  let verdict: BybitErrorVerdict | undefined;
  if (retCode !== undefined) verdict = BYBIT_ERROR_TABLE.get(retCode) ?? verdictByRange(retCode);
  if (verdict === undefined) verdict = httpStatus === undefined || (httpStatus >= 200 && httpStatus < 300) ? 'rejected' : verdictByStatus(httpStatus);
  if (verdict !== 'ambiguous') return verdict;
  if (command) return 'outcome-unknown';
  return retCode === 10000 || httpStatus === 408 ? 'timeout' : 'network';
}

function header(headers: RawResponse['headers'], name: string): string | undefined {
  const lower = name.toLowerCase();
  const direct = headers[name] ?? headers[lower];
  if (direct !== undefined) return direct;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** `{retCode, retMsg, time}` from a body, or undefined when it is not a Bybit envelope. */
export function envelopeOf(text: string): { retCode: number; retMsg: string; time: number | undefined } | undefined {
  if (text === '' || text.trimStart()[0] !== '{') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { retCode, retMsg, time } = parsed as { retCode?: unknown; retMsg?: unknown; time?: unknown };
  if (typeof retCode !== 'number' || !Number.isInteger(retCode)) return undefined;
  return { retCode, retMsg: typeof retMsg === 'string' ? retMsg : '', time: typeof time === 'number' ? time : undefined };
}

/**
 * How long to wait, in ms: until `X-Bapi-Limit-Reset-Timestamp`, measured against the server's own clock
 * (the body's `time`, else the `Timenow` or `Date` header); a 403 IP ban lasts at least 10 minutes.
 */
function retryAfterMs(response: RawResponse, serverTime: number | undefined): number | undefined {
  const reset = header(response.headers, 'X-Bapi-Limit-Reset-Timestamp');
  if (reset !== undefined && /^\d{10,16}$/.test(reset.trim())) {
    const timenow = header(response.headers, 'Timenow');
    const date = header(response.headers, 'Date');
    const now = serverTime ?? (timenow !== undefined && /^\d+$/.test(timenow.trim()) ? Number(timenow.trim()) : date === undefined ? NaN : Date.parse(date));
    if (!Number.isNaN(now)) return Math.max(0, Number(reset.trim()) - now);
  }
  if (response.status === 403) return IP_BAN_MS;
  const retryAfter = header(response.headers, 'Retry-After');
  if (retryAfter !== undefined && /^\d+$/.test(retryAfter.trim())) return Number(retryAfter.trim()) * 1000;
  return undefined;
}

/**
 * The error a Bybit REST response stands for, or undefined when it succeeded: non-2xx statuses (with or
 * without an envelope) and 2xx envelopes with `retCode != 0`.
 */
export function decodeBybitError(response: RawResponse, request: RestRequest): VenueError | undefined {
  const body = envelopeOf(response.body);
  const ok = response.status >= 200 && response.status < 300;
  if (ok && (body === undefined || body.retCode === 0)) return undefined;
  const retCode = body === undefined || body.retCode === 0 ? undefined : body.retCode;
  const code = bybitErrorCode(retCode, ok ? undefined : response.status, request.command === true);
  let msg = body?.retMsg ?? `HTTP ${response.status}${response.body === '' ? '' : `: ${response.body.slice(0, 120)}`}`;
  if (response.status === 403 && retCode === undefined) msg = `access too frequent or forbidden from this IP (${msg})`;
  const details = {
    venue: VENUE,
    httpStatus: response.status,
    operation: `${request.method} ${request.path}`,
    ...(retCode === undefined ? {} : { venueCode: String(retCode) }),
    ...(code === 'rate-limited' ? { retryAfterMs: retryAfterMs(response, body?.time) } : {}),
    // 10006 is one endpoint's per-UID limit: only that endpoint waits. A 403 is the whole IP.
    ...(code === 'rate-limited' && retCode === 10006 ? { retryLimit: endpointLimitOf(request) } : {}),
  };
  return new VenueError(code, msg, details);
}

/** The error an envelope with `retCode != 0` stands for, when a parser is handed one. */
export function envelopeError(retCode: number, retMsg: string, operation: string): VenueError {
  return new VenueError(bybitErrorCode(retCode, undefined, false), retMsg === '' ? `retCode ${retCode}` : retMsg, { venue: VENUE, venueCode: String(retCode), operation });
}
