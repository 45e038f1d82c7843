/**
 * The Binance client against the embedded simulator: requests, every book resync path, reconnects,
 * make-before-break rotation, 429 handling and clock-skew correction (CONN-01/02/06/08/09, MKTD-02/05, RESL-04).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { binance } from '../../src/client/binance.js';
import type { Exchange } from '../../src/client/exchange.js';
import type { OrderBook } from '../../src/core/book/order-book.js';
import { Decimal } from '../../src/core/decimal.js';
import { VenueError } from '../../src/core/errors.js';
import { idCompare } from '../../src/core/json.js';
import { startSimulator } from '../../src/testing/sim/server.js';
import type { Simulator } from '../../src/testing/sim/server.js';
import { waitFor } from '../helpers/wait.js';

/** The simulator's truth book for `symbol`, as decimal strings, best first. */
function truth(sim: Simulator, symbol: string, depth: number): { seq: number; bids: string[]; asks: string[] } {
  const inst = sim.market.instrument(symbol);
  const snap = sim.market.snapshot(symbol, depth);
  const fmt = ([p, q]: readonly [number, number]) => `${Decimal.fromScaled(p, inst.priceScale).normalize()}@${Decimal.fromScaled(q, inst.qtyScale).normalize()}`;
  return { seq: sim.market.book(symbol).updateId, bids: snap.bids.map(fmt), asks: snap.asks.map(fmt) };
}

function levels(book: OrderBook, depth: number): { bids: string[]; asks: string[] } {
  const fmt = (l: { price: Decimal; amount: Decimal }) => `${l.price.normalize()}@${l.amount.normalize()}`;
  return { bids: book.bids(depth).map(fmt), asks: book.asks(depth).map(fmt) };
}

/** Freezes the symbol, waits until the client's book has caught up with the truth, and compares them. */
async function assertBookMatchesTruth(sim: Simulator, latest: () => OrderBook | undefined, symbol: string, depth = 50): Promise<void> {
  sim.market.freeze(symbol, true);
  try {
    const t0 = truth(sim, symbol, depth);
    // A USD-M REST snapshot is labelled with the next event's first id (sparse ids): the same state.
    const ids = [t0.seq, sim.market.nextUpdateId(symbol)];
    const book = await waitFor(() => {
      const b = latest();
      return b !== undefined && ids.some((id) => idCompare(b.seq, id) === 0) ? b : undefined;
    }, `client book to reach update id ${t0.seq}`, 8000);
    const t = truth(sim, symbol, depth);
    assert.deepEqual(levels(book, depth), { bids: t.bids, asks: t.asks });
  } finally {
    sim.market.freeze(symbol, false);
  }
}

/** Consumes a book stream in the background, checking every book it is shown. */
function consume(ex: Exchange, symbol: string, signal: AbortSignal) {
  const seen = { books: 0, snapshots: [] as string[], crossed: 0, backwards: 0, latest: undefined as OrderBook | undefined };
  const done = (async () => {
    let prev: OrderBook['seq'] | undefined;
    for await (const book of ex.watchOrderBook(symbol, { signal })) {
      seen.books++;
      if (book.isCrossed()) seen.crossed++;
      if (book.event === 'snapshot') seen.snapshots.push(book.resyncReason ?? 'initial');
      else if (prev !== undefined && idCompare(book.seq, prev) < 0) seen.backwards++;
      prev = book.seq;
      seen.latest = book;
    }
  })().catch((err: unknown) => {
    if (!signal.aborted) throw err;
  });
  return { seen, done };
}

