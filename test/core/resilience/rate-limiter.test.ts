import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { RateGovernor } from '../../../src/core/resilience/rate-limiter.js';
import { VenueError } from '../../../src/core/errors.js';
import { FakeScheduler, settle } from '../clock/fake-scheduler.js';

const W = (weight: number) => [{ limit: 'REQUEST_WEIGHT', weight }];
const minute = { limit: 'REQUEST_WEIGHT', scope: 'ip', windowMs: 60_000, max: 10 };

function track(p: Promise<void>): { done: boolean; error?: unknown } {
  const s: { done: boolean; error?: unknown } = { done: false };
  p.then(
    () => (s.done = true),
    (e: unknown) => (s.error = e),
  );
  return s;
}

test('never lets more than a window holds through, and releases the rest at the next window', async () => {
  const clock = new FakeScheduler(1_700_000_080_000); // 40 s into a minute
  const g = new RateGovernor({ rules: [minute], safety: 1, scheduler: clock });
  const grants: number[] = [];
  const all = Array.from({ length: 25 }, () => g.reserve(W(1)).then(() => grants.push(clock.now())));
  await settle();
  assert.equal(grants.length, 10);
  await clock.advance(19_999);
  assert.equal(grants.length, 10, 'still the same minute');
  await clock.advance(1);
  assert.equal(grants.length, 20);
  await clock.advance(60_000);
  await Promise.all(all);
  const perMinute = new Map<number, number>();
  for (const t of grants) perMinute.set(Math.floor(t / 60_000), (perMinute.get(Math.floor(t / 60_000)) ?? 0) + 1);
  assert.ok([...perMinute.values()].every((n) => n <= 10));
});

test('keeps a safety margin below the venue maximum', async () => {
  const clock = new FakeScheduler(0);
  const g = new RateGovernor({ rules: [{ ...minute, max: 100 }], safety: 0.9, scheduler: clock });
  const s = [...Array(91)].map(() => track(g.reserve(W(1))));
  await settle();
  assert.equal(s.filter((x) => x.done).length, 90);
});

test('serves waiters in arrival order even when a later one would fit', async () => {
  const clock = new FakeScheduler(0);
  const g = new RateGovernor({ rules: [minute], safety: 1, scheduler: clock });
  await g.reserve(W(8));
  const big = track(g.reserve(W(5)));
  const small = track(g.reserve(W(1)));
  await settle();
  assert.deepEqual([big.done, small.done], [false, false], 'the small one does not overtake');
  await clock.advance(60_000);
  assert.deepEqual([big.done, small.done], [true, true]);
});

test('reserves every limit of a request together or none of them', async () => {
  const clock = new FakeScheduler(0);
  const g = new RateGovernor({
    rules: [minute, { limit: 'ORDERS', scope: 'account', windowMs: 10_000, max: 2 }],
    safety: 1,
    scheduler: clock,
  });
  await g.reserve([{ limit: 'ORDERS', weight: 2 }]);
  const order = track(g.reserve([{ limit: 'REQUEST_WEIGHT', weight: 1 }, { limit: 'ORDERS', weight: 1 }]));
  await settle();
  assert.equal(order.done, false);
  assert.equal(g.usage().find((u) => u.limit === 'REQUEST_WEIGHT')?.used, 0, 'no partial reservation');
  await clock.advance(10_000);
  assert.equal(order.done, true);
  assert.equal(g.usage().find((u) => u.limit === 'REQUEST_WEIGHT')?.used, 1);
});

test('adopts the venue usage from headers when it is higher than its own count', async () => {
  const clock = new FakeScheduler(0);
  const g = new RateGovernor({ rules: [minute], safety: 1, scheduler: clock });
  await g.reserve(W(1));
  g.observe([{ limit: 'REQUEST_WEIGHT', windowMs: 60_000, used: 9 }]);
  g.observe([{ limit: 'REQUEST_WEIGHT', windowMs: 60_000, used: 3 }]);
  assert.equal(g.usage()[0]?.used, 9, 'a lower reading never lowers the count');
  const next = track(g.reserve(W(2)));
  await settle();
  assert.equal(next.done, false);
  await clock.advance(60_000);
  assert.equal(next.done, true);
});

test('holds every request during a Retry-After pause and sends nothing until it ends', async () => {
  const clock = new FakeScheduler(0);
  const g = new RateGovernor({ rules: [minute], safety: 1, scheduler: clock });
  const paused: number[] = [];
  g.events.on('paused', ({ untilMs }) => paused.push(untilMs));
  g.pauseFor(5000);
  const a = track(g.reserve(W(1)));
  const free = track(g.reserve([{ limit: 'UNMETERED', weight: 1 }]));
  await clock.advance(4999);
  assert.deepEqual([a.done, free.done], [false, false], 'even unmetered requests wait during a ban');
  await clock.advance(1);
  assert.deepEqual([a.done, free.done], [true, true]);
  assert.deepEqual(paused, [5000]);
});

