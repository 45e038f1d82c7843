/**
 * The REST transport for one venue: keep-alive sockets, timeouts, rate-limit reservation, signing at venue
 * time, error decoding through the dialect, bounded retries of reads and never of commands.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { VenueError, toVenueError } from '../errors.js';
import type { ErrorCode } from '../errors.js';
import { parseJson } from '../json.js';
import { check } from '../validation.js';
import type { Credentials, RawResponse, RestDialect, RestRequest, WireRequest } from '../venue.js';
import { Backoff } from '../resilience/backoff.js';
import type { BackoffOptions } from '../resilience/backoff.js';
import { abortError, delay, onAbort } from '../resilience/cancellation.js';
import type { RateGovernor } from '../resilience/rate-limiter.js';
import { TypedEvents } from '../streams/typed-events.js';

/** The part of `ClockSync` the client needs. */
export interface VenueClock {
  now(): number;
  /** A venue-time timestamp never returned twice (ClockSync provides one). */
  timestamp?(): number;
  resync(signal?: AbortSignal): Promise<void>;
}

export interface HttpClientOptions {
  readonly dialect: RestDialect;
  /** Base URL per `RestRequest.api` (`{ spot: 'https://api.binance.com' }`); may carry a path prefix. */
  readonly baseUrls: Readonly<Record<string, string>>;
  readonly credentials?: Credentials;
  /** The venue's governor, or one per `api` when the venue meters its segments separately. */
  readonly governor?: RateGovernor | ((api: string) => RateGovernor | undefined);
  /** Venue time for signing; resynced after a clock-skew rejection. Default: the local clock. */
  readonly clock?: VenueClock;
  /** Per-attempt timeout (default 10 s). */
  readonly timeoutMs?: number;
  /** Extra attempts for GET reads after a network error or a 5xx (default 2). */
  readonly readRetries?: number;
  /** Delay between read retries (default full jitter from 200 ms up to 2 s). */
  readonly retryBackoff?: BackoffOptions;
  /** Sockets per origin (default 32). */
  readonly maxSockets?: number;
  /** The largest response body read, in bytes (default `DEFAULT_MAX_RESPONSE_BYTES`); a larger one is `decode`. */
  readonly maxResponseBytes?: number;
}

export interface RequestOptions {
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number;
  /** Overrides the client's `maxResponseBytes` for this request. */
  readonly maxResponseBytes?: number;
}

/**
 * The default cap on a response body: 32 MiB. The largest real answers are the full market lists: Binance spot
 * `exchangeInfo` was 1.86 MB for 1,695 symbols in 2021 (the recorded fixture, ~1.1 KB a symbol); with today's
 * ~3,500 symbols and the fields added since (`permissionSets` alone lists dozens of groups per symbol) it is
 * several MB, around 8 at most. Order, trade and candle pages are capped at 1,000 rows (under 1 MB). 32 MiB
 * leaves 4× headroom over the largest.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

/** A successful response. `body` came through `parseJson`, so 64-bit integers are strings. */
export interface HttpResponse {
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly status: number;
  /** Local epoch ms when the last byte arrived. */
  readonly receivedAt: number;
}

export interface HttpClientEvents {
  /** A read is tried again after `error`. */
  retrying: { readonly operation: string; readonly attempt: number; readonly delayMs: number; readonly error: VenueError };
}

type Sent = { ok: true; raw: RawResponse; receivedAt: number } | { ok: false; error: VenueError; sent: boolean };

interface Base {
  readonly secure: boolean;
  readonly hostname: string;
  readonly port: string;
  readonly prefix: string;
}

/** Codes that mean the venue definitively refused a command, even under a 5xx status. */
const DEFINITIVE: ReadonlySet<ErrorCode> = new Set(['rejected', 'auth', 'not-found', 'rate-limited', 'invalid-argument', 'clock-skew']);
/** Codes under a 5xx for which a read is worth repeating. */
const RETRY_5XX: ReadonlySet<ErrorCode> = new Set(['network', 'timeout', 'outcome-unknown']);

/** Sends `RestRequest`s to one venue. Close it (or `await using`) to free its sockets. */
export class HttpClient implements AsyncDisposable {
  readonly events = new TypedEvents<HttpClientEvents>();
  private readonly dialect: RestDialect;
  private readonly bases = new Map<string, Base>();
  private readonly credentials: Credentials | undefined;
  private readonly governorFor: (api: string) => RateGovernor | undefined;
  private readonly clock: VenueClock | undefined;
  private readonly timeoutMs: number;
  private readonly readRetries: number;
  private readonly retryBackoff: BackoffOptions;
  private readonly maxResponseBytes: number;
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private closed = false;

