/**
 * The client's argument checks shared by every entry point and factory: the option names each kind of call takes,
 * and the checks of per-call, watch and exchange options (over `core/validation.ts`). Venue-neutral.
 */
import type { BackoffOptions, Jitter } from '../core/resilience/backoff.js';
import type { StreamHubOptions } from '../core/ws/stream-hub.js';
import { describe, keysOf, MAX_TIMER_MS } from '../core/validation.js';
import type { ArgumentChecks } from '../core/validation.js';
import type { CallOptions, ExchangeOptions } from './exchange.js';
import type { OutcomePolicy } from './trading.js';
import type { WatchBookOptions } from './watch-book.js';
import type { WatchOptions } from './watch-topic.js';

export const CALL_OPTION_KEYS = keysOf<CallOptions>({ signal: true, timeoutMs: true });
export const WATCH_OPTION_KEYS = keysOf<WatchOptions>({ signal: true, capacity: true, livenessMs: true, maxAttempts: true, connectTimeoutMs: true });
/** Private watches (`watchOrders`...) run on the private sessions, which keep retrying: no connect limits, no liveness. */
export const PRIVATE_WATCH_OPTION_KEYS = keysOf<Pick<WatchOptions, 'signal' | 'capacity'>>({ signal: true, capacity: true });
export const WATCH_BOOK_OPTION_KEYS = keysOf<WatchBookOptions>({ signal: true, capacity: true, livenessMs: true, maxAttempts: true, connectTimeoutMs: true, depth: true });
/** The options every venue factory takes besides its own (`env`, `urls`, segments...). */
export const EXCHANGE_OPTION_KEYS = keysOf<Omit<ExchangeOptions, 'restUrls'>>({
  credentials: true,
  clockSync: true,
  timeoutMs: true,
  maxResponseBytes: true,
  streams: true,
  outcomePolicy: true,
});
const STREAM_OPTION_KEYS = keysOf<Omit<StreamHubOptions, 'dialect'>>({
  maxAttempts: true,
  connectTimeoutMs: true,
  backoff: true,
  maxLifetimeMs: true,
  rotateMarginMs: true,
  ackTimeoutMs: true,
  rotateTimeoutMs: true,
  unroutedGraceMs: true,
  handshakeTimeoutMs: true,
  pacingMarginMs: true,
});
const BACKOFF_OPTION_KEYS = keysOf<BackoffOptions>({ initialMs: true, maxMs: true, factor: true, jitter: true, random: true, resetAfterMs: true });
const OUTCOME_POLICY_KEYS = keysOf<OutcomePolicy>({ queries: true, firstDelayMs: true });

/** Most items a watch may buffer for a slow consumer. */
export const MAX_WATCH_CAPACITY = 1_000_000;

const DURATION = { min: 1, max: MAX_TIMER_MS };
const MARGIN = { min: 0, max: MAX_TIMER_MS };

/** Only the `{ signal, timeoutMs }` of a larger options object, to pass on to another call. */
export function callOnly(opts: CallOptions): CallOptions {
  return { ...(opts.signal === undefined ? {} : { signal: opts.signal }), ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }) };
}

/** `{ signal, timeoutMs }` plus `extra` names (checked by the caller). */
export function callOptions(c: ArgumentChecks, call: string, value: unknown, extra: readonly string[] = []): Readonly<Record<string, unknown>> & CallOptions {
  const o = c.options(`${call} options`, value, [...new Set([...CALL_OPTION_KEYS, ...extra])]);
  c.signal('signal', o['signal']);
  c.optionalInteger('timeoutMs', o['timeoutMs'], DURATION);
  return o as Readonly<Record<string, unknown>> & CallOptions;
}

/** A market-data watch's options (`WATCH_OPTION_KEYS`) plus `extra` names (checked by the caller). */
export function watchOptions(c: ArgumentChecks, call: string, value: unknown, extra: readonly string[] = []): Readonly<Record<string, unknown>> & WatchOptions {
  return checkWatchOptions(c, call, value, [...new Set([...WATCH_OPTION_KEYS, ...extra])]);
}

/**
 * A conflating watch's options (books, tickers: a slow consumer sees the latest state, so nothing is buffered):
 * as `watchOptions`, but `capacity` is refused rather than silently ignored.
 */
export function conflatedWatchOptions(c: ArgumentChecks, call: string, value: unknown, extra: readonly string[] = []): Readonly<Record<string, unknown>> & WatchOptions {
  if (typeof value === 'object' && value !== null && (value as WatchOptions).capacity !== undefined) {
    c.fail('capacity', `does not apply to ${call}: it conflates (a slow consumer sees the latest state; nothing is buffered)`);
  }
  return checkWatchOptions(c, call, value, [...new Set([...WATCH_OPTION_KEYS, ...extra])].filter((k) => k !== 'capacity'));
}

/** A private watch's options (`{ signal, capacity }`) plus `extra` names (checked by the caller). */
export function privateWatchOptions(c: ArgumentChecks, call: string, value: unknown, extra: readonly string[] = []): Readonly<Record<string, unknown>> & WatchOptions {
  return checkWatchOptions(c, call, value, [...PRIVATE_WATCH_OPTION_KEYS, ...extra]);
}

