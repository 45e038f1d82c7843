/**
 * AbortSignal plumbing shared by the core: an abort becomes `VenueError('closed')` carrying the
 * signal's reason as `cause`, and waits that end early when the signal fires.
 */
import { VenueError } from '../errors.js';

/** The error an aborted operation rejects with: the reason itself when it is a VenueError. */
export function abortError(signal: AbortSignal, operation?: string): VenueError {
  const reason: unknown = signal.reason;
  if (VenueError.is(reason)) return reason;
  return new VenueError('closed', 'the operation was aborted', { operation, cause: reason });
}

/** Throws `abortError(signal)` when the signal has already fired. */
export function throwIfAborted(signal: AbortSignal | undefined, operation?: string): void {
  if (signal?.aborted) throw abortError(signal, operation);
}

/** Resolves after `ms` (a real timer); rejects with `abortError` as soon as `signal` fires. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
