/**
 * Bybit v5 signing: REST (`X-BAPI-*` headers over `timestamp + apiKey + recvWindow + (queryString | jsonBody)`)
 * and the WebSocket auth payload (`GET/realtime{expires}`). HMAC-SHA256 gives lowercase hex, RSA-SHA256
 * base64, picked from the secret. Signatures and secrets never reach errors.
 */
import { createHmac, createPrivateKey, sign as signWithKey, type KeyObject } from 'node:crypto';
import { Decimal } from '../../core/decimal.js';
import { VenueError } from '../../core/errors.js';
import type { Credentials, QueryValue, RestRequest, WireRequest } from '../../core/venue.js';
import { DEFAULT_RECV_WINDOW_MS, VENUE } from './config.js';

/** How a secret signs: an HMAC key, or an RSA private key in PEM (PKCS#8 or PKCS#1). */
export type BybitKeyType = 'hmac' | 'rsa';

type Signer = { readonly keyType: BybitKeyType; sign(payload: string): string };

// Parsed keys per Credentials object, so PEM parsing happens once and no secret is used as a map key.
const signers = new WeakMap<Credentials, Signer>();

function authError(message: string, cause?: unknown): VenueError {
  return new VenueError('auth', message, cause === undefined ? { venue: VENUE } : { venue: VENUE, cause });
}

function createSigner(secret: string): Signer {
  if (secret === '') throw authError('the API secret is empty');
  if (!secret.includes('-----BEGIN')) {
    return { keyType: 'hmac', sign: (payload) => createHmac('sha256', secret).update(payload, 'utf8').digest('hex') };
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(secret);
  } catch (err) {
    // node:crypto's message never contains key material, but keep only its class of failure.
    throw authError('the API secret looks like a PEM key but could not be read as a private key', err instanceof Error ? err.name : undefined);
  }
  if (key.asymmetricKeyType !== 'rsa') throw authError(`unsupported private key type ${String(key.asymmetricKeyType)} (Bybit takes HMAC secrets or RSA keys)`);
  return { keyType: 'rsa', sign: (payload) => signWithKey('sha256', Buffer.from(payload, 'utf8'), key).toString('base64') };
}

function signerFor(credentials: Credentials): Signer {
  const cached = signers.get(credentials);
  if (cached !== undefined) return cached;
  const signer = createSigner(credentials.secret);
  signers.set(credentials, signer);
  return signer;
}

/** The key type a secret signs with. @throws {VenueError} `auth` for an unreadable or unsupported key. */
export function keyTypeOf(credentials: Credentials): BybitKeyType {
  return signerFor(credentials).keyType;
}

/** Signs a payload: HMAC-SHA256 lowercase hex, or RSA-SHA256 (PKCS#1 v1.5) base64. */
export function signPayload(payload: string, credentials: Credentials): string {
  return signerFor(credentials).sign(payload);
}

/** `k=v&k=v` in insertion order, values percent-encoded, undefined entries left out: both what is sent and what is signed. */
export function encodeQuery(params: Readonly<Record<string, QueryValue>>): string {
  let out = '';
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (out !== '') out += '&';
    out += `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`;
  }
  return out;
}

/** The JSON body as sent (and signed): Decimals and bigints become strings, undefined fields are dropped. */
export function encodeBody(body: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Decimal ? v.toString() : v));
}

/** The string Bybit signs: `timestamp + apiKey + recvWindow + (queryString | jsonBody)`. */
export function restSignaturePayload(timestampMs: number, apiKey: string, recvWindowMs: number, queryOrBody: string): string {
  return `${timestampMs}${apiKey}${recvWindowMs}${queryOrBody}`;
}

export interface BybitSignOptions {
  /** `X-BAPI-RECV-WINDOW` for signed requests; default 5000 ms. */
  readonly recvWindowMs?: number;
}

/**
 * Turns a `RestRequest` into its wire form. GET/DELETE parameters go in the query string, POST/PUT bodies
 * as JSON. Signed requests carry `X-BAPI-API-KEY`, `X-BAPI-TIMESTAMP`, `X-BAPI-RECV-WINDOW`, `X-BAPI-SIGN`
 * (and `X-BAPI-SIGN-TYPE: 2` for HMAC), the signature covering exactly the bytes sent.
 * @throws {VenueError} `auth` when a signed request has no credentials.
 */
export function signRestRequest(request: RestRequest, credentials: Credentials | undefined, timestampMs: number, options: BybitSignOptions = {}): WireRequest {
  const headers: Record<string, string> = {};
  const queryString = request.query === undefined ? '' : encodeQuery(request.query);
  const pathAndQuery = queryString === '' ? request.path : `${request.path}?${queryString}`;
  const body = request.body === undefined ? undefined : encodeBody(request.body);
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (request.signed) {
    if (credentials === undefined) throw authError(`${request.method} ${request.path} needs API credentials`);
    const recvWindow = options.recvWindowMs ?? DEFAULT_RECV_WINDOW_MS;
    const signer = signerFor(credentials);
    headers['X-BAPI-API-KEY'] = credentials.apiKey;
    headers['X-BAPI-TIMESTAMP'] = String(timestampMs);
    headers['X-BAPI-RECV-WINDOW'] = String(recvWindow);
    headers['X-BAPI-SIGN'] = signer.sign(restSignaturePayload(timestampMs, credentials.apiKey, recvWindow, body ?? queryString));
    if (signer.keyType === 'hmac') headers['X-BAPI-SIGN-TYPE'] = '2';
  }
  return body === undefined ? { method: request.method, pathAndQuery, headers } : { method: request.method, pathAndQuery, headers, body };
}

/** The WebSocket auth payload: `GET/realtime` followed by the expiry in ms. */
export function wsAuthPayload(expiresMs: number): string {
  return `GET/realtime${expiresMs}`;
}

/** `[apiKey, expires, signature]`: the args of `{"op":"auth"}` for private streams (`wss-authentication.mdx`). */
export function wsAuthArgs(credentials: Credentials, expiresMs: number): [string, number, string] {
  if (!Number.isSafeInteger(expiresMs) || expiresMs <= 0) throw new VenueError('invalid-argument', `expires must be a positive ms timestamp, got ${expiresMs}`, { venue: VENUE });
  return [credentials.apiKey, expiresMs, signPayload(wsAuthPayload(expiresMs), credentials)];
}

/** The whole auth frame, `{"req_id":..,"op":"auth","args":[apiKey, expires, signature]}`. */
export function wsAuthFrame(credentials: Credentials, expiresMs: number, reqId: string): string {
  return JSON.stringify({ req_id: reqId, op: 'auth', args: wsAuthArgs(credentials, expiresMs) });
}
