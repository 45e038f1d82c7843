import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { delay, onAbort } from '../../../src/core/resilience/cancellation.js';
import { VenueError } from '../../../src/core/errors.js';

test('any number of onAbort callbacks share one listener on the signal, removed with the last of them', () => {
  const ac = new AbortController();
  const offs = Array.from({ length: 100 }, () => onAbort(ac.signal, () => undefined));
  assert.equal(getEventListeners(ac.signal, 'abort').length, 1);
  for (const off of offs.slice(1)) off();
  assert.equal(getEventListeners(ac.signal, 'abort').length, 1);
  (offs[0] as () => void)();
  (offs[0] as () => void)(); // idempotent
  assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
  onAbort(ac.signal, () => undefined);
  assert.equal(getEventListeners(ac.signal, 'abort').length, 1, 'a later registration puts one back');
});

test('an abort calls every remaining callback once, in order, even when one throws', () => {
  const ac = new AbortController();
  const calls: number[] = [];
  onAbort(ac.signal, () => calls.push(1));
  const off2 = onAbort(ac.signal, () => calls.push(2));
  onAbort(ac.signal, () => {
    throw new Error('a failing callback');
  });
  onAbort(ac.signal, () => calls.push(4));
  off2();
  const warnings: string[] = [];
  const onWarning = (w: Error): void => void warnings.push(w.message);
  process.on('warning', onWarning);
  ac.abort();
  ac.abort();
  assert.deepEqual(calls, [1, 4]);
  assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
  return new Promise<void>((resolve) =>
    setImmediate(() => {
      process.off('warning', onWarning);
      assert.ok(warnings.some((w) => /a failing callback/.test(w)));
      resolve();
    }),
  );
});

test('an already-aborted signal calls nothing (callers check signal.aborted first)', () => {
  let called = false;
  const off = onAbort(AbortSignal.abort(), () => (called = true));
  off();
  assert.equal(called, false);
});

test('delay rejects with closed on abort and leaves no listener behind when it elapses', async () => {
  const ac = new AbortController();
  await Promise.all(Array.from({ length: 20 }, () => delay(1, ac.signal)));
  assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
  const pending = delay(10_000, ac.signal);
  ac.abort();
  await assert.rejects(pending, (e: unknown) => VenueError.is(e, 'closed'));
});
