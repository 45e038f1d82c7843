/**
 * Binance REST request-weight accounting for the simulator: a fixed window per client IP (one minute by
 * default), 429 when a request would go over, a 418 ban when the client keeps going after 429s.
 */

export interface WeightMeterOptions {
  /** REQUEST_WEIGHT allowed per window. */
  readonly limit: number;
  /** Window length (default 60,000 ms, aligned to the clock like Binance's minute). */
  readonly windowMs?: number | undefined;
  /** 429s tolerated in one window before the IP is banned (default 2: the third over-limit request gets 418). */
  readonly banAfterRejections?: number | undefined;
  /** Ban length (default 120,000 ms, Binance's shortest). */
  readonly banMs?: number | undefined;
}

export type WeightVerdict =
  | { readonly ok: true; readonly used: number }
  | { readonly ok: false; readonly status: 429 | 418; readonly used: number; readonly retryAfterSec: number; readonly bannedUntil?: number };

interface IpState {
  window: number;
  used: number;
  rejections: number;
  bannedUntil: number;
}

/** Meters request weight per IP. */
export class WeightMeter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly banAfter: number;
  private readonly banMs: number;
  private readonly ips = new Map<string, IpState>();

  constructor(options: WeightMeterOptions) {
    this.limit = options.limit;
    this.windowMs = options.windowMs ?? 60_000;
    this.banAfter = options.banAfterRejections ?? 2;
    this.banMs = options.banMs ?? 120_000;
  }

  /** Charges `weight` for a request from `ip` at `now`; says whether it may be served. */
  charge(ip: string, weight: number, now: number): WeightVerdict {
    const window = Math.floor(now / this.windowMs);
    let s = this.ips.get(ip);
    if (s === undefined) {
      s = { window, used: 0, rejections: 0, bannedUntil: 0 };
      this.ips.set(ip, s);
    }
    if (s.window !== window) {
      s.window = window;
      s.used = 0;
      s.rejections = 0;
    }
    if (s.bannedUntil > now) return { ok: false, status: 418, used: s.used, retryAfterSec: Math.ceil((s.bannedUntil - now) / 1000), bannedUntil: s.bannedUntil };
    if (s.used + weight > this.limit) {
      s.rejections++;
      if (s.rejections > this.banAfter) {
        s.bannedUntil = now + this.banMs;
        return { ok: false, status: 418, used: s.used, retryAfterSec: Math.ceil(this.banMs / 1000), bannedUntil: s.bannedUntil };
      }
      const windowEnd = (window + 1) * this.windowMs;
      return { ok: false, status: 429, used: s.used, retryAfterSec: Math.max(1, Math.ceil((windowEnd - now) / 1000)) };
    }
    s.used += weight;
    return { ok: true, used: s.used };
  }

  /** Weight used by `ip` in the current window. */
  used(ip: string, now: number): number {
    const s = this.ips.get(ip);
    return s === undefined || s.window !== Math.floor(now / this.windowMs) ? 0 : s.used;
  }
}
