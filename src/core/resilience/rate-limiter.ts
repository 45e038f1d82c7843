/**
 * The rate-limit governor: one per venue, holding every limit window (fixed or rolling) keyed by limit
 * name, reserving request costs atomically and in FIFO order, re-synced from the venue's usage headers.
 */
import { VenueError } from '../errors.js';
import type { RateCost, RateLimitRule, RateUsage } from '../venue.js';
import { systemScheduler } from '../clock/scheduler.js';
import type { Scheduler, TimerHandle } from '../clock/scheduler.js';
import { TypedEvents } from '../streams/typed-events.js';
import { abortError, onAbort } from './cancellation.js';

/**
 * `fixed`: a counter reset at each window boundary aligned to the epoch (Binance's per-minute counters).
 * `rolling`: what was spent in the last `windowMs`.
 */
export type WindowKind = 'fixed' | 'rolling';

/** A venue rule plus how its window moves. */
export interface GovernorRule extends RateLimitRule {
  readonly window?: WindowKind;
}

export interface RateGovernorOptions {
  readonly rules?: readonly GovernorRule[];
  /** Fraction of each `max` we allow ourselves (default 0.9). */
  readonly safety?: number;
  /** Window kind for rules that do not say (default `'fixed'`). */
  readonly window?: WindowKind;
  /** Time and timers; pass one whose `now()` is venue time to align fixed windows with the venue's. */
  readonly scheduler?: Scheduler;
}

/** One window's state, for diagnostics and tests. */
export interface WindowUsage {
  readonly limit: string;
  readonly scope: string;
  readonly windowMs: number;
  readonly kind: WindowKind;
  readonly used: number;
  /** What we allow ourselves: `floor(max * safety)`. */
  readonly capacity: number;
}

export interface GovernorEvents {
  /** Every request now waits until `untilMs` (a 429/418 `Retry-After`). */
  paused: { readonly untilMs: number };
}

interface Window {
  readonly rule: GovernorRule;
  readonly kind: WindowKind;
  readonly capacity: number;
  used: number;
  /** Fixed: start of the current window. */
  start: number;
  /** Rolling: spends in time order, from `head`. */
  log: Array<{ at: number; weight: number }>;
  head: number;
  /** Nothing is taken from this window before this time (the venue said it is spent). */
  blockedUntil: number;
}

interface Waiter {
  readonly costs: readonly RateCost[];
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
  readonly signal: AbortSignal | undefined;
  /** Forgets the abort callback (see `onAbort` in cancellation.ts: one listener per signal). */
  offAbort: () => void;
}

const windowKey = (limit: string, windowMs: number): string => `${limit}/${windowMs}`;

/** Holds a venue's limit windows; `reserve` waits for room in all of a request's windows at once. */
export class RateGovernor {
  readonly events = new TypedEvents<GovernorEvents>();
  private readonly safety: number;
  private readonly defaultKind: WindowKind;
  private readonly scheduler: Scheduler;
  private byLimit = new Map<string, Window[]>();
  private readonly queue: Waiter[] = [];
  private pausedUntil = 0;
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;
  private closed = false;

  constructor(opts: RateGovernorOptions = {}) {
    this.safety = opts.safety ?? 0.9;
    this.defaultKind = opts.window ?? 'fixed';
    this.scheduler = opts.scheduler ?? systemScheduler;
    if (!(this.safety > 0 && this.safety <= 1)) throw new VenueError('invalid-argument', `safety must be in (0, 1], got ${this.safety}`);
    this.configure(opts.rules ?? []);
  }

  /** Replaces the rules (Binance announces them in exchangeInfo). Windows that survive keep their counts. */
  configure(rules: readonly GovernorRule[]): void {
    const old = new Map<string, Window>();
    for (const list of this.byLimit.values()) for (const w of list) old.set(windowKey(w.rule.limit, w.rule.windowMs), w);
    const next = new Map<string, Window[]>();
    for (const rule of rules) {
      if (!(rule.windowMs > 0 && rule.max > 0)) throw new VenueError('invalid-argument', `bad rate rule ${rule.limit}: windowMs and max must be positive`);
      const kind = rule.window ?? this.defaultKind;
      const prev = old.get(windowKey(rule.limit, rule.windowMs));
      const w: Window = { rule, kind, capacity: Math.max(1, Math.floor(rule.max * this.safety)), used: 0, start: -Infinity, log: [], head: 0, blockedUntil: 0 };
      if (prev !== undefined && prev.kind === kind) {
        w.used = prev.used;
        w.start = prev.start;
        w.log = prev.log;
        w.head = prev.head;
        w.blockedUntil = prev.blockedUntil;
      }
      const list = next.get(rule.limit);
      if (list) list.push(w);
      else next.set(rule.limit, [w]);
    }
    this.byLimit = next;
    this.drain();
  }

