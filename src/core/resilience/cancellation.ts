/**
 * AbortSignal plumbing shared by the core: an abort becomes `VenueError('closed')` carrying the
 * signal's reason as `cause`, waits that end early when the signal fires, and `onAbort`, which puts one
 * listener on a signal however many operations share it (no `MaxListenersExceededWarning`).
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

/** The callbacks waiting on one signal, behind the one listener the signal carries. */
interface FanOut {
  readonly callbacks: Set<() => void>;
  readonly listener: () => void;
}

const fanOuts = new WeakMap<AbortSignal, FanOut>();

/**
 * Calls `callback` once when `signal` fires; returns a function that forgets it (idempotent). Every caller
 * of one signal shares a single `'abort'` listener, removed again when its last callback is forgotten, so a
 * signal shared by any number of watches, requests and waits never trips Node's listener-count warning.
 * Nothing is called when the signal has already fired: check `signal.aborted` first.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  if (signal.aborted) return noop;
  let fan = fanOuts.get(signal);
  if (fan === undefined) {
    const callbacks = new Set<() => void>();
    const listener = (): void => {
      fanOuts.delete(signal);
      for (const cb of callbacks) {
        try {
          cb();
        } catch (err) {
          // One failing callback never keeps the others from running, nor escapes as an uncaught exception.
          process.emitWarning(`an abort callback threw: ${err instanceof Error ? err.message : String(err)}`, 'VenueKitWarning');
        }
      }
      callbacks.clear();
    };
    fan = { callbacks, listener };
    fanOuts.set(signal, fan);
    signal.addEventListener('abort', listener, { once: true });
  }
  // A wrapper per registration, so one callback registered twice is two registrations.
  const entry = (): void => callback();
  const registered = fan;
  registered.callbacks.add(entry);
  return () => {
    if (!registered.callbacks.delete(entry) || registered.callbacks.size > 0) return;
    if (fanOuts.get(signal) === registered) fanOuts.delete(signal);
    signal.removeEventListener('abort', registered.listener);
  };
}

function noop(): void {}

/** Resolves after `ms` (a real timer); rejects with `abortError` as soon as `signal` fires. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortError(signal));
  return new Promise((resolve, reject) => {
    const off =
      signal === undefined
        ? noop
        : onAbort(signal, () => {
            clearTimeout(timer);
            reject(abortError(signal));
          });
    const timer = setTimeout(() => {
      off();
      resolve();
    }, Math.max(0, ms));
  });
}
