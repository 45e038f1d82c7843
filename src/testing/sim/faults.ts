/**
 * Fault switches for the simulator, venue-agnostic: what to break (drop, gap, stall, delay, REST errors,
 * clock skew, server shutdown) and for which venue segment. Front ends register as targets and consult
 * this state; faults only affect what is *sent*, never the market's own truth.
 */
import { VenueError } from '../../core/errors.js';

/** Which part of the simulator a fault applies to; omitted fields match everything. */
export interface FaultScope {
  /** `'binance'`, `'bybit'`, `'okx'`. */
  readonly venue?: string;
  /** Venue segment, e.g. Binance `'spot'` or `'usdm'`, Bybit `'linear'`. */
  readonly segment?: string;
}

/** HTTP statuses the REST error switch can answer with. */
export type RestFailureStatus = 429 | 418 | 500 | 503;

/** What a front end implements so faults can act on its connections. */
export interface FaultTarget {
  readonly venue: string;
  readonly segment: string;
  /** Closes every stream connection abruptly (TCP reset, no close frame). Returns how many. */
  dropConnections(): number;
  /** Holds data frames (not pings/pongs) for `ms`, then sends what was held. Returns affected connections. */
  stall(ms: number): number;
  /** Sends the venue's shutdown notice to every connection; closes them after `closeAfterMs` if given. */
  sendServerShutdown(closeAfterMs?: number): number;
}

/** A pending REST failure as a front end applies it. */
export interface RestFailure {
  readonly status: RestFailureStatus;
  readonly retryAfterSec: number;
}

interface PendingRestFailure extends RestFailure {
  readonly scope: FaultScope;
  remaining: number;
}

/** A JSON view of the active switches. */
export interface FaultState {
  readonly delayMs: number;
  readonly clockSkewMs: number;
  readonly pendingGaps: Record<string, number>;
  readonly stalledUntil: Record<string, number>;
  readonly restFailures: Array<{ status: number; remaining: number; retryAfterSec: number; venue?: string; segment?: string }>;
  readonly applied: Record<string, number>;
}

/** The fault switches. Methods act at once; counts of what was applied are in `state().applied`. */
export class SimFaults {
  private readonly targets = new Set<FaultTarget>();
  private delay = 0;
  private skew = 0;
  /** Gap requests by `symbol`, or `venue:segment:symbol` when scoped (empty parts match everything). */
  private readonly gapGeneration = new Map<string, number>();
  private readonly stalled = new Map<string, number>();
  private restFailures: PendingRestFailure[] = [];
  private readonly applied: Record<string, number> = {};

  /** Registers a front end; returns the function that removes it. */
  register(target: FaultTarget): () => void {
    this.targets.add(target);
    return () => this.targets.delete(target);
  }

  /** Every frame (data, acks, notices) is sent `ms` later than it would be; 0 turns it off. */
  get delayMs(): number {
    return this.delay;
  }

  /** Offset added to every time the venues report (`/time`, `serverTime`, event and trade times). */
  get clockSkewMs(): number {
    return this.skew;
  }

  /** The venues' clock: wall time plus the skew. */
  now(): number {
    return Date.now() + this.skew;
  }

  /** Drops all stream connections (or one venue/segment's). Returns how many were closed. */
  drop(scope: FaultScope = {}): number {
    let n = 0;
    for (const t of this.matching(scope)) n += t.dropConnections();
    this.count('drop', n);
    return n;
  }

  /**
   * The next diff-depth event of `symbol` (unified, e.g. `BTC/USDT`) on each depth stream is not sent, on
   * every venue (each venue has its own market) or only on `scope`'s.
   */
  gap(symbol: string, scope: FaultScope = {}): void {
    const key = scope.venue === undefined && scope.segment === undefined ? symbol : `${scope.venue ?? ''}:${scope.segment ?? ''}:${symbol}`;
    this.gapGeneration.set(key, (this.gapGeneration.get(key) ?? 0) + 1);
    this.count('gap', 1);
  }

  /** No data frames for `ms` on the matching segments (pings still answered), then the held frames. */
  stall(ms: number, scope: FaultScope = {}): number {
    checkMs(ms, 'stall');
    let n = 0;
    for (const t of this.matching(scope)) {
      n += t.stall(ms);
      this.stalled.set(`${t.venue}:${t.segment}`, Date.now() + ms);
    }
    this.count('stall', 1);
    return n;
  }