  /**
   * Resolves once every window the costs draw from has room, having reserved them all together.
   * Waiters are served strictly in arrival order. Costs for unconfigured limits are free.
   * @throws VenueError `closed` when aborted or when the governor is closed.
   */
  reserve(costs: readonly RateCost[], signal?: AbortSignal): Promise<void> {
    if (this.closed) return Promise.reject(new VenueError('closed', 'rate governor closed'));
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const now = this.scheduler.now();
    if (this.queue.length === 0 && now >= this.pausedUntil && this.tryTake(costs, now)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { costs, resolve, reject, signal, offAbort: () => undefined };
      if (signal !== undefined) {
        waiter.offAbort = onAbort(signal, () => {
          const i = this.queue.indexOf(waiter);
          if (i >= 0) this.queue.splice(i, 1);
          reject(abortError(signal));
          this.drain();
        });
      }
      this.queue.push(waiter);
      this.drain();
    });
  }

  /** Re-syncs windows from a response's usage readings: the venue's count wins when it is higher than ours. */
  observe(usages: readonly RateUsage[]): void {
    if (usages.length === 0) return;
    const now = this.scheduler.now();
    let resized = false;
    for (const u of usages) {
      let w = this.byLimit.get(u.limit)?.find((x) => x.rule.windowMs === u.windowMs);
      if (u.max !== undefined && u.max > 0 && u.windowMs > 0 && w?.rule.max !== u.max) {
        w = this.announce(u, w);
        resized = true;
      }
      if (w === undefined) continue;
      this.refresh(w, now);
      const used = u.remaining !== undefined ? Math.max(u.used, w.rule.max - u.remaining) : u.used;
      if (used <= w.used) continue;
      if (w.kind === 'rolling') w.log.push({ at: now, weight: used - w.used });
      w.used = used;
    }
    if (resized) this.drain();
  }

  /** Creates (or resizes) the window a usage reading announces, keeping what it already counted. */
  private announce(u: RateUsage, prev: Window | undefined): Window {
    const rule: GovernorRule = { limit: u.limit, scope: u.scope ?? prev?.rule.scope ?? 'ip', windowMs: u.windowMs, max: u.max as number, ...(prev?.rule.window === undefined ? {} : { window: prev.rule.window }) };
    const kind = rule.window ?? this.defaultKind;
    const w: Window = {
      rule,
      kind,
      capacity: Math.max(1, Math.floor(rule.max * this.safety)),
      used: prev?.used ?? 0,
      start: prev?.start ?? -Infinity,
      log: prev?.log ?? [],
      head: prev?.head ?? 0,
      blockedUntil: prev?.blockedUntil ?? 0,
    };
    const list = (this.byLimit.get(u.limit) ?? []).filter((x) => x !== prev);
    list.push(w);
    this.byLimit.set(u.limit, list);
    return w;
  }

  /** Holds every request until `untilMs` (epoch ms, scheduler time): nothing is sent during a ban. */
  pause(untilMs: number): void {
    if (untilMs <= this.pausedUntil) return;
    this.pausedUntil = untilMs;
    this.events.emit('paused', { untilMs });
    this.drain();
  }

  /**
   * Holds only the requests that draw from `limit` for `ms` (a per-endpoint limit the venue says is spent).
   * Returns false when no window of that limit is known, so the caller can pause everything instead.
   */
  pauseLimit(limit: string, ms: number): boolean {
    const list = this.byLimit.get(limit);
    if (list === undefined || list.length === 0) return false;
    const until = this.scheduler.now() + ms;
    for (const w of list) if (until > w.blockedUntil) w.blockedUntil = until;
    this.drain();
    return true;
  }

  /** `pause` for `ms` from now (scheduler time): what a `Retry-After` header asks for. */
  pauseFor(ms: number): void {
    this.pause(this.scheduler.now() + ms);
  }

  /** When requests may flow again (0 when not paused). */
  get pausedUntilMs(): number {
    return this.pausedUntil > this.scheduler.now() ? this.pausedUntil : 0;
  }

  /** Requests waiting for room. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Current usage of every window. */
  usage(): WindowUsage[] {
    const now = this.scheduler.now();
    const out: WindowUsage[] = [];
    for (const list of this.byLimit.values()) {
      for (const w of list) {
        this.refresh(w, now);
        const { limit, scope, windowMs } = w.rule;
        out.push({ limit, scope, windowMs, kind: w.kind, used: w.used, capacity: w.capacity });
      }
    }
    return out;
  }

  /** Rejects every waiter with `closed` and stops the timer. */
  close(): void {
    this.closed = true;
    this.clearTimer();
    for (const w of this.queue.splice(0)) {
      w.offAbort();
      w.reject(new VenueError('closed', 'rate governor closed'));
    }
  }

  /**
   * Grants waiters in arrival order. A waiter held by a limit the venue declared spent (`pauseLimit`) steps
   * aside, so requests to other endpoints are not stuck behind it; among the rest the order is strict.
   */
  private drain(): void {
    if (this.closed) return;
    const now = this.scheduler.now();
    if (this.queue.length > 0 && now < this.pausedUntil) return this.wakeAt(this.pausedUntil, now);
    let wake = Infinity;
    let i = 0;
    while (i < this.queue.length) {
      const w = this.queue[i] as Waiter;
      const blocked = this.blockedUntil(w.costs, now);
      if (blocked > now) {
        wake = Math.min(wake, blocked);
        i++;
        continue;
      }
      if (!this.tryTake(w.costs, now)) {
        wake = Math.min(wake, this.roomAt(w.costs, now));
        break;
      }
      this.queue.splice(i, 1);
      w.offAbort();
      w.resolve();
    }
    if (wake < Infinity) return this.wakeAt(wake, now);
    this.clearTimer();
  }

  /** Latest `blockedUntil` among the windows the costs draw from (0 when none is held). */
  private blockedUntil(costs: readonly RateCost[], now: number): number {
    let until = 0;
    for (const c of costs) for (const w of this.byLimit.get(c.limit) ?? []) if (w.blockedUntil > now && w.blockedUntil > until) until = w.blockedUntil;
    return until;
  }

  /** Reserves all costs if every window has room; otherwise reserves nothing. */
  private tryTake(costs: readonly RateCost[], now: number): boolean {
    if (this.byLimit.size === 0) return true;
    for (const c of costs) {
      const list = this.byLimit.get(c.limit);
      if (list === undefined) continue;
      const weight = sumFor(costs, c.limit);
      for (const w of list) {
        this.refresh(w, now);
        if (now < w.blockedUntil) return false;
        if (w.used > 0 && w.used + weight > w.capacity) return false;
      }
    }
    for (const c of costs) {
      const list = this.byLimit.get(c.limit);
      if (list === undefined || c.weight <= 0) continue;
      for (const w of list) {
        w.used += c.weight;
        if (w.kind === 'rolling') w.log.push({ at: now, weight: c.weight });
      }
    }
    return true;
  }

  /** Earliest time the costs could fit, given what is spent now. */
  private roomAt(costs: readonly RateCost[], now: number): number {
    let at = now + 1;
    for (const c of costs) {
      const weight = sumFor(costs, c.limit);
      for (const w of this.byLimit.get(c.limit) ?? []) {
        if (now < w.blockedUntil) at = Math.max(at, w.blockedUntil);
        if (w.used === 0 || w.used + weight <= w.capacity) continue;
        if (w.kind === 'fixed') at = Math.max(at, w.start + w.rule.windowMs);
        else {
          let freed = 0;
          for (let i = w.head; i < w.log.length; i++) {
            const e = w.log[i] as { at: number; weight: number };
            freed += e.weight;
            if (w.used - freed === 0 || w.used - freed + weight <= w.capacity) {
              at = Math.max(at, e.at + w.rule.windowMs + 1);
              break;
            }
          }
        }
      }
    }
    return at;
  }

  private refresh(w: Window, now: number): void {
    const ms = w.rule.windowMs;
    if (w.kind === 'fixed') {
      const start = Math.floor(now / ms) * ms;
      if (start !== w.start) {
        w.start = start;
        w.used = 0;
      }
      return;
    }
    const cutoff = now - ms;
    while (w.head < w.log.length && (w.log[w.head] as { at: number }).at <= cutoff) {
      w.used -= (w.log[w.head] as { weight: number }).weight;
      w.head++;
    }
    if (w.head > 1024 && w.head * 2 > w.log.length) {
      w.log = w.log.slice(w.head);
      w.head = 0;
    }
    if (w.used < 0) w.used = 0;
  }

  private wakeAt(at: number, now: number): void {
    if (this.timer !== undefined && this.timerAt <= at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = this.scheduler.setTimer(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.drain();
    }, Math.max(1, at - now));
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.scheduler.clearTimer(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }
}

function sumFor(costs: readonly RateCost[], limit: string): number {
  let total = 0;
  for (const c of costs) if (c.limit === limit) total += c.weight;
  return total;
}
