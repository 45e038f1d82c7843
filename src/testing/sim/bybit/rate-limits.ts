/**
 * Bybit REST rate limits for the simulator: a per-endpoint, per-second budget per client IP (announced in
 * `X-Bapi-Limit*` headers, `retCode 10006` when spent) and the IP-wide 600 requests per 5 s cap whose
 * breach bans the IP with HTTP 403 for 10 minutes (protocols.md §3.4).
 */

export interface BybitRateLimitOptions {
  /** Requests per second per endpoint and IP (default 50). */
  readonly endpointPerSecond?: number;
  /** Requests per IP window over every endpoint (default 600 per 5 s). */
  readonly ipLimit?: number;
  readonly ipWindowMs?: number;
  /** Ban length after the IP cap is breached (default 600,000 ms). */
  readonly ipBanMs?: number;
}

export type BybitVerdict =
  | { readonly kind: 'ok' | 'limited'; readonly limit: number; readonly remaining: number; readonly resetAt: number }
  | { readonly kind: 'banned'; readonly until: number };

interface IpState {
  window: number;
  count: number;
  bannedUntil: number;
  readonly endpoints: Map<string, { second: number; used: number }>;
}

export class BybitRateLimiter {
  readonly endpointPerSecond: number;
  readonly ipLimit: number;
  readonly ipWindowMs: number;
  readonly ipBanMs: number;
  private readonly ips = new Map<string, IpState>();

  constructor(o: BybitRateLimitOptions = {}) {
    this.endpointPerSecond = o.endpointPerSecond ?? 50;
    this.ipLimit = o.ipLimit ?? 600;
    this.ipWindowMs = o.ipWindowMs ?? 5_000;
    this.ipBanMs = o.ipBanMs ?? 600_000;
  }

  /** Charges one request to `endpoint` from `ip` at `now`. */
  charge(ip: string, endpoint: string, now: number): BybitVerdict {
    let s = this.ips.get(ip);
    if (s === undefined) {
      s = { window: 0, count: 0, bannedUntil: 0, endpoints: new Map() };
      this.ips.set(ip, s);
    }
    if (s.bannedUntil > now) return { kind: 'banned', until: s.bannedUntil };
    const window = Math.floor(now / this.ipWindowMs);
    if (s.window !== window) {
      s.window = window;
      s.count = 0;
    }
    if (++s.count > this.ipLimit) {
      s.bannedUntil = now + this.ipBanMs;
      return { kind: 'banned', until: s.bannedUntil };
    }
    const second = Math.floor(now / 1000);
    let e = s.endpoints.get(endpoint);
    if (e === undefined || e.second !== second) {
      e = { second, used: 0 };
      s.endpoints.set(endpoint, e);
    }
    const resetAt = (second + 1) * 1000;
    if (e.used >= this.endpointPerSecond) return { kind: 'limited', limit: this.endpointPerSecond, remaining: 0, resetAt };
    e.used++;
    return { kind: 'ok', limit: this.endpointPerSecond, remaining: this.endpointPerSecond - e.used, resetAt };
  }
}
