/** Bybit REST requests (paths, parameters, costs) and the dialect's usage readings from the X-Bapi-Limit headers. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { VenueError } from '../../../src/core/errors.js';
import { parseJson } from '../../../src/core/json.js';
import { RateGovernor } from '../../../src/core/resilience/rate-limiter.js';
import type { RestRequest } from '../../../src/core/venue.js';
import { createBybitRestDialect, usageFromBybitHeaders } from '../../../src/exchanges/bybit/rest-dialect.js';
import { costsOf, depthLimitFor, instrumentsInfo, kline, orderbook, recentTrades, serverTime, tickers } from '../../../src/exchanges/bybit/rest.js';
import { fixtureText } from '../../helpers/wait.js';

const ORDER: RestRequest = { method: 'POST', api: 'rest', path: '/v5/order/create', body: { category: 'linear' }, signed: true, costs: costsOf('POST', '/v5/order/create', 'linear'), command: true };

test('market-data requests: one api for every category, Bybit paths and parameters', () => {
  const all = [instrumentsInfo('spot'), instrumentsInfo('linear', 'abc'), serverTime(), orderbook('linear', 'BTCUSDT', 500), tickers('inverse', 'BTCUSD'), recentTrades('spot', 'BTCUSDT', 60), kline('linear', 'BTCUSDT', '4h', { start: 1, limit: 1000 })];
  assert.ok(all.every((r) => r.api === 'rest' && r.method === 'GET' && !r.signed));
  assert.deepEqual(instrumentsInfo('spot').query, { category: 'spot', limit: undefined, cursor: undefined });
  assert.deepEqual(instrumentsInfo('linear', 'abc').query, { category: 'linear', limit: 1000, cursor: 'abc' });
  assert.equal(serverTime().path, '/v5/market/time');
  assert.deepEqual(orderbook('linear', 'BTCUSDT', 500).query, { category: 'linear', symbol: 'BTCUSDT', limit: 500 });
  assert.deepEqual(kline('linear', 'BTCUSDT', '4h', { start: 1, limit: 1000 }).query, { category: 'linear', symbol: 'BTCUSDT', interval: '240', start: 1, end: undefined, limit: 1000 });
  assert.ok(all.every((r) => r.costs.some((c) => c.limit === 'ip-requests')));
});

test('limits the venue refuses are caught before sending', () => {
  const bad = (f: () => unknown): void => assert.throws(f, (e: unknown) => VenueError.is(e, 'invalid-argument'));
  bad(() => orderbook('spot', 'BTCUSDT', 201));
  bad(() => recentTrades('spot', 'BTCUSDT', 61));
  bad(() => kline('spot', 'BTCUSDT', '1m', { limit: 1001 }));
  bad(() => kline('spot', 'BTCUSDT', '7m'));
  assert.deepEqual([depthLimitFor('spot', 1000), depthLimitFor('linear', 1000), depthLimitFor('inverse', 1)], [200, 500, 1]);
  bad(() => depthLimitFor('inverse', 0));
  bad(() => depthLimitFor('linear', Number.NaN));
});

test('X-Bapi-Limit headers become one per-endpoint reading: limit, remaining, reset, per UID, 1 s window', () => {
  const usages = usageFromBybitHeaders({ 'x-bapi-limit': '10', 'x-bapi-limit-status': '7', 'x-bapi-limit-reset-timestamp': '1737725795900', 'content-type': 'application/json' }, ORDER);
  assert.deepEqual(usages, [{ limit: 'POST /v5/order/create#linear', windowMs: 1000, used: 3, remaining: 7, max: 10, scope: 'uid', resetAt: 1737725795900 }]);
  assert.deepEqual(usageFromBybitHeaders({ 'X-Bapi-Limit': '50', 'X-Bapi-Limit-Status': '49' }, serverTime())[0]?.limit, 'GET /v5/market/time');
  assert.deepEqual(usageFromBybitHeaders({}, ORDER), [], 'public endpoints send none');
  assert.deepEqual(usageFromBybitHeaders({ 'x-bapi-limit': 'ten', 'x-bapi-limit-status': '7' }, ORDER), [], 'malformed headers are ignored');
});

test('the governor creates the endpoint window from the first reading and then holds requests to it', async () => {
  const governor = new RateGovernor({ safety: 1 });
  governor.observe(usageFromBybitHeaders({ 'x-bapi-limit': '2', 'x-bapi-limit-status': '1' }, ORDER));
  const window = governor.usage().find((w) => w.limit === 'POST /v5/order/create#linear');
  assert.deepEqual([window?.capacity, window?.used, window?.windowMs, window?.scope], [2, 1, 1000, 'uid']);
  await governor.reserve(ORDER.costs);
  assert.equal(governor.usage().find((w) => w.limit === 'POST /v5/order/create#linear')?.used, 2);
  governor.close();
});

test('the dialect reads the server time from /v5/market/time and signs with the configured recv window', () => {
  const d = createBybitRestDialect({ recvWindowMs: 2000 });
  assert.equal(d.venue, 'bybit');
  assert.equal(d.serverTime.request.path, '/v5/market/time');
  assert.equal(d.serverTime.parse(parseJson(fixtureText('bybit/rest/server-time.json'))), 1688639403423);
  const wire = d.sign(ORDER, { apiKey: 'k', secret: 's' }, 1);
  assert.equal(wire.headers['X-BAPI-RECV-WINDOW'], '2000');
  assert.equal(d.decodeError({ status: 200, headers: {}, body: fixtureText('bybit/rest/error-10003-api-key-invalid-recorded.json') }, ORDER)?.code, 'auth');
});
