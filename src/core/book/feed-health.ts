/**
 * How healthy one book's feed is, for its synchronizer: the trouble count that spaces out rebuilds while the feed
 * keeps breaking them (cleared, with a pending wait cut short, once buffered deltas chain cleanly again), and the
 * liveness window over messages that arrive but cannot be applied. No timer: the clock is read as messages arrive.
 */
import { VenueError } from '../errors.js';

/** @throws VenueError `invalid-argument` unless `ms` is a positive number of milliseconds (a liveness window). */
export function checkLivenessMs(ms: unknown): void {
  if (typeof ms !== 'number' || !(ms > 0)) throw new VenueError('invalid-argument', `livenessMs must be a positive number of milliseconds, got ${String(ms)}`);
}

export class FeedHealth {
  /** Times the feed broke the book since it was last clean (applied live, or chaining in the buffer). */
  trouble = 0;
  private cleanRun = 0;
  /** Ends the pending `waitUnlessClean` early (set while one runs). */
  private cut: (() => void) | undefined;
  /** Something was accepted since the clock was last read; else `refusingSince` is when the current refusals began. */
  private accepted = true;
  private refusingSince = 0;

  /**
   * @param livenessMs how long messages may keep arriving with none applied (may be changed later)
   * @param cleanAfter consecutive buffered deltas chaining correctly after which the feed is clean again
   */
  constructor(
    public livenessMs: number,
    private readonly cleanAfter: number,
    private readonly now: () => number,
  ) {}

  /** A message was applied or a book swapped in: a new liveness window starts at the next refusal. */
  accept(): void {
    this.accepted = true;
  }

  /** A delta was applied live: the feed is clean. */
  applied(): void {
    this.trouble = 0;
    this.accepted = true;
  }

  /** The feed broke the book (a resync, or a rebuild spoiled by a buffered delta): a clean run must start over. */
  broke(): void {
    this.trouble++;
    this.cleanRun = 0;
  }

  /** A message arrived and none could be applied: true once that has gone on for longer than the liveness window. */
  refused(): boolean {
    const now = this.now();
    if (this.accepted) {
      this.accepted = false;
      this.refusingSince = now;
      return false;
    }
    return now - this.refusingSince > this.livenessMs;
  }

  /** A delta was buffered that chained on the one before (or not); `cleanAfter` in a row clear the trouble. */
  buffered(chained: boolean): void {
    if (this.trouble === 0) return;
    if (!chained) {
      this.cleanRun = 0;
      return;
    }
    if (++this.cleanRun < this.cleanAfter) return;
    this.trouble = 0;
    this.cleanRun = 0;
    this.cut?.();
  }

  /** Waits `ms` with `wait` unless the feed turns clean first, or `signal` aborts (the caller checks it). */
  async waitUnlessClean(ms: number, signal: AbortSignal, wait: (ms: number, signal: AbortSignal) => Promise<void>): Promise<void> {
    const cut = new AbortController();
    const onAbort = (): void => cut.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const wake = (): void => cut.abort(new VenueError('closed', 'the feed is clean again'));
    this.cut = wake;
    try {
      await wait(ms, cut.signal);
    } catch (err) {
      if (!cut.signal.aborted) throw err;
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (this.cut === wake) this.cut = undefined;
    }
  }
}