  /** Delays every WebSocket frame by `ms` (0 = off). */
  delayFrames(ms: number): void {
    checkMs(ms, 'delay');
    this.delay = ms;
    this.count('delay', 1);
  }

  /** Answers the next `count` REST requests (default 1) with `status`, carrying `Retry-After`. */
  failRest(opts: FaultScope & { status: RestFailureStatus; count?: number; retryAfterSec?: number }): void {
    if (![429, 418, 500, 503].includes(opts.status)) throw new VenueError('invalid-argument', `failRest status must be 429, 418, 500 or 503, got ${opts.status}`);
    const count = opts.count ?? 1;
    if (!Number.isInteger(count) || count < 1) throw new VenueError('invalid-argument', `failRest count must be a positive integer, got ${count}`);
    const scope: FaultScope = { ...(opts.venue !== undefined ? { venue: opts.venue } : {}), ...(opts.segment !== undefined ? { segment: opts.segment } : {}) };
    this.restFailures.push({ scope, status: opts.status, remaining: count, retryAfterSec: opts.retryAfterSec ?? 1 });
  }

  /** Skews the venues' clock by `ms` (positive = venue ahead of us). Replaces any earlier skew. */
  skewClock(ms: number): void {
    if (!Number.isSafeInteger(ms)) throw new VenueError('invalid-argument', `clock skew must be an integer ms, got ${ms}`);
    this.skew = ms;
    this.count('clock-skew', 1);
  }

  /** Sends the shutdown notice on every matching connection (and closes them after `closeAfterMs`). */
  serverShutdown(opts: FaultScope & { closeAfterMs?: number } = {}): number {
    if (opts.closeAfterMs !== undefined) checkMs(opts.closeAfterMs, 'closeAfterMs');
    let n = 0;
    for (const t of this.matching(opts)) n += t.sendServerShutdown(opts.closeAfterMs);
    this.count('server-shutdown', n);
    return n;
  }

  /** Turns off delay, skew and pending REST failures. Gaps already requested and running stalls still happen. */
  clear(): void {
    this.delay = 0;
    this.skew = 0;
    this.restFailures = [];
  }

  state(): FaultState {
    const now = Date.now();
    return {
      delayMs: this.delay,
      clockSkewMs: this.skew,
      pendingGaps: Object.fromEntries(this.gapGeneration),
      stalledUntil: Object.fromEntries([...this.stalled].filter(([, until]) => until > now)),
      restFailures: this.restFailures.map((f) => ({ status: f.status, remaining: f.remaining, retryAfterSec: f.retryAfterSec, ...f.scope })),
      applied: { ...this.applied },
    };
  }

  // ------------------------------------------------------------------ for front ends

  /**
   * How many gaps were requested for `symbol` on this venue segment so far (unscoped ones included); a depth
   * stream skips one event per increment it sees.
   */
  gapGenerationOf(symbol: string, venue?: string, segment?: string): number {
    let n = this.gapGeneration.get(symbol) ?? 0;
    if (venue === undefined) return n;
    for (const key of [`${venue}::${symbol}`, `:${segment ?? ''}:${symbol}`, `${venue}:${segment ?? ''}:${symbol}`]) {
      if (segment === undefined && key !== `${venue}::${symbol}`) continue;
      n += this.gapGeneration.get(key) ?? 0;
    }
    return n;
  }

  /** Records that a front end skipped an event for a gap. */
  noteGapApplied(): void {
    this.count('gap-applied', 1);
  }

  /** Takes the next pending REST failure for a venue segment, if any. */
  takeRestFailure(venue: string, segment: string): RestFailure | undefined {
    const i = this.restFailures.findIndex((f) => matches(f.scope, venue, segment));
    if (i < 0) return undefined;
    const f = this.restFailures[i] as PendingRestFailure;
    if (--f.remaining <= 0) this.restFailures.splice(i, 1);
    this.count(`rest-${f.status}`, 1);
    return { status: f.status, retryAfterSec: f.retryAfterSec };
  }

  private matching(scope: FaultScope): FaultTarget[] {
    return [...this.targets].filter((t) => matches(scope, t.venue, t.segment));
  }

  private count(what: string, n: number): void {
    this.applied[what] = (this.applied[what] ?? 0) + n;
  }
}

function matches(scope: FaultScope, venue: string, segment: string): boolean {
  return (scope.venue === undefined || scope.venue === venue) && (scope.segment === undefined || scope.segment === segment);
}

function checkMs(ms: number, what: string): void {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new VenueError('invalid-argument', `${what} must be a non-negative integer ms, got ${ms}`);
}
