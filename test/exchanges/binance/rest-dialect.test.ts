/** The Binance RestDialect: usage headers, server time, and that signing and error decoding are wired in. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { parseJson } from '../../../src/core/json.js';
import { createBinanceRestDialect, usageFromBinanceHeaders } from '../../../src/exchanges/binance/rest-dialect.js';
import { fixtureText } from '../../helpers/wait.js';

test('reads the 1-minute weight from recorded response headers and ignores the interval-less one', () => {
  const headers = parseJson(fixtureText('binance/rest/spot-response-headers-klines-200-recorded-2022-01.json')) as Record<string, string>;
  assert.deepEqual(usageFromBinanceHeaders(headers), [{ limit: 'REQUEST_WEIGHT', windowMs: 60_000, used: 22 }]);
});

test('reads order counts per window from X-MBX-ORDER-COUNT headers in any case', () => {
  const usage = usageFromBinanceHeaders({
    'X-MBX-USED-WEIGHT-1M': '1200',
    'X-MBX-ORDER-COUNT-10S': '3',
    'x-mbx-order-count-1d': '40',
    'X-MBX-ORDER-COUNT-1H': 'many',
    'X-MBX-UUID': 'x',
    'X-MBX-USED-WEIGHT-5X': '1',
    absent: undefined,
  });
  assert.deepEqual(usage, [
    { limit: 'REQUEST_WEIGHT', windowMs: 60_000, used: 1200 },
    { limit: 'ORDERS', windowMs: 10_000, used: 3 },
    { limit: 'ORDERS', windowMs: 86_400_000, used: 40 },
  ]);
});

test('exposes server time, signing and error decoding through the dialect', () => {
  const dialect = createBinanceRestDialect({ serverTimeSegment: 'usdm', recvWindowMs: 10_000 });
  assert.equal(dialect.venue, 'binance');
  assert.equal(dialect.serverTime.request.path, '/fapi/v1/time');
  assert.equal(dialect.serverTime.parse(parseJson(fixtureText('binance/rest/usdm-time.json'))), 1499827319559);
  assert.equal(createBinanceRestDialect().serverTime.request.path, '/api/v3/time');
  const wire = dialect.sign({ method: 'GET', api: 'usdm', path: '/fapi/v3/account', signed: true, costs: [] }, { apiKey: 'k', secret: 's' }, 42);
  assert.match(wire.pathAndQuery, /^\/fapi\/v3\/account\?recvWindow=10000&timestamp=42&signature=[0-9a-f]{64}$/);
  const err = dialect.decodeError({ status: 400, headers: {}, body: '{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}' }, dialect.serverTime.request);
  assert.equal(err?.code, 'clock-skew');
});
