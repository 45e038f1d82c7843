/**
 * `watch*` load the markets on first use, like the `fetch*` calls (the README's
 * `for await (const t of by.watchTrades('BTC/USD:BTC'))` without `loadMarkets()`), while staying synchronous:
 * the watch is returned at once, an unknown symbol rejects its first `next()`, several watches share one load,
 * and leaving or aborting while the markets load opens nothing. On every venue against the simulator.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VenueError } from '../../src/core/errors.js';
import { startSimulator } from '../../src/testing/sim/server.js';
import type { Simulator } from '../../src/testing/sim/server.js';
import { connect, received, VENUES } from '../helpers/refusals.js';
import { waitFor } from '../helpers/wait.js';

/** REST requests for instrument lists so far (Binance exchangeInfo, Bybit instruments-info, OKX instruments). */
function marketLoads(sim: Simulator): number {
  let n = 0;
  for (const r of Object.values(sim.stats.rest)) for (const [route, count] of Object.entries(r.byRoute)) if (/exchangeInfo|instruments/.test(route)) n += count;
  return n;
}

describe('watch* load the markets by themselves', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ symbols: ['BTC/USDT', 'BTC/USDT:USDT'] });
  });
  after(async () => {
    await sim.close();
  });

  for (const venue of VENUES) {
    test(`${venue}: watchTrades and watchOrderBook work without loadMarkets(), sharing one load`, async () => {
      await using once = connect(sim, venue);
      const before = marketLoads(sim);
      await once.loadMarkets();
      const perLoad = marketLoads(sim) - before;
      assert.ok(perLoad >= 1);

      await using ex = connect(sim, venue);
      const start = marketLoads(sim);
      const trades = ex.watchTrades('BTC/USDT');
      const books = ex.watchOrderBook('BTC/USDT:USDT', { depth: 10 });
      const tickers = ex.watchTicker('BTC/USDT');
      const trade = await trades.next();
      assert.equal(trade.done, false);
      assert.equal(trade.value?.symbol, 'BTC/USDT');
      const book = await books.next();
      assert.equal(book.value?.symbol, 'BTC/USDT:USDT');
      assert.ok((book.value?.bestBid()?.price.isPositive() ?? false) && (book.value?.bestAsk()?.price.isPositive() ?? false));
      assert.equal((await tickers.next()).value?.symbol, 'BTC/USDT');
      assert.equal(marketLoads(sim) - start, perLoad, 'three watches, one load of the markets');
      assert.equal(ex.markets['BTC/USDT']?.symbol, 'BTC/USDT');
      await Promise.all([trades.return?.(), books.return?.(), tickers.return?.()]);
      await trades.finished;
    });

    test(`${venue}: an unknown symbol rejects the first next() with not-found; a bad depth for the market with invalid-argument`, async () => {
      await using ex = connect(sim, venue);
      const w = ex.watchTrades('NOPE/USDT');
      await assert.rejects(w.next(), (e: unknown) => VenueError.is(e, 'not-found') || VenueError.is(e, 'invalid-argument'));
      assert.deepEqual(await w.next(), { done: true, value: undefined }, 'the watch is over after its failure');
      await w.finished;
      const deep = ex.watchOrderBook('BTC/USDT:USDT', { depth: 4999 });
      await assert.rejects(deep.next(), (e: unknown) => VenueError.is(e, 'invalid-argument') && /depth must be an integer from 1 to \d+; got 4999/.test(e.message));
    });

    test(`${venue}: leaving or aborting while the markets load opens no stream`, async () => {
      await using ex = connect(sim, venue);
      const before = received(sim);
      const left = ex.watchTrades('BTC/USDT');
      const leftBook = ex.watchOrderBook('BTC/USDT');
      const pending = left.next();
      await left.return?.();
      await leftBook.return?.();
      assert.deepEqual(await pending, { done: true, value: undefined }, 'a next() waiting on the load ends with the watch');
      const controller = new AbortController();
      const aborted = ex.watchTicker('BTC/USDT', { signal: controller.signal });
      const waiting = aborted.next();
      controller.abort();
      await assert.rejects(waiting, (e: unknown) => VenueError.is(e, 'closed'));
      const already = ex.watchBookTicker('BTC/USDT', { signal: AbortSignal.abort() });
      await assert.rejects(already.next(), (e: unknown) => VenueError.is(e, 'closed'));
      await Promise.all([left.finished, leftBook.finished, aborted.finished, already.finished]);
      await ex.loadMarkets();
      // Give a stray subscription every chance to show up.
      await new Promise((r) => setTimeout(r, 100));
      const after = received(sim);
      assert.equal(after.subscriptions, before.subscriptions, 'no subscription was made');
      assert.equal(after.connections, before.connections, 'no stream connection was opened');
    });

    test(`${venue}: watchOrders loads the markets (its private events name markets by venue id); an unknown symbol fails the watch`, async () => {
      await using ex = connect(sim, venue);
      const orders = ex.watchOrders('BTC/USDT');
      await waitFor(() => Object.keys(ex.markets).length > 0, 'markets loaded by watchOrders');
      const unknown = ex.watchMyTrades('NOPE/USDT');
      await assert.rejects(unknown.next(), (e: unknown) => VenueError.is(e, 'not-found') || VenueError.is(e, 'invalid-argument'));
      await orders.return?.();
    });
  }
});
