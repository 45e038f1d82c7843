/**
 * How long a subscriber waits for a connection that is not open: its `ConnectLimits` (failed attempts, time),
 * their run-time check, and the per-subscriber countdown the stream hub keeps (`ConnectWait`).
 */
import { VenueError } from '../errors.js';
import { check, MAX_TIMER_MS } from '../validation.js';

/**
 * How long one subscriber waits for its topic's connection to (re)open before giving up; unset = retry for
 * ever. Counted from when the subscriber needed a connection that was not open (it subscribed while the
 * connection was connecting, or the connection was lost) until it opens again.
 */
export interface ConnectLimits {
  /** Give up after this many attempts in a row failed to open a socket (refused, handshake timed out...). */
  readonly maxAttempts?: number;
  /** Give up when the connection has not opened within this many ms. */
  readonly connectTimeoutMs?: number;
}

/**
 * Checks `ConnectLimits` given at run time (plain JavaScript, config files) with the rules every entry point uses:
 * a whole number of attempts of at least 1, a timeout of 1 ms up to the longest a timer can wait.
 * @throws VenueError `invalid-argument` naming the field (after `prefix`).
 */
export function checkConnectLimits(limits: ConnectLimits, prefix = ''): void {
  check.optionalInteger(`${prefix}maxAttempts`, limits.maxAttempts, { min: 1 });
  check.optionalInteger(`${prefix}connectTimeoutMs`, limits.connectTimeoutMs, { min: 1, max: MAX_TIMER_MS });
}

/** One subscriber's wait for its connection: the failed attempts it saw and since when it waits. */
export class ConnectWait {
  private failed = 0;
  private since: number | undefined;

  /** `limits` are the subscriber's own; `defaults` fill what it leaves unset. */
  constructor(
    private readonly limits: ConnectLimits,
    private readonly defaults: ConnectLimits,
  ) {}

  /** The connection is not open (subscribed while connecting, lost, or an attempt failed). */
  down(now: number, failedAttempt = false): void {
    this.since ??= now;
    if (failedAttempt) this.failed++;
  }

  /** The connection is open: the wait is over. */
  up(): void {
    this.failed = 0;
    this.since = undefined;
  }

  /**
   * `'give-up'` when a limit ran out, else when to look again (epoch ms; undefined: nothing to wait for).
   */
  verdict(now: number): 'give-up' | number | undefined {
    if (this.since === undefined) return undefined;
    const maxAttempts = this.limits.maxAttempts ?? this.defaults.maxAttempts;
    if (maxAttempts !== undefined && this.failed >= maxAttempts) return 'give-up';
    const timeoutMs = this.limits.connectTimeoutMs ?? this.defaults.connectTimeoutMs;
    if (timeoutMs === undefined) return undefined;
    const at = this.since + timeoutMs;
    return at <= now ? 'give-up' : at;
  }

  /** Why the subscriber gives up: `network`, with the attempts, the time waited and the connection's last error. */
  error(now: number, what: string, lastError: string | undefined, details: { readonly venue: string; readonly operation: string }): VenueError {
    const waitedMs = now - (this.since ?? now);
    const last = lastError === undefined ? '' : `; last: ${lastError}`;
    return new VenueError('network', `no connection for ${what} after ${this.failed} failed attempt(s) over ${waitedMs} ms${last}`, details);
  }
}
