/** OKX trading request builders: method, path, query/body fields, costs, command flag; client order ids; the factory. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { Decimal } from '../../../src/core/decimal.js';
import { VenueError } from '../../../src/core/errors.js';
import type { Market } from '../../../src/core/model.js';
import type { OrderRequest } from '../../../src/core/orders/order-model.js';
import type { Credentials } from '../../../src/core/venue.js';
import { signRestRequest } from '../../../src/exchanges/okx/auth.js';
import { OKX_DEMO, OKX_PRODUCTION } from '../../../src/exchanges/okx/config.js';
import { createOkxTrading, okxClientOrderIds } from '../../../src/exchanges/okx/index.js';
import { OKX_TRADING_RATE_LIMITS } from '../../../src/exchanges/okx/trading-rest.js';
import { fixtureText } from '../../helpers/wait.js';
import { tradingMarket } from './trading-markets.js';

const market = tradingMarket;

const BTC_USDT = market('BTC/USDT', 'BTC-USDT', 'SPOT');
const BTC_USDT_SWAP = market('BTC/USDT:USDT', 'BTC-USDT-SWAP', 'SWAP', { settle: 'USDT', linear: true, contractSize: Decimal.from('0.01') });
const ETH_USD_210430 = market('ETH/USD:ETH-210430', 'ETH-USD-210430', 'FUTURES', { settle: 'ETH', linear: false, contractSize: Decimal.from('10') });

function json(path: string): unknown {
  return JSON.parse(fixtureText(`okx/${path}`)) as unknown;
}

const okx = createOkxTrading({ urls: OKX_PRODUCTION });
const CLID = 'vkTest0001';

function order(o: Partial<OrderRequest> & Pick<OrderRequest, 'side' | 'type' | 'amount'>): OrderRequest {
  return { symbol: 'x', ...o };
}

function invalidArgument(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof VenueError && e.code === 'invalid-argument' && pattern.test(e.message));
}

test('places a SPOT limit order: POST /api/v5/trade/order, tdMode cash, sz in base, signed command with both order limits', () => {
  const req = okx.createOrderRequest(BTC_USDT, order({ side: 'buy', type: 'limit', amount: Decimal.from('0.00100'), price: Decimal.from('13013.5') }), CLID);
  assert.equal(req.method, 'POST');
  assert.equal(req.api, 'rest');
  assert.equal(req.path, '/api/v5/trade/order');
  assert.equal(req.signed, true);
  assert.equal(req.command, true);
  assert.equal(req.query, undefined);
  assert.deepEqual(req.body, { instId: 'BTC-USDT', tdMode: 'cash', clOrdId: CLID, side: 'buy', ordType: 'limit', sz: '0.00100', px: '13013.5' });
  assert.deepEqual(req.costs, [
    { limit: 'trade-order', weight: 1 },
    { limit: 'sub-account-orders', weight: 1 },
  ]);
});

test('maps post-only to ordType post_only, IOC to ioc, FOK to fok (the ordType values seen in the fixtures)', () => {
  const limit = (extra: Partial<OrderRequest>) => okx.createOrderRequest(BTC_USDT, order({ side: 'sell', type: 'limit', amount: Decimal.from('1'), price: Decimal.from('2'), ...extra }), CLID).body?.['ordType'];
  assert.equal(limit({ postOnly: true }), 'post_only');
  assert.equal(limit({ postOnly: true, timeInForce: 'GTC' }), 'post_only');
  assert.equal(limit({ timeInForce: 'IOC' }), 'ioc');
  assert.equal(limit({ timeInForce: 'FOK' }), 'fok');
  assert.equal(limit({ timeInForce: 'GTC' }), 'limit');
  const pending = (json('rest/trade-orders-pending.json') as { data: Array<{ ordType: string }> }).data[0];
  assert.equal(pending?.ordType, 'post_only');
  invalidArgument(() => limit({ postOnly: true, timeInForce: 'IOC' }), /post-only/);
});

test('a SPOT market order says tgtCcy=base_ccy and carries no px; a SWAP market order sizes in contracts, cross margin', () => {
  const spot = okx.createOrderRequest(BTC_USDT, order({ side: 'sell', type: 'market', amount: Decimal.from('0.5') }), CLID);
  assert.deepEqual(spot.body, { instId: 'BTC-USDT', tdMode: 'cash', clOrdId: CLID, side: 'sell', ordType: 'market', sz: '0.5', tgtCcy: 'base_ccy' });
  const swap = okx.createOrderRequest(BTC_USDT_SWAP, order({ side: 'buy', type: 'market', amount: Decimal.from('3'), reduceOnly: true }), CLID);
  assert.deepEqual(swap.body, { instId: 'BTC-USDT-SWAP', tdMode: 'cross', clOrdId: CLID, side: 'buy', ordType: 'market', sz: '3', reduceOnly: true });
  const future = okx.createOrderRequest(ETH_USD_210430, order({ side: 'sell', type: 'limit', amount: Decimal.from('2'), price: Decimal.from('2566.31') }), CLID);
  assert.equal(future.body?.['tdMode'], 'cross');
  assert.equal(future.body?.['sz'], '2');
});

test('refuses what the venue would refuse, before sending', () => {
  invalidArgument(() => okx.createOrderRequest(BTC_USDT, order({ side: 'buy', type: 'limit', amount: Decimal.from('1') }), CLID), /needs a price/);
  invalidArgument(() => okx.createOrderRequest(BTC_USDT, order({ side: 'buy', type: 'limit', amount: Decimal.from('0'), price: Decimal.from('1') }), CLID), /amount must be positive/);
  invalidArgument(() => okx.createOrderRequest(BTC_USDT, order({ side: 'buy', type: 'limit', amount: Decimal.from('1'), price: Decimal.from('-1') }), CLID), /price must be positive/);
  invalidArgument(() => okx.createOrderRequest(BTC_USDT, order({ side: 'buy', type: 'market', amount: Decimal.from('1'), postOnly: true }), CLID), /post-only/);
  invalidArgument(() => okx.createOrderRequest(BTC_USDT, order({ side: 'sell', type: 'market', amount: Decimal.from('1'), price: Decimal.from('1') }), CLID), /market order takes no price/);
  invalidArgument(() => okx.createOrderRequest(BTC_USDT, order({ side: 'buy', type: 'market', amount: Decimal.from('1'), timeInForce: 'FOK' }), CLID), /FOK/);
  invalidArgument(() => okx.createOrderRequest(BTC_USDT, order({ side: 'buy', type: 'market', amount: Decimal.from('1'), reduceOnly: true }), CLID), /reduce-only/);
  invalidArgument(() => okx.createOrderRequest(BTC_USDT, order({ side: 'buy', type: 'market', amount: Decimal.from('1') }), 'has-dash'), /letters and digits/);
  invalidArgument(() => okx.createOrderRequest({ ...BTC_USDT, venue: 'bybit' }, order({ side: 'buy', type: 'market', amount: Decimal.from('1') }), CLID), /not an OKX market/);
  invalidArgument(() => okx.createOrderRequest({ ...BTC_USDT, segment: 'MARGIN' }, order({ side: 'buy', type: 'market', amount: Decimal.from('1') }), CLID), /unknown segment/);
});

test('cancels by ordId (or clOrdId): POST /api/v5/trade/cancel-order, a signed command on the cancel limit', () => {
  const byId = okx.cancelOrderRequest(BTC_USDT_SWAP, { id: '12345689', clientOrderId: 'oktswap6' });
  assert.equal(byId.method, 'POST');
  assert.equal(byId.path, '/api/v5/trade/cancel-order');
  assert.deepEqual(byId.body, { instId: 'BTC-USDT-SWAP', ordId: '12345689' });
  assert.deepEqual(byId.costs, [{ limit: 'trade-cancel-order', weight: 1 }]);
  assert.equal(byId.signed, true);
  assert.equal(byId.command, true);
  assert.deepEqual(okx.cancelOrderRequest(BTC_USDT_SWAP, { clientOrderId: 'oktswap6' }).body, { instId: 'BTC-USDT-SWAP', clOrdId: 'oktswap6' });
  invalidArgument(() => okx.cancelOrderRequest(BTC_USDT_SWAP, {}), /order id or the client order id/);
});

test('queries are signed GETs with their query fields and are not commands', () => {
  const cases = [
    [okx.fetchOrderRequest(BTC_USDT, { id: '680800019749904384' }), '/api/v5/trade/order', { instId: 'BTC-USDT', ordId: '680800019749904384' }, 'trade-order-query'],
    [okx.fetchOrderRequest(BTC_USDT, { clientOrderId: 'abc1' }), '/api/v5/trade/order', { instId: 'BTC-USDT', clOrdId: 'abc1' }, 'trade-order-query'],
    [okx.openOrdersRequest(BTC_USDT), '/api/v5/trade/orders-pending', { instType: 'SPOT', instId: 'BTC-USDT' }, 'trade-orders-pending'],
    [okx.myTradesRequest(BTC_USDT, {}), '/api/v5/trade/fills', { instType: 'SPOT', instId: 'BTC-USDT' }, 'trade-fills'],
    [okx.myTradesRequest(BTC_USDT_SWAP, { since: 1710390459571, limit: 50 }), '/api/v5/trade/fills', { instType: 'SWAP', instId: 'BTC-USDT-SWAP', begin: '1710390459571', limit: '50' }, 'trade-fills'],
    [okx.balanceRequest('trading'), '/api/v5/account/balance', undefined, 'account-balance'],
    [okx.positionsRequest('SWAP'), '/api/v5/account/positions', { instType: 'SWAP' }, 'account-positions'],
    [okx.positionsRequest('FUTURES'), '/api/v5/account/positions', { instType: 'FUTURES' }, 'account-positions'],
  ] as const;
  for (const [req, path, query, limit] of cases) {
    assert.equal(req.method, 'GET', path);
    assert.equal(req.path, path);
    assert.deepEqual(req.query, query);
    assert.equal(req.body, undefined);
    assert.equal(req.signed, true);
    assert.equal(req.command, undefined);
    assert.deepEqual(req.costs, [{ limit, weight: 1 }]);
  }
  invalidArgument(() => okx.myTradesRequest(BTC_USDT, { limit: 101 }), /1\.\.100/);
  invalidArgument(() => okx.balanceRequest('spot'), /trading/);
  invalidArgument(() => okx.positionsRequest('SPOT'), /SWAP and FUTURES/);
});

test('every cost names a documented per-endpoint limit (per uid, 2 s windows)', () => {
  const names = new Set(OKX_TRADING_RATE_LIMITS.map((r) => r.limit));
  const requests = [
    okx.createOrderRequest(BTC_USDT, order({ side: 'buy', type: 'market', amount: Decimal.from('1') }), CLID),
    okx.cancelOrderRequest(BTC_USDT, { id: '1' }),
    okx.fetchOrderRequest(BTC_USDT, { id: '1' }),
    okx.openOrdersRequest(BTC_USDT),
    okx.myTradesRequest(BTC_USDT, {}),
    okx.balanceRequest('trading'),
    okx.positionsRequest('SWAP'),
  ];
  for (const r of requests) for (const c of r.costs) assert.ok(names.has(c.limit), c.limit);
  const byName = new Map(OKX_TRADING_RATE_LIMITS.map((r) => [r.limit, r]));
  assert.deepEqual(byName.get('trade-order'), { limit: 'trade-order', scope: 'uid', windowMs: 2000, max: 60 });
  assert.equal(byName.get('trade-cancel-order')?.max, 60);
  assert.equal(byName.get('sub-account-orders')?.max, 1000);
  assert.equal(byName.get('account-balance')?.max, 10);
  assert.equal(byName.get('account-positions')?.max, 10);
});

test('signs the place body exactly as sent (the documented REST pre-hash over the JSON body)', () => {
  const creds: Credentials = { apiKey: 'k', secret: '22582BD0CFF14C41EDBF1AB98506286D', passphrase: 'p' };
  const ts = Date.UTC(2020, 11, 8, 9, 8, 57, 715);
  const req = okx.createOrderRequest(BTC_USDT, order({ side: 'buy', type: 'limit', amount: Decimal.from('0.001'), price: Decimal.from('13013.5') }), CLID);
  const wire = signRestRequest(req, creds, ts);
  const body = '{"instId":"BTC-USDT","tdMode":"cash","clOrdId":"vkTest0001","side":"buy","ordType":"limit","sz":"0.001","px":"13013.5"}';
  assert.equal(wire.body, body);
  const expected = createHmac('sha256', creds.secret).update(`2020-12-08T09:08:57.715ZPOST/api/v5/trade/order${body}`).digest('base64');
  assert.equal(wire.headers['OK-ACCESS-SIGN'], expected);
  const get = signRestRequest(okx.fetchOrderRequest(BTC_USDT, { id: '42' }), creds, ts);
  assert.equal(get.pathAndQuery, '/api/v5/trade/order?instId=BTC-USDT&ordId=42');
});

test('client order ids follow the rule (1-32 letters and digits) and do not repeat', () => {
  const ids = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const id = okx.newClientOrderId();
    assert.equal(okx.clientOrderIdProblem(id), undefined, id);
    assert.match(id, /^vk[a-z0-9]{10,30}$/);
    ids.add(id);
  }
  assert.equal(ids.size, 2000);
  const frozen = okxClientOrderIds(() => 1_700_000_000_000);
  const a = frozen();
  const b = frozen();
  assert.notEqual(a, b);
  assert.equal(a.slice(0, 2 + (1_700_000_000_000).toString(36).length), b.slice(0, 2 + (1_700_000_000_000).toString(36).length));
  assert.equal(okx.clientOrderIdProblem('6b9ad766b55dBCDE63969a1144bfb943'), undefined, 'the recorded 32-character ccxt id');
  assert.match(okx.clientOrderIdProblem('') ?? '', /1 to 32/);
  assert.match(okx.clientOrderIdProblem('a'.repeat(33)) ?? '', /1 to 32/);
  assert.match(okx.clientOrderIdProblem('oktswap_6') ?? '', /letters and digits/);
});

test('the factory: accounts, position segments, the private connection and URL', () => {
  assert.equal(okx.venue, 'okx');
  assert.deepEqual(okx.accounts, ['trading']);
  assert.deepEqual(okx.positionSegments, ['SWAP', 'FUTURES']);
  const markets: Market[] = [BTC_USDT, BTC_USDT_SWAP, ETH_USD_210430];
  for (const m of markets) assert.equal(okx.privateConnectionOf(m), 'private');
  assert.deepEqual(okx.privateStream.connections, ['private']);
  assert.equal(okx.privateStream.url('private', undefined), OKX_PRODUCTION.private);
  assert.equal(createOkxTrading({ urls: OKX_DEMO }).privateStream.url('private', undefined), 'wss://wspap.okx.com:8443/ws/v5/private');
  assert.equal(okx.privateStream.prepare, undefined);
});

test('an unknown side, type, time in force or flag is refused by the builder, never sent as a default', () => {
  const limit = { type: 'limit' as const, amount: Decimal.from('1'), price: Decimal.from('100') };
  for (const side of ['BUY', 'long', 'Buy', undefined]) invalidArgument(() => okx.createOrderRequest(BTC_USDT, order({ ...limit, side: side as never }), CLID), /side must be one of "buy", "sell"/);
  for (const type of ['Limit', 'post_only', undefined]) invalidArgument(() => okx.createOrderRequest(BTC_USDT, order({ ...limit, side: 'buy', type: type as never }), CLID), /type must be one of "limit", "market"/);
  invalidArgument(() => okx.createOrderRequest(BTC_USDT, order({ ...limit, side: 'buy', timeInForce: 'ioc' as never }), CLID), /timeInForce must be one of "GTC", "IOC", "FOK"/);
  invalidArgument(() => okx.createOrderRequest(BTC_USDT_SWAP, order({ ...limit, side: 'buy', postOnly: 1 as never }), CLID), /postOnly must be true or false/);
  invalidArgument(() => okx.createOrderRequest(BTC_USDT_SWAP, order({ ...limit, side: 'buy', reduceOnly: 'true' as never }), CLID), /reduceOnly must be true or false/);
  assert.equal(okx.createOrderRequest(BTC_USDT, order({ ...limit, side: 'sell', timeInForce: 'IOC' }), CLID).body?.['ordType'], 'ioc');
});
