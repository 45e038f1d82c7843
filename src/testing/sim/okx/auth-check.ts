/**
 * OKX v5 authentication as the simulator verifies it: the REST `OK-ACCESS-*` headers (HMAC-SHA256 over
 * timestamp + METHOD + requestPath + body, the exact bytes received; ISO timestamp within 30 s of the venue clock)
 * and the private WebSocket `login` (unix-seconds timestamp, `GET/users/self/verify`), each failing with OKX's code.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SimCredentials } from '../trading/engine-types.js';

/** How far (ms) a REST timestamp / WS login timestamp may be from the venue clock (OKX: 30 s). */
export const OKX_AUTH_WINDOW_MS = 30_000;

/** A REST authentication failure: HTTP status and body exactly as OKX answers (recorded shapes). */
export interface OkxAuthFailure {
  readonly status: number;
  readonly body: string;
}

/** The WS login failure: `code` and `msg` of the `event:"error"` frame. */
export interface OkxLoginFailure {
  readonly code: string;
  readonly msg: string;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** `{"msg":...,"code":...}` without `data`, as the recorded 50111 body. */
function headerError(code: string, msg: string): OkxAuthFailure {
  return { status: 401, body: JSON.stringify({ msg, code }) };
}

/** The recorded 50102 body (`code`, `data`, `msg`). */
const TIMESTAMP_EXPIRED: OkxAuthFailure = { status: 401, body: '{"code":"50102","data":[],"msg":"Timestamp request expired"}' };

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function header(headers: Headers, name: string): string | undefined {
  const v = headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

/** Base64 HMAC-SHA256 of `prefix` followed by `body` (raw bytes), with `secret`. */
export function okxSign(secret: string, prefix: string, body: Buffer | string = ''): string {
  const h = createHmac('sha256', secret);
  h.update(prefix);
  h.update(body);
  return h.digest('base64');
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Verifies a signed REST request. `requestPath` is the path and query as received from `/api/v5/` on (a prefix
 * before it, as a proxy path, is not signed); `body` the raw request body. Returns the API key, or the failure.
 */
export function verifyRestRequest(
  method: string,
  requestPath: string,
  body: Buffer,
  headers: Headers,
  lookup: (apiKey: string) => SimCredentials | undefined,
  now: number,
): { readonly apiKey: string } | OkxAuthFailure {
  const key = header(headers, 'ok-access-key');
  if (key === undefined) return headerError('50103', 'Request header OK-ACCESS-KEY can not be empty.');
  const passphrase = header(headers, 'ok-access-passphrase');
  if (passphrase === undefined) return headerError('50104', 'Request header OK-ACCESS-PASSPHRASE can not be empty.');
  const sign = header(headers, 'ok-access-sign');
  if (sign === undefined) return headerError('50106', 'Request header OK-ACCESS-SIGN can not be empty.');
  const timestamp = header(headers, 'ok-access-timestamp');
  if (timestamp === undefined) return headerError('50107', 'Request header OK-ACCESS-TIMESTAMP can not be empty.');
  const at = ISO_MS.test(timestamp) ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(at)) return headerError('50112', 'Invalid OK-ACCESS-TIMESTAMP');
  if (Math.abs(now - at) > OKX_AUTH_WINDOW_MS) return TIMESTAMP_EXPIRED;
  const creds = lookup(key);
  if (creds === undefined) return headerError('50111', 'Invalid OK-ACCESS-KEY');
  if (creds.passphrase === undefined || !sameText(passphrase, creds.passphrase)) return headerError('50105', 'Request header OK-ACCESS-PASSPHRASE incorrect.');
  const expected = okxSign(creds.secret, `${timestamp}${method.toUpperCase()}${requestPath}`, body);
  if (!sameText(sign, expected)) return headerError('50113', 'Invalid Sign');
  return { apiKey: key };
}

/** Verifies one `login` argument (`apiKey`, `passphrase`, `timestamp` in unix seconds, `sign`). */
export function verifyLogin(arg: unknown, lookup: (apiKey: string) => SimCredentials | undefined, now: number): { readonly apiKey: string } | OkxLoginFailure {
  const a = typeof arg === 'object' && arg !== null && !Array.isArray(arg) ? (arg as Record<string, unknown>) : {};
  const { apiKey, passphrase, timestamp, sign } = a;
  if (typeof apiKey !== 'string' || typeof passphrase !== 'string' || typeof timestamp !== 'string' || typeof sign !== 'string') return { code: '60009', msg: 'Login failed.' };
  // Unix seconds; OKX also takes a decimal fraction (`1538054050.975`).
  if (!/^\d{1,12}(\.\d{1,3})?$/.test(timestamp) || Math.abs(now - Number(timestamp) * 1000) > OKX_AUTH_WINDOW_MS) return { code: '60004', msg: 'Invalid timestamp' };
  const creds = lookup(apiKey);
  if (creds === undefined) return { code: '60005', msg: 'Invalid OK-ACCESS-KEY' };
  if (creds.passphrase === undefined || !sameText(passphrase, creds.passphrase)) return { code: '60024', msg: 'Wrong passphrase' };
  if (!sameText(sign, okxSign(creds.secret, `${timestamp}GET/users/self/verify`))) return { code: '60009', msg: 'Login failed.' };
  return { apiKey };
}

/** The signed part of a request target: from `/api/v5/` on (`/www.okx.com/api/v5/x?y` → `/api/v5/x?y`). */
export function signedRequestPath(pathAndQuery: string): string {
  const i = pathAndQuery.indexOf('/api/v5/');
  return i < 0 ? pathAndQuery : pathAndQuery.slice(i);
}
