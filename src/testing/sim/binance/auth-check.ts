/**
 * Binance request authentication for the simulator, from the docs: REST SIGNED (`X-MBX-APIKEY`, HMAC-SHA256 hex over
 * query string + body exactly as received, `timestamp`/`recvWindow`) and WS API signed params (sorted `k=v&...`).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Decimal } from '../../../core/decimal.js';
import type { SimCredentials } from '../trading/engine-types.js';
import type { BinanceSegment } from './wire-format.js';

/** A Binance `{code,msg}` error answer with its HTTP status (WS API: the `status` field). */
export class BinanceApiError {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly msg: string,
  ) {}
}

const DEFAULT_RECV_WINDOW = 5000;
const MAX_RECV_WINDOW = 60000;
/** Binance accepts timestamps up to this far ahead of its clock. */
const AHEAD_TOLERANCE_MS = 1000;
const API_KEY_FORMAT = /^[A-Za-z0-9_-]{1,128}$/;

/** Looks up the secret of an API key (the trading engine's accounts). */
export type CredentialLookup = (apiKey: string) => SimCredentials | undefined;

export function missingParam(name: string): BinanceApiError {
  return new BinanceApiError(400, -1102, `Mandatory parameter '${name}' was not sent, was empty/null, or malformed.`);
}

/** -2015 as each segment writes it (spot ends with a dot, USD-M does not: `usdm-error-2015-*-recorded.json`). */
export function invalidKeyError(segment: BinanceSegment): BinanceApiError {
  return new BinanceApiError(401, -2015, segment === 'spot' ? 'Invalid API-key, IP, or permissions for action.' : 'Invalid API-key, IP, or permissions for action');
}

/** The API key of a request: -2014 when absent or malformed, -2015 when unknown. */
export function checkApiKey(segment: BinanceSegment, apiKey: string | undefined, lookup: CredentialLookup): SimCredentials {
  if (apiKey === undefined || !API_KEY_FORMAT.test(apiKey)) throw new BinanceApiError(401, -2014, 'API-key format invalid.');
  const creds = lookup(apiKey);
  if (creds === undefined) throw invalidKeyError(segment);
  return creds;
}

/** `timestamp` and `recvWindow` against the venue clock: `timestamp < now + 1000 && now - timestamp <= recvWindow`. */
export function checkTimestamp(timestamp: string | undefined, recvWindow: string | undefined, now: number): void {
  if (timestamp === undefined || timestamp === '') throw missingParam('timestamp');
  if (!/^[0-9]{1,20}$/.test(timestamp)) throw new BinanceApiError(400, -1100, "Illegal characters found in parameter 'timestamp'; legal range is '^[0-9]{1,20}$'.");
  let window = Decimal.from(DEFAULT_RECV_WINDOW);
  if (recvWindow !== undefined) {
    const w = /^[0-9]{1,20}(\.[0-9]{1,3})?$/.test(recvWindow) ? Decimal.tryParse(recvWindow) : undefined;
    if (w === undefined) throw new BinanceApiError(400, -1100, "Illegal characters found in parameter 'recvWindow'; legal range is '^[0-9]{1,20}(\\.[0-9]{1,3})?$'.");
    if (w.gt(Decimal.from(MAX_RECV_WINDOW))) throw new BinanceApiError(400, -1131, `recvWindow must be less than ${MAX_RECV_WINDOW}`);
    window = w;
  }
  const ts = Decimal.from(timestamp);
  const server = Decimal.from(now);
  if (ts.gte(server.add(Decimal.from(AHEAD_TOLERANCE_MS)))) throw new BinanceApiError(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
  if (server.sub(ts).gt(window)) throw new BinanceApiError(400, -1021, 'Timestamp for this request is outside of the recvWindow.');
}

/** Hex HMAC-SHA256 of `payload` with `secret`. */
export function hmacHex(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('hex');
}

/** Compares a received hex signature with the expected one (case-insensitive, constant time). */
export function signatureMatches(received: string, expected: string): boolean {
  const a = Buffer.from(received.toLowerCase(), 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

const BAD_SIGNATURE = (): BinanceApiError => new BinanceApiError(400, -1022, 'Signature for this request is not valid.');

/** A request's parameters, from the raw query string and form body (the query string wins), and its signing payload. */
export interface SignedRequest {
  readonly params: URLSearchParams;
  /** Query string + body as received, with the `signature` parameter taken out, no separator between them. */
  readonly payload: string;
  readonly signature: string | undefined;
}

/** Splits the raw query string and body into parameters and the exact payload the client signed. */
export function readSignedRequest(rawQuery: string, rawBody: string): SignedRequest {
  let signature: string | undefined;
  const strip = (raw: string): string => {
    if (raw === '') return raw;
    const kept: string[] = [];
    for (const part of raw.split('&')) {
      if (part.startsWith('signature=')) signature = decodeURIComponent(part.slice('signature='.length));
      else kept.push(part);
    }
    return kept.join('&');
  };
  const query = strip(rawQuery);
  const body = strip(rawBody);
  const params = new URLSearchParams(body);
  for (const [k, v] of new URLSearchParams(query)) params.set(k, v);
  params.delete('signature');
  return { params, payload: query + body, signature };
}

/** Verifies a SIGNED REST request: key, signature over the exact bytes, then the timestamp window. */
export function verifySignedRest(segment: BinanceSegment, apiKey: string | undefined, req: SignedRequest, lookup: CredentialLookup, now: number): SimCredentials {
  const creds = checkApiKey(segment, apiKey, lookup);
  if (req.signature === undefined || req.signature === '') throw missingParam('signature');
  if (!signatureMatches(req.signature, hmacHex(creds.secret, req.payload))) throw BAD_SIGNATURE();
  checkTimestamp(req.params.get('timestamp') ?? undefined, req.params.get('recvWindow') ?? undefined, now);
  return creds;
}

/** The WS API signing payload: every param but `signature`, sorted by name, `k=v&...`, no percent-encoding. */
export function wsApiPayload(params: Readonly<Record<string, unknown>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'signature')
    .sort()
    .map((k) => `${k}=${String(params[k])}`)
    .join('&');
}

/** Verifies WS API signed params (`apiKey`, `timestamp`, `signature`, optional `recvWindow`). */
export function verifySignedWsParams(params: Readonly<Record<string, unknown>>, lookup: CredentialLookup, now: number): SimCredentials {
  const apiKey = params['apiKey'];
  if (typeof apiKey !== 'string' || apiKey === '') throw missingParam('apiKey');
  const creds = checkApiKey('spot', apiKey, lookup);
  const signature = params['signature'];
  if (typeof signature !== 'string' || signature === '') throw missingParam('signature');
  if (!signatureMatches(signature, hmacHex(creds.secret, wsApiPayload(params)))) throw BAD_SIGNATURE();
  const ts = params['timestamp'];
  const rw = params['recvWindow'];
  checkTimestamp(ts === undefined ? undefined : String(ts), rw === undefined ? undefined : String(rw), now);
  return creds;
}
