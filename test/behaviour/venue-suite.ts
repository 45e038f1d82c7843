/**
 * The behaviour suite every venue adapter + simulator front end pair must pass: requests, books equal to the
 * venue's truth on every market type, every resync path (gap, reconnect, venue-specific faults), trades,
 * tickers, best bid/offer, candles, 429 handling and clock-skew correction. One spec per venue calls it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Exchange } from '../../src/client/exchange.js';
import type { OrderBookView } from '../../src/core/book/book-view.js';
import type { ResyncReason } from '../../src/core/book/order-book.js';
import { Decimal } from '../../src/core/decimal.js';
import { VenueError } from '../../src/core/errors.js';
import { idCompare } from '../../src/core/json.js';
import type { VenueId } from '../../src/core/model.js';
import type { Market as SimMarket } from '../../src/testing/sim/market.js';
import { startSimulator } from '../../src/testing/sim/server.js';
import type { Simulator, SimulatorOptions } from '../../src/testing/sim/server.js';
import { waitFor } from '../helpers/wait.js';

/** A fault a venue has beyond the shared ones, and the resync reason the client must report for it. */
export interface VenueFault {
  readonly name: string;
  readonly inject: (sim: Simulator, symbol: string) => void | Promise<void>;
  readonly expect: ResyncReason;
  /** Market to watch (default the spec's first book symbol). */
  readonly symbol?: string;
}

export interface VenueSpec {
  readonly venue: VenueId;
  /** A client for the venue, pointed at the simulator. */
  readonly connect: (sim: Simulator) => Exchange;
  /** The venue's market core in the simulator (its truth). */
  readonly market: (sim: Simulator) => SimMarket;
  /** Books to keep equal to the truth, one per market type the venue serves (spot, linear, inverse...). */
  readonly bookSymbols: readonly string[];
  /** Symbol for the gap and reconnect scenarios. */
  readonly resyncSymbol: string;
  /** Levels compared with the truth (at most the venue's window). */
  readonly compareDepth?: number;
  /** Book depth asked of `watchOrderBook` (venue default when absent). */
  readonly watchDepth?: number;
  /** Fault scope of the venue's REST (for the 429 scenario). */
  readonly restScope: { readonly venue: string; readonly segment?: string };
  readonly venueFaults?: readonly VenueFault[];
  /** The venue announces a connection shutdown in-band (Binance `serverShutdown`, OKX notice 64008). */
  readonly shutdownNotice?: boolean;
  readonly simOptions?: SimulatorOptions;
}

/** The truth book of `symbol` as `price@size` decimal strings, best first. */
export function truth(market: SimMarket, symbol: string, depth: number): { bids: string[]; asks: string[] } {
  const inst = market.instrument(symbol);
  const snap = market.snapshot(symbol, depth);
  const fmt = ([p, q]: readonly [number, number]) => `${Decimal.fromScaled(p, inst.priceScale).normalize()}@${Decimal.fromScaled(q, inst.qtyScale).normalize()}`;
  return { bids: snap.bids.map(fmt), asks: snap.asks.map(fmt) };
}

export function levels(book: OrderBookView, depth: number): { bids: string[]; asks: string[] } {
  const fmt = (l: { price: Decimal; amount: Decimal }) => `${l.price.normalize()}@${l.amount.normalize()}`;
  return { bids: book.bids(depth).map(fmt), asks: book.asks(depth).map(fmt) };
}

/**
 * Freezes the symbol and waits until the client's book shows exactly the truth. A book that is wrong never
 * converges, so this fails on a timeout naming both sides.
 */
export async function assertBookMatchesTruth(market: SimMarket, latest: () => OrderBookView | undefined, symbol: string, depth: number): Promise<void> {
  market.freeze(symbol, true);
  try {
    const want = truth(market, symbol, depth);
    try {
      await waitFor(() => {
        const b = latest();
        return b !== undefined && JSON.stringify(levels(b, depth)) === JSON.stringify(want);
      }, `the client book of ${symbol} to equal the venue truth`, 8000);
    } catch (err) {
      const b = latest();
      assert.deepEqual(b === undefined ? undefined : levels(b, depth), want, (err as Error).message);
      throw err;
    }
  } finally {
    market.freeze(symbol, false);
  }
}