describe('binance client on the simulator', () => {
  let sim: Simulator;
  let ex: Exchange;
  before(async () => {
    sim = await startSimulator({ seed: 11, depth: 200, symbols: 6, tickMs: 20 });
    ex = binance({ urls: sim.endpoints.binance, streams: { backoff: { initialMs: 20, maxMs: 200 } } });
    await ex.loadMarkets();
  });
  after(async () => {
    await ex?.close();
    await sim?.close();
  });

  test('loads spot and USD-M markets with exact filters', () => {
    const spot = ex.market('BTC/USDT');
    const perp = ex.market('BTC/USDT:USDT');
    assert.equal(spot.type, 'spot');
    assert.equal(perp.type, 'swap');
    assert.equal(perp.settle, 'USDT');
    assert.ok(spot.tickSize.isPositive() && spot.stepSize.isPositive());
  });

  test('fetches ticker, book, trades and candles as exact decimals', async () => {
    const t = await ex.fetchTicker('BTC/USDT');
    assert.ok(t.last instanceof Decimal);
    const ob = await ex.fetchOrderBook('BTC/USDT', 20);
    assert.equal(ob.bids.length, 20);
    assert.ok(ob.bids[0]!.price.lt(ob.asks[0]!.price));
    const trades = await ex.fetchTrades('BTC/USDT', 10);
    assert.ok(trades.every((tr) => tr.price instanceof Decimal && (tr.side === 'buy' || tr.side === 'sell')));
    const candles = await ex.fetchOHLCV('BTC/USDT:USDT', '1m', undefined, 5);
    assert.ok(candles.every((c) => c.high.gte(c.low)));
  });

  test('keeps a spot book equal to the venue truth', async () => {
    const c = new AbortController();
    const { seen, done } = consume(ex, 'BTC/USDT', c.signal);
    await waitFor(() => seen.books > 20, 'book updates');
    await assertBookMatchesTruth(sim, () => seen.latest, 'BTC/USDT');
    c.abort();
    await done;
    assert.deepEqual(seen.snapshots, ['initial']);
    assert.equal(seen.crossed, 0);
  });

  test('keeps a USD-M book (sparse ids, pu chain) equal to the venue truth', async () => {
    const c = new AbortController();
    const { seen, done } = consume(ex, 'ETH/USDT:USDT', c.signal);
    await waitFor(() => seen.books > 20, 'book updates');
    await assertBookMatchesTruth(sim, () => seen.latest, 'ETH/USDT:USDT');
    c.abort();
    await done;
    assert.equal(seen.crossed, 0);
  });

  test('resyncs from a fresh snapshot when an update is missing, never showing a wrong book', async () => {
    const c = new AbortController();
    const { seen, done } = consume(ex, 'SOL/USDT', c.signal);
    await waitFor(() => seen.books > 5, 'initial sync');
    sim.faults.gap('SOL/USDT');
    await waitFor(() => seen.snapshots.includes('gap'), 'a gap resync', 8000);
    await assertBookMatchesTruth(sim, () => seen.latest, 'SOL/USDT');
    c.abort();
    await done;
    assert.equal(seen.crossed, 0);
    assert.equal(seen.backwards, 0);
  });

  test('reconnects, resubscribes and resyncs after a dropped connection', async () => {
    const c = new AbortController();
    const { seen, done } = consume(ex, 'BTC/USDT:USDT', c.signal);
    await waitFor(() => seen.books > 5, 'initial sync');
    let reconnected = 0;
    const off = ex.events.on('reconnected', () => reconnected++);
    sim.faults.drop();
    await waitFor(() => reconnected > 0 && seen.snapshots.includes('reconnect'), 'reconnect and resync', 8000);
    await assertBookMatchesTruth(sim, () => seen.latest, 'BTC/USDT:USDT');
    off();
    c.abort();
    await done;
    assert.equal(seen.crossed, 0);
  });

  test('delivers trades, tickers, best bid/offer and candles', async () => {
    const c = new AbortController();
    const trades = ex.watchTrades('BTC/USDT', { signal: c.signal });
    const first = await trades.next();
    assert.ok(!first.done && first.value.amount.isPositive());
    const tickers = ex.watchTicker('ETH/USDT', { signal: c.signal });
    const t = await tickers.next();
    assert.ok(!t.done && t.value.symbol === 'ETH/USDT');
    const bbo = await ex.watchBookTicker('BTC/USDT:USDT', { signal: c.signal }).next();
    assert.ok(!bbo.done && bbo.value.bid.lt(bbo.value.ask) && bbo.value.bidSize.isPositive());
    const candle = await ex.watchOHLCV('BTC/USDT', '1m', { signal: c.signal }).next();
    assert.ok(!candle.done && candle.value.high.gte(candle.value.low));
    c.abort();
  });

  test('honours 429 Retry-After: no request reaches the venue during the pause', async () => {
    sim.faults.failRest({ status: 429, retryAfterSec: 1, segment: 'spot' });
    await assert.rejects(ex.fetchTicker('BTC/USDT'), (e) => VenueError.is(e, 'rate-limited') && (e.retryAfterMs ?? 0) >= 1000);
    const pausedAt = Date.now();
    const t = await ex.fetchTicker('BTC/USDT');
    assert.ok(t.last !== undefined);
    assert.ok(Date.now() - pausedAt >= 900, 'the second request waited for Retry-After');
  });

  test('measures and corrects for a skewed venue clock', async () => {
    sim.faults.skewClock(7000);
    try {
      const offset = await ex.syncClock();
      assert.ok(offset > 6000 && offset < 8000, `offset ${offset}`);
      assert.equal(ex.clockOffsetMs, offset);
    } finally {
      sim.faults.skewClock(0);
      await ex.syncClock();
    }
    assert.ok(Math.abs(ex.clockOffsetMs ?? 99999) < 1000);
  });
});

describe('binance client connection rotation', () => {
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
    const { seen, done } = consume(ex, 'BTC/USDT', c.signal);
    await waitFor(() => rotations >= 2, 'two rotations', 10000);
    await assertBookMatchesTruth(sim, () => seen.latest, 'BTC/USDT');
    c.abort();
    await done;
    assert.equal(seamless, rotations, 'every rotation cut over on acks');
    assert.deepEqual(seen.snapshots, ['initial'], 'no resync was ever needed');
  });
});
