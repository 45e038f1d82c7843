/**
 * Run-time argument checks of the market-data entry points and the factories, on each venue against the
 * simulator: book depth (one rule everywhere: a positive safe integer up to the venue's maximum for the market,
 * never capped, never 1 level for 0), timeframes (the venue's own list), limits, options objects, and factory
 * options (env, urls, segments, credentials...). Each refusal is `invalid-argument` naming the field and what it
 * allows, with nothing sent.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { binance } from '../../src/client/binance.js';
import { bybit } from '../../src/client/bybit.js';
import type { Exchange } from '../../src/client/exchange.js';
import { okx } from '../../src/client/okx.js';
import { VenueError } from '../../src/core/errors.js';
import type { VenueId } from '../../src/core/model.js';
import { startSimulator } from '../../src/testing/sim/server.js';
import type { Simulator } from '../../src/testing/sim/server.js';
import { assertRefused, connect } from '../helpers/refusals.js';

const loose = (ex: Exchange): Record<string, (...args: unknown[]) => unknown> => ex as unknown as Record<string, (...args: unknown[]) => unknown>;

/** The deepest book per venue and market, for `fetchOrderBook` (REST) and `watchOrderBook` (the stream's book). */
const MAX_DEPTH: Record<VenueId, Record<'spot' | 'swap', { fetch: number; watch: number }>> = {
  binance: { spot: { fetch: 5000, watch: 5000 }, swap: { fetch: 1000, watch: 1000 } },
  bybit: { spot: { fetch: 200, watch: 1000 }, swap: { fetch: 500, watch: 1000 } },
  okx: { spot: { fetch: 5000, watch: 400 }, swap: { fetch: 5000, watch: 400 } },
};
const MARKETS = { spot: 'BTC/USDT', swap: 'BTC/USDT:USDT' } as const;

