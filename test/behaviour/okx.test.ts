/** OKX v5 SPOT, SWAP (linear and inverse) through the shared venue behaviour suite (CONN-04/07, MKTD-02/05/08). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { okx } from '../../src/client/okx.js';
import { VenueError } from '../../src/core/errors.js';
import { startSimulator } from '../../src/testing/sim/server.js';
import type { Simulator } from '../../src/testing/sim/server.js';
import { waitFor } from '../helpers/wait.js';
import { assertBookMatchesTruth, consumeBook, venueBehaviourSuite } from './venue-suite.js';

const connect = (sim: Simulator) => {
  const urls = sim.endpoints.okx;
  if (urls === undefined) throw new VenueError('not-found', 'the simulator serves no OKX');
  return okx({ urls, streams: { backoff: { initialMs: 20, maxMs: 200 } } });
};

venueBehaviourSuite({
  venue: 'okx',
  connect,
  market: (sim) => sim.marketOf('okx'),
  bookSymbols: ['BTC/USDT', 'BTC/USDT:USDT', 'BTC/USD:BTC'],
  resyncSymbol: 'ETH/USDT:USDT',
  shutdownNotice: true,
  restScope: { venue: 'okx' },
  venueFaults: [
    { name: 'a broken prevSeqId chain', inject: (sim, symbol) => sim.frontEnd('okx').breakPrevSeqId(symbol), expect: 'gap' },
    { name: 'a wrong non-zero checksum', inject: (sim, symbol) => sim.frontEnd('okx').corruptChecksum(symbol), expect: 'checksum' },
  ],
});

test('syncs from a REST snapshot carrying seqId when the books channel sends no initial snapshot (the 2026 procedure)', async () => {
  await using sim = await startSimulator({ seed: 4, depth: 200, symbols: 4, tickMs: 20, venues: ['binance', 'okx'], okx: { noInitialSnapshot: true } });
  await using ex = connect(sim);
  await ex.loadMarkets();
  const c = new AbortController();
  const { seen, done } = consumeBook(ex, 'BTC/USDT:USDT', c.signal);
  await waitFor(() => seen.books > 20, 'book updates', 8000);
  await assertBookMatchesTruth(sim.marketOf('okx'), () => seen.latest, 'BTC/USDT:USDT', 50);
  // A gap now has no in-band snapshot to wait for either: the book is rebuilt from REST again.
  sim.frontEnd('okx').breakPrevSeqId('BTC/USDT:USDT');
  await waitFor(() => seen.snapshots.includes('gap'), 'a gap resync from REST', 8000);
  await assertBookMatchesTruth(sim.marketOf('okx'), () => seen.latest, 'BTC/USDT:USDT', 50);
  c.abort();
  await done;
  assert.deepEqual(seen.snapshots, ['initial', 'gap']);
  assert.equal(seen.crossed, 0);
  const rest = sim.stats.rest['okx']?.byRoute ?? {};
  assert.ok(Object.entries(rest).some(([route, n]) => route.includes('/market/books') && n >= 2), `REST book snapshots fetched: ${JSON.stringify(rest)}`);
});
