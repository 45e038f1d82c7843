/** The Binance front end's REST API: shapes match the vendored real payloads, errors, weights and limits. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { fixtureText, waitFor } from '../../helpers/wait.js';
import { getJson, keySet, shape } from './sim-helpers.js';

const fixture = (path: string): unknown => JSON.parse(fixtureText(path));

describe('binance REST', () => {
  let sim: Simulator;
  let spot: string;
  let usdm: string;
  before(async () => {
    sim = await startSimulator({ seed: 2, tickMs: 0, depth: 200 });
    spot = sim.endpoints.binance.spot.rest;
    usdm = sim.endpoints.binance.usdm.rest;
  });
  after(() => sim.close());

  test('spot exchangeInfo has the documented top-level keys, symbol fields and filter shapes', async () => {
    const { status, body } = await getJson(`${spot}/api/v3/exchangeInfo`);
    assert.equal(status, 200);
    const doc = fixture('binance/rest/spot-exchange-info.json') as Record<string, unknown>;
    assert.deepEqual(keySet(body), keySet(doc));
    const info = body as { symbols: Array<Record<string, unknown>>; rateLimits: unknown[] };
    const docSymbol = (doc['symbols'] as Array<Record<string, unknown>>)[0] as Record<string, unknown>;
    const btc = info.symbols.find((s) => s['symbol'] === 'BTCUSDT') as Record<string, unknown>;
    assert.deepEqual(Object.keys(btc), Object.keys(docSymbol));
    const { filters: _f, ...rest } = btc;
    const { filters: _g, ...docRest } = docSymbol;
    assert.deepEqual(shape(rest), shape(docRest));
    const filterFixtures: Record<string, string> = {
      PRICE_FILTER: 'spot-filter-price-filter.json',
      LOT_SIZE: 'spot-filter-lot-size.json',
      MARKET_LOT_SIZE: 'spot-filter-market-lot-size.json',
      ICEBERG_PARTS: 'spot-filter-iceberg-parts.json',
      TRAILING_DELTA: 'spot-filter-trailing-delta.json',
      PERCENT_PRICE_BY_SIDE: 'spot-filter-percent-price-by-side.json',
      NOTIONAL: 'spot-filter-notional.json',
      MAX_NUM_ORDERS: 'spot-filter-max-num-orders.json',
      MAX_NUM_ALGO_ORDERS: 'spot-filter-max-num-algo-orders.json',
    };
    const filters = btc['filters'] as Array<Record<string, unknown>>;
    assert.deepEqual(filters.map((f) => f['filterType']).sort(), Object.keys(filterFixtures).sort());
    for (const f of filters) assert.deepEqual(shape(f), shape(fixture(`binance/rest/${filterFixtures[f['filterType'] as string]}`)), f['filterType'] as string);
    assert.deepEqual(filters.find((f) => f['filterType'] === 'PRICE_FILTER')?.['tickSize'], '0.01000000');
    const recorded = fixture('binance/rest/spot-exchange-info-recorded-2021-10.json') as { rateLimits: unknown[] };
    assert.deepEqual(shape(info.rateLimits), shape(recorded.rateLimits));
  });

  test('spot exchangeInfo filters by symbol and symbols and rejects unknown ones with -1121', async () => {
    const one = (await getJson(`${spot}/api/v3/exchangeInfo?symbol=ETHUSDT`)).body as { symbols: Array<{ symbol: string }> };
    assert.deepEqual(one.symbols.map((s) => s.symbol), ['ETHUSDT']);
    const two = (await getJson(`${spot}/api/v3/exchangeInfo?symbols=${encodeURIComponent('["ETHUSDT","SOLUSDT"]')}`)).body as { symbols: Array<{ symbol: string }> };
    assert.deepEqual(two.symbols.map((s) => s.symbol), ['ETHUSDT', 'SOLUSDT']);
    const bad = await getJson(`${spot}/api/v3/exchangeInfo?symbol=NOPEUSDT`);
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, fixture('binance/rest/spot-error-invalid-symbol.json'));
  });

  test('USD-M exchangeInfo lists perpetual contracts with contract fields and MIN_NOTIONAL notional', async () => {
    const { body } = await getJson(`${usdm}/fapi/v1/exchangeInfo`);
    const recorded = fixture('binance/rest/usdm-exchange-info-recorded-2021-07.json') as Record<string, unknown>;
    const info = body as Record<string, unknown>;
    for (const k of Object.keys(recorded)) assert.ok(k in info, `missing top-level ${k}`);
    const ours = (info['symbols'] as Array<Record<string, unknown>>).find((s) => s['symbol'] === 'BTCUSDT') as Record<string, unknown>;
    const theirs = (recorded['symbols'] as Array<Record<string, unknown>>).find((s) => s['symbol'] === 'BTCUSDT') as Record<string, unknown>;
    for (const [k, v] of Object.entries(theirs)) {
      if (k === 'filters') continue;
      assert.ok(k in ours, `missing symbol field ${k}`);
      assert.deepEqual(shape(ours[k]), shape(v), k);
    }
    assert.equal(ours['contractType'], 'PERPETUAL');
    assert.equal(ours['marginAsset'], 'USDT');
    const byType = (list: unknown): Map<string, unknown> => new Map((list as Array<Record<string, unknown>>).map((f) => [f['filterType'] as string, f]));
    const ourFilters = byType(ours['filters']);
    for (const [type, f] of byType(theirs['filters'])) assert.deepEqual(keySet(ourFilters.get(type)), keySet(f), type);
    assert.deepEqual(ourFilters.get('MIN_NOTIONAL'), { filterType: 'MIN_NOTIONAL', notional: '100' });
  });

  test('depth answers like the real snapshots: spot strings with 8 decimals, USD-M with E and T', async () => {
    const s = await getJson(`${spot}/api/v3/depth?symbol=BTCUSDT&limit=5`);
    assert.deepEqual(shape(s.body), shape(fixture('binance/rest/spot-depth-NKNUSDT-limit1000-recorded.json')));
    const sb = s.body as { bids: string[][]; asks: string[][]; lastUpdateId: number };
    assert.equal(sb.bids.length, 5);
    assert.match(sb.bids[0]?.[0] as string, /^\d+\.\d{8}$/);
    assert.equal(sb.lastUpdateId, sim.market.snapshot('BTC/USDT').updateId);
    const f = await getJson(`${usdm}/fapi/v1/depth?symbol=BTCUSDT&limit=7`);
    assert.deepEqual(shape(f.body), shape(fixture('binance/rest/usdm-depth-recorded-2025-01.json')));
    const fb = f.body as { bids: string[][] };
    assert.equal(fb.bids.length, 10, 'USD-M rounds limit up to an allowed value');
    assert.match(fb.bids[0]?.[0] as string, /^\d+\.\d{2}$/);
    const all = (await getJson(`${spot}/api/v3/depth?symbol=BTCUSDT&limit=5000`)).body as { bids: string[][]; asks: string[][] };
    assert.equal(all.asks.length, 200);
  });

  test('trades, aggTrades, klines and tickers have the fixture shapes', async () => {
    sim.market.step(200);
    const pairs: Array<[string, string]> = [
      [`${spot}/api/v3/trades?symbol=BTCUSDT&limit=3`, 'spot-trades.json'],
      [`${spot}/api/v3/aggTrades?symbol=BTCUSDT&limit=3`, 'spot-agg-trades.json'],
      [`${spot}/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=3`, 'spot-klines.json'],
      [`${spot}/api/v3/ticker/24hr?symbol=BTCUSDT`, 'spot-ticker-24hr-full-single.json'],
      [`${spot}/api/v3/ticker/bookTicker?symbol=BTCUSDT`, 'spot-ticker-bookticker-single.json'],
      [`${spot}/api/v3/ticker/price?symbol=BTCUSDT`, 'spot-ticker-price-single.json'],
      [`${spot}/api/v3/ticker/price`, 'spot-ticker-price-list.json'],
      [`${spot}/api/v3/time`, 'spot-time.json'],
      [`${spot}/api/v3/ping`, 'spot-ping.json'],
      [`${usdm}/fapi/v1/trades?symbol=BTCUSDT&limit=3`, 'usdm-trades.json'],
      [`${usdm}/fapi/v1/aggTrades?symbol=BTCUSDT&limit=3`, 'usdm-agg-trades.json'],
      [`${usdm}/fapi/v1/klines?symbol=BTCUSDT&interval=5m&limit=3`, 'usdm-klines.json'],
      [`${usdm}/fapi/v1/ticker/24hr?symbol=BTCUSDT`, 'usdm-ticker-24hr-single.json'],
      [`${usdm}/fapi/v1/ticker/bookTicker?symbol=BTCUSDT`, 'usdm-ticker-bookticker-single.json'],
      [`${usdm}/fapi/v2/ticker/price?symbol=BTCUSDT`, 'usdm-ticker-price-v2-single.json'],
      [`${usdm}/fapi/v1/time`, 'usdm-time.json'],
    ];
    for (const [url, file] of pairs) {
      const { status, body } = await getJson(url);
      assert.equal(status, 200, url);
      assert.deepEqual(shape(body), shape(fixture(`binance/rest/${file}`)), file);
    }
  });

  test('recent trades agree with the trade tape and klines with the trades', async () => {
    const trades = (await getJson(`${spot}/api/v3/trades?symbol=ETHUSDT&limit=1000`)).body as Array<{ id: number; qty: string }>;
    const tape = sim.market.tape('ETH/USDT').recentTrades(1000);
    assert.deepEqual(trades.map((t) => t.id), tape.map((t) => t.id));
    const ids = trades.map((t) => t.id);
    for (let i = 1; i < ids.length; i++) assert.equal(ids[i], (ids[i - 1] as number) + 1);
    const klines = (await getJson(`${spot}/api/v3/klines?symbol=ETHUSDT&interval=1d`)).body as unknown[][];
    const count = klines.reduce((a, k) => a + (k[8] as number), 0);
    assert.equal(count, sim.market.tape('ETH/USDT').stats(Date.now())?.count);
  });

  test('bad parameters get the venue error codes', async () => {
    const cases: Array<[string, number, number]> = [
      [`${spot}/api/v3/depth`, 400, -1102],
      [`${spot}/api/v3/depth?symbol=BTCUSDT&limit=abc`, 400, -1100],
      [`${spot}/api/v3/klines?symbol=BTCUSDT&interval=7m`, 400, -1120],
      [`${spot}/api/v3/klines?symbol=BTCUSDT`, 400, -1102],
      [`${usdm}/fapi/v1/depth?symbol=btcusdt`, 400, -1121],
      [`${usdm}/fapi/v1/account`, 404, -5000],
    ];
    for (const [url, status, code] of cases) {
      const r = await getJson(url);
      assert.equal(r.status, status, url);
      assert.equal((r.body as { code: number }).code, code, url);
    }
    assert.deepEqual((await getJson(`${usdm}/fapi/v1/depth`)).body, fixture('binance/rest/usdm-error-1102-missing-symbol-recorded.json'));
  });

  test('routes match by path suffix so a prefixed base URL works', async () => {
    const r = await getJson(`${spot}/api.binance.com/api/v3/ticker/price?symbol=BTCUSDT`);
    assert.equal(r.status, 200);
    assert.equal((r.body as { symbol: string }).symbol, 'BTCUSDT');
  });
});

describe('binance REST weight limits', () => {
  test('reports used weight per window, answers 429 with Retry-After over the limit and 418 when it persists', async () => {
    await using sim = await startSimulator({ tickMs: 0, symbols: 1, rateLimits: { spotWeight: 60, windowMs: 3_600_000, banAfterRejections: 1, banMs: 30_000 } });
    const base = sim.endpoints.binance.spot.rest;
    // Keep clear of a window boundary so the counts below cannot reset mid-test (waits only in the last 5 s of an hour).
    await waitFor(() => Date.now() % 3_600_000 < 3_595_000, 'a window with room', 6000, 50);
    const first = await fetch(`${base}/api/v3/depth?symbol=BTCUSDT&limit=100`);
    assert.equal(first.headers.get('x-mbx-used-weight-1h'), '5');
    await first.text();
    const info = await getJson(`${base}/api/v3/exchangeInfo`);
    assert.equal(info.headers.get('x-mbx-used-weight-1h'), '25');
    assert.deepEqual((info.body as { rateLimits: Array<{ limit: number }> }).rateLimits[0]?.limit, 60);
    const over = await getJson(`${base}/api/v3/depth?symbol=BTCUSDT&limit=1000`);
    assert.equal(over.status, 429);
    assert.equal((over.body as { code: number }).code, -1003);
    assert.ok(Number(over.headers.get('retry-after')) >= 1);
    assert.equal(over.headers.get('x-mbx-used-weight-1h'), '25');
    assert.equal((await getJson(`${base}/api/v3/ping`)).status, 200, 'a request that fits is still served');
    const banned = await getJson(`${base}/api/v3/depth?symbol=BTCUSDT&limit=1000`);
    assert.equal(banned.status, 418);
    assert.equal(banned.headers.get('retry-after'), '30');
    assert.match((banned.body as { msg: string }).msg, /IP banned until \d+/);
    assert.equal((await getJson(`${base}/api/v3/time`)).status, 418);
    assert.equal((await getJson(`${sim.endpoints.binance.usdm.rest}/fapi/v1/time`)).status, 200, 'USD-M meters separately');
  });
});