function checkWatchOptions(c: ArgumentChecks, call: string, value: unknown, keys: readonly string[]): Readonly<Record<string, unknown>> & WatchOptions {
  const o = c.options(`${call} options`, value, keys);
  c.signal('signal', o['signal']);
  c.optionalInteger('capacity', o['capacity'], { min: 1, max: MAX_WATCH_CAPACITY });
  c.optionalInteger('livenessMs', o['livenessMs'], DURATION);
  c.optionalInteger('maxAttempts', o['maxAttempts'], { min: 1 });
  c.optionalInteger('connectTimeoutMs', o['connectTimeoutMs'], DURATION);
  return o as Readonly<Record<string, unknown>> & WatchOptions;
}

/** An order reference: a venue order id, or `{ id?, clientOrderId? }` with at least one of them. */
export function orderRef(c: ArgumentChecks, value: unknown): { readonly id?: string; readonly clientOrderId?: string } {
  if (typeof value === 'string') return { id: c.string('ref', value) };
  if (typeof value !== 'object' || value === null) c.fail('ref', `must be an order id string, { id } or { clientOrderId }; got ${describe(value)}`);
  const o = c.options('ref', value, ['id', 'clientOrderId']);
  const id = c.optionalString('ref.id', o['id']);
  const clientOrderId = c.optionalString('ref.clientOrderId', o['clientOrderId']);
  if (id === undefined && clientOrderId === undefined) c.fail('ref', 'must name the order: an order id string, or { id } or { clientOrderId }');
  return { ...(id === undefined ? {} : { id }), ...(clientOrderId === undefined ? {} : { clientOrderId }) };
}

/**
 * The options every `Exchange` takes (credentials, clockSync, timeoutMs, maxResponseBytes, streams, outcomePolicy), each checked;
 * other names are the caller's to check. Credentials may carry more fields (an account spec): only theirs are read.
 */
export function checkExchangeOptions(c: ArgumentChecks, o: Readonly<Record<string, unknown>>): void {
  if (o['credentials'] !== undefined) {
    const cred = c.object('credentials', o['credentials']);
    c.string('credentials.apiKey', cred['apiKey'], { secret: true });
    c.string('credentials.secret', cred['secret'], { secret: true });
    c.optionalString('credentials.passphrase', cred['passphrase'], { secret: true });
  }
  c.optionalBoolean('clockSync', o['clockSync']);
  c.optionalInteger('timeoutMs', o['timeoutMs'], DURATION);
  c.optionalInteger('maxResponseBytes', o['maxResponseBytes'], { min: 1 });
  if (o['streams'] !== undefined) {
    const s = c.options('streams', o['streams'], STREAM_OPTION_KEYS);
    c.optionalInteger('streams.maxAttempts', s['maxAttempts'], { min: 1 });
    c.optionalInteger('streams.connectTimeoutMs', s['connectTimeoutMs'], DURATION);
    c.optionalInteger('streams.maxLifetimeMs', s['maxLifetimeMs'], DURATION);
    c.optionalInteger('streams.rotateMarginMs', s['rotateMarginMs'], MARGIN);
    c.optionalInteger('streams.ackTimeoutMs', s['ackTimeoutMs'], DURATION);
    c.optionalInteger('streams.rotateTimeoutMs', s['rotateTimeoutMs'], DURATION);
    c.optionalInteger('streams.unroutedGraceMs', s['unroutedGraceMs'], MARGIN);
    c.optionalInteger('streams.handshakeTimeoutMs', s['handshakeTimeoutMs'], DURATION);
    c.optionalInteger('streams.pacingMarginMs', s['pacingMarginMs'], MARGIN);
    if (s['backoff'] !== undefined) {
      const b = c.options('streams.backoff', s['backoff'], BACKOFF_OPTION_KEYS);
      const initialMs = c.integer('streams.backoff.initialMs', b['initialMs'], MARGIN);
      c.integer('streams.backoff.maxMs', b['maxMs'], { min: initialMs, max: MAX_TIMER_MS });
      if (b['factor'] !== undefined) c.number('streams.backoff.factor', b['factor'], { min: 1, max: 100 });
      c.optionalOneOf<Jitter>('streams.backoff.jitter', b['jitter'], ['full', 'decorrelated', 'none']);
      if (b['random'] !== undefined && typeof b['random'] !== 'function') c.fail('streams.backoff.random', 'must be a function returning a number in [0, 1)');
      c.optionalInteger('streams.backoff.resetAfterMs', b['resetAfterMs'], MARGIN);
    }
  }
  if (o['outcomePolicy'] !== undefined) {
    const p = c.options('outcomePolicy', o['outcomePolicy'], OUTCOME_POLICY_KEYS);
    c.optionalInteger('outcomePolicy.queries', p['queries'], { min: 0, max: 1000 });
    c.optionalInteger('outcomePolicy.firstDelayMs', p['firstDelayMs'], MARGIN);
  }
}
