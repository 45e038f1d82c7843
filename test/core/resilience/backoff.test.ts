import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Backoff } from '../../../src/core/resilience/backoff.js';

test('grows exponentially up to the cap when jitter is off', () => {
  const b = new Backoff({ initialMs: 100, maxMs: 1000, factor: 2, jitter: 'none' });
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => b.next(0)), [100, 200, 400, 800, 1000, 1000]);
  assert.equal(b.attempts, 6);
});

test('full jitter draws uniformly below the exponential ceiling', () => {
  const draws = [0, 0.5, 0.999, 0.25];
  let i = 0;
  const b = new Backoff({ initialMs: 100, maxMs: 10_000, jitter: 'full', random: () => draws[i++] as number });
  assert.deepEqual([b.next(0), b.next(0), b.next(0), b.next(0)], [0, 100, 400, 200]);
});

test('decorrelated jitter stays between the floor and factor times the previous delay', () => {
  const b = new Backoff({ initialMs: 100, maxMs: 5000, factor: 3, jitter: 'decorrelated', random: () => 1 });
  assert.deepEqual([b.next(0), b.next(0), b.next(0), b.next(0), b.next(0)], [300, 900, 2700, 5000, 5000]);
  const low = new Backoff({ initialMs: 100, maxMs: 5000, factor: 3, jitter: 'decorrelated', random: () => 0 });
  assert.equal(low.next(0), 100);
});

test('starts over after a long enough healthy period but not after a short one', () => {
  const b = new Backoff({ initialMs: 100, maxMs: 10_000, jitter: 'none', resetAfterMs: 1000 });
  b.next(0);
  b.next(0);
  b.healthy(1000);
  assert.equal(b.next(1500), 400, 'healthy for 500 ms only: keeps growing');
  b.healthy(2000);
  assert.equal(b.next(3000), 100, 'healthy for 1000 ms: back to the first delay');
});
