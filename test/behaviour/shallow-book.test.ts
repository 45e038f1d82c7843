/**
 * A shallow book is never wrong, and watchers of one book share it (issue 9, items 8 and 9). Against the
 * simulator with a market that trends far past every snapshot: Binance spot and USD-M (REST snapshots of a
 * limited depth, refreshed before the asked depth leaves what they covered) show at every update exactly the
 * venue's top levels at that update id; Bybit and OKX (windows the venue maintains; OKX also from REST)
 * stay exact without refreshing; twenty watchers of one book cost one snapshot, each with its own markers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binance } from '../../src/client/binance.js';
import { bybit } from '../../src/client/bybit.js';
import type { Exchange } from '../../src/client/exchange.js';
import { okx } from '../../src/client/okx.js';
import { VenueError } from '../../src/core/errors.js';
import type { Market as SimMarket } from '../../src/testing/sim/market.js';
import { startSimulator } from '../../src/testing/sim/server.js';
import type { Simulator } from '../../src/testing/sim/server.js';
import { waitFor } from '../helpers/wait.js';
import { assertBookMatchesTruth, consumeBook, levels, truth } from './venue-suite.js';

const fast = { backoff: { initialMs: 20, maxMs: 200 } };

/** REST requests of one simulator front end whose route ends with `suffix`. */
function restCount(sim: Simulator, frontEnd: string, suffix: string): number {
  const byRoute = sim.stats.rest[frontEnd]?.byRoute ?? {};
  return Object.entries(byRoute).reduce((n, [route, count]) => (route.endsWith(suffix) ? n + count : n), 0);
}

/**
 * Records the truth's top `depth` levels of `symbol` after every change, under the change's last id and under
 * the id a REST snapshot taken right then reports (Binance USD-M: the next change's first id).
 */
function recordTruth(market: SimMarket, symbol: string, depth: number): { history: Map<string, string[]>; stop: () => void } {
  const history = new Map<string, string[]>();
  const note = (id: number, book: string): void => {
    const list = history.get(String(id)) ?? [];
    list.push(book);
    history.set(String(id), list);
  };
  const stop = market.listen({
    bookChange: (change) => {
      if (change.symbol !== symbol) return;
      const book = JSON.stringify(truth(market, symbol, depth));
      note(change.lastId, book);
      note(market.nextUpdateId(symbol), book);
    },
  });
  return { history, stop };
}

/**
 * Watches `symbol` at `depth` while the market trends `levelsPerStep` a step, until the truth's touch has moved
 * past `passLevels` levels of the book as it was; checks every book shown against the truth at its update id.
 */
async function trendAndCompare(sim: Simulator, ex: Exchange, symbol: string, depth: number, levelsPerStep: number, passLevels: number) {
  const market = sim.market;
  const start = market.snapshot(symbol, passLevels);
  const up = levelsPerStep > 0;
  const far = (up ? start.asks.at(-1)?.[0] : start.bids.at(-1)?.[0]) as number;
  const { history, stop } = recordTruth(market, symbol, depth);
  const seen = { books: 0, checked: 0, unknownIds: 0, tooDeep: 0, markers: [] as string[], wrong: [] as string[] };
  const c = new AbortController();
  const done = (async () => {
    for await (const book of ex.watchOrderBook(symbol, { signal: c.signal, depth })) {
      // Read everything in one synchronous block: the book cannot change under it.
      seen.books++;
      if (book.event === 'snapshot') seen.markers.push(book.resyncReason ?? 'initial');
      if (book.bidCount > depth || book.askCount > depth) seen.tooDeep++;
      const got = JSON.stringify(levels(book, depth));
      const want = history.get(String(book.seq));
      if (want === undefined) {
        seen.unknownIds++;
        continue;
      }
      seen.checked++;
      if (!want.includes(got) && seen.wrong.length < 3) seen.wrong.push(`at ${String(book.seq)}: shown ${got}, venue ${want.join(' or ')}`);
    }
  })().catch((err: unknown) => {
    if (!c.signal.aborted) throw err;
  });
  try {
    await waitFor(() => seen.books > 0, `${symbol}: the first book`, 8000);
    market.setTrend(symbol, levelsPerStep);
    await waitFor(() => {
      const best = up ? market.book(symbol).bids.best() : market.book(symbol).asks.best();
      return best !== undefined && (up ? best > far : best < far);
    }, `${symbol}: the market to trend past ${passLevels} levels`, 30_000);
    const books = seen.books;
    await waitFor(() => seen.books > books + 5, `${symbol}: books after the trend`, 8000);
  } finally {
    market.setTrend(symbol, 0);
    c.abort();
    await done;
    stop();
  }
  return seen;
}

