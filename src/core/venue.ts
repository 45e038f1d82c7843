/**
 * The contract between the core and a venue folder: what a venue describes (REST requests, signing,
 * limits, error decoding, its WebSocket dialect and its order-book rules) as data and pure functions.
 * The core owns every mechanism; nothing here opens sockets or starts timers.
 */
import type { VenueError } from './errors.js';
import type { UpdateId } from './json.js';
import type { DepthMessage, VenueId } from './model.js';

// ---------------------------------------------------------------- REST

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type QueryValue = string | number | boolean | undefined;

/** What one request consumes from one limit (e.g. `{ limit: 'REQUEST_WEIGHT', weight: 250 }`). */
export interface RateCost {
  /** Limit name as the venue meters it: Binance `REQUEST_WEIGHT`/`ORDERS`/`RAW_REQUESTS`, Bybit/OKX endpoint keys. */
  readonly limit: string;
  readonly weight: number;
}

/** A venue REST call, described before signing. Built by `exchanges/<x>/rest.ts`. */
export interface RestRequest {
  readonly method: HttpMethod;
  /**
   * Which configured base URL serves it (`spot`, `usdm`, ...). The client keeps one rate governor per api:
   * a venue meters each host separately.
   */
  readonly api: string;
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** JSON or form body fields for POST/PUT/DELETE, as the venue expects them. */
  readonly body?: Readonly<Record<string, unknown>>;
  /** Needs credentials and a signature. */
  readonly signed: boolean;
  /** Limits this request draws from; reserved before sending. */
  readonly costs: readonly RateCost[];
  /**
   * True for non-idempotent commands (place/cancel): a timeout or ambiguous failure becomes
   * `outcome-unknown` and is never retried blindly.
   */
  readonly command?: boolean;
}

