/**
 * The OKX error table (protocols.md §4.8 plus the recorded error bodies): venue codes of REST envelopes
 * (`{"code":"50011","msg":...}`), per-item `sCode`s and WebSocket `event:error` codes → `VenueError` codes,
 * and `decodeOkxError` for REST responses. Messages carry the venue's `msg`, never secrets.
 */
import type { ErrorCode } from '../../core/errors.js';
import { VenueError } from '../../core/errors.js';
import type { RawResponse, RestRequest } from '../../core/venue.js';
import { VENUE } from './config.js';

/**
 * `ambiguous` = the request may have been executed: `outcome-unknown` for commands, and for reads
 * `timeout` (venue timeouts) or `network`.
 */
export type OkxErrorVerdict = ErrorCode | 'ambiguous';

/** OKX codes with a fixed meaning (REST 5xxxx, WebSocket 6xxxx). */
export const OKX_ERROR_TABLE: ReadonlyMap<string, OkxErrorVerdict> = new Map<string, OkxErrorVerdict>([
  ['50001', 'network'], // service temporarily unavailable (503)
  ['50004', 'ambiguous'], // endpoint request timeout: the result is unknown, query the order
  ['50011', 'rate-limited'], // rate limit reached (429, or 200 "Rate limit reached...")
  ['50013', 'rate-limited'], // system busy (429): a failure, retry later
  ['50026', 'ambiguous'], // system error (500)
  ['50061', 'rate-limited'], // sub-account order rate limit
  ['50102', 'clock-skew'], // timestamp request expired
  ['50103', 'auth'], // OK-ACCESS-KEY header missing
  ['50104', 'auth'], // OK-ACCESS-PASSPHRASE header missing
  ['50105', 'auth'], // wrong OK-ACCESS-PASSPHRASE
  ['50106', 'auth'], // OK-ACCESS-SIGN header missing
  ['50107', 'auth'], // OK-ACCESS-TIMESTAMP header missing
  ['50111', 'auth'], // invalid OK-ACCESS-KEY
  ['50112', 'clock-skew'], // invalid OK-ACCESS-TIMESTAMP
  ['50113', 'auth'], // invalid signature
  ['50014', 'invalid-argument'], // parameter {0} can not be empty
  ['51000', 'invalid-argument'], // parameter error
  ['51001', 'not-found'], // instrument ID does not exist
  ['51008', 'rejected'], // insufficient balance / margin
  ['51016', 'rejected'], // duplicated client order id
  ['51020', 'rejected'], // order amount below the minimum
  ['51119', 'rejected'], // order placement failed: insufficient balance
  ['51121', 'rejected'], // not a multiple of the lot size
  ['51127', 'rejected'], // available balance is 0
  ['51131', 'rejected'], // insufficient balance
  ['51400', 'rejected'], // cancel failed: order already filled, cancelled or missing
  ['51401', 'rejected'], // cancel failed: order already cancelled
  ['51402', 'rejected'], // cancel failed: order already filled
  ['51407', 'invalid-argument'], // cancel/query needs the order id or the client order id
  ['51410', 'rejected'], // cancel failed: the order is already being cancelled
  ['51503', 'rejected'], // amend failed: order already filled or cancelled
  ['51603', 'not-found'], // order does not exist
  ['60004', 'clock-skew'], // WS login: invalid timestamp
  ['60005', 'auth'], // WS: invalid apiKey
  ['60006', 'clock-skew'], // WS login: timestamp request expired
  ['60007', 'auth'], // WS login: invalid sign
  ['60009', 'auth'], // WS login failure
  ['60011', 'auth'], // WS: please log in
  ['60012', 'invalid-argument'], // WS: invalid request
  ['60014', 'rate-limited'], // WS: requests too frequent
  ['60018', 'not-found'], // WS: wrong URL, channel or instrument
  ['60024', 'auth'], // WS: wrong passphrase
  ['60029', 'rejected'], // WS: channel needs a higher VIP tier
  ['60030', 'rejected'], // WS: channel needs a higher VIP tier
  ['60031', 'auth'], // WS login: API key does not exist / batch login not supported
  ['63999', 'network'], // WS login: internal error, try again later
  ['64003', 'rejected'], // WS: channel needs a higher VIP tier
  ['64008', 'network'], // WS: the connection closes soon for a service upgrade
]);

/** OKX meters every endpoint in 2-second windows and sends no Retry-After: wait one window. */
const RATE_LIMIT_WINDOW_MS = 2000;

/** The verdict for a code not in the table, by its range. */
function verdictByRange(code: string): OkxErrorVerdict | undefined {
  if (!/^\d{5}$/.test(code)) return undefined;
  if (code.startsWith('501')) return 'auth'; // 501xx: API key, signature, permissions
  if (code >= '51000' && code <= '59999') return 'rejected'; // trading, account, funding rules
  if (code.startsWith('6')) return 'invalid-argument'; // WebSocket request problems
  return undefined;
}