test('Binance spot and USD-M: a book asked for 50 levels shows the venue\'s top 50 at every update while the market trends far past every snapshot', async () => {
  await using sim = await startSimulator({ seed: 21, depth: 400, symbols: 3, tickMs: 20, venues: ['binance'] });
  await using ex = binance({ urls: sim.endpoints.binance, streams: fast });
  await ex.loadMarkets();
  const cases = [
    { symbol: 'SOL/USDT', frontEnd: 'binance:spot', trend: 2 }, // contiguous ids, asks swept: the price rises
    { symbol: 'ETH/USDT:USDT', frontEnd: 'binance:usdm', trend: -2 }, // sparse ids, bids swept: the price falls
  ];
  for (const { symbol, frontEnd, trend } of cases) {
    const before = restCount(sim, frontEnd, '/depth');
    // A 50-level book asks for a 100-level snapshot; the market moves 300 levels.
    const seen = await trendAndCompare(sim, ex, symbol, 50, trend, 300);
    const snapshots = restCount(sim, frontEnd, '/depth') - before;
    const summary = `${symbol}: ${seen.books} books, ${seen.checked} checked, ${snapshots} snapshots, markers ${seen.markers.join(',')}`;
    assert.deepEqual(seen.wrong, [], summary);
    assert.ok(seen.checked >= 20, summary);
    assert.equal(seen.tooDeep, 0, summary);
    assert.ok(snapshots >= 3, `the book was refreshed as the market moved: ${summary}`);
    assert.equal(seen.markers[0], 'initial', summary);
    assert.ok(seen.markers.every((m) => m === 'initial' || m === 'coverage'), summary);
    assert.equal(sim.stats.listenerErrors, 0);
  }
});

test('twenty watchers of one book cost one snapshot; each sees the venue\'s book and its own resync markers', async () => {
  await using sim = await startSimulator({ seed: 22, depth: 200, symbols: 2, tickMs: 20, venues: ['binance'] });
  await using ex = binance({ urls: sim.endpoints.binance, streams: fast });
  await ex.loadMarkets();
  const symbol = 'BTC/USDT';
  const resyncEvents: string[] = [];
  ex.events.on('resync', (e) => resyncEvents.push(e.reason));
  const c = new AbortController();
  const watchers = Array.from({ length: 20 }, () => consumeBook(ex, symbol, c.signal));
  await waitFor(() => watchers.every((w) => w.seen.books > 5), 'every watcher synced', 8000);
  assert.equal(restCount(sim, 'binance:spot', '/depth'), 1, 'one REST snapshot for twenty watchers');
  for (const w of watchers) await assertBookMatchesTruth(sim.market, () => w.seen.latest, symbol, 50);
  // A late watcher joins the live book: its first book is its own initial snapshot.
  const late = consumeBook(ex, symbol, c.signal);
  await waitFor(() => late.seen.books > 2, 'the late watcher', 8000);
  sim.faults.gap(symbol);
  await waitFor(() => [...watchers, late].every((w) => w.seen.snapshots.includes('gap')), 'the gap resync on every watcher', 8000);
  const everyone = [...watchers, late];
  for (const w of everyone) await assertBookMatchesTruth(sim.market, () => w.seen.latest, symbol, 50);
  c.abort();
  await Promise.all(everyone.map((w) => w.done));
  assert.equal(restCount(sim, 'binance:spot', '/depth'), 2, 'one more snapshot for the resync of all of them');
  for (const w of everyone) {
    assert.deepEqual(w.seen.snapshots, ['initial', 'gap']);
    assert.equal(w.seen.crossed, 0);
    assert.equal(w.seen.backwards, 0);
  }
  assert.deepEqual(resyncEvents, ['gap'], 'one resync event for the one book');
  // The last watcher gone, a new one opens a fresh book with its own snapshot.
  const again = consumeBook(ex, symbol, AbortSignal.timeout(8000));
  await waitFor(() => again.seen.books > 0, 'a new watcher after all left', 8000);
  assert.equal(restCount(sim, 'binance:spot', '/depth'), 3);
});