/** Consumes a book stream in the background, checking every book it is shown. */
export function consumeBook(ex: Exchange, symbol: string, signal: AbortSignal, depth?: number) {
  const seen = { books: 0, snapshots: [] as string[], crossed: 0, backwards: 0, latest: undefined as OrderBookView | undefined };
  const done = (async () => {
    let prev: OrderBookView['seq'] | undefined;
    for await (const book of ex.watchOrderBook(symbol, { signal, ...(depth === undefined ? {} : { depth }) })) {
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

/** Registers the suite for one venue. */
export function venueBehaviourSuite(spec: VenueSpec): void {
  const depth = spec.compareDepth ?? 50;
  describe(`${spec.venue}: behaviour suite on the simulator`, () => {
    let sim: Simulator;
    let ex: Exchange;
    let market: SimMarket;
    /** Frames the client skipped as undecodable, unrecognized or unrouted (problems of the stream hub), all suite long. */
    const skipped: string[] = [];
    before(async () => {
      sim = await startSimulator({ seed: 11, depth: 200, symbols: 6, tickMs: 20, ...spec.simOptions });
      market = spec.market(sim);
      ex = spec.connect(sim);
      ex.events.on('problem', (e) => {
        if (/(undecodable|unrecognized) frame|which no subscription on this connection takes|frames skipped since the last report/.test(e.error.message)) skipped.push(`${e.context}: ${e.error.message}`);
      });
      await ex.loadMarkets();
    });
    after(async () => {
      await ex?.close();
      await sim?.close();
    });

    test('loads markets with exact filters for every market type', () => {
      for (const symbol of spec.bookSymbols) {
        const m = ex.market(symbol);
        assert.equal(m.symbol, symbol);
        assert.equal(m.venue, spec.venue);
        assert.ok(m.tickSize.isPositive() && m.stepSize.isPositive(), `${symbol} tick and step`);
        assert.equal(m.status, 'active');
      }
    });

    test('fetches ticker, book, trades and candles as exact decimals', async () => {
      const [symbol = ''] = spec.bookSymbols;
      const t = await ex.fetchTicker(symbol);
      assert.ok(t.last instanceof Decimal);
      const ob = await ex.fetchOrderBook(symbol, 20);
      assert.equal(ob.bids.length, 20);
      assert.ok(ob.bids[0]!.price.lt(ob.asks[0]!.price));
      const trades = await ex.fetchTrades(symbol, 10);
      assert.ok(trades.every((tr) => tr.price instanceof Decimal && (tr.side === 'buy' || tr.side === 'sell')));
      const candles = await ex.fetchOHLCV(spec.bookSymbols[1] ?? symbol, '1m', undefined, 5);
      assert.ok(candles.length > 0 && candles.every((c) => c.high.gte(c.low)));
    });

    for (const symbol of spec.bookSymbols) {
      test(`keeps the ${symbol} book equal to the venue truth`, async () => {
        const c = new AbortController();
        const { seen, done } = consumeBook(ex, symbol, c.signal, spec.watchDepth);
        await waitFor(() => seen.books > 20, 'book updates', 8000);
        await assertBookMatchesTruth(market, () => seen.latest, symbol, depth);
        c.abort();
        await done;
        assert.deepEqual(seen.snapshots, ['initial']);
        assert.equal(seen.crossed, 0);
        assert.equal(seen.backwards, 0);
      });
    }

    test('keeps books of two market types watched at once apart, even when their venue ids are equal', async () => {
      const [a = '', b = ''] = spec.bookSymbols;
      const c = new AbortController();
      const first = consumeBook(ex, a, c.signal, spec.watchDepth);
      const second = consumeBook(ex, b, c.signal, spec.watchDepth);
      await waitFor(() => first.seen.books > 10 && second.seen.books > 10, 'updates on both books', 8000);
      await assertBookMatchesTruth(market, () => first.seen.latest, a, depth);
      await assertBookMatchesTruth(market, () => second.seen.latest, b, depth);
      c.abort();
      await Promise.all([first.done, second.done]);
    });

    test('resyncs when a book update is missing, never showing a wrong book', async () => {
      const c = new AbortController();
      const { seen, done } = consumeBook(ex, spec.resyncSymbol, c.signal, spec.watchDepth);
      await waitFor(() => seen.books > 5, 'initial sync', 8000);
      sim.faults.gap(spec.resyncSymbol);
      await waitFor(() => seen.snapshots.includes('gap'), 'a gap resync', 8000);
      await assertBookMatchesTruth(market, () => seen.latest, spec.resyncSymbol, depth);
      c.abort();
      await done;
      assert.equal(seen.crossed, 0);
    });

    test('reconnects, resubscribes and resyncs after a dropped connection', async () => {
      const c = new AbortController();
      const { seen, done } = consumeBook(ex, spec.resyncSymbol, c.signal, spec.watchDepth);
      await waitFor(() => seen.books > 5, 'initial sync', 8000);
      let reconnected = 0;
      const off = ex.events.on('reconnected', () => reconnected++);
      sim.faults.drop({ venue: spec.venue });
      await waitFor(() => reconnected > 0 && seen.snapshots.includes('reconnect'), 'reconnect and resync', 8000);
      await assertBookMatchesTruth(market, () => seen.latest, spec.resyncSymbol, depth);
      off();
      c.abort();
      await done;
      assert.equal(seen.crossed, 0);
    });

    for (const fault of spec.venueFaults ?? []) {
      test(`resyncs after ${fault.name} (reported as ${fault.expect})`, async () => {
        const symbol = fault.symbol ?? spec.resyncSymbol;
        const c = new AbortController();
        const { seen, done } = consumeBook(ex, symbol, c.signal, spec.watchDepth);
        await waitFor(() => seen.books > 5, 'initial sync', 8000);
        await fault.inject(sim, symbol);
        await waitFor(() => seen.snapshots.includes(fault.expect), `a ${fault.expect} resync`, 8000);
        await assertBookMatchesTruth(market, () => seen.latest, symbol, depth);
        c.abort();
        await done;
        assert.equal(seen.crossed, 0);
      });
    }

    if (spec.shutdownNotice === true) {
      test('moves to a new connection when the venue announces a shutdown, the book staying equal to the truth', async () => {
        const c = new AbortController();
        const { seen, done } = consumeBook(ex, spec.resyncSymbol, c.signal, spec.watchDepth);
        await waitFor(() => seen.books > 5, 'initial sync', 8000);
        const rotated: boolean[] = [];
        const off = ex.events.on('rotated', (e) => rotated.push(e.seamless));
        const reconnected: string[] = [];
        const offR = ex.events.on('reconnecting', (e) => reconnected.push(e.reason));
        assert.ok(sim.faults.serverShutdown({ venue: spec.venue, closeAfterMs: 3000 }) > 0, 'the notice reached a connection');
        await waitFor(() => rotated.length > 0, 'a rotation', 8000);
        const books = seen.books;
        await waitFor(() => seen.books > books + 5, 'updates on the new connection', 8000);
        await assertBookMatchesTruth(market, () => seen.latest, spec.resyncSymbol, depth);
        off();
        offR();
        c.abort();
        await done;
        assert.deepEqual(reconnected, [], 'no connection was lost on the way');
        assert.equal(seen.crossed, 0);
        assert.ok(!seen.snapshots.includes('gap') && !seen.snapshots.includes('reconnect'), `resyncs: ${seen.snapshots.join(', ')}`);
      });
    }

    test('delivers trades, tickers, best bid/offer and candles', async () => {
      const [spot = '', deriv = spot] = spec.bookSymbols;
      const c = new AbortController();
      const trades = ex.watchTrades(spot, { signal: c.signal });
      const first = await trades.next();
      assert.ok(!first.done && first.value.amount.isPositive() && first.value.symbol === spot);
      const t = await ex.watchTicker(deriv, { signal: c.signal }).next();
      assert.ok(!t.done && t.value.symbol === deriv && t.value.last !== undefined);
      const bbo = await ex.watchBookTicker(deriv, { signal: c.signal }).next();
      assert.ok(!bbo.done && bbo.value.bid.lt(bbo.value.ask) && bbo.value.bidSize.isPositive());
      const candle = await ex.watchOHLCV(spot, '1m', { signal: c.signal }).next();
      assert.ok(!candle.done && candle.value.high.gte(candle.value.low));
      c.abort();
    });

    test('honours 429 Retry-After: no request reaches the venue during the pause', async () => {
      const [symbol = ''] = spec.bookSymbols;
      sim.faults.failRest({ status: 429, retryAfterSec: 1, ...spec.restScope });
      await assert.rejects(ex.fetchTicker(symbol), (e) => VenueError.is(e, 'rate-limited') && (e.retryAfterMs ?? 0) >= 900);
      const pausedAt = Date.now();
      const t = await ex.fetchTicker(symbol);
      assert.ok(t.last !== undefined);
      assert.ok(Date.now() - pausedAt >= 800, 'the second request waited for the pause');
    });

    test('skips no frame of the simulator: nothing undecodable, unrecognized or unrouted was reported all suite long', () => {
      assert.deepEqual(skipped, []);
      for (const c of ex.connections()) assert.deepEqual([c.undecodableFrames, c.unrecognizedFrames], [0, 0], `${c.connection}#${c.shard}`);
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
}
