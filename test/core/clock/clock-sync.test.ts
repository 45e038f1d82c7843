import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ClockSync, createNonce } from '../../../src/core/clock/clock-sync.js';
import { FakeScheduler } from './fake-scheduler.js';

/** A fake venue clock `skewMs` ahead of ours that answers after `rttMs` of (fake) time. */
function skewedServer(clock: FakeScheduler, skewMs: () => number, rttMs: () => number) {
  let calls = 0;
  const fetchServerTime = async (): Promise<number> => {
    calls++;
    const rtt = rttMs();
    await clock.advance(rtt / 2);
    const server = clock.now() + skewMs();
    await clock.advance(rtt / 2);
    return server;
  };
  return { fetchServerTime, calls: () => calls };
}

test('measures the offset of a skewed server from the round-trip midpoint', async () => {
  const clock = new FakeScheduler();
  const server = skewedServer(clock, () => 2500, () => 80);
  const sync = new ClockSync({ fetchServerTime: server.fetchServerTime, scheduler: clock });
  const s = await sync.sample();
  assert.equal(s.offsetMs, 2500);
  assert.equal(s.roundTripMs, 80);
  assert.equal(sync.now() - clock.now(), 2500);
});

test('keeps the median of recent samples so one slow sample does not move it', async () => {
  const clock = new FakeScheduler();
  const skews = [1000, 1000, 9000, 1000, 1000];
  let i = 0;
  const server = skewedServer(clock, () => skews[i++] as number, () => 20);
  const sync = new ClockSync({ fetchServerTime: server.fetchServerTime, scheduler: clock, samples: 5 });
  for (let k = 0; k < 5; k++) await sync.sample();
  assert.equal(sync.offsetMs, 1000);
  assert.equal(sync.samples.length, 5);
});

test('resyncs on demand, dropping samples taken before the jump', async () => {
  const clock = new FakeScheduler();
  let skew = 100;
  const server = skewedServer(clock, () => skew, () => 10);
  const sync = new ClockSync({ fetchServerTime: server.fetchServerTime, scheduler: clock, samples: 5, resyncSamples: 2 });
  for (let k = 0; k < 5; k++) await sync.sample();
  skew = -1500; // our clock jumped: the venue now says we are 1.5 s ahead
  await Promise.all([sync.resync(), sync.resync()]);
  assert.equal(sync.offsetMs, -1500, 'old samples would have kept the median at 100');
  assert.equal(server.calls(), 7, 'concurrent resyncs share one measurement run');
});

test('resamples periodically once started, and stops when closed', async () => {
  const clock = new FakeScheduler();
  let skew = 0;
  const server = skewedServer(clock, () => skew, () => 0);
  const sync = new ClockSync({ fetchServerTime: server.fetchServerTime, scheduler: clock, samples: 1, intervalMs: 60_000 });
  await sync.start();
  skew = 700;
  await clock.advance(60_000);
  assert.equal(sync.offsetMs, 700);
  sync.close();
  await clock.advance(120_000);
  assert.equal(server.calls(), 2);
  assert.equal(clock.pending, 0);
});

test('hands out strictly increasing timestamps even when the clock stands still', () => {
  const next = createNonce(() => 5000.7);
  const seen = Array.from({ length: 1000 }, () => next());
  assert.equal(new Set(seen).size, 1000);
  assert.equal(seen[0], 5000);
  assert.ok(seen.every((t, i) => i === 0 || t > (seen[i - 1] as number)));
  const clock = new FakeScheduler(1000);
  const sync = new ClockSync({ fetchServerTime: async () => 0, scheduler: clock });
  assert.notEqual(sync.timestamp(), sync.timestamp());
});

test('tracks the offset of a real local server whose clock runs 30 s ahead', async () => {
  const server = createServer((_req, res) => res.end(JSON.stringify({ serverTime: Date.now() + 30_000 })));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  try {
    const sync = new ClockSync({
      fetchServerTime: async (signal) => {
        const res = await fetch(`http://127.0.0.1:${port}/time`, { signal });
        return ((await res.json()) as { serverTime: number }).serverTime;
      },
    });
    await sync.resync();
    assert.ok(Math.abs(sync.offsetMs - 30_000) < 1000, `offset ${sync.offsetMs}`);
    sync.close();
  } finally {
    server.close();
  }
});