  constructor(opts: HttpClientOptions) {
    this.dialect = opts.dialect;
    for (const [api, url] of Object.entries(opts.baseUrls)) this.bases.set(api, parseBase(api, url));
    this.credentials = opts.credentials;
    const g = opts.governor;
    this.governorFor = typeof g === 'function' ? g : () => g;
    this.clock = opts.clock;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.readRetries = opts.readRetries ?? 2;
    this.retryBackoff = opts.retryBackoff ?? { initialMs: 200, maxMs: 2000 };
    this.maxResponseBytes = checkResponseBytes(opts.maxResponseBytes) ?? DEFAULT_MAX_RESPONSE_BYTES;
    const maxSockets = opts.maxSockets ?? 32;
    this.httpAgent = new http.Agent({ keepAlive: true, maxSockets });
    this.httpsAgent = new https.Agent({ keepAlive: true, maxSockets });
  }

  /**
   * Reserves the request's costs, signs it at venue time, sends it and decodes the answer.
   * @throws VenueError: the dialect's decoded error; `timeout`/`network` for reads; `decode` for a read whose body is
   * over `maxResponseBytes` or cannot be read (malformed JSON, nested deeper than `MAX_JSON_DEPTH`); `closed` when
   * aborted or closed. A command (`command: true`) that may have reached the venue is `outcome-unknown` unless the
   * venue's answer was read and is a definitive refusal (`rejected`, `invalid-argument`, `auth`, `not-found`,
   * `rate-limited`, `clock-skew`): lost or timed-out answers, 5xx and 408 answers, and any answer we cannot read —
   * a 2xx included — are `outcome-unknown` (query before resending). Any other error of a command means it was not
   * sent.
   */
  async request(req: RestRequest, opts: RequestOptions = {}): Promise<HttpResponse> {
    const operation = `${req.method} ${req.path}`;
    const signal = opts.signal;
    const maxResponseBytes = checkResponseBytes(opts.maxResponseBytes) ?? this.maxResponseBytes;
    const base = this.bases.get(req.api);
    if (base === undefined) throw new VenueError('invalid-argument', `no base URL configured for api '${req.api}'`, { venue: this.dialect.venue, operation });
    const governor = this.governorFor(req.api);
    const retryableRead = !req.command && req.method === 'GET';
    let backoff: Backoff | undefined;
    let attempt = 0;
    let skewRetried = false;
    for (;;) {
      if (this.closed) throw new VenueError('closed', 'http client closed', { venue: this.dialect.venue, operation });
      if (signal?.aborted) throw abortError(signal, operation);
      if (governor !== undefined) await governor.reserve(req.costs, signal);
      // Signed requests get a venue-time timestamp that is never handed out twice (RESL-05).
      const timestamp = this.clock === undefined ? Date.now() : (this.clock.timestamp?.() ?? this.clock.now());
      const wire = this.dialect.sign(req, this.credentials, timestamp);
      const result = await this.send(base, wire, opts.timeoutMs ?? this.timeoutMs, maxResponseBytes, signal, operation);

      let error: VenueError;
      let status = 0;
      if (!result.ok) {
        if (req.command && result.sent) throw this.unknownOutcome(result.error, operation);
        error = result.error;
      } else {
        const { raw } = result;
        status = raw.status;
        governor?.observe(this.dialect.usageFromHeaders(raw.headers, req));
        let decoded: VenueError | undefined;
        let body: unknown;
        try {
          decoded = this.dialect.decodeError(raw, req) ?? fallbackError(raw, this.dialect.venue, operation);
          if (decoded === undefined) body = raw.body === '' ? undefined : parseJson(raw.body);
        } catch (err) {
          // An answer we cannot read (malformed, nested too deep): for a command the venue may well have acted on it.
          const unreadable = toVenueError(err, 'decode', { venue: this.dialect.venue, operation, httpStatus: status });
          throw req.command ? this.unknownOutcome(unreadable, operation, status) : unreadable;
        }
        if (decoded === undefined) return { body, headers: raw.headers, status, receivedAt: result.receivedAt };
        error = decoded;
        if (error.code === 'rate-limited') {
          const ms = error.retryAfterMs ?? retryAfterMs(raw.headers['retry-after']);
          // A spent per-endpoint limit holds only that endpoint; anything else holds the whole host.
          if (ms !== undefined && !(error.retryLimit !== undefined && governor?.pauseLimit(error.retryLimit, ms) === true)) governor?.pauseFor(ms);
          throw error;
        }
        if (error.code === 'clock-skew' && this.clock !== undefined) {
          await this.clock.resync(signal).catch(() => undefined);
          if (retryableRead && !skewRetried) {
            skewRetried = true;
            continue;
          }
          throw error;
        }
        // A command the venue answered without a definitive refusal (a 5xx, a 408, a venue timeout code...) may have acted.
        if (req.command && !DEFINITIVE.has(error.code)) throw this.unknownOutcome(error, operation);
      }

      const worthRetrying = result.ok ? status >= 500 && RETRY_5XX.has(error.code) : error.code === 'network';
      if (!retryableRead || !worthRetrying || attempt >= this.readRetries) throw error;
      attempt++;
      backoff ??= new Backoff(this.retryBackoff);
      const delayMs = backoff.next();
      this.events.emit('retrying', { operation, attempt, delayMs, error });
      await delay(delayMs, signal);
    }
  }

