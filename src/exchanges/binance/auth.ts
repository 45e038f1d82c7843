/**
 * Binance request signing: REST (payload = query string + body, `signature` parameter, `X-MBX-APIKEY`)
 * and WebSocket API (params sorted by name, no percent-encoding). HMAC-SHA256 (hex), Ed25519 and
 * RSA PKCS#1 v1.5 SHA-256 (base64), picked from the secret. Signatures and secrets never reach errors.
 */
import { createHmac, createPrivateKey, sign as signWithKey, type KeyObject } from 'node:crypto';
import { Decimal } from '../../core/decimal.js';
import { VenueError } from '../../core/errors.js';
import type { Credentials, QueryValue, RestRequest, WireRequest } from '../../core/venue.js';
import { DEFAULT_RECV_WINDOW_MS, VENUE } from './config.js';

/** How a secret signs: an HMAC key, or a PKCS#8 PEM private key of type Ed25519 or RSA. */
export type BinanceKeyType = 'hmac' | 'ed25519' | 'rsa';

type Signer = { readonly keyType: BinanceKeyType; sign(payload: string): string };

// Parsed keys per Credentials object, so PEM parsing happens once and no secret is used as a map key.
const signers = new WeakMap<Credentials, Signer>();

function authError(message: string, cause?: unknown): VenueError {
  return new VenueError('auth', message, cause === undefined ? { venue: VENUE } : { venue: VENUE, cause });
}

function signerFor(credentials: Credentials): Signer {
  const cached = signers.get(credentials);
  if (cached !== undefined) return cached;
  const signer = createSigner(credentials.secret);
  signers.set(credentials, signer);
  return signer;
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
    // The error text of node:crypto never contains key material, but keep only its class of failure.
    throw authError('the API secret looks like a PEM key but could not be read as a PKCS#8 private key', err instanceof Error ? err.name : undefined);
  }
  if (key.asymmetricKeyType === 'ed25519') {
    return { keyType: 'ed25519', sign: (payload) => signWithKey(null, Buffer.from(payload, 'utf8'), key).toString('base64') };
  }
  if (key.asymmetricKeyType === 'rsa') {
    return { keyType: 'rsa', sign: (payload) => signWithKey('sha256', Buffer.from(payload, 'utf8'), key).toString('base64') };
  }
  throw authError(`unsupported private key type ${String(key.asymmetricKeyType)} (Binance takes Ed25519 or RSA)`);
}

/** The key type a secret will sign with. @throws {VenueError} `auth` for an unreadable or unsupported key. */
export function keyTypeOf(credentials: Credentials): BinanceKeyType {
  return signerFor(credentials).keyType;
}

/** Signs a payload: HMAC-SHA256 hex, or Ed25519 / RSA-SHA256 base64 (not yet percent-encoded). */
export function signPayload(payload: string, credentials: Credentials): string {
  return signerFor(credentials).sign(payload);
}

/**
 * `k=v&k=v` in insertion order, values percent-encoded (`encodeURIComponent`), undefined entries left
 * out. Binance signs exactly the bytes sent, so this string is both the payload and the wire form.
 */
export function encodeParams(params: Readonly<Record<string, QueryValue>>): string {
  let out = '';
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue;
    if (out !== '') out += '&';
    out += `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`;
  }
  return out;
}

function bodyParams(body: Readonly<Record<string, unknown>>): Record<string, QueryValue> {
  const out: Record<string, QueryValue> = {};
  for (const [k, v] of Object.entries(body)) {
    if (v === undefined) continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
    else if (typeof v === 'bigint') out[k] = v.toString();
    else if (v instanceof Decimal) out[k] = v.toString();
    else throw new VenueError('invalid-argument', `body field ${k} cannot be form-encoded`, { venue: VENUE });
  }
  return out;
}

export interface BinanceSignOptions {
  /** `recvWindow` added to signed requests that do not set one; default 5000 ms. */
  readonly recvWindowMs?: number;
}

/**
 * Turns a `RestRequest` into its wire form. Unsigned: the query string only. Signed: `recvWindow` (unless
 * given) and `timestamp` are appended to the body when there is one, else to the query, and `signature`
 * over `queryString + body` (no separator) goes last in the same place. The key header is sent whenever
 * credentials are given. @throws {VenueError} `auth` when a signed request has no credentials.
 */
export function signRestRequest(request: RestRequest, credentials: Credentials | undefined, timestampMs: number, options: BinanceSignOptions = {}): WireRequest {
  const headers: Record<string, string> = {};
  if (credentials !== undefined) headers['X-MBX-APIKEY'] = credentials.apiKey;
  const query: Record<string, QueryValue> = { ...request.query };
  const body = request.body === undefined ? undefined : bodyParams(request.body);
  if (request.signed) {
    if (credentials === undefined) throw authError(`${request.method} ${request.path} needs API credentials`);
    const target = body ?? query;
    if (query['recvWindow'] === undefined && target['recvWindow'] === undefined) target['recvWindow'] = options.recvWindowMs ?? DEFAULT_RECV_WINDOW_MS;
    target['timestamp'] = timestampMs;
    const payload = encodeParams(query) + (body === undefined ? '' : encodeParams(body));
    target['signature'] = signPayload(payload, credentials);
  }
  const queryString = encodeParams(query);
  const pathAndQuery = queryString === '' ? request.path : `${request.path}?${queryString}`;
  if (body === undefined) return { method: request.method, pathAndQuery, headers };
  headers['Content-Type'] = 'application/x-www-form-urlencoded';
  return { method: request.method, pathAndQuery, headers, body: encodeParams(body) };
}

/**
 * The WebSocket API signature payload: every param except `signature`, sorted by name, `k=v` joined by
 * `&`, with no percent-encoding (web-socket-api.md "SIGNED request security").
 */
export function wsApiSignaturePayload(params: Readonly<Record<string, unknown>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'signature' && params[k] !== undefined)
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');
}

/**
 * Signed WebSocket API params: adds `apiKey` (unless present), `timestamp` (unless present) and
 * `signature` (hex for HMAC, base64 for Ed25519/RSA).
 */
export function signWsApiParams(params: Readonly<Record<string, unknown>>, credentials: Credentials, timestampMs?: number): Record<string, unknown> {
  const out: Record<string, unknown> = { ...params };
  delete out['signature'];
  if (out['apiKey'] === undefined) out['apiKey'] = credentials.apiKey;
  if (out['timestamp'] === undefined) {
    if (timestampMs === undefined) throw new VenueError('invalid-argument', 'a signed WebSocket API request needs a timestamp', { venue: VENUE });
    out['timestamp'] = timestampMs;
  }
  out['signature'] = signPayload(wsApiSignaturePayload(out), credentials);
  return out;
}