/** The wire form of a signed (or unsigned) request, ready for the HTTP client. */
export interface WireRequest {
  readonly method: HttpMethod;
  /** Path plus query string, e.g. `/api/v3/order?symbol=BTCUSDT&...&signature=...`. */
  readonly pathAndQuery: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** API credentials. `secret` never leaves the signer; errors and logs redact it. */
export interface Credentials {
  readonly apiKey: string;
  /** HMAC secret, or a PEM private key (Ed25519 or RSA, PKCS#8). */
  readonly secret: string;
  /** OKX only. */
  readonly passphrase?: string;
}

/** A response as the HTTP client saw it, handed to the venue's error decoder. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
}

/** One limit window as configured at runtime (Binance reads these from exchangeInfo). */
export interface RateLimitRule {
  readonly limit: string;
  /** Scope the venue meters by (`ip`, `account`, `uid`...): limiters are shared per scope. */
  readonly scope: string;
  readonly windowMs: number;
  readonly max: number;
}

/** A usage reading from response headers: `used` of `limit` in the window of `windowMs`. */
export interface RateUsage {
  readonly limit: string;
  readonly windowMs: number;
  readonly used: number;
  /** Remaining, when the venue reports it that way (Bybit `X-Bapi-Limit-Status`). */
  readonly remaining?: number;
  /** When the window resets (ms epoch), if the venue says. */
  readonly resetAt?: number;
  /**
   * The limit itself, when the venue announces it per response (Bybit `X-Bapi-Limit`): the governor creates
   * or resizes the window from it, so per-endpoint limits need no table.
   */
  readonly max?: number;
  /** Scope of an announced limit (`uid`, `ip`), used when the window is created from `max`. */
  readonly scope?: string;
}

/** Everything venue-specific about REST. Pure functions and data. */
export interface RestDialect {
  readonly venue: VenueId;
  /** Signs a request for sending at venue time `timestampMs`. */
  sign(request: RestRequest, credentials: Credentials | undefined, timestampMs: number): WireRequest;
  /** The venue error for a response, covering HTTP 200 bodies with an error code; undefined when fine. */
  decodeError(response: RawResponse, request: RestRequest): VenueError | undefined;
  /**
   * Usage readings from response headers (`X-MBX-USED-WEIGHT-1M`, `X-Bapi-Limit-*`); empty when none.
   * `request` is the call they answer: per-endpoint headers describe that endpoint's limit.
   */
  usageFromHeaders(headers: RawResponse['headers'], request: RestRequest): RateUsage[];
  /** The request that returns the venue's server time, and how to read it (ms). */
  readonly serverTime: { request: RestRequest; parse(body: unknown): number };
}

// ---------------------------------------------------------------- WebSocket

/** A stream subscription in venue terms. `key` is how data frames are routed back to it. */
export interface StreamTopic {
  /** Routing key, equal to what the venue puts in data frames (Binance stream name, Bybit topic, OKX `channel:instId`). */
  readonly key: string;
  /** Which connection group serves it (a URL family: `spot`, `usdm-public`, `usdm-market`...). */
  readonly connection: string;
}

/** What an inbound frame is, as far as the core needs to know. */
export type InboundFrame =
  | { readonly role: 'data'; readonly topic: string; readonly payload: unknown }
  | { readonly role: 'ack'; readonly id: string | number | undefined }
  | { readonly role: 'nack'; readonly id: string | number | undefined; readonly error: VenueError }
  | { readonly role: 'pong' }
  /** The venue announced it will close this connection (Binance serverShutdown, OKX 64008): rotate now. */
  | { readonly role: 'shutdown' }
  /** A frame the venue documents as carrying nothing to act on (an unmatched pong, a welcome or info message). */
  | { readonly role: 'ignore' }
  /**
   * A frame the dialect cannot make sense of: not a JSON object, no known shape, or a data envelope whose routing
   * fields are missing or broken. The core counts it and reports a `decode` problem; `reason` says what was wrong.
   */
  | { readonly role: 'unknown'; readonly reason: string };

/**
 * A decoded frame's shape for a classify `reason`: `a number`, `null`, `an array`, or `an object with keys a, b, c`
 * (at most `maxKeys` named). Never the values: a reason may be reported.
 */
export function describeShape(frame: unknown, maxKeys = 6): string {
  if (frame === null) return 'null';
  if (Array.isArray(frame)) return 'an array';
  if (typeof frame !== 'object') return typeof frame === 'undefined' ? 'nothing' : `a ${typeof frame}`;
  const keys = Object.keys(frame);
  if (keys.length === 0) return 'an empty object';
  const named = keys.slice(0, maxKeys).map((k) => JSON.stringify(k.slice(0, 40))).join(', ');
  return `an object with keys ${named}${keys.length > maxKeys ? ` and ${keys.length - maxKeys} more` : ''}`;
}

export interface HeartbeatRule {
  /** A text frame the client sends on an interval (Bybit `{"op":"ping"}`, OKX `ping`); none for Binance. */
  readonly clientPing?: { readonly frame: () => string; readonly intervalMs: number };
  /** Close and reconnect when nothing at all arrived for this long. */
  readonly staleAfterMs: number;
}

export interface ConnectionLimits {
  readonly maxTopicsPerConnection: number;
  /** Topics per subscribe frame. */
  readonly maxTopicsPerFrame: number;
  /** Client → venue messages per second per connection (Binance 5 spot / 10 USD-M). */
  readonly maxOutgoingPerSecond: number;
  /**
   * The largest inbound message accepted, in bytes: the venue's largest legitimate frame with headroom. A larger
   * one is refused from its header, before it is buffered: the socket is closed, a `decode` problem reported
   * and the connection reopened.
   */
  readonly maxFrameBytes: number;
  /** Venue's hard connection lifetime; the core rotates make-before-break before it. */
  readonly maxLifetimeMs?: number;
  /**
   * Subscribe/unsubscribe/login requests a connection may send per rolling hour (OKX 480). Near it the core
   * moves the connection's topics to a fresh connection, make-before-break, instead of being refused.
   */
  readonly maxRequestsPerHour?: number;
}

/** Everything venue-specific about a WebSocket connection group. Pure: owns no socket or timer. */
export interface StreamDialect {
  readonly venue: VenueId;
  /** Full URL for a connection group. */
  url(connection: string): string;
  /** Subscribe frames for topics (already split to `maxTopicsPerFrame`), each with a fresh request id. */
  subscribeFrames(topics: readonly StreamTopic[], nextId: () => number): string[];
  unsubscribeFrames(topics: readonly StreamTopic[], nextId: () => number): string[];
  /**
   * Classifies one decoded frame. `text` is the raw frame for non-JSON venues (OKX `pong`). Only frames the venue
   * documents as harmless are `ignore`; anything else the dialect cannot place is `unknown`, never `ignore`.
   */
  classify(frame: unknown, text: string): InboundFrame;
  /** Decodes raw frame text (default: `parseJson`; a venue may special-case plain-text frames). */
  decode(text: string): unknown;
  heartbeat(connection: string): HeartbeatRule;
  limits(connection: string): ConnectionLimits;
}

// ---------------------------------------------------------------- Order books

/** What to do with a delta: apply it, skip it (old or duplicate), or declare a gap (resync). */
export type DeltaVerdict = 'apply' | 'skip' | 'gap';
/** Aligning the first delta with a snapshot: drop it (covered), apply it, or refetch (snapshot too old). */
export type AlignVerdict = 'drop' | 'apply' | 'refetch';

/** A read-only view of the book a checksum rule needs: the top levels with the venue's own strings. */
export interface BookLevelsReader {
  /** Up to `depth` best levels of a side as `[priceText, sizeText]`, best first. */
  topStrings(side: 'bids' | 'asks', depth: number): Array<readonly [string, string]>;
}

/**
 * How far a healthy stream's update ids move, in the venue's id units. The core holds every message to these
 * bounds before the rules see it, so an id the venue restarted (or a nonsense one) rebuilds the book instead of
 * freezing it on an id the stream will never reach, or poisoning it with one it never sent.
 */
export interface BookIdBounds {
  /**
   * Largest step forward from the book's id (or a snapshot's) to a message's `seq` on a healthy stream, and the
   * largest span `seq − firstSeq` one message covers. Further ahead is a reset; a wider span is a `decode` problem.
   */
  readonly maxAhead: number;
  /** Largest step back a duplicate or a connection overlap explains; a message further behind the book is a reset. */
  readonly maxBehind: number;
}

/** A venue's order-book sync procedure, as pure decisions the core's synchronizer carries out. */
export interface BookRules {
  /** Plausible id movement (see `BookIdBounds`). */
  readonly idBounds: BookIdBounds;
  /**
   * Where a full book comes from: a REST snapshot aligned with buffered deltas (`rest`), the stream itself
   * (`stream`), or either (`stream-or-rest`, OKX): an in-band snapshot is taken whenever one arrives; a delta
   * that finds no book fetches the REST snapshot, and after a gap the topic is resubscribed and the REST
   * snapshot fetched only if no in-band one arrived within a bounded wait.
   */
  readonly snapshotSource: 'rest' | 'stream' | 'stream-or-rest';
  /** First delta after a snapshot at `snapshotSeq`. */
  alignFirst(snapshotSeq: UpdateId, delta: DepthMessage): AlignVerdict;
  /** A delta after `lastSeq` was applied. */
  next(lastSeq: UpdateId, delta: DepthMessage): DeltaVerdict;
  /** Verifies the venue checksum against the book after applying `delta`; absent when the venue has none. */
  verifyChecksum?(book: BookLevelsReader, delta: DepthMessage): boolean;
  /** True when the book must keep the venue's original level strings (for checksums). */
  readonly keepLevelText?: boolean;
}
