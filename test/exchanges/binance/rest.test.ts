/** Binance REST request builders: paths, query parameters and documented weights. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { VenueError } from '../../../src/core/errors.js';
import { aggTrades, bookTicker, depth, depthLimitFor, depthWeight, exchangeInfo, klines, recentTrades, serverTime, ticker24h } from '../../../src/exchanges/binance/rest.js';

const invalidArgument = (e: unknown): boolean => VenueError.is(e, 'invalid-argument');

test('charges spot depth by the documented limit bands', () => {
  const bands: Array<[number, number]> = [[1, 5], [100, 5], [101, 25], [500, 25], [501, 50], [1000, 50], [1001, 250], [5000, 250]];
  for (const [limit, weight] of bands) assert.equal(depthWeight('spot', limit), weight, `limit ${limit}`);
  assert.throws(() => depthWeight('spot', 5001), invalidArgument);
  assert.throws(() => depthWeight('spot', 0), invalidArgument);
});

test('charges USD-M depth by the documented limits and refuses the others', () => {
  const weights: Array<[number, number]> = [[5, 2], [10, 2], [20, 2], [50, 2], [100, 5], [500, 10], [1000, 20]];
  for (const [limit, weight] of weights) assert.equal(depthWeight('usdm', limit), weight, `limit ${limit}`);
  assert.throws(() => depthWeight('usdm', 200), invalidArgument);
  assert.equal(depthLimitFor('usdm', 200), 500);
  assert.equal(depthLimitFor('usdm', 5000), 1000);
  assert.equal(depthLimitFor('spot', 5000), 5000);
  for (const levels of [0, -1, Number.NaN]) {
    assert.throws(() => depthLimitFor('usdm', levels), (e: unknown) => VenueError.is(e, 'invalid-argument'), `usdm ${levels} is refused, not mapped to 1000`);
    assert.throws(() => depthLimitFor('spot', levels), (e: unknown) => VenueError.is(e, 'invalid-argument'), `spot ${levels} is refused, not mapped to 1`);
  }
});

test('builds depth requests for each segment with symbol, limit and weight', () => {
  assert.deepEqual(depth('spot', 'BTCUSDT', 5000), {
    method: 'GET',
    api: 'spot',
    path: '/api/v3/depth',
    query: { symbol: 'BTCUSDT', limit: 5000 },
    signed: false,
    costs: [{ limit: 'REQUEST_WEIGHT', weight: 250 }],
  });
  const usdm = depth('usdm', 'BTCUSDT', 1000);
  assert.equal(usdm.path, '/fapi/v1/depth');
  assert.equal(usdm.api, 'usdm');
  assert.deepEqual(usdm.costs, [{ limit: 'REQUEST_WEIGHT', weight: 20 }]);
});

test('builds the other market-data requests on the right paths with their weights', () => {
  const cases: Array<[ReturnType<typeof depth>, string, number]> = [
    [exchangeInfo('spot'), '/api/v3/exchangeInfo', 20],
    [exchangeInfo('usdm'), '/fapi/v1/exchangeInfo', 1],
    [serverTime('spot'), '/api/v3/time', 1],
    [serverTime('usdm'), '/fapi/v1/time', 1],
    [ticker24h('spot', 'BTCUSDT'), '/api/v3/ticker/24hr', 2],
    [ticker24h('spot'), '/api/v3/ticker/24hr', 80],
    [ticker24h('usdm', 'BTCUSDT'), '/fapi/v1/ticker/24hr', 1],
    [ticker24h('usdm'), '/fapi/v1/ticker/24hr', 40],
    [bookTicker('spot', 'BTCUSDT'), '/api/v3/ticker/bookTicker', 2],
    [bookTicker('usdm'), '/fapi/v1/ticker/bookTicker', 5],
    [recentTrades('spot', 'BTCUSDT'), '/api/v3/trades', 25],
    [recentTrades('usdm', 'BTCUSDT', 1000), '/fapi/v1/trades', 5],
    [aggTrades('spot', 'BTCUSDT'), '/api/v3/aggTrades', 4],
    [klines('spot', 'BTCUSDT', '1h'), '/api/v3/klines', 2],
    [klines('usdm', 'BTCUSDT', '1h', { limit: 99 }), '/fapi/v1/klines', 1],
    [klines('usdm', 'BTCUSDT', '1h'), '/fapi/v1/klines', 5],
    [klines('usdm', 'BTCUSDT', '1h', { limit: 1500 }), '/fapi/v1/klines', 10],
  ];
  for (const [request, path, weight] of cases) {
    assert.equal(request.path, path);
    assert.equal(request.method, 'GET');
    assert.equal(request.signed, false);
    assert.deepEqual(request.costs, [{ limit: 'REQUEST_WEIGHT', weight }], `${path} weight`);
  }
  assert.equal(ticker24h('spot').query, undefined);
});

test('passes kline parameters through and validates interval and limit', () => {
  assert.deepEqual(klines('spot', 'ETHBTC', '1M', { startTime: 1, endTime: 2, limit: 10 }).query, {
    symbol: 'ETHBTC',
    interval: '1M',
    startTime: 1,
    endTime: 2,
    limit: 10,
  });
  assert.throws(() => klines('spot', 'ETHBTC', '7m'), invalidArgument);
  assert.throws(() => klines('usdm', 'ETHUSDT', '1s'), invalidArgument);
  assert.throws(() => klines('spot', 'ETHBTC', '1m', { limit: 1001 }), invalidArgument);
  assert.throws(() => recentTrades('spot', 'ETHBTC', 0), invalidArgument);
});
