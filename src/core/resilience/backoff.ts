/**
 * Exponential backoff with jitter for reconnects and read retries. Pure arithmetic plus a little state:
 * it never sleeps; callers schedule the delay it returns.
 */

export type Jitter = 'full' | 'decorrelated' | 'none';

export interface BackoffOptions {
  /** First delay ceiling (full jitter) or floor (decorrelated). */
  readonly initialMs: number;
  readonly maxMs: number;
  /** Growth per attempt; default 2 (3 is the classic choice for decorrelated jitter). */
  readonly factor?: number;
  /** Default `'full'`: uniform in [0, ceiling]. */
  readonly jitter?: Jitter;
  /** Uniform [0, 1); injectable for deterministic tests. */
  readonly random?: () => number;
  /** Attempts start over once the resource stayed healthy this long (default 30 s). */
  readonly resetAfterMs?: number;
}

/** Delays for successive attempts; `healthy()` then a quiet period resets the sequence. */
export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: Jitter;
  private readonly random: () => number;
  private readonly resetAfterMs: number;
  private attemptCount = 0;
  private previousMs: number;
  private healthySince: number | undefined;

  constructor(opts: BackoffOptions) {
    this.initialMs = Math.max(0, opts.initialMs);
    this.maxMs = Math.max(this.initialMs, opts.maxMs);
    this.factor = opts.factor ?? 2;
    this.jitter = opts.jitter ?? 'full';
    this.random = opts.random ?? Math.random;
    this.resetAfterMs = opts.resetAfterMs ?? 30_000;
    this.previousMs = this.initialMs;
  }

  /** Attempts made since the last reset. */
  get attempts(): number {
    return this.attemptCount;
  }

  /** The delay before the next attempt, in ms. Resets first when the last healthy period was long enough. */
  next(now: number = Date.now()): number {
    if (this.healthySince !== undefined) {
      if (now - this.healthySince >= this.resetAfterMs) this.reset();
      this.healthySince = undefined;
    }
    const ceiling = Math.min(this.maxMs, this.initialMs * this.factor ** this.attemptCount);
    this.attemptCount++;
    let ms: number;
    if (this.jitter === 'none') ms = ceiling;
    else if (this.jitter === 'full') ms = this.random() * ceiling;
    else {
      // Decorrelated (AWS architecture blog): uniform between the floor and factor x the previous delay.
      const upper = Math.min(this.maxMs, this.previousMs * this.factor);
      ms = this.initialMs + this.random() * Math.max(0, upper - this.initialMs);
    }
    this.previousMs = Math.max(this.initialMs, ms);
    return Math.round(ms);
  }

  /** Marks the resource healthy from `now`; if it stays so for `resetAfterMs`, the next delay starts over. */
  healthy(now: number = Date.now()): void {
    this.healthySince = now;
  }

  /** Starts over from the first delay. */
  reset(): void {
    this.attemptCount = 0;
    this.previousMs = this.initialMs;
    this.healthySince = undefined;
  }
}
