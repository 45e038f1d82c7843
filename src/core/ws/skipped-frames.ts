/**
 * Counts the inbound frames one connection skips — text that is not JSON (`undecodable`), frames its venue's dialect
 * cannot make sense of (`unrecognized`), data that no subscription takes (`unrouted`) — and reports them at a bounded
 * rate, so that a flood of them costs the event listeners little while the counts stay exact.
 */

/** Why a frame was skipped. */
export type SkipKind = 'undecodable' | 'unrecognized' | 'unrouted';

/** Frames one connection skipped, by kind, since it was created. Exact: rate limiting never touches them. */
export interface SkippedFrameCounts {
  readonly undecodable: number;
  readonly unrecognized: number;
  readonly unrouted: number;
}

/** One report: `frames` skipped frames of one kind since the previous report of that kind, the last one described. */
export interface SkipReport {
  readonly kind: SkipKind;
  readonly frames: number;
  readonly last: string;
}

/** Reports a kind may send back to back before the rate limit applies. */
export const SKIP_REPORT_BURST = 5;
/** Once the burst is spent, at most one report of a kind per this many ms. */
export const SKIP_REPORT_INTERVAL_MS = 1000;

interface Bucket {
  /** Reports that may go out now (a token bucket of `SKIP_REPORT_BURST`, one token back per interval). */
  tokens: number;
  refilledAt: number;
  /** Frames counted but not reported yet, and the description of the last of them. */
  pending: number;
  last: (() => string) | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The skipped-frame counts of one connection and their reports. Each kind is reported at once while it is rare (up
 * to `SKIP_REPORT_BURST` reports back to back); beyond that at most one report a second, which says how many frames
 * of that kind it stands for (`frames`) and describes the last one. Frames held back are reported when the next
 * report is due, even if no more come. Counted frames that `skip` is told not to report are only counted.
 */
export class SkippedFrames {
  readonly #counts: { undecodable: number; unrecognized: number; unrouted: number } = { undecodable: 0, unrecognized: 0, unrouted: 0 };
  readonly #buckets = new Map<SkipKind, Bucket>();
  readonly #report: (report: SkipReport) => void;
  #closed = false;

  constructor(report: (report: SkipReport) => void) {
    this.#report = report;
  }

  /** The exact counts so far. */
  get counts(): SkippedFrameCounts {
    return { ...this.#counts };
  }

  /**
   * Counts one skipped frame of `kind` and, when `report` is true, reports it (now, or with the next report the rate
   * allows). `describe` is called only when a report goes out.
   */
  skip(kind: SkipKind, describe: () => string, report = true): void {
    this.#counts[kind]++;
    if (!report || this.#closed) return;
    const b = this.#bucket(kind);
    b.pending++;
    b.last = describe;
    this.#refill(b, Date.now());
    if (b.tokens >= 1) return this.#send(kind, b);
    if (b.timer === undefined) {
      b.timer = setTimeout(() => {
        b.timer = undefined;
        this.#refill(b, Date.now());
        if (b.pending > 0 && !this.#closed) this.#send(kind, b);
      }, Math.ceil((1 - b.tokens) * SKIP_REPORT_INTERVAL_MS));
      b.timer.unref?.();
    }
  }

  /** Stops the pending reports (the counts stay readable). */
  close(): void {
    this.#closed = true;
    for (const b of this.#buckets.values()) {
      if (b.timer !== undefined) clearTimeout(b.timer);
      b.timer = undefined;
    }
  }

  #bucket(kind: SkipKind): Bucket {
    let b = this.#buckets.get(kind);
    if (b === undefined) {
      b = { tokens: SKIP_REPORT_BURST, refilledAt: Date.now(), pending: 0, last: undefined, timer: undefined };
      this.#buckets.set(kind, b);
    }
    return b;
  }

  #refill(b: Bucket, now: number): void {
    b.tokens = Math.min(SKIP_REPORT_BURST, b.tokens + (now - b.refilledAt) / SKIP_REPORT_INTERVAL_MS);
    b.refilledAt = now;
  }

  #send(kind: SkipKind, b: Bucket): void {
    if (b.timer !== undefined) clearTimeout(b.timer);
    b.timer = undefined;
    b.tokens -= 1;
    const frames = b.pending;
    const last = b.last?.() ?? '';
    b.pending = 0;
    b.last = undefined;
    this.#report({ kind, frames, last });
  }
}

/** The first `max` characters of a frame's text, quoted, for a report. */
export function frameExcerpt(text: string, max = 80): string {
  return `${JSON.stringify(text.slice(0, max))}${text.length > max ? `…(${text.length} chars)` : ''}`;
}

/** What a report says: the frame described, or how many frames it stands for and the last of them. */
export function skipMessage(r: SkipReport): string {
  if (r.frames === 1) return r.last;
  return `${r.frames} ${r.kind} frames skipped since the last report (reports are limited to about one a second); the last: ${r.last}`;
}
