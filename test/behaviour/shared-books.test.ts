/**
 * Watchers of one book share it whatever depths they ask, when the venue serves those depths from one topic and
 * one snapshot (issue 9, item 9), against the simulator: Bybit depths 10 and 20 (both `orderbook.50`) share one
 * book, so the second watcher never waits for an in-band snapshot the venue sends only on subscribing; Binance
 * USD-M depths 10 and 20 (both a 100-level snapshot) cost one REST snapshot; and a book of an in-band-snapshot
 * venue that still joins a topic another book holds asks for a fresh snapshot at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binance } from '../../src/client/binance.js';
import { bybit } from '../../src/client/bybit.js';
import { Exchange } from '../../src/client/exchange.js';
import { VenueError } from '../../src/core/errors.js';
import { REST_API } from '../../src/exchanges/bybit/config.js';
import { createBybitMarketData } from '../../src/exchanges/bybit/market-data.js';
import { startSimulator } from '../../src/testing/sim/server.js';
import type { Simulator } from '../../src/testing/sim/server.js';
import { waitFor } from '../helpers/wait.js';
import { assertBookMatchesTruth, consumeBook } from './venue-suite.js';

const fast = { backoff: { initialMs: 20, maxMs: 200 } };
/** Far beyond every wait below: a watcher that had to wait for its liveness window would time the test out. */
const LIVENESS_MS = 120_000;

/** REST requests of one simulator front end whose route ends with `suffix`. */
function restCount(sim: Simulator, frontEnd: string, suffix: string): number {
  const byRoute = sim.stats.rest[frontEnd]?.byRoute ?? {};
  return Object.entries(byRoute).reduce((n, [route, count]) => (route.endsWith(suffix) ? n + count : n), 0);
}

function watch(ex: Exchange, symbol: string, signal: AbortSignal, depth: number) {
  const seen = { snapshots: [] as string[], latest: undefined as Awaited<ReturnType<ReturnType<Exchange['watchOrderBook']>['next']>>['value'] };
  const done = (async () => {
    for await (const book of ex.watchOrderBook(symbol, { signal, depth, livenessMs: LIVENESS_MS })) {
      if (book.event === 'snapshot') seen.snapshots.push(book.resyncReason ?? 'initial');
      seen.latest = book;
    }
  })().catch((err: unknown) => {
    if (!signal.aborted) throw err;
  });
  return { seen, done };
}

const bookTopics = (ex: Exchange): string[] => ex.connections().flatMap((c) => c.topics.filter((t) => t.startsWith('orderbook.')));

test('Bybit: watchers of depths 10 and 20 share the orderbook.50 book; the second is served at once and the first sees no reset', async () => {
  await using sim = await startSimulator({ seed: 31, depth: 200, symbols: 2, tickMs: 20, venues: ['bybit'] });
  const urls = sim.endpoints.bybit;
  if (urls === undefined) throw new VenueError('not-found', 'the simulator serves no Bybit');
  await using ex = bybit({ urls, categories: ['spot'], streams: fast });
  await ex.loadMarkets();
  const resyncs: string[] = [];
  ex.events.on('resync', (e) => resyncs.push(e.reason));
  const market = sim.marketOf('bybit');
  const symbol = 'BTC/USDT';
  const c = new AbortController();
  const ten = watch(ex, symbol, c.signal, 10);
  await waitFor(() => ten.seen.latest !== undefined, 'the first watcher\'s book', 8000);
  const twenty = watch(ex, symbol, c.signal, 20);
  await waitFor(() => twenty.seen.latest !== undefined, 'the second watcher\'s book, without waiting for liveness', 8000);
  assert.deepEqual(bookTopics(ex), ['orderbook.50.BTCUSDT'], 'one subscription');
  await assertBookMatchesTruth(market, () => ten.seen.latest, symbol, 10);
  await assertBookMatchesTruth(market, () => twenty.seen.latest, symbol, 20);
  assert.equal(twenty.seen.latest?.bidCount, 20);
  c.abort();
  await Promise.all([ten.done, twenty.done]);
  assert.deepEqual([ten.seen.snapshots, twenty.seen.snapshots, resyncs], [['initial'], ['initial'], []], 'no rebuild for anyone');
});

test('Binance USD-M: watchers of depths 10 and 20 (both on a 100-level snapshot) cost one snapshot, each exact at its depth', async () => {
  await using sim = await startSimulator({ seed: 32, depth: 300, symbols: 2, tickMs: 20, venues: ['binance'] });
  await using ex = binance({ urls: sim.endpoints.binance, streams: fast });
  await ex.loadMarkets();
  const symbol = 'BTC/USDT:USDT';
  const c = new AbortController();
  const ten = consumeBook(ex, symbol, c.signal, 10);
  const twenty = consumeBook(ex, symbol, c.signal, 20);
  await waitFor(() => ten.seen.books > 3 && twenty.seen.books > 3, 'both watchers synced', 8000);
  assert.equal(restCount(sim, 'binance:usdm', '/depth'), 1, 'one REST snapshot for both depths');
  await assertBookMatchesTruth(sim.market, () => ten.seen.latest, symbol, 10);
  await assertBookMatchesTruth(sim.market, () => twenty.seen.latest, symbol, 20);
  assert.equal(twenty.seen.latest?.bidCount, 20);
  c.abort();
  await Promise.all([ten.done, twenty.done]);
});

test('Bybit: a book that joins a topic another book holds asks for a fresh snapshot at once instead of waiting for liveness', async () => {
  await using sim = await startSimulator({ seed: 33, depth: 200, symbols: 2, tickMs: 20, venues: ['bybit'] });
  const urls = sim.endpoints.bybit;
  if (urls === undefined) throw new VenueError('not-found', 'the simulator serves no Bybit');
  // An adapter whose snapshot depth follows the depth asked: depths 10 and 20 are two books on orderbook.50.
  const adapter = createBybitMarketData({ urls, categories: ['spot'] });
  await using ex = new Exchange({ ...adapter, bookSnapshotDepth: (_m, o) => o.depth ?? 1000 }, { restUrls: { [REST_API]: urls.rest }, streams: fast });
  await ex.loadMarkets();
  const resyncs: string[] = [];
  ex.events.on('resync', (e) => resyncs.push(e.reason));
  const market = sim.marketOf('bybit');
  const symbol = 'BTC/USDT';
  const c = new AbortController();
  const first = watch(ex, symbol, c.signal, 10);
  await waitFor(() => first.seen.latest !== undefined, 'the first book', 8000);
  const joiner = watch(ex, symbol, c.signal, 20);
  await waitFor(() => joiner.seen.latest !== undefined, 'the joining book, without waiting for liveness', 8000);
  assert.deepEqual(bookTopics(ex), ['orderbook.50.BTCUSDT'], 'two books, one subscription');
  await assertBookMatchesTruth(market, () => joiner.seen.latest, symbol, 20);
  await assertBookMatchesTruth(market, () => first.seen.latest, symbol, 10);
  c.abort();
  await Promise.all([first.done, joiner.done]);
  assert.deepEqual(joiner.seen.snapshots, ['initial']);
  // The venue's fresh snapshot reaches every subscriber of the topic: the first book takes it as a venue reset.
  assert.deepEqual(resyncs, ['venue-reset']);
});
