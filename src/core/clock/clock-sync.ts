/**
 * Tracks the offset between the local clock and a venue's server time (median of recent round-trip
 * samples, resampled periodically and on demand), and hands out unique timestamps for signed requests.
 */
import { VenueError, toVenueError } from '../errors.js';
import { systemScheduler } from './scheduler.js';
import type { Scheduler, TimerHandle } from './scheduler.js';

export interface ClockSyncOptions {
  /** Asks the venue for its time (epoch ms); e.g. an `HttpClient` call of the dialect's `serverTime` request. */
  readonly fetchServerTime: (signal?: AbortSignal) => Promise<number>;
  /** Samples the median is taken over (default 5). */
  readonly samples?: number;
  /** Periodic resampling interval once started (default 5 min). The timer never keeps the process alive. */
  readonly intervalMs?: number;
  /** Samples taken by `resync()` back to back (default 3). */
  readonly resyncSamples?: number;
  readonly scheduler?: Scheduler;
  /** Called when a periodic sample fails (the offset keeps its last value). */
  readonly onSampleFailed?: (err: VenueError) => void;
}

/** One measurement. */
export interface ClockSample {
  /** serverTime − local midpoint of the round trip, ms. */
  readonly offsetMs: number;
  readonly roundTripMs: number;
  readonly takenAt: number;
}

/** Server-time offset (median of the last samples) and a venue-time `now()`. */
export class ClockSync implements AsyncDisposable {
  private readonly fetchServerTime: ClockSyncOptions['fetchServerTime'];
  private readonly maxSamples: number;
  private readonly intervalMs: number;
  private readonly resyncSamples: number;
  private readonly scheduler: Scheduler;
  private readonly onSampleFailed: ((err: VenueError) => void) | undefined;
  private readonly history: ClockSample[] = [];
  private offset = 0;
  private timer: TimerHandle | undefined;
  private inflight: Promise<void> | undefined;
  private closed = false;
  private readonly nonce: () => number;

  constructor(opts: ClockSyncOptions) {
    this.fetchServerTime = opts.fetchServerTime;
    this.maxSamples = Math.max(1, opts.samples ?? 5);
    this.intervalMs = opts.intervalMs ?? 300_000;
    this.resyncSamples = Math.max(1, opts.resyncSamples ?? 3);
    this.scheduler = opts.scheduler ?? systemScheduler;
    this.onSampleFailed = opts.onSampleFailed;
    this.nonce = createNonce(() => this.now());
  }

  /** Current offset: venue time − local time, ms (median of the kept samples; 0 before any). */
  get offsetMs(): number {
    return this.offset;
  }

  /** The kept samples, oldest first. */
  get samples(): readonly ClockSample[] {
    return this.history;
  }

  /** Venue time now, epoch ms. */
  now(): number {
    return this.scheduler.now() + this.offset;
  }

  /** Venue time that is strictly greater than any this clock returned before: unique per signed request. */
  timestamp(): number {
    return this.nonce();
  }

  /** Takes a first sample, then resamples every `intervalMs` in the background. */
  async start(signal?: AbortSignal): Promise<void> {
    await this.sample(signal);
    this.schedule();
  }

  /** Measures once and folds the result into the median. @throws VenueError from `fetchServerTime`. */
  async sample(signal?: AbortSignal): Promise<ClockSample> {
    const t0 = this.scheduler.now();
    let server: number;
    try {
      server = await this.fetchServerTime(signal);
    } catch (err) {
      throw toVenueError(err, 'network', { operation: 'server time' });
    }
    const t1 = this.scheduler.now();
    if (!Number.isFinite(server)) throw new VenueError('decode', `server time is not a number: ${String(server)}`);
    const s: ClockSample = { offsetMs: Math.round(server - (t0 + t1) / 2), roundTripMs: t1 - t0, takenAt: t1 };
    this.history.push(s);
    if (this.history.length > this.maxSamples) this.history.shift();
    this.offset = median(this.history.map((x) => x.offsetMs));
    return s;
  }

  /**
   * Drops the old samples and measures afresh (after a clock-skew rejection such as Binance -1021).
   * Concurrent calls share one resync.
   */
  resync(signal?: AbortSignal): Promise<void> {
    this.inflight ??= (async () => {
      try {
        const fresh: ClockSample[] = [];
        for (let i = 0; i < this.resyncSamples; i++) {
          await this.sample(signal);
          fresh.push(this.history[this.history.length - 1] as ClockSample);
        }
        const kept = fresh.slice(-this.maxSamples);
        this.history.splice(0, this.history.length, ...kept);
        this.offset = median(kept.map((x) => x.offsetMs));
      } finally {
        this.inflight = undefined;
      }
    })();
    return this.inflight;
  }

  /** Stops periodic resampling. */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.scheduler.clearTimer(this.timer);
    this.timer = undefined;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  private schedule(): void {
    if (this.closed || this.timer !== undefined) return;
    this.timer = this.scheduler.setTimer(
      () => {
        this.timer = undefined;
        this.sample().then(
          () => this.schedule(),
          (err: unknown) => {
            this.onSampleFailed?.(toVenueError(err));
            this.schedule();
          },
        );
      },
      this.intervalMs,
      { unref: true },
    );
  }
}

/**
 * A timestamp source that never returns the same millisecond twice: `now()` floored, bumped by one when
 * it would repeat or go back.
 */
export function createNonce(now: () => number = Date.now): () => number {
  let last = -Infinity;
  return () => {
    let t = Math.floor(now());
    if (t <= last) t = last + 1;
    last = t;
    return t;
  };
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : Math.round(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
}