/** The verdict for an HTTP status when the body carries no known code. */
function verdictByStatus(status: number): OkxErrorVerdict {
  if (status === 429) return 'rate-limited';
  if (status === 401) return 'auth';
  if (status === 403) return 'rejected';
  if (status === 404) return 'not-found';
  if (status === 408 || status >= 500) return 'ambiguous';
  return 'invalid-argument';
}

/** The `VenueError` code for an OKX error code (and HTTP status when there is one). */
export function okxErrorCode(venueCode: string | undefined, httpStatus: number | undefined, command: boolean): ErrorCode {
  let verdict: OkxErrorVerdict | undefined;
  if (httpStatus === 429) verdict = 'rate-limited';
  else if (venueCode !== undefined) verdict = OKX_ERROR_TABLE.get(venueCode) ?? verdictByRange(venueCode);
  if (verdict === undefined) verdict = httpStatus === undefined || (httpStatus >= 200 && httpStatus < 300) ? 'rejected' : verdictByStatus(httpStatus);
  if (verdict !== 'ambiguous') return verdict;
  if (command) return 'outcome-unknown';
  return venueCode === '50004' || httpStatus === 408 ? 'timeout' : 'network';
}

/** The error for a venue code and message (WebSocket `event:error`, `sCode`), without an HTTP context. */
export function okxError(venueCode: string | undefined, msg: string, details: { command?: boolean; operation?: string } = {}): VenueError {
  const code = okxErrorCode(venueCode, undefined, details.command === true);
  return new VenueError(code, msg === '' ? 'request failed' : msg, {
    venue: VENUE,
    ...(venueCode === undefined ? {} : { venueCode }),
    ...(details.operation === undefined ? {} : { operation: details.operation }),
    ...(code === 'rate-limited' ? { retryAfterMs: RATE_LIMIT_WINDOW_MS } : {}),
  });
}

interface ErrorBody {
  /** `code` as a string ("0" = success); numeric codes (the 404 body, 2021 rate-limit bodies) are stringified. */
  readonly code: string;
  readonly msg: string;
  /** First failing item of a batch (`code` "1"/"2"): its `sCode` and `sMsg`. */
  readonly item?: { readonly code: string; readonly msg: string };
}

/** `{code, msg}` from an OKX body, or undefined when it is not an OKX envelope. */
function errorBody(text: string): ErrorBody | undefined {
  if (text === '' || text[0] !== '{') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { code, msg, data } = parsed as { code?: unknown; msg?: unknown; data?: unknown };
  const codeText = typeof code === 'string' ? code : typeof code === 'number' && Number.isInteger(code) ? String(code) : undefined;
  if (codeText === undefined) return undefined;
  const body: { code: string; msg: string; item?: { code: string; msg: string } } = { code: codeText, msg: typeof msg === 'string' ? msg : '' };
  if (Array.isArray(data)) {
    for (const row of data as unknown[]) {
      const s = row as { sCode?: unknown; sMsg?: unknown } | null;
      if (typeof s === 'object' && s !== null && typeof s.sCode === 'string' && s.sCode !== '0') {
        body.item = { code: s.sCode, msg: typeof s.sMsg === 'string' ? s.sMsg : '' };
        break;
      }
    }
  }
  return body;
}

function header(headers: RawResponse['headers'], name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/**
 * The error an OKX REST response stands for, or undefined when it succeeded: a non-2xx status (with or
 * without a JSON body) or an envelope whose `code` is not "0". For batch failures (`code` "1"/"2") the first
 * failing item's `sCode`/`sMsg` decide. Rate limits carry `retryAfterMs` (Retry-After, else one 2 s window).
 */
export function decodeOkxError(response: RawResponse, request: RestRequest): VenueError | undefined {
  const body = errorBody(response.body);
  const ok = response.status >= 200 && response.status < 300;
  if (ok && (body === undefined || body.code === '0')) return undefined;
  const command = request.command === true;
  const venueCode = body?.item?.code ?? body?.code;
  const msgText = body?.item?.msg || body?.msg || `HTTP ${response.status}${response.body === '' ? '' : `: ${response.body.slice(0, 120)}`}`;
  const code = okxErrorCode(venueCode, ok ? undefined : response.status, command);
  let retryAfterMs: number | undefined;
  if (code === 'rate-limited') {
    const retryAfter = header(response.headers, 'Retry-After')?.trim();
    retryAfterMs = retryAfter !== undefined && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : RATE_LIMIT_WINDOW_MS;
  }
  return new VenueError(code, msgText, {
    venue: VENUE,
    httpStatus: response.status,
    operation: `${request.method} ${request.path}`,
    ...(venueCode === undefined ? {} : { venueCode }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}