test('Bybit: a window the venue maintains stays exact through a trend far past it, trimmed to the depth asked, without a snapshot request', async () => {
  await using sim = await startSimulator({ seed: 23, depth: 300, symbols: 3, tickMs: 20, venues: ['binance', 'bybit'] });
  const urls = sim.endpoints.bybit;
  if (urls === undefined) throw new VenueError('not-found', 'the simulator serves no Bybit');
  await using ex = bybit({ urls, categories: ['spot'], streams: fast });
  await ex.loadMarkets();
  const market = sim.marketOf('bybit');
  const symbol = 'SOL/USDT';
  const far = market.snapshot(symbol, 200).asks.at(-1)?.[0] as number; // 4 windows of 50 deep
  const c = new AbortController();
  const { seen, done } = consumeBook(ex, symbol, c.signal, 10);
  await waitFor(() => seen.books > 5, 'book updates', 8000);
  market.setTrend(symbol, 2);
  try {
    await waitFor(() => (market.book(symbol).bids.best() as number) > far, 'the trend past the window', 30_000);
    await assertBookMatchesTruth(market, () => seen.latest, symbol, 10);
  } finally {
    market.setTrend(symbol, 0);
  }
  assert.ok(seen.latest !== undefined && seen.latest.bidCount === 10 && seen.latest.askCount === 10, 'ten levels a side shown');
  c.abort();
  await done;
  assert.deepEqual(seen.snapshots, ['initial']);
  assert.equal(restCount(sim, 'bybit', '/orderbook'), 0);
});

test('OKX from a REST snapshot: the 400-level window the venue maintains needs no refresh, however far the market moves', async () => {
  await using sim = await startSimulator({ seed: 24, depth: 700, symbols: 2, tickMs: 20, venues: ['binance', 'okx'], okx: { noInitialSnapshot: true } });
  const urls = sim.endpoints.okx;
  if (urls === undefined) throw new VenueError('not-found', 'the simulator serves no OKX');
  await using ex = okx({ urls, instTypes: ['SPOT'], streams: fast });
  await ex.loadMarkets();
  const market = sim.marketOf('okx');
  const symbol = 'ETH/USDT';
  const far = market.snapshot(symbol, 450).asks.at(-1)?.[0] as number; // past the whole window
  const c = new AbortController();
  const { seen, done } = consumeBook(ex, symbol, c.signal, 20);
  await waitFor(() => seen.books > 5, 'book updates', 8000);
  market.setTrend(symbol, 4);
  try {
    await waitFor(() => (market.book(symbol).bids.best() as number) > far, 'the trend past the window', 30_000);
    await assertBookMatchesTruth(market, () => seen.latest, symbol, 20);
  } finally {
    market.setTrend(symbol, 0);
  }
  assert.ok(seen.latest !== undefined && seen.latest.bidCount === 20 && seen.latest.askCount === 20, 'twenty levels a side shown');
  c.abort();
  await done;
  assert.deepEqual(seen.snapshots, ['initial']);
  assert.equal(restCount(sim, 'okx', '/market/books'), 1, 'the one REST snapshot of the window');
});
