/**
 * Bybit trading request builders: method, path, query/body fields, costs and the command flag of place,
 * cancel, order queries, executions, wallet and positions; orderLinkId rules; signing of a place body.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHmac } from 'node:crypto';
import { Decimal } from '../../../src/core/decimal.js';
import { VenueError } from '../../../src/core/errors.js';
import type { OrderRequest } from '../../../src/core/orders/order-model.js';
import { signRestRequest } from '../../../src/exchanges/bybit/auth.js';
import { BYBIT_TESTNET } from '../../../src/exchanges/bybit/config.js';
import { usageFromBybitHeaders } from '../../../src/exchanges/bybit/rest-dialect.js';
import { createBybitTrading, newOrderLinkId, orderLinkIdProblem } from '../../../src/exchanges/bybit/trading.js';
import { tradingMarket } from './trading-markets.js';


const SPOT = tradingMarket('BTCUSDT', 'spot', 'BTC', 'USDT', '0.1', '0.001');
const LINEAR = tradingMarket('BTCUSDT', 'linear', 'BTC', 'USDT', '0.1', '0.001');
const INVERSE = tradingMarket('BTCUSD', 'inverse', 'BTC', 'USD', '0.1', '0.001');
const trading = createBybitTrading({ urls: BYBIT_TESTNET });
const order = (o: Partial<OrderRequest>): OrderRequest => ({ symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', amount: Decimal.from('0.010'), price: Decimal.from('65000.50'), ...o });
const isInvalid = (e: unknown): boolean => VenueError.is(e, 'invalid-argument');

test('place a linear limit order: POST /v5/order/create, JSON body with category, exact decimal strings, a command on its per-category limit', () => {
  const r = trading.createOrderRequest(LINEAR, order({ reduceOnly: true }), 'vk-abc');
  assert.equal(r.method, 'POST');
  assert.equal(r.path, '/v5/order/create');
  assert.equal(r.api, 'rest');
  assert.equal(r.signed, true);
  assert.equal(r.command, true);
  assert.equal(r.query, undefined);
  assert.deepEqual(r.body, { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '0.010', orderLinkId: 'vk-abc', price: '65000.50', timeInForce: 'GTC', reduceOnly: true });
  assert.deepEqual(r.costs, [
    { limit: 'ip-requests', weight: 1 },
    { limit: 'POST /v5/order/create#linear', weight: 1 },
  ]);
});

test('post-only is timeInForce PostOnly; IOC/FOK pass through; spot market orders are sized in base (marketUnit=baseCoin)', () => {
  assert.equal(trading.createOrderRequest(SPOT, order({ postOnly: true }), 'a').body?.['timeInForce'], 'PostOnly');
  assert.equal(trading.createOrderRequest(SPOT, order({ postOnly: true, timeInForce: 'GTC' }), 'a').body?.['timeInForce'], 'PostOnly');
  assert.equal(trading.createOrderRequest(LINEAR, order({ timeInForce: 'IOC' }), 'a').body?.['timeInForce'], 'IOC');
  assert.equal(trading.createOrderRequest(LINEAR, order({ timeInForce: 'FOK' }), 'a').body?.['timeInForce'], 'FOK');
  const spotMarket = trading.createOrderRequest(SPOT, order({ type: 'market', side: 'sell', price: undefined, amount: Decimal.from('0.5') }), 'm1');
  assert.deepEqual(spotMarket.body, { category: 'spot', symbol: 'BTCUSDT', side: 'Sell', orderType: 'Market', qty: '0.5', orderLinkId: 'm1', marketUnit: 'baseCoin' });
  assert.deepEqual(spotMarket.costs[1], { limit: 'POST /v5/order/create#spot', weight: 1 });
  const linearMarket = trading.createOrderRequest(LINEAR, order({ type: 'market', price: undefined }), 'm2');
  assert.equal(linearMarket.body?.['marketUnit'], undefined, 'linear qty is base coin already');
  assert.equal(linearMarket.body?.['price'], undefined);
});

test('inverse orders send the amount as contracts (qty) unchanged', () => {
  const r = trading.createOrderRequest(INVERSE, order({ amount: Decimal.from('300'), price: Decimal.from('27464.5') }), 'inv');
  assert.equal(r.body?.['qty'], '300');
  assert.equal(r.body?.['category'], 'inverse');
  assert.equal(r.body?.['symbol'], 'BTCUSD');
});

test('orders the venue would refuse, or that mean nothing, are refused before sending', () => {
  assert.throws(() => trading.createOrderRequest(LINEAR, order({ price: undefined }), 'a'), isInvalid);
  assert.throws(() => trading.createOrderRequest(LINEAR, order({ type: 'market' }), 'a'), isInvalid);
  assert.throws(() => trading.createOrderRequest(LINEAR, order({ type: 'market', price: undefined, postOnly: true }), 'a'), isInvalid);
  assert.throws(() => trading.createOrderRequest(LINEAR, order({ postOnly: true, timeInForce: 'IOC' }), 'a'), isInvalid);
  assert.throws(() => trading.createOrderRequest(SPOT, order({ reduceOnly: true }), 'a'), isInvalid);
  assert.throws(() => trading.createOrderRequest(LINEAR, order({ amount: Decimal.ZERO }), 'a'), isInvalid);
  assert.throws(() => trading.createOrderRequest(LINEAR, order({ price: Decimal.from('-1') }), 'a'), isInvalid);
  assert.throws(() => trading.createOrderRequest({ ...LINEAR, venue: 'okx' }, order({}), 'a'), isInvalid);
});

test('cancel: POST /v5/order/cancel by orderId (preferred) or orderLinkId, a command on its per-category limit', () => {
  const byId = trading.cancelOrderRequest(LINEAR, { id: 'c6f055d9-7f21-4079-913d-e6523a9cfffa', clientOrderId: 'linear-004' });
  assert.equal(byId.method, 'POST');
  assert.equal(byId.path, '/v5/order/cancel');
  assert.equal(byId.command, true);
  assert.equal(byId.signed, true);
  assert.deepEqual(byId.body, { category: 'linear', symbol: 'BTCUSDT', orderId: 'c6f055d9-7f21-4079-913d-e6523a9cfffa' });
  assert.deepEqual(byId.costs[1], { limit: 'POST /v5/order/cancel#linear', weight: 1 });
  const byLink = trading.cancelOrderRequest(SPOT, { clientOrderId: 'spot-test-postonly' });
  assert.deepEqual(byLink.body, { category: 'spot', symbol: 'BTCUSDT', orderLinkId: 'spot-test-postonly' });
  assert.throws(() => trading.cancelOrderRequest(SPOT, {}), isInvalid);
});

test('order queries: GET /v5/order/realtime by id, and the open orders of a symbol; signed reads, not commands', () => {
  const one = trading.fetchOrderRequest(LINEAR, { clientOrderId: 'test-000005' });
  assert.equal(one.method, 'GET');
  assert.equal(one.path, '/v5/order/realtime');
  assert.deepEqual(one.query, { category: 'linear', symbol: 'BTCUSDT', orderLinkId: 'test-000005' });
  assert.equal(one.signed, true);
  assert.equal(one.command, undefined);
  assert.equal(one.body, undefined);
  assert.deepEqual(one.costs, [
    { limit: 'ip-requests', weight: 1 },
    { limit: 'GET /v5/order/realtime', weight: 1 },
  ]);
  assert.deepEqual(trading.fetchOrderRequest(LINEAR, { id: 'x', clientOrderId: 'y' }).query, { category: 'linear', symbol: 'BTCUSDT', orderId: 'x' });
  const open = trading.openOrdersRequest(SPOT);
  assert.deepEqual(open.query, { category: 'spot', symbol: 'BTCUSDT', openOnly: 0, limit: 50 });
  assert.equal(open.command, undefined);
});

test('own trades: GET /v5/execution/list with startTime and limit (1..100)', () => {
  const r = trading.myTradesRequest(LINEAR, { since: 1672282722000, limit: 20 });
  assert.equal(r.method, 'GET');
  assert.equal(r.path, '/v5/execution/list');
  assert.deepEqual(r.query, { category: 'linear', symbol: 'BTCUSDT', startTime: 1672282722000, limit: 20 });
  assert.deepEqual(r.costs[1], { limit: 'GET /v5/execution/list', weight: 1 });
  assert.deepEqual(trading.myTradesRequest(SPOT, {}).query, { category: 'spot', symbol: 'BTCUSDT', limit: 100 });
  assert.throws(() => trading.myTradesRequest(SPOT, { limit: 101 }), isInvalid);
  assert.throws(() => trading.myTradesRequest(SPOT, { limit: 0 }), isInvalid);
});

test('balances: one account, unified, GET /v5/account/wallet-balance?accountType=UNIFIED', () => {
  assert.deepEqual(trading.accounts, ['unified']);
  const r = trading.balanceRequest('unified');
  assert.equal(r.path, '/v5/account/wallet-balance');
  assert.deepEqual(r.query, { accountType: 'UNIFIED' });
  assert.equal(r.signed, true);
  assert.deepEqual(r.costs[1], { limit: 'GET /v5/account/wallet-balance', weight: 1 });
  assert.throws(() => trading.balanceRequest('spot'), isInvalid);
});

test('positions: linear with settleCoin=USDT, inverse whole; spot has none', () => {
  assert.deepEqual(trading.positionSegments, ['linear', 'inverse']);
  const linear = trading.positionsRequest('linear');
  assert.equal(linear.path, '/v5/position/list');
  assert.deepEqual(linear.query, { category: 'linear', settleCoin: 'USDT', limit: 200 });
  assert.deepEqual(trading.positionsRequest('inverse').query, { category: 'inverse', limit: 200 });
  assert.deepEqual(linear.costs[1], { limit: 'GET /v5/position/list', weight: 1 });
  assert.throws(() => trading.positionsRequest('spot'), isInvalid);
});

test('a place request is signed over exactly the JSON body sent (timestamp + apiKey + recvWindow + body)', () => {
  const secret = 'test-secret-not-from-bybit';
  const r = trading.createOrderRequest(LINEAR, order({}), 'vk-sig');
  const wire = signRestRequest(r, { apiKey: 'XXXXXXXXXX', secret }, 1658385579423);
  assert.equal(wire.method, 'POST');
  assert.equal(wire.pathAndQuery, '/v5/order/create');
  assert.equal(wire.body, '{"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.010","orderLinkId":"vk-sig","price":"65000.50","timeInForce":"GTC"}');
  const expected = createHmac('sha256', secret).update(`1658385579423XXXXXXXXXX5000${wire.body}`).digest('hex');
  assert.equal(wire.headers['X-BAPI-SIGN'], expected);
  assert.equal(wire.headers['Content-Type'], 'application/json');
});

test('the X-Bapi-Limit headers of a place answer size the per-category order limit', () => {
  const r = trading.createOrderRequest(SPOT, order({}), 'a');
  const usage = usageFromBybitHeaders({ 'x-bapi-limit': '20', 'x-bapi-limit-status': '19', 'x-bapi-limit-reset-timestamp': '1672211918471' }, r);
  assert.deepEqual(usage, [{ limit: 'POST /v5/order/create#spot', windowMs: 1000, used: 1, remaining: 19, max: 20, scope: 'uid', resetAt: 1672211918471 }]);
});

test('orderLinkId: generated ids follow the rule and differ; user ids are checked for length and charset', () => {
  const ids = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const id = trading.newClientOrderId();
    assert.equal(orderLinkIdProblem(id), undefined, id);
    assert.ok(id.length <= 36);
    ids.add(id);
  }
  assert.equal(ids.size, 2000);
  assert.notEqual(newOrderLinkId(1), newOrderLinkId(1), 'same ms still differs');
  assert.equal(trading.clientOrderIdProblem('spot-test-postonly'), undefined);
  assert.equal(trading.clientOrderIdProblem('A_b-9'.repeat(7) + 'x'), undefined, '36 characters is fine');
  assert.match(trading.clientOrderIdProblem('x'.repeat(37)) ?? '', /36/);
  assert.match(trading.clientOrderIdProblem('') ?? '', /empty/);
  assert.match(trading.clientOrderIdProblem('has space') ?? '', /letters, digits/);
  assert.match(trading.clientOrderIdProblem('dot.ted') ?? '', /letters, digits/);
});

test('every market trades on the one private connection', () => {
  assert.equal(trading.privateConnectionOf(SPOT), 'private');
  assert.equal(trading.privateConnectionOf(INVERSE), 'private');
  assert.deepEqual(trading.privateStream.connections, ['private']);
  assert.equal(trading.privateStream.url('private', undefined), 'wss://stream-testnet.bybit.com/v5/private');
});

test('an unknown side, type, time in force or flag is refused by the builder, never sent as a default', () => {
  const said = (re: RegExp) => (e: unknown): boolean => VenueError.is(e, 'invalid-argument') && re.test(e.message);
  for (const side of ['BUY', 'long', 'Buy', undefined]) assert.throws(() => trading.createOrderRequest(LINEAR, order({ side: side as never }), 'x'), said(/side must be one of "buy", "sell"/), String(side));
  for (const type of ['Limit', 'Market', undefined]) assert.throws(() => trading.createOrderRequest(SPOT, order({ type: type as never }), 'x'), said(/type must be one of "limit", "market"/), String(type));
  assert.throws(() => trading.createOrderRequest(LINEAR, order({ timeInForce: 'PostOnly' as never }), 'x'), said(/timeInForce must be one of "GTC", "IOC", "FOK"/));
  assert.throws(() => trading.createOrderRequest(INVERSE, order({ postOnly: 'true' as never }), 'x'), said(/postOnly must be true or false/));
  assert.throws(() => trading.createOrderRequest(LINEAR, order({ reduceOnly: 'false' as never }), 'x'), said(/reduceOnly must be true or false/));
  const sell = trading.createOrderRequest(LINEAR, order({ side: 'sell' }), 'x').body;
  assert.deepEqual([sell?.['side'], sell?.['orderType']], ['Sell', 'Limit']);
});
