/**
 * Bybit v5 authentication as the simulator checks it: the signed REST headers (HMAC-SHA256 over timestamp + key +
 * recvWindow + the exact query string or body bytes, the venue clock window) and the private WebSocket `auth` op.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SimCredentials } from '../trading/engine-types.js';

/** A REST authentication verdict: the key when it passed, else the venue's retCode and message. */
export type BybitAuthVerdict = { readonly ok: true; readonly apiKey: string } | { readonly ok: false; readonly retCode: number; readonly retMsg: string };

/** What the REST check reads from a request. */
export interface SignedRequestParts {
  /** Lower-cased header names (node's `IncomingMessage.headers`). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** GET: the raw query string after `?` as received; POST: the raw body text as received. */
  readonly payload: string;
}

const DEFAULT_RECV_WINDOW = 5000;

/** Lowercase hex HMAC-SHA256 of `text` under `secret`. */
export function hmacHex(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text, 'utf8').digest('hex');
}

function header(h: SignedRequestParts['headers'], name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

function sameHex(expected: string, given: string): boolean {
  if (expected.length !== given.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}

/**
 * Verifies a signed v5 REST request against the key store and the venue clock `now`:
 * 10003 unknown or missing key, 10002 timestamp outside `now - recvWindow <= ts < now + 1000`, 10004 bad signature.
 */
export function verifyRestSignature(req: SignedRequestParts, now: number, credentials: (apiKey: string) => SimCredentials | undefined): BybitAuthVerdict {
  const apiKey = header(req.headers, 'x-bapi-api-key');
  const creds = apiKey === undefined || apiKey === '' ? undefined : credentials(apiKey);
  if (apiKey === undefined || creds === undefined) return { ok: false, retCode: 10003, retMsg: 'API key is invalid.' };
  const tsText = header(req.headers, 'x-bapi-timestamp') ?? '';
  const windowText = header(req.headers, 'x-bapi-recv-window') ?? String(DEFAULT_RECV_WINDOW);
  const sign = header(req.headers, 'x-bapi-sign') ?? '';
  if (!/^\d{1,16}$/.test(tsText) || !/^\d{1,9}$/.test(windowText)) {
    return { ok: false, retCode: 10002, retMsg: `invalid request, please check your server timestamp or recv_window param. req_timestamp[${tsText}],server_timestamp[${now}],recv_window[${windowText}]` };
  }
  const ts = Number(tsText);
  const recvWindow = Number(windowText);
  if (ts < now - recvWindow || ts >= now + 1000) {
    return { ok: false, retCode: 10002, retMsg: `invalid request, please check your server timestamp or recv_window param. req_timestamp[${ts}],server_timestamp[${now}],recv_window[${recvWindow}]` };
  }
  // The header's own text is signed, not a re-formatted number (a client sending "05000" signs "05000").
  const origin = `${tsText}${apiKey}${header(req.headers, 'x-bapi-recv-window') ?? ''}${req.payload}`;
  if (!sameHex(hmacHex(creds.secret, origin), sign.toLowerCase())) {
    return { ok: false, retCode: 10004, retMsg: `error sign! origin_string[${origin}]` };
  }
  return { ok: true, apiKey };
}

/** A private-stream auth verdict: the key, or the `ret_msg` of the failed `auth` answer. */
export type BybitWsAuthVerdict = { readonly ok: true; readonly apiKey: string } | { readonly ok: false; readonly retMsg: string };

/**
 * Verifies `{"op":"auth","args":[apiKey, expires, signature]}`: `expires` (ms, number or string) must lie in the
 * future of the venue clock, signature = hex HMAC-SHA256(secret, "GET/realtime" + expires).
 */
export function verifyWsAuth(args: unknown, now: number, credentials: (apiKey: string) => SimCredentials | undefined): BybitWsAuthVerdict {
  if (!Array.isArray(args) || args.length !== 3) return { ok: false, retMsg: 'Params Error' };
  const [apiKey, expires, signature] = args as unknown[];
  const expiresText = typeof expires === 'number' && Number.isSafeInteger(expires) ? String(expires) : typeof expires === 'string' && /^\d{1,16}$/.test(expires) ? expires : undefined;
  if (typeof apiKey !== 'string' || typeof signature !== 'string' || expiresText === undefined) return { ok: false, retMsg: 'Params Error' };
  const creds = credentials(apiKey);
  if (creds === undefined) return { ok: false, retMsg: 'API key is invalid.' };
  if (Number(expiresText) <= now) return { ok: false, retMsg: 'Params Error' };
  if (!sameHex(hmacHex(creds.secret, `GET/realtime${expiresText}`), signature.toLowerCase())) return { ok: false, retMsg: 'Error sign, please check your signature generation algorithm.' };
  return { ok: true, apiKey };
}