describe('market data: depth, timeframes, limits and options on every venue, nothing sent', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ symbols: ['BTC/USDT', 'BTC/USDT:USDT'], tickMs: 0 });
  });
  after(async () => {
    await sim.close();
  });

  for (const venue of ['binance', 'bybit', 'okx'] as const) {
    test(`${venue}: depth NaN, 0, -1, 1.5, '10' are refused at once, before the markets load`, async () => {
      await using ex = connect(sim, venue);
      for (const depth of [Number.NaN, 0, -1, 1.5, '10', Infinity]) {
        const shown = typeof depth === 'string' ? `"${depth}"` : String(depth).replace('.', '\\.');
        await assertRefused(sim, ex, `watchOrderBook depth ${String(depth)}`, () => ex.watchOrderBook('BTC/USDT', { depth: depth as number }), new RegExp(`depth must be an integer ≥ 1; got ${shown}`));
        // The watch itself throws synchronously: no markets are needed to know this.
        assert.throws(() => ex.watchOrderBook('BTC/USDT', { depth: depth as number }), (e: unknown) => VenueError.is(e, 'invalid-argument'));
        await assertRefused(sim, ex, `fetchOrderBook limit ${String(depth)}`, () => ex.fetchOrderBook('BTC/USDT', depth as number), new RegExp(`limit must be an integer ≥ 1; got ${shown}`));
      }
      assert.deepEqual(ex.markets, {});
    });

    test(`${venue}: depth beyond the market's maximum is refused naming the range, never capped`, async () => {
      await using ex = connect(sim, venue);
      await ex.loadMarkets();
      assert.ok((await ex.loadMarkets({ reload: true }))['BTC/USDT:USDT'] !== undefined, 'a reload takes its own option');
      for (const kind of ['spot', 'swap'] as const) {
        const symbol = MARKETS[kind];
        const max = MAX_DEPTH[venue][kind];
        await assertRefused(sim, ex, `${symbol} watchOrderBook depth ${max.watch + 1}`, () => ex.watchOrderBook(symbol, { depth: max.watch + 1 }), new RegExp(`depth must be an integer from 1 to ${max.watch}; got ${max.watch + 1}`));
        await assertRefused(sim, ex, `${symbol} fetchOrderBook limit ${max.fetch + 1}`, () => ex.fetchOrderBook(symbol, max.fetch + 1), new RegExp(`limit must be an integer from 1 to ${max.fetch}; got ${max.fetch + 1}`));
        if (max.watch < 5000) {
          await assertRefused(sim, ex, `${symbol} watchOrderBook depth 5000`, () => ex.watchOrderBook(symbol, { depth: 5000 }), new RegExp(`from 1 to ${max.watch}; got 5000`));
        }
      }
      // The maximum itself is served as asked.
      const book = await ex.fetchOrderBook('BTC/USDT', 5);
      assert.equal(book.bids.length, 5);
      assert.equal(book.asks.length, 5);
    });

    test(`${venue}: timeframes, limits, since and options objects of the market-data calls`, async () => {
      await using ex = connect(sim, venue);
      const TIMEFRAME = /timeframe must be one of "(1s|1m)", .*"1M"/;
      const cases: Array<[string, () => unknown, ...RegExp[]]> = [
        ["fetchOHLCV timeframe '7m'", () => ex.fetchOHLCV('BTC/USDT', '7m'), TIMEFRAME, /got "7m"/],
        ["fetchOHLCV timeframe '1H'", () => ex.fetchOHLCV('BTC/USDT', '1H'), TIMEFRAME],
        ['fetchOHLCV since -5', () => ex.fetchOHLCV('BTC/USDT', '1m', -5), /since must be an integer ≥ 0; got -5/],
        ['fetchOHLCV limit 0', () => ex.fetchOHLCV('BTC/USDT', '1m', undefined, 0), /limit must be an integer ≥ 1; got 0/],
        ["watchOHLCV timeframe '7m'", () => ex.watchOHLCV('BTC/USDT', '7m'), TIMEFRAME],
        ['fetchTrades limit NaN', () => ex.fetchTrades('BTC/USDT', Number.NaN), /limit must be an integer ≥ 1; got NaN/],
        ['fetchTicker symbol undefined', () => loose(ex)['fetchTicker']?.call(ex), /symbol must be a non-empty string; got undefined/],
        ['fetchTicker option typo', () => loose(ex)['fetchTicker']?.call(ex, 'BTC/USDT', { timout: 5 }), /fetchTicker options has an unknown option "timout" \(allowed: signal, timeoutMs\)/],
        ['watchTrades options null', () => loose(ex)['watchTrades']?.call(ex, 'BTC/USDT', null), /watchTrades options must be an options object; got null/],
        ['watchTicker option typo', () => loose(ex)['watchTicker']?.call(ex, 'BTC/USDT', { singal: undefined }), /unknown option "singal" \(allowed: signal, livenessMs, maxAttempts, connectTimeoutMs\)/],
        ['watchBookTicker capacity', () => ex.watchBookTicker('BTC/USDT', { capacity: 10 }), /capacity does not apply to watchBookTicker: it conflates/],
        ['watchOrderBook capacity', () => ex.watchOrderBook('BTC/USDT', { capacity: 10 }), /capacity does not apply to watchOrderBook: it conflates/],
        ['watchTrades capacity -1', () => ex.watchTrades('BTC/USDT', { capacity: -1 }), /capacity must be an integer from 1 to 1000000; got -1/],
        ['watchOrderBook option typo', () => loose(ex)['watchOrderBook']?.call(ex, 'BTC/USDT', { levels: 10 }), /unknown option "levels" \(allowed: signal, livenessMs, maxAttempts, connectTimeoutMs, depth\)/],
        ["loadMarkets reload 'yes'", () => ex.loadMarkets({ reload: 'yes' as never }), /reload must be true or false; got "yes"/],
        ['market symbol 5', () => loose(ex)['market']?.call(ex, 5), /symbol must be a non-empty string; got 5/],
      ];
      for (const [what, call, ...says] of cases) await assertRefused(sim, ex, what, call, ...says);
      assert.deepEqual(ex.markets, {}, 'none of these needed the markets');
    });
  }

  test("binance: '1s' candles exist on spot only, and the USD-M refusal lists USD-M's timeframes", async () => {
    await using ex = connect(sim, 'binance');
    await ex.loadMarkets();
    await assertRefused(sim, ex, "usdm fetchOHLCV '1s'", () => ex.fetchOHLCV('BTC/USDT:USDT', '1s'), /timeframe must be one of "1m", "3m"/, /got "1s"/);
    await assertRefused(sim, ex, "usdm watchOHLCV '1s'", () => ex.watchOHLCV('BTC/USDT:USDT', '1s'), /timeframe must be one of "1m"/);
  });
});