  /** The venue's server time (epoch ms) through the dialect's `serverTime` request: a `ClockSync` fetcher. */
  async serverTime(signal?: AbortSignal): Promise<number> {
    const { request, parse } = this.dialect.serverTime;
    const res = await this.request(request, { signal });
    return parse(res.body);
  }

  /** Destroys the keep-alive sockets; later requests fail with `closed`. */
  async close(): Promise<void> {
    this.closed = true;
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private unknownOutcome(cause: VenueError, operation: string, httpStatus = cause.httpStatus): VenueError {
    return new VenueError('outcome-unknown', `the command may have reached the venue (${cause.code}); query it before resending`, {
      venue: this.dialect.venue,
      operation,
      httpStatus,
      cause,
    });
  }

  /** One attempt. The body is read up to `maxResponseBytes`: past it (or announced past it) reading stops and the socket is destroyed. */
  private send(base: Base, wire: WireRequest, timeoutMs: number, maxResponseBytes: number, signal: AbortSignal | undefined, operation: string): Promise<Sent> {
    return new Promise<Sent>((resolve) => {
      const venue = this.dialect.venue;
      const headers: Record<string, string | number> = { ...wire.headers };
      if (wire.body !== undefined) headers['content-length'] = Buffer.byteLength(wire.body);
      const transport = base.secure ? https : http;
      const req = transport.request({
        hostname: base.hostname,
        port: base.port,
        path: base.prefix + wire.pathAndQuery,
        method: wire.method,
        headers,
        agent: base.secure ? this.httpsAgent : this.httpAgent,
      });
      let sent = false;
      let settled = false;
      const finish = (outcome: Sent): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        offAbort();
        if (!outcome.ok) req.destroy();
        resolve(outcome);
      };
      const fail = (error: VenueError): void => finish({ ok: false, error, sent });
      const timer = setTimeout(() => fail(new VenueError('timeout', `no response within ${timeoutMs} ms`, { venue, operation })), timeoutMs);
      const offAbort = signal === undefined ? () => undefined : onAbort(signal, () => fail(abortError(signal, operation)));
      req.on('finish', () => {
        sent = true;
      });
      req.on('error', (err) => fail(new VenueError('network', err.message, { venue, operation, cause: err })));
      req.on('response', (res) => {
        // An answer means the venue has the request, even one it answers before reading it all.
        sent = true;
        const tooLarge = (what: string): void => {
          res.destroy();
          fail(new VenueError('decode', `response body ${what} the ${maxResponseBytes}-byte limit; not read`, { venue, operation, httpStatus: res.statusCode }));
        };
        const announced = Number(res.headers['content-length']);
        if (announced > maxResponseBytes) return tooLarge(`of ${announced} bytes exceeds`);
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxResponseBytes) return tooLarge('exceeds');
          chunks.push(chunk);
        });
        res.on('error', (err) => fail(new VenueError('network', err.message, { venue, operation, cause: err })));
        res.on('end', () => {
          const flat: Record<string, string | undefined> = {};
          for (const [k, v] of Object.entries(res.headers)) flat[k] = Array.isArray(v) ? v.join(', ') : v;
          const raw: RawResponse = { status: res.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks).toString('utf8') };
          finish({ ok: true, raw, receivedAt: Date.now() });
        });
      });
      req.end(wire.body);
    });
  }
}

/** A `maxResponseBytes` given at run time: a whole number of bytes, at least 1. @throws VenueError `invalid-argument` */
function checkResponseBytes(value: number | undefined): number | undefined {
  return check.optionalInteger('maxResponseBytes', value, { min: 1 });
}

function parseBase(api: string, url: string): Base {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new VenueError('invalid-argument', `base URL for '${api}' is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new VenueError('invalid-argument', `base URL for '${api}' must be http(s)`);
  const secure = u.protocol === 'https:';
  return { secure, hostname: u.hostname.replace(/^\[|\]$/g, ''), port: u.port || (secure ? '443' : '80'), prefix: u.pathname.replace(/\/+$/, '') };
}

/** Error for a non-2xx response the dialect did not recognise. */
function fallbackError(raw: RawResponse, venue: string, operation: string): VenueError | undefined {
  const s = raw.status;
  if (s >= 200 && s < 300) return undefined;
  const snippet = raw.body.length > 120 ? raw.body.slice(0, 117) + '...' : raw.body;
  const details = { venue, operation, httpStatus: s };
  const message = `HTTP ${s} ${snippet}`.trim();
  if (s === 429 || s === 418) return new VenueError('rate-limited', message, { ...details, retryAfterMs: retryAfterMs(raw.headers['retry-after']) });
  if (s === 401 || s === 403) return new VenueError('auth', message, details);
  if (s === 404) return new VenueError('not-found', message, details);
  if (s === 408) return new VenueError('timeout', message, details);
  if (s >= 500) return new VenueError('network', message, details);
  return new VenueError('rejected', message, details);
}

/** `Retry-After` as ms: delta-seconds or an HTTP date. */
export function retryAfterMs(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
