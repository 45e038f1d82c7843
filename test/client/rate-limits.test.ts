/**
 * CONN-06: the weight governor takes its limits from exchangeInfo at runtime, reserves each request's weight
 * before sending and re-syncs from X-MBX-USED-WEIGHT headers, so a burst far over the limit never draws a 429.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binance } from '../../src/client/binance.js';
import { startSimulator } from '../../src/testing/sim/server.js';

test('a burst of requests worth several windows of weight is paced and never draws a 429 or 418', async () => {
  await using sim = await startSimulator({ seed: 3, symbols: 2, depth: 50, tickMs: 0, rateLimits: { spotWeight: 60, windowMs: 1000 } });
  await using ex = binance({ urls: sim.endpoints.binance, segments: ['spot'], clockSync: false });
  await ex.loadMarkets();
  // 40 tickers at weight 2 (plus 5 books at weight 5): ~105 weight against 60 per second (54 with our margin).
  const started = Date.now();
  const results = await Promise.all([
    ...Array.from({ length: 40 }, () => ex.fetchTicker('BTC/USDT')),
    ...Array.from({ length: 5 }, () => ex.fetchOrderBook('BTC/USDT', 50)),
  ]);
  assert.equal(results.length, 45);
  const statuses = sim.stats.rest;
  const all = Object.values(statuses).flatMap((s) => Object.entries(s.byStatus));
  assert.deepEqual(all.filter(([status]) => status === '429' || status === '418'), [], JSON.stringify(statuses));
  assert.ok(Date.now() - started >= 900, 'the burst had to wait for at least one new window');
});

test('the weight announced by the venue at runtime is the one enforced, not a hard-coded one', async () => {
  await using sim = await startSimulator({ seed: 4, symbols: 2, depth: 20, tickMs: 0, rateLimits: { spotWeight: 5000, windowMs: 60_000 } });
  await using ex = binance({ urls: sim.endpoints.binance, segments: ['spot'], clockSync: false });
  await ex.loadMarkets();
  const started = Date.now();
  await Promise.all(Array.from({ length: 60 }, () => ex.fetchTicker('BTC/USDT')));
  assert.ok(Date.now() - started < 5000, 'a generous announced limit lets the burst through at once');
});
