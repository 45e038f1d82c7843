/**
 * The time source and timers the core's timed mechanisms run on, injectable so tests can drive time
 * by hand (limiter windows, backoff, clock resampling). Owns no timers itself.
 */

/** An opaque timer handle from a `Scheduler`. */
export type TimerHandle = { readonly __timer: unique symbol } | object;

/** Wall-clock time plus one-shot timers. */
export interface Scheduler {
  /** Epoch milliseconds. */
  now(): number;
  /** Runs `fn` once after `ms`. `unref: true` lets the process exit while it is pending. */
  setTimer(fn: () => void, ms: number, opts?: { unref?: boolean }): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

/** The real clock and Node timers. */
export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  setTimer(fn, ms, opts) {
    const t = setTimeout(fn, Math.max(0, ms));
    if (opts?.unref) t.unref();
    return t;
  },
  clearTimer(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
