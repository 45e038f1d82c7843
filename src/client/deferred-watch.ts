/**
 * A `watch*` returned at once whose stream opens after an asynchronous step (loading markets, resolving the
 * symbol). A failed step rejects the first `next()`; leaving during the step (`return()`, abort, dispose) cleans
 * up: the stream is then never opened, or closed as soon as it exists.
 */
import { abortError, onAbort } from '../core/resilience/cancellation.js';
import type { Watch } from './watch-topic.js';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * Runs `open` now and hands every `next()` over to the watch it gives. `open` may return the watch itself (the
 * markets are loaded: it subscribes synchronously) or a promise of it, which may give nothing once `over()` says the
 * consumer has left or the watch failed meanwhile. `signal` is the watch's own signal: an abort before the stream
 * exists ends it with `closed`, as the stream itself would.
 */
export function deferredWatch<T>(open: (over: () => boolean) => Watch<T> | Promise<Watch<T> | undefined>, signal?: AbortSignal): Watch<T> {
  let inner: Watch<T> | undefined;
  let failure: { error: unknown } | undefined;
  let left = false;
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  // Opens once the stream exists, the step failed, or the consumer left: what a pending `next()` waits for.
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));

  const fail = (error: unknown): void => {
    failure ??= { error };
    settle();
    done();
  };
  // One shared listener per signal (`onAbort`): many watches on one signal add no listeners of their own.
  let offAbort = (): void => undefined;
  // True once nothing will be read: a step that ends now need not open the stream at all.
  const over = (): boolean => left || failure !== undefined;
  const adopt = (w: Watch<T> | undefined): void => {
    offAbort();
    if (w === undefined) return settle(); // `open` saw `over()`: nothing was opened
    if (over()) {
      void w.return?.();
      return;
    }
    inner = w;
    settle();
    void w.finished.then(done);
  };

  if (signal?.aborted === true) {
    fail(abortError(signal));
  } else {
    if (signal !== undefined) offAbort = onAbort(signal, () => fail(abortError(signal)));
    try {
      const opened = open(over);
      if (opened instanceof Promise) opened.then(adopt, fail);
      else adopt(opened);
    } catch (err) {
      offAbort();
      fail(err);
    }
  }

  const watch: Watch<T> = {
    finished,
    async next(): Promise<IteratorResult<T>> {
      if (inner === undefined && failure === undefined && !left) await settled;
      if (inner !== undefined) return inner.next();
      if (failure !== undefined && !left) {
        // Thrown once; the stream is over after it, as an ended queue is.
        left = true;
        throw failure.error;
      }
      return DONE;
    },
    async return(): Promise<IteratorResult<T>> {
      left = true;
      offAbort();
      if (inner !== undefined) return (await inner.return?.()) ?? DONE;
      settle();
      done();
      return DONE;
    },
    [Symbol.asyncIterator](): Watch<T> {
      return watch;
    },
    async [Symbol.asyncDispose](): Promise<void> {
      await watch.return?.();
    },
  };
  return watch;
}