test('applies rules configured at runtime, including to requests already waiting', async () => {
  const clock = new FakeScheduler(0);
  const g = new RateGovernor({ safety: 1, scheduler: clock });
  await g.reserve(W(1000)); // no rules yet: free
  g.configure([{ ...minute, max: 2 }]);
  await g.reserve(W(2));
  const waiting = track(g.reserve(W(1)));
  await settle();
  assert.equal(waiting.done, false);
  g.configure([{ ...minute, max: 5 }]);
  await settle();
  assert.equal(waiting.done, true, 'a larger limit releases the waiter, and the count survived');
  assert.equal(g.usage()[0]?.used, 3);
});

test('frees rolling-window spends one by one as they age out', async () => {
  const clock = new FakeScheduler(0);
  const g = new RateGovernor({ rules: [{ limit: 'RAW', scope: 'ip', windowMs: 1000, max: 2, window: 'rolling' }], safety: 1, scheduler: clock });
  await g.reserve([{ limit: 'RAW', weight: 1 }]);
  await clock.advance(400);
  await g.reserve([{ limit: 'RAW', weight: 1 }]);
  const third = track(g.reserve([{ limit: 'RAW', weight: 1 }]));
  await clock.advance(599);
  assert.equal(third.done, false);
  await clock.advance(2);
  assert.equal(third.done, true, 'the first spend aged out; the second still counts');
  assert.equal(g.usage()[0]?.used, 2);
});

test('drops an aborted waiter and lets the next one through', async () => {
  const clock = new FakeScheduler(0);
  const g = new RateGovernor({ rules: [minute], safety: 1, scheduler: clock });
  await g.reserve(W(9));
  const ac = new AbortController();
  const big = track(g.reserve(W(5), ac.signal));
  const small = track(g.reserve(W(1)));
  await settle();
  assert.equal(small.done, false);
  ac.abort();
  await settle();
  assert.ok(VenueError.is(big.error, 'closed'));
  assert.equal(small.done, true);
});

test('creates a per-endpoint window from a limit the venue announces in a response, and resizes it when the venue changes it', async () => {
  const clock = new FakeScheduler(1_000_000);
  const g = new RateGovernor({ safety: 1, scheduler: clock });
  const E = [{ limit: '/v5/order/create', weight: 1 }];
  // Nothing known yet: the first request is free.
  await g.reserve(E);
  g.observe([{ limit: '/v5/order/create', windowMs: 1_000, used: 1, remaining: 2, max: 3, scope: 'uid' }]);
  assert.deepEqual(
    g.usage().map((u) => [u.limit, u.scope, u.windowMs, u.used, u.capacity]),
    [['/v5/order/create', 'uid', 1_000, 1, 3]],
  );
  const s = [0, 1, 2].map(() => track(g.reserve(E)));
  await settle();
  assert.deepEqual(s.map((x) => x.done), [true, true, false], 'two more fit the announced 3 per second');
  g.observe([{ limit: '/v5/order/create', windowMs: 1_000, used: 3, remaining: 7, max: 10 }]);
  await settle();
  assert.equal(s[2]?.done, true, 'a larger announced limit lets the waiter through at once');
  assert.equal(g.usage()[0]?.capacity, 10);
});

test('holds only the requests of a limit the venue says is spent, others flow', async () => {
  const clock = new FakeScheduler(5_000_000);
  const g = new RateGovernor({ safety: 1, scheduler: clock });
  g.observe([{ limit: 'GET /v5/market/tickers', windowMs: 1_000, used: 0, max: 10 }]);
  assert.equal(g.pauseLimit('GET /v5/market/tickers', 700), true);
  assert.equal(g.pauseLimit('never-seen', 700), false, 'an unknown limit cannot be held alone');
  const held = track(g.reserve([{ limit: 'GET /v5/market/tickers', weight: 1 }]));
  const other = track(g.reserve([{ limit: 'GET /v5/market/kline', weight: 1 }]));
  await settle();
  assert.equal(other.done, true);
  assert.equal(held.done, false);
  await clock.advance(699);
  assert.equal(held.done, false);
  await clock.advance(1);
  assert.equal(held.done, true);
  assert.equal(g.pausedUntilMs, 0, 'the host as a whole was never paused');
});
