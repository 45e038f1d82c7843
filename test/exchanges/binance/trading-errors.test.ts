/** The Binance error table on trading answers: unknown order, rejections, key/signature, timestamp and rate codes, on the real bodies of place/cancel/query requests. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { Decimal } from '../../../src/core/decimal.js';
import type { ErrorCode } from '../../../src/core/errors.js';
import type { Market } from '../../../src/core/model.js';
import type { RestRequest } from '../../../src/core/venue.js';
import { binanceErrorCode, decodeBinanceError } from '../../../src/exchanges/binance/errors.js';
import { cancelOrder, createOrder, fetchOrder } from '../../../src/exchanges/binance/trading-rest.js';
import { fixtureText } from '../../helpers/wait.js';

const MARKET: Market = {
  symbol: 'BTC/USDT:USDT',
  id: 'BTCUSDT',
  venue: 'binance',
  type: 'swap',
  segment: 'usdm',
  base: 'BTC',
  quote: 'USDT',
  settle: 'USDT',
  linear: true,
  contractSize: Decimal.from('1'),
  status: 'active',
  venueStatus: 'TRADING',
  tickSize: Decimal.from('0.1'),
  stepSize: Decimal.from('0.001'),
  precision: { price: 1, amount: 3 },
};
const PLACE: RestRequest = createOrder(MARKET, { symbol: MARKET.symbol, side: 'buy', type: 'limit', amount: Decimal.from('1'), price: Decimal.from('93000') }, 'a');
const CANCEL: RestRequest = cancelOrder(MARKET, { id: '1' });
const QUERY: RestRequest = fetchOrder(MARKET, { id: '1' });

function decoded(status: number, body: string, request: RestRequest) {
  const err = decodeBinanceError({ status, headers: {}, body }, request);
  assert.ok(err, body);
  return err;
}

test('recorded trading error bodies map to stable codes', () => {
  const cases: Array<[string, number, RestRequest, ErrorCode]> = [
    ['rest/usdm-order-cancel-error-2011-recorded.json', 400, CANCEL, 'not-found'],
    ['rest/usdm-order-query-error-2013-recorded.json', 400, QUERY, 'not-found'],
    ['rest/usdm-error-2015-invalid-api-key-recorded.json', 401, PLACE, 'auth'],
    ['rest/usdm-error-1021-timestamp-ahead-recorded.json', 400, PLACE, 'clock-skew'],
    ['rest/spot-error-1021-outside-recvwindow-recorded.json', 400, CANCEL, 'clock-skew'],
    ['rest/spot-order-cancel-replace-error-too-many-orders.json', 400, PLACE, 'rate-limited'],
    ['rest/spot-order-cancel-error-cancel-restrictions-not-met.json', 400, CANCEL, 'rejected'],
    ['rest/spot-error-1003-too-many-requests-429-recorded-2020.json', 429, PLACE, 'rate-limited'],
  ];
  for (const [file, status, request, code] of cases) {
    const err = decoded(status, fixtureText(`binance/${file}`), request);
    assert.equal(err.code, code, `${file}: ${err.message}`);
    assert.equal(err.operation, `${request.method} ${request.path}`);
  }
  const insufficient = JSON.stringify((JSON.parse(fixtureText('binance/ws/wsapi-response-error-insufficient-balance.json')) as { error: unknown }).error);
  assert.equal(decoded(400, insufficient, PLACE).code, 'rejected');
});

test('trading codes of the table: unknown order, balance/margin, post-only, reduce-only, key and signature, rate', () => {
  const expected: Array<[number, string, ErrorCode]> = [
    [-2011, 'Unknown order sent.', 'not-found'],
    [-2011, 'Order does not exist.', 'not-found'],
    [-2011, 'Order was not canceled due to cancel restrictions.', 'rejected'],
    [-2013, 'Order does not exist.', 'not-found'],
    [-2026, 'Order was canceled or expired and is archived.', 'not-found'],
    [-2010, 'Account has insufficient balance for requested action.', 'rejected'],
    [-2010, 'Order would immediately match and take.', 'rejected'],
    [-2018, 'Balance is insufficient.', 'rejected'],
    [-2019, 'Margin is insufficient.', 'rejected'],
    [-2021, 'Order would immediately trigger.', 'rejected'],
    [-2022, 'ReduceOnly Order is rejected.', 'rejected'],
    [-5021, 'Due to the order could not be filled immediately, the FOK order has been rejected.', 'rejected'],
    [-5022, 'Due to the order could not be executed as maker, the Post Only order will be rejected.', 'rejected'],
    [-2035, 'User Data Stream subscription already active.', 'rejected'],
    [-1022, 'Signature for this request is not valid.', 'auth'],
    [-2008, 'Invalid Api-Key ID.', 'auth'],
    [-2014, 'API-key format invalid.', 'auth'],
    [-2015, 'Invalid API-key, IP, or permissions for action.', 'auth'],
    [-1021, "Timestamp for this request was 1000ms ahead of the server's time.", 'clock-skew'],
    [-1015, 'Too many new orders.', 'rate-limited'],
    [-1003, 'Too much request weight used.', 'rate-limited'],
    [-1125, 'This listenKey does not exist.', 'not-found'],
  ];
  for (const [code, msg, want] of expected) assert.equal(binanceErrorCode(code, 400, msg, true), want, `${code} ${msg}`);
});

test('an ambiguous failure of a place or cancel is outcome-unknown, of a query a retryable read error', () => {
  const unknown = '{"code":-1007,"msg":"Timeout waiting for response from backend server. Send status unknown; execution status unknown."}';
  assert.equal(decoded(408, unknown, PLACE).code, 'outcome-unknown');
  assert.equal(decoded(408, unknown, CANCEL).code, 'outcome-unknown');
  assert.equal(decoded(408, unknown, QUERY).code, 'timeout');
  assert.equal(decoded(503, '{"code":-1000,"msg":"Unknown error, please check your request or try again later."}', PLACE).code, 'outcome-unknown');
  assert.equal(decoded(502, '', PLACE).code, 'outcome-unknown');
  assert.equal(decoded(502, '', QUERY).code, 'network');
});