describe('factories: bad options are invalid-argument naming the option, never a TypeError', () => {
  const refused = (what: string, make: () => unknown, ...says: RegExp[]): void => {
    let err: unknown;
    try {
      make();
    } catch (e) {
      err = e;
    }
    assert.ok(VenueError.is(err, 'invalid-argument'), `${what}: expected invalid-argument, got ${String(err)}`);
    for (const re of says) assert.match(err.message, re, what);
  };
  const f = (fn: (o: never) => unknown) => (o: unknown) => () => fn(o as never);
  const bin = f(binance);
  const byb = f(bybit);
  const ok = f(okx);

  test('env is one of the venue environments', () => {
    refused("binance env 'prod'", bin({ env: 'prod' }), /env must be one of "mainnet", "testnet", "demo"; got "prod"/);
    refused("bybit env 'production'", byb({ env: 'production' }), /env must be one of "mainnet", "testnet", "demo"; got "production"/);
    refused("okx env 'mainnet'", ok({ env: 'mainnet' }), /env must be one of "production", "demo"; got "mainnet"/);
    refused('okx env 1', ok({ env: 1 }), /env must be one of/);
  });

  test('urls have the venue shape of URLs', () => {
    refused('binance urls {}', bin({ urls: {} }), /urls\.spot must be an object; got undefined/);
    refused('binance urls a string', bin({ urls: 'http://127.0.0.1:1' }), /urls must be an object; got "http/);
    const seg = { rest: 'http://127.0.0.1:1', ws: 'ws://127.0.0.1:1', wsApi: 'ws://127.0.0.1:1/ws-api/v3' };
    refused('binance urls.usdm.ws https', bin({ urls: { spot: seg, usdm: { ...seg, ws: 'https://x' } } }), /urls\.usdm\.ws must be a wss or ws URL; got "https:\/\/x"/);
    refused('binance urls.spot.rest not a URL', bin({ urls: { spot: { ...seg, rest: 'localhost:80' }, usdm: seg } }), /urls\.spot\.rest must be a https or http URL/);
    refused('bybit urls.ws {}', byb({ urls: { rest: 'http://127.0.0.1:1', ws: {} } }), /urls\.ws\.spot must be a wss or ws URL; got undefined/);
    refused('okx urls without business', ok({ urls: { rest: 'http://127.0.0.1:1', public: 'ws://a', private: 'ws://a' } }), /urls\.business must be a wss or ws URL; got undefined/);
    refused("okx urls.simulatedTrading 'yes'", ok({ urls: { rest: 'http://a', public: 'ws://a', private: 'ws://a', business: 'ws://a', simulatedTrading: 'yes' } }), /urls\.simulatedTrading must be true or false/);
  });

  test('segments, categories and instrument types', () => {
    refused("binance segments ['futures']", bin({ segments: ['futures'] }), /segments\[0\] must be one of "spot", "usdm"; got "futures"/);
    refused('binance segments []', bin({ segments: [] }), /segments must hold at least 1 item/);
    refused("binance segments 'spot'", bin({ segments: 'spot' }), /segments must be an array; got "spot"/);
    refused("binance segments ['spot', 'spot']", bin({ segments: ['spot', 'spot'] }), /segments must not repeat an item/);
    refused("bybit categories ['option']", byb({ categories: ['option'] }), /categories\[0\] must be one of "spot", "linear", "inverse"; got "option"/);
    refused("okx instTypes ['OPTION']", ok({ instTypes: ['OPTION'] }), /instTypes\[0\] must be one of "SPOT", "SWAP", "FUTURES"; got "OPTION"/);
    refused("okx instTypes ['spot']", ok({ instTypes: ['spot'] }), /got "spot"/);
  });

  test('unknown options, recvWindowMs, timeouts, credentials, streams and outcome policy', () => {
    refused('binance option typo', bin({ sgements: ['spot'] }), /binance options has an unknown option "sgements" \(allowed: credentials, clockSync, timeoutMs, maxResponseBytes, streams, outcomePolicy, env, urls, segments, recvWindowMs\)/);
    refused('okx recvWindowMs (OKX has none)', ok({ recvWindowMs: 5000 }), /unknown option "recvWindowMs"/);
    refused('binance options a string', bin('mainnet'), /binance options must be an options object; got "mainnet"/);
    refused('binance recvWindowMs 70000', bin({ recvWindowMs: 70_000 }), /recvWindowMs must be an integer from 1 to 60000; got 70000/);
    refused("bybit recvWindowMs '5000'", byb({ recvWindowMs: '5000' }), /recvWindowMs must be an integer from 1 to \d+; got "5000"/);
    refused('timeoutMs -1', bin({ timeoutMs: -1 }), /timeoutMs must be an integer from 1 to 2147483647; got -1/);
    refused("clockSync 'no'", byb({ clockSync: 'no' }), /clockSync must be true or false; got "no"/);
    refused('credentials a string', ok({ credentials: 'key:secret' }), /credentials must be an object; got "key:secret"/);
    refused('credentials without secret', bin({ credentials: { apiKey: 'k' } }), /credentials\.secret must be a non-empty string; got undefined/);
    refused('streams typo', byb({ streams: { backof: {} } }), /streams has an unknown option "backof"/);
    refused('streams.backoff.maxMs below initialMs', bin({ streams: { backoff: { initialMs: 100, maxMs: 10 } } }), /streams\.backoff\.maxMs must be an integer from 100 to \d+; got 10/);
    refused("streams.backoff.jitter 'random'", bin({ streams: { backoff: { initialMs: 1, maxMs: 10, jitter: 'random' } } }), /streams\.backoff\.jitter must be one of "full", "decorrelated", "none"/);
    refused('outcomePolicy.queries -1', ok({ outcomePolicy: { queries: -1 } }), /outcomePolicy\.queries must be an integer from 0 to 1000; got -1/);
  });

  test('a secret given in the wrong shape never appears in the error', () => {
    let err: unknown;
    try {
      binance({ credentials: { apiKey: 'k', secret: 12345678901 as never } });
    } catch (e) {
      err = e;
    }
    assert.ok(VenueError.is(err, 'invalid-argument'));
    assert.match(err.message, /credentials\.secret must be a non-empty string; got a number/);
    assert.ok(!err.message.includes('12345678901'));
  });

  test('valid options still build clients', async () => {
    await using a = binance({ env: 'testnet', segments: ['spot'], recvWindowMs: 10_000, timeoutMs: 5000, clockSync: false });
    await using b = bybit({ env: 'demo', categories: ['linear'], streams: { backoff: { initialMs: 10, maxMs: 100 } } });
    await using c = okx({ env: 'demo', instTypes: ['SWAP'], outcomePolicy: { queries: 2 } });
    assert.deepEqual([a.id, b.id, c.id], ['binance', 'bybit', 'okx']);
  });
});
