/**
 * OKX request signing (protocols.md §4.2, §4.3): REST headers `OK-ACCESS-KEY/SIGN/TIMESTAMP/PASSPHRASE`
 * with `SIGN = Base64(HMAC-SHA256(secret, isoTimestamp + METHOD + requestPath?query + body))`, the WebSocket
 * login (unix seconds, `GET/users/self/verify`), and the demo header. Secrets never reach errors.
 */
import { createHmac } from 'node:crypto';
import { Decimal } from '../../core/decimal.js';
import { VenueError } from '../../core/errors.js';
import type { Credentials, QueryValue, RestRequest, WireRequest } from '../../core/venue.js';
import { VENUE } from './config.js';
import type { OkxLoginRequest } from './wire.js';

function authError(message: string): VenueError {
  return new VenueError('auth', message, { venue: VENUE });
}

/** Checks that the credentials can sign an OKX request (key, secret and passphrase all present). */
function checkCredentials(credentials: Credentials): string {
  if (credentials.apiKey === '') throw authError('the API key is empty');
  if (credentials.secret === '') throw authError('the API secret is empty');
  if (credentials.passphrase === undefined || credentials.passphrase === '') {
    throw authError('OKX credentials need the passphrase chosen when the API key was created');
  }
  return credentials.passphrase;
}

/** Base64 HMAC-SHA256 of `prehash` with the secret. */
export function okxSign(prehash: string, secret: string): string {
  return createHmac('sha256', secret).update(prehash, 'utf8').digest('base64');
}

/** The REST timestamp: ISO-8601 UTC with milliseconds (`2020-12-08T09:08:57.715Z`). */
export function isoTimestamp(timestampMs: number): string {
  return new Date(timestampMs).toISOString();
}

/** `k=v&k=v` in insertion order, percent-encoded, undefined entries left out. OKX signs exactly what is sent. */
export function encodeQuery(query: Readonly<Record<string, QueryValue>>): string {
  let out = '';
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (out !== '') out += '&';
    out += `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`;
  }
  return out;
}

/** The JSON body as sent: decimals and bigints as strings (OKX takes every number as a string). */
export function encodeBody(body: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(body, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Decimal ? v.toString() : v));
}

/** The pre-hash string of a REST request: `timestamp + METHOD + requestPath(+?query) + body`. */
export function restPrehash(timestamp: string, method: string, pathAndQuery: string, body: string): string {
  return timestamp + method.toUpperCase() + pathAndQuery + body;
}

export interface OkxSignOptions {
  /** Demo trading: add `x-simulated-trading: 1` to every request. */
  readonly simulatedTrading?: boolean;
}

/**
 * Turns a `RestRequest` into its wire form. The query string is part of the signed path; a body is sent as
 * JSON. Signed requests get the four `OK-ACCESS-*` headers at venue time `timestampMs`.
 * @throws {VenueError} `auth` when a signed request has no usable credentials (the message never holds them).
 */
export function signRestRequest(request: RestRequest, credentials: Credentials | undefined, timestampMs: number, options: OkxSignOptions = {}): WireRequest {
  const headers: Record<string, string> = {};
  if (options.simulatedTrading === true) headers['x-simulated-trading'] = '1';
  const queryString = request.query === undefined ? '' : encodeQuery(request.query);
  const pathAndQuery = queryString === '' ? request.path : `${request.path}?${queryString}`;
  const body = request.body === undefined ? undefined : encodeBody(request.body);
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (request.signed) {
    if (credentials === undefined) throw authError(`${request.method} ${request.path} needs API credentials`);
    const passphrase = checkCredentials(credentials);
    const timestamp = isoTimestamp(timestampMs);
    headers['OK-ACCESS-KEY'] = credentials.apiKey;
    headers['OK-ACCESS-SIGN'] = okxSign(restPrehash(timestamp, request.method, pathAndQuery, body ?? ''), credentials.secret);
    headers['OK-ACCESS-TIMESTAMP'] = timestamp;
    headers['OK-ACCESS-PASSPHRASE'] = passphrase;
    headers['Content-Type'] = 'application/json';
  }
  return body === undefined ? { method: request.method, pathAndQuery, headers } : { method: request.method, pathAndQuery, headers, body };
}

/** The WebSocket login signature: `Base64(HMAC-SHA256(secret, unixSeconds + "GET" + "/users/self/verify"))`. */
export function wsLoginSign(secret: string, timestampSeconds: number | string): string {
  return okxSign(`${String(timestampSeconds)}GET/users/self/verify`, secret);
}

/** The `login` frame for the private/business connections; OKX rejects it 30 s after `timestampSeconds`. */
export function wsLoginRequest(credentials: Credentials, timestampSeconds: number): OkxLoginRequest {
  const passphrase = checkCredentials(credentials);
  const timestamp = String(Math.floor(timestampSeconds));
  return { op: 'login', args: [{ apiKey: credentials.apiKey, passphrase, timestamp, sign: wsLoginSign(credentials.secret, timestamp) }] };
}
