/**
 * Binance-only client behaviour on the simulator: market types, and make-before-break rotation before the
 * venue's 24 h connection cut (CONN-08). The shared scenarios are in `test/behaviour/binance.test.ts`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binance } from '../../src/client/binance.js';
import { startSimulator } from '../../src/testing/sim/server.js';
import { waitFor } from '../helpers/wait.js';
import { assertBookMatchesTruth, consumeBook } from '../behaviour/venue-suite.js';

test('loads spot and USD-M markets with their types and settlement', async () => {
  await using sim = await startSimulator({ seed: 3, depth: 50, symbols: 2, tickMs: 0 });
  await using ex = binance({ urls: sim.endpoints.binance });
  await ex.loadMarkets();
  const spot = ex.market('BTC/USDT');
  const perp = ex.market('BTC/USDT:USDT');
  assert.equal(spot.type, 'spot');
  assert.equal(spot.settle, undefined);
  assert.equal(perp.type, 'swap');
  assert.equal(perp.settle, 'USDT');
  assert.equal(perp.linear, true);
});

test('rotates connections before the venue lifetime cut without a gap in the book', async () => {
  await using sim = await startSimulator({ seed: 5, depth: 100, symbols: 3, tickMs: 20, maxConnectionLifetimeMs: 1500 });
  await using ex = binance({ urls: sim.endpoints.binance, streams: { maxLifetimeMs: 1500, rotateMarginMs: 500 } });
  await ex.loadMarkets();
  let rotations = 0;
  let seamless = 0;
  ex.events.on('rotated', (e) => {
    rotations++;
    if (e.seamless) seamless++;
  });
  const c = new AbortController();
  const { seen, done } = consumeBook(ex, 'BTC/USDT', c.signal);
  await waitFor(() => rotations >= 2, 'two rotations', 10000);
  await assertBookMatchesTruth(sim.market, () => seen.latest, 'BTC/USDT', 50);
  c.abort();
  await done;
  assert.equal(seamless, rotations, 'every rotation cut over on acks');
  assert.deepEqual(seen.snapshots, ['initial'], 'no resync was ever needed');
});
