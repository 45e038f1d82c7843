/** Binance trading request builders: method, path, fields, costs, signed/command flags, signing, client order ids, usage headers. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createHmac } from 'node:crypto';
import { Decimal } from '../../../src/core/decimal.js';
import { VenueError } from '../../../src/core/errors.js';
import { parseJson } from '../../../src/core/json.js';
import type { Market } from '../../../src/core/model.js';
import type { OrderRequest } from '../../../src/core/orders/order-model.js';
import { encodeParams, signRestRequest } from '../../../src/exchanges/binance/auth.js';
import { BINANCE_MAINNET } from '../../../src/exchanges/binance/config.js';
import { usageFromBinanceHeaders } from '../../../src/exchanges/binance/rest-dialect.js';
import { binanceClientOrderIdProblem, createBinanceTrading, createClientOrderIdGenerator } from '../../../src/exchanges/binance/trading.js';
import { balance, cancelOrder, createListenKey, createOrder, fetchOrder, keepAliveListenKey, myTrades, openOrders, positions } from '../../../src/exchanges/binance/trading-rest.js';
import { fixtureText } from '../../helpers/wait.js';
import { tradingMarket } from './trading-markets.js';

const market = (segment: 'spot' | 'usdm', id: string, base: string, quote: string): Market => tradingMarket(segment, id, base, quote, '0.00001');

const SPOT = market('spot', 'LTCBTC', 'LTC', 'BTC');
const USDM = market('usdm', 'BTCUSDT', 'BTC', 'USDT');
const order = (o: Partial<OrderRequest>): OrderRequest => ({ symbol: 'x', side: 'buy', type: 'limit', amount: Decimal.from('1'), price: Decimal.from('0.1'), ...o });
const invalid = (e: unknown): boolean => VenueError.is(e, 'invalid-argument');

test('spot limit order: POST /api/v3/order, form body in the documented order, FULL answer, weight 1 + 1 order, a command', () => {
  const req = createOrder(SPOT, order({}), 'myOrder1');
  assert.equal(req.method, 'POST');
  assert.equal(req.api, 'spot');
  assert.equal(req.path, '/api/v3/order');
  assert.equal(req.signed, true);
  assert.equal(req.command, true);
  assert.equal(req.query, undefined);
  assert.deepEqual(req.body, { symbol: 'LTCBTC', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '0.1', newClientOrderId: 'myOrder1', newOrderRespType: 'FULL' });
  assert.deepEqual(req.costs, [
    { limit: 'REQUEST_WEIGHT', weight: 1 },
    { limit: 'ORDERS', weight: 1 },
  ]);
});

test('signs the place request over the form body: the documented spot vector for the same fields', () => {
  // rest-api.md "SIGNED Endpoint Examples": body symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1
  const secret = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
  const req = createOrder(SPOT, order({}), 'myOrder1');
  const { newClientOrderId: _id, newOrderRespType: _resp, ...docFields } = req.body as Record<string, string>;
  const wire = signRestRequest({ ...req, body: docFields }, { apiKey: 'k', secret }, 1499827319559);
  assert.equal(wire.method, 'POST');
  assert.equal(wire.pathAndQuery, '/api/v3/order');
  assert.equal(wire.body, 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71');
  // With every field the builder sends, the signature still covers exactly the body bytes.
  const full = signRestRequest(req, { apiKey: 'k', secret }, 1499827319559);
  const body = full.body ?? '';
  const [payload, signature] = body.split('&signature=');
  assert.equal(signature, createHmac('sha256', secret).update(payload ?? '').digest('hex'));
  assert.match(body, /&newClientOrderId=myOrder1&newOrderRespType=FULL&recvWindow=5000&timestamp=1499827319559&/);
});

test('post-only maps to LIMIT_MAKER on spot (no timeInForce) and to timeInForce GTX on USD-M', () => {
  const spot = createOrder(SPOT, order({ postOnly: true }), 'a');
  assert.equal(spot.body?.['type'], 'LIMIT_MAKER');
  assert.equal(spot.body?.['timeInForce'], undefined);
  assert.equal('timeInForce' in (spot.body ?? {}), false);
  const usdm = createOrder(USDM, order({ postOnly: true, price: Decimal.from('93000.00') }), 'b');
  assert.equal(usdm.body?.['type'], 'LIMIT');
  assert.equal(usdm.body?.['timeInForce'], 'GTX');
  assert.equal(usdm.body?.['price'], '93000.00', 'decimals keep their written scale');
  assert.throws(() => createOrder(SPOT, order({ postOnly: true, timeInForce: 'IOC' }), 'c'), invalid);
  assert.throws(() => createOrder(USDM, order({ type: 'market', postOnly: true }), 'c'), invalid);
});

test('USD-M order: POST /fapi/v1/order, reduceOnly, IOC/FOK, RESULT answer, 0 IP weight + 1 order', () => {
  const req = createOrder(USDM, order({ side: 'sell', amount: Decimal.from('0.0010'), price: Decimal.from('90853.2'), timeInForce: 'IOC', reduceOnly: true }), 'vk-1');
  assert.equal(req.path, '/fapi/v1/order');
  assert.equal(req.api, 'usdm');
  assert.equal(req.command, true);
  assert.deepEqual(req.body, {
    symbol: 'BTCUSDT',
    side: 'SELL',
    type: 'LIMIT',
    timeInForce: 'IOC',
    quantity: '0.0010',
    price: '90853.2',
    reduceOnly: 'true',
    newClientOrderId: 'vk-1',
    newOrderRespType: 'RESULT',
  });
  assert.deepEqual(req.costs, [{ limit: 'ORDERS', weight: 1 }]);
  assert.equal(createOrder(USDM, order({ timeInForce: 'FOK' }), 'x').body?.['timeInForce'], 'FOK');
});

test('market orders send neither price nor timeInForce; bad orders are refused before sending', () => {
  const { price: _price, ...market } = order({ type: 'market', timeInForce: 'IOC' });
  const req = createOrder(SPOT, market, 'm');
  assert.deepEqual(req.body, { symbol: 'LTCBTC', side: 'BUY', type: 'MARKET', quantity: '1', newClientOrderId: 'm', newOrderRespType: 'FULL' });
  const { price: _p, ...noPrice } = order({});
  assert.throws(() => createOrder(SPOT, noPrice, 'x'), invalid);
  assert.throws(() => createOrder(SPOT, order({ amount: Decimal.from('0') }), 'x'), invalid);
  assert.throws(() => createOrder(SPOT, order({ price: Decimal.from('-1') }), 'x'), invalid);
  assert.throws(() => createOrder(SPOT, order({ reduceOnly: true }), 'x'), invalid, 'spot has no reduce-only');
  assert.throws(() => createOrder({ ...SPOT, venue: 'okx' }, order({}), 'x'), invalid);
  assert.throws(() => createOrder(SPOT, order({ type: 'market' }), 'x'), invalid, 'a market order with a price is refused, not sent without it');
});

test('cancel: DELETE with symbol and orderId / origClientOrderId in the query, weight 1, a command, no order count', () => {
  const spot = cancelOrder(SPOT, { id: '4', clientOrderId: 'myOrder1' });
  assert.equal(spot.method, 'DELETE');
  assert.equal(spot.path, '/api/v3/order');
  assert.equal(spot.body, undefined);
  assert.deepEqual(spot.query, { symbol: 'LTCBTC', orderId: '4', origClientOrderId: 'myOrder1' });
  assert.deepEqual(spot.costs, [{ limit: 'REQUEST_WEIGHT', weight: 1 }]);
  assert.equal(spot.command, true);
  assert.equal(spot.signed, true);
  const usdm = cancelOrder(USDM, { clientOrderId: 'pRxDtGFyxElEV3emIYz1tb' });
  assert.equal(usdm.path, '/fapi/v1/order');
  assert.deepEqual(usdm.query, { symbol: 'BTCUSDT', origClientOrderId: 'pRxDtGFyxElEV3emIYz1tb' });
  assert.throws(() => cancelOrder(SPOT, {}), invalid);
});

test('queries are signed GETs, never commands, with the documented weights', () => {
  const cases: Array<[ReturnType<typeof fetchOrder>, string, string, Record<string, unknown>, number]> = [
    [fetchOrder(SPOT, { id: '1' }), 'spot', '/api/v3/order', { symbol: 'LTCBTC', orderId: '1' }, 4],
    [fetchOrder(USDM, { clientOrderId: 'abc' }), 'usdm', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: 'abc' }, 1],
    [openOrders(SPOT), 'spot', '/api/v3/openOrders', { symbol: 'LTCBTC' }, 6],
    [openOrders(USDM), 'usdm', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' }, 1],
    [myTrades(SPOT, { since: 1499865549590, limit: 500 }), 'spot', '/api/v3/myTrades', { symbol: 'LTCBTC', startTime: 1499865549590, limit: 500 }, 20],
    [myTrades(USDM, {}), 'usdm', '/fapi/v1/userTrades', { symbol: 'BTCUSDT' }, 5],
    [balance('spot'), 'spot', '/api/v3/account', { omitZeroBalances: 'true' }, 20],
    [balance('usdm'), 'usdm', '/fapi/v3/account', {}, 5],
    [positions('usdm'), 'usdm', '/fapi/v3/positionRisk', {}, 5],
  ];
  for (const [req, api, path, query, weight] of cases) {
    assert.equal(req.method, 'GET', path);
    assert.equal(req.api, api, path);
    assert.equal(req.path, path);
    assert.deepEqual(req.query, query, path);
    assert.equal(req.signed, true, path);
    assert.equal(req.command, undefined, path);
    assert.deepEqual(req.costs, [{ limit: 'REQUEST_WEIGHT', weight }], path);
  }
  assert.throws(() => myTrades(SPOT, { limit: 1001 }), invalid);
  assert.throws(() => balance('margin'), invalid);
  assert.throws(() => positions('spot'), invalid);
});

test('listenKey create and keep-alive: API-key-only calls (not signed), weight 1, not commands', () => {
  for (const [req, method] of [
    [createListenKey(), 'POST'],
    [keepAliveListenKey(), 'PUT'],
  ] as const) {
    assert.equal(req.method, method);
    assert.equal(req.api, 'usdm');
    assert.equal(req.path, '/fapi/v1/listenKey');
    assert.equal(req.signed, false);
    assert.equal(req.command, undefined);
    assert.deepEqual(req.costs, [{ limit: 'REQUEST_WEIGHT', weight: 1 }]);
    const wire = signRestRequest(req, { apiKey: 'abc', secret: 's' }, 1);
    assert.equal(wire.pathAndQuery, '/fapi/v1/listenKey', 'no timestamp or signature');
    assert.equal(wire.headers['X-MBX-APIKEY'], 'abc');
  }
});

test('client order ids: generated ones follow the rule and differ; user ones are checked', () => {
  const rule = /^[.A-Z:/a-z0-9_-]{1,36}$/;
  const adapter = createBinanceTrading({ urls: BINANCE_MAINNET });
  const ids = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const id = adapter.newClientOrderId();
    assert.match(id, rule);
    assert.equal(adapter.clientOrderIdProblem(id), undefined);
    ids.add(id);
  }
  assert.equal(ids.size, 2000);
  const fixed = createClientOrderIdGenerator(() => 4102444800000); // year 2100: still short
  assert.ok(fixed().length <= 36);
  assert.notEqual(fixed(), fixed(), 'same millisecond, different ids');
  assert.equal(binanceClientOrderIdProblem('6gCrw2kRUAF9CvJDGP16IP'), undefined);
  assert.equal(binanceClientOrderIdProblem('electron_648187c31bda49b6a2e81d23ae0'), undefined);
  assert.equal(binanceClientOrderIdProblem('a.b:c/d_e-f'), undefined);
  assert.match(binanceClientOrderIdProblem('') ?? '', /empty/);
  assert.match(binanceClientOrderIdProblem('x'.repeat(37)) ?? '', /36/);
  assert.match(binanceClientOrderIdProblem('has space') ?? '', /letters, digits/);
  assert.match(binanceClientOrderIdProblem('ünï') ?? '', /letters, digits/);
});

test('order-count headers (spot 10S/1D, USD-M 1M/10S) are usage of ORDERS; the windows match exchangeInfo ORDERS rules', () => {
  const usage = usageFromBinanceHeaders({ 'X-MBX-USED-WEIGHT-1M': '7', 'X-MBX-ORDER-COUNT-10S': '2', 'X-MBX-ORDER-COUNT-1D': '40', 'x-mbx-order-count-1m': '5' });
  assert.deepEqual(usage, [
    { limit: 'REQUEST_WEIGHT', windowMs: 60_000, used: 7 },
    { limit: 'ORDERS', windowMs: 10_000, used: 2 },
    { limit: 'ORDERS', windowMs: 86_400_000, used: 40 },
    { limit: 'ORDERS', windowMs: 60_000, used: 5 },
  ]);
  const INTERVAL: Record<string, number> = { SECOND: 1000, MINUTE: 60_000, DAY: 86_400_000 };
  for (const file of ['spot-rate-limit-order.json', 'usdm-rate-limit-order.json']) {
    const rules = parseJson(fixtureText(`binance/rest/${file}`)) as Array<{ rateLimitType: string; interval: string; intervalNum: number }>;
    for (const r of rules) {
      const windowMs = (INTERVAL[r.interval] ?? 0) * r.intervalNum;
      const header = `X-MBX-ORDER-COUNT-${r.intervalNum}${r.interval[0]}`;
      assert.deepEqual(usageFromBinanceHeaders({ [header]: '1' }), [{ limit: r.rateLimitType, windowMs, used: 1 }], header);
    }
  }
});

test('form-encodes exactly what it signs', () => {
  const req = createOrder(USDM, order({ price: Decimal.from('1e-8') }), 'a');
  assert.equal(req.body?.['price'], '0.00000001', 'plain notation, never exponent');
  assert.match(encodeParams(req.body as Record<string, string>), /^symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.00000001&/);
});

test('an unknown side, type, time in force or flag is refused by the builder, never sent as a default', () => {
  const said = (re: RegExp) => (e: unknown): boolean => VenueError.is(e, 'invalid-argument') && re.test(e.message);
  for (const side of ['BUY', 'long', 'Buy', undefined]) assert.throws(() => createOrder(SPOT, order({ side: side as never }), 'x'), said(/side must be one of "buy", "sell"/), String(side));
  for (const type of ['Limit', 'LIMIT', undefined]) assert.throws(() => createOrder(USDM, order({ type: type as never }), 'x'), said(/type must be one of "limit", "market"/), String(type));
  assert.throws(() => createOrder(SPOT, order({ timeInForce: 'gtc' as never }), 'x'), said(/timeInForce must be one of "GTC", "IOC", "FOK"/));
  assert.throws(() => createOrder(USDM, order({ timeInForce: 'GTX' as never }), 'x'), said(/timeInForce must be one of/));
  assert.throws(() => createOrder(SPOT, order({ postOnly: 'true' as never }), 'x'), said(/postOnly must be true or false/));
  assert.throws(() => createOrder(USDM, order({ reduceOnly: 1 as never }), 'x'), said(/reduceOnly must be true or false/));
  assert.equal(createOrder(SPOT, order({ side: 'sell' }), 'x').body?.['side'], 'SELL');
});
