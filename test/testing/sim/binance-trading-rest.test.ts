/**
 * The Binance front end's signed REST trading endpoints, checked with the test's own signing code: authentication
 * (good, bad, stale, ahead, unknown key), orders, cancels, queries, fills, balances and positions in the shapes of
 * the vendored real payloads, and the venue's error bodies.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { fixtureText } from '../../helpers/wait.js';
import { hmac, KEY, signed, touch } from './binance-trading-helpers.js';
import { keySet, shape } from './sim-helpers.js';

const fixture = (path: string): unknown => JSON.parse(fixtureText(path));
type Obj = Record<string, unknown>;

describe('binance trading REST', () => {
  let sim: Simulator;
  let spot: string;
  let usdm: string;
  before(async () => {
    sim = await startSimulator({ seed: 7, tickMs: 0, depth: 50, symbols: 2, venues: ['binance'] });
    spot = sim.endpoints.binance.spot.rest;
    usdm = sim.endpoints.binance.usdm.rest;
  });
  after(() => sim.close());

  test('the documented HMAC test vector (our signing code)', () => {
    const payload = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
    assert.equal(hmac('NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j', payload), 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71');
  });

  test('authentication: good, bad signature, stale, ahead, unknown and missing key, recvWindow bounds', async () => {
    const ok = await signed(sim, spot, 'GET', '/api/v3/account');
    assert.equal(ok.status, 200);
    assert.match(ok.headers.get('x-mbx-used-weight-1m') ?? '', /^[0-9]+$/);
    const ts = sim.faults.now();
    const upper = await signed(sim, spot, 'GET', '/api/v3/account', {}, { timestamp: ts, signature: hmac('venuekit-sim-secret', `timestamp=${ts}`).toUpperCase() });
    assert.equal(upper.status, 200, 'hex signatures are case-insensitive');
    const bad = await signed(sim, spot, 'GET', '/api/v3/account', {}, { secret: 'wrong' });
    assert.deepEqual([bad.status, bad.body], [400, { code: -1022, msg: 'Signature for this request is not valid.' }]);
    const stale = await signed(sim, spot, 'GET', '/api/v3/account', {}, { timestamp: sim.faults.now() - 6000 });
    assert.deepEqual([stale.status, stale.body], [400, fixture('binance/rest/spot-error-1021-outside-recvwindow-recorded.json')]);
    const wide = await signed(sim, spot, 'GET', '/api/v3/account', {}, { timestamp: sim.faults.now() - 6000, recvWindow: '10000' });
    assert.equal(wide.status, 200);
    const ahead = await signed(sim, usdm, 'GET', '/fapi/v3/balance', {}, { timestamp: sim.faults.now() + 2000 });
    assert.deepEqual([ahead.status, ahead.body], [400, fixture('binance/rest/usdm-error-1021-timestamp-ahead-recorded.json')]);
    const tooWide = await signed(sim, spot, 'GET', '/api/v3/account', {}, { recvWindow: '60001' });
    assert.equal((tooWide.body as Obj)['code'], -1131);
    const unknownSpot = await signed(sim, spot, 'GET', '/api/v3/account', {}, { key: 'no-such-key' });
    assert.deepEqual([unknownSpot.status, unknownSpot.body], [401, { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' }]);
    const unknownUsdm = await signed(sim, usdm, 'GET', '/fapi/v3/balance', {}, { key: 'no-such-key' });
    assert.deepEqual([unknownUsdm.status, unknownUsdm.body], [401, fixture('binance/rest/usdm-error-2015-invalid-api-key-recorded.json')]);
    // Parameters split between the query string and the body: the payload is both, concatenated without a separator.
    const query = 'symbol=BTCUSDT&orderId=424242';
    const form = `timestamp=${sim.faults.now()}`;
    const split = await fetch(`${spot}/api/v3/order?${query}`, { method: 'DELETE', headers: { 'X-MBX-APIKEY': KEY, 'content-type': 'application/x-www-form-urlencoded' }, body: `${form}&signature=${hmac('venuekit-sim-secret', query + form)}` });
    assert.deepEqual([split.status, await split.json()], [400, { code: -2011, msg: 'Unknown order sent.' }], 'authenticated, then refused by the engine');
    const joined = await fetch(`${spot}/api/v3/order?${query}`, { method: 'DELETE', headers: { 'X-MBX-APIKEY': KEY }, body: `${form}&signature=${hmac('venuekit-sim-secret', `${query}&${form}`)}` });
    assert.equal(((await joined.json()) as Obj)['code'], -1022, 'a payload joined with & is not what the venue signs');
    const missing = await signed(sim, spot, 'GET', '/api/v3/account', {}, { key: null });
    assert.deepEqual([missing.status, missing.body], [401, { code: -2014, msg: 'API-key format invalid.' }]);
  });

  test('the clock skew moves the window: a request signed with our clock is stale against the venue clock', async () => {
    const local = Date.now();
    sim.faults.skewClock(10_000);
    try {
      const r = await signed(sim, spot, 'GET', '/api/v3/account', {}, { timestamp: local });
      assert.equal((r.body as Obj)['code'], -1021);
    } finally {
      sim.faults.skewClock(0);
    }
  });

  test('spot LIMIT below the market rests (FULL body, order-count headers); ACK and RESULT shapes', async () => {
    const t = touch(sim, 'BTC/USDT');
    const r = await signed(sim, spot, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: t.minQty, price: t.farBid, newClientOrderId: 'rest-1' }, { inBody: true });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const body = r.body as Obj;
    const full = fixture('binance/rest/spot-order-new-full.json') as Obj;
    assert.deepEqual(Object.keys(body), Object.keys(full));
    assert.deepEqual(body['fills'], []);
    const { fills: _a, ...rest } = body;
    const { fills: _b, ...docRest } = full;
    assert.deepEqual(shape(rest), shape(docRest));
    assert.deepEqual([body['status'], body['clientOrderId'], body['type'], body['price'], body['executedQty']], ['NEW', 'rest-1', 'LIMIT', `${t.farBid}000000`, '0.00000000']);
    assert.match(r.headers.get('x-mbx-order-count-10s') ?? '', /^[1-9][0-9]*$/);
    assert.match(r.headers.get('x-mbx-order-count-1d') ?? '', /^[1-9][0-9]*$/);
    const ack = await signed(sim, spot, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: t.minQty, price: t.farBid, newOrderRespType: 'ACK' });
    assert.deepEqual(shape(ack.body), shape(fixture('binance/rest/spot-order-new-ack.json')));
    const result = await signed(sim, spot, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: t.minQty, price: t.farBid, newOrderRespType: 'RESULT' });
    assert.deepEqual(Object.keys(result.body as Obj), Object.keys(fixture('binance/rest/spot-order-new-result.json') as Obj));
    assert.ok(typeof (ack.body as Obj)['orderId'] === 'number');
  });

  test('spot crossing LIMIT fills against the book; myTrades and account reflect it', async () => {
    const t = touch(sim, 'ETH/USDT');
    const before = await signed(sim, spot, 'GET', '/api/v3/account');
    const eth0 = ((before.body as { balances: Obj[] }).balances.find((b) => b['asset'] === 'ETH') as Obj)['free'] as string;
    const r = await signed(sim, spot, 'POST', '/api/v3/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: t.minQty, price: t.ask });
    const body = r.body as Obj & { fills: Obj[] };
    assert.equal(body['status'], 'FILLED', JSON.stringify(body));
    assert.equal(body['executedQty'], body['origQty']);
    assert.ok(body.fills.length >= 1);
    assert.deepEqual(shape(body.fills[0]), shape((fixture('binance/rest/spot-order-new-full.json') as { fills: unknown[] }).fills[0]));
    assert.equal(body.fills[0]?.['price'], `${t.ask}000000`);
    const trades = await signed(sim, spot, 'GET', '/api/v3/myTrades', { symbol: 'ETHUSDT' });
    const list = trades.body as Obj[];
    const mine = list.filter((x) => x['orderId'] === body['orderId']);
    assert.equal(mine.length, body.fills.length);
    assert.deepEqual(shape(mine[0]), shape((fixture('binance/rest/spot-my-trades.json') as unknown[])[0]));
    assert.deepEqual([mine[0]?.['isBuyer'], mine[0]?.['isMaker']], [true, false]);
    const afterAcc = await signed(sim, spot, 'GET', '/api/v3/account');
    const acc = afterAcc.body as Obj & { balances: Obj[] };
    assert.deepEqual(keySet(acc), keySet(fixture('binance/rest/spot-account.json')));
    assert.deepEqual(shape(acc['commissionRates']), shape((fixture('binance/rest/spot-account.json') as Obj)['commissionRates']));
    const eth1 = (acc.balances.find((b) => b['asset'] === 'ETH') as Obj)['free'] as string;
    assert.notEqual(eth1, eth0, 'the fill changed the ETH balance');
  });

  test('spot cancel by id and by client id; query, openOrders; unknown order errors', async () => {
    const t = touch(sim, 'BTC/USDT');
    const place = async (id: string): Promise<Obj> => (await signed(sim, spot, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: t.minQty, price: t.farBid, newClientOrderId: id })).body as Obj;
    const a = await place('cancel-a');
    const b = await place('cancel-b');
    const q = await signed(sim, spot, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId: String(a['orderId']) });
    assert.deepEqual(Object.keys(q.body as Obj), Object.keys(fixture('binance/rest/spot-order-query.json') as Obj));
    assert.deepEqual([(q.body as Obj)['status'], (q.body as Obj)['isWorking']], ['NEW', true]);
    const open = (await signed(sim, spot, 'GET', '/api/v3/openOrders', { symbol: 'BTCUSDT' })).body as Obj[];
    assert.ok(open.some((o) => o['clientOrderId'] === 'cancel-a') && open.some((o) => o['clientOrderId'] === 'cancel-b'));
    assert.deepEqual(keySet(open[0]), keySet((fixture('binance/rest/spot-open-orders.json') as unknown[])[0]));
    const c1 = await signed(sim, spot, 'DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId: String(a['orderId']) });
    assert.deepEqual(Object.keys(c1.body as Obj), Object.keys(fixture('binance/rest/spot-order-cancel.json') as Obj));
    assert.deepEqual([(c1.body as Obj)['status'], (c1.body as Obj)['origClientOrderId']], ['CANCELED', 'cancel-a']);
    const c2 = await signed(sim, spot, 'DELETE', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'cancel-b', newClientOrderId: 'my-cancel' }, { inBody: true });
    assert.deepEqual([(c2.body as Obj)['status'], (c2.body as Obj)['orderId'], (c2.body as Obj)['clientOrderId']], ['CANCELED', b['orderId'], 'my-cancel']);
    const again = await signed(sim, spot, 'DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId: String(a['orderId']) });
    assert.deepEqual([again.status, again.body], [400, { code: -2011, msg: 'Unknown order sent.' }]);
    const none = await signed(sim, spot, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', orderId: '999999999' });
    assert.deepEqual([none.status, none.body], [400, { code: -2013, msg: 'Order does not exist.' }]);
    const closed = await signed(sim, spot, 'GET', '/api/v3/order', { symbol: 'BTCUSDT', origClientOrderId: 'cancel-a' });
    assert.equal((closed.body as Obj)['status'], 'CANCELED');
  });

  test('spot refusals: LIMIT_MAKER that would take, insufficient balance, malformed numbers, bad symbol', async () => {
    const t = touch(sim, 'BTC/USDT');
    const maker = await signed(sim, spot, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT_MAKER', quantity: t.minQty, price: t.ask });
    assert.deepEqual([maker.status, maker.body], [400, { code: -2010, msg: 'Order would immediately match and take.' }]);
    const poor = await signed(sim, spot, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '5000', price: t.ask });
    assert.deepEqual([poor.status, poor.body], [400, { code: -2010, msg: 'Account has insufficient balance for requested action.' }]);
    const illegal = await signed(sim, spot, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1.2.3', price: t.farBid });
    assert.equal((illegal.body as Obj)['code'], -1100);
    const precise = await signed(sim, spot, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.0000000001', price: t.farBid });
    assert.equal((precise.body as Obj)['code'], -1111);
    const noTif = await signed(sim, spot, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: t.minQty, price: t.farBid });
    assert.deepEqual(noTif.body, { code: -1102, msg: "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed." });
    const sym = await signed(sim, spot, 'POST', '/api/v3/order', { symbol: 'NOPEUSDT', side: 'BUY', type: 'MARKET', quantity: '1' });
    assert.deepEqual(sym.body, { code: -1121, msg: 'Invalid symbol.' });
  });

  test('USD-M: resting LIMIT, crossing MARKET, GTX that would take expires; query, open orders, cancel', async () => {
    const t = touch(sim, 'BTC/USDT:USDT');
    const rest = await signed(sim, usdm, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: t.minQty, price: t.farBid, newClientOrderId: 'fut-rest' });
    assert.equal(rest.status, 200, JSON.stringify(rest.body));
    assert.deepEqual(Object.keys(rest.body as Obj), Object.keys(fixture('binance/rest/usdm-order-new-recorded.json') as Obj));
    assert.deepEqual(shape(rest.body), shape(fixture('binance/rest/usdm-order-new-recorded.json')));
    assert.deepEqual([(rest.body as Obj)['status'], (rest.body as Obj)['price'], (rest.body as Obj)['avgPrice']], ['NEW', t.farBid, '0.00']);
    assert.match(rest.headers.get('x-mbx-order-count-1m') ?? '', /^[1-9][0-9]*$/);
    const gtx = await signed(sim, usdm, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTX', quantity: t.minQty, price: t.ask });
    assert.deepEqual([gtx.status, (gtx.body as Obj)['status'], (gtx.body as Obj)['timeInForce']], [200, 'EXPIRED', 'GTX']);
    const q = await signed(sim, usdm, 'GET', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: 'fut-rest' });
    assert.deepEqual(Object.keys(q.body as Obj), Object.keys(fixture('binance/rest/usdm-order-query-recorded.json') as Obj));
    const open = (await signed(sim, usdm, 'GET', '/fapi/v1/openOrders')).body as Obj[];
    assert.deepEqual(open.map((o) => o['clientOrderId']), ['fut-rest']);
    assert.deepEqual(keySet(open[0]), keySet((fixture('binance/rest/usdm-open-orders-recorded.json') as unknown[])[0]));
    const c = await signed(sim, usdm, 'DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: String((rest.body as Obj)['orderId']) });
    assert.deepEqual(Object.keys(c.body as Obj), Object.keys(fixture('binance/rest/usdm-order-cancel-recorded.json') as Obj));
    assert.equal((c.body as Obj)['status'], 'CANCELED');
    const again = await signed(sim, usdm, 'DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: 'fut-rest' });
    assert.deepEqual([again.status, again.body], [400, fixture('binance/rest/usdm-order-cancel-error-2011-recorded.json')]);
    const none = await signed(sim, usdm, 'GET', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: '123456789012' });
    assert.deepEqual(none.body, fixture('binance/rest/usdm-order-query-error-2013-recorded.json'));
    const noTif = await signed(sim, usdm, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: t.minQty, price: t.farBid });
    assert.deepEqual(noTif.body, fixture('binance/rest/usdm-error-1102-timeinforce-recorded.json'));
  });

  test('USD-M fills, position, balance: userTrades, positionRisk and balance v3 in the fixture shapes', async () => {
    const t = touch(sim, 'ETH/USDT:USDT');
    const m = await signed(sim, usdm, 'POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: t.minQty });
    assert.equal((m.body as Obj)['status'], 'FILLED', JSON.stringify(m.body));
    const trades = (await signed(sim, usdm, 'GET', '/fapi/v1/userTrades', { symbol: 'ETHUSDT' })).body as Obj[];
    assert.ok(trades.length >= 1);
    assert.deepEqual(keySet(trades[0]), keySet((fixture('binance/rest/usdm-user-trades.json') as unknown[])[0]));
    assert.deepEqual(shape(trades[0]), shape((fixture('binance/rest/usdm-user-trades.json') as unknown[])[0]));
    const pos = (await signed(sim, usdm, 'GET', '/fapi/v3/positionRisk', { symbol: 'ETHUSDT' })).body as Obj[];
    assert.equal(pos.length, 1);
    assert.deepEqual(Object.keys(pos[0] as Obj), Object.keys((fixture('binance/rest/usdm-position-risk-v3-oneway.json') as Obj[])[0] as Obj));
    assert.deepEqual(shape(pos[0]), shape((fixture('binance/rest/usdm-position-risk-v3-oneway.json') as unknown[])[0]));
    assert.equal(pos[0]?.['positionAmt'], t.minQty);
    const account = (await signed(sim, usdm, 'GET', '/fapi/v3/account')).body as Obj & { assets: Obj[]; positions: Obj[] };
    const recorded = fixture('binance/rest/usdm-account-v3-recorded.json') as Obj & { assets: unknown[] };
    assert.deepEqual(Object.keys(account), Object.keys(recorded));
    assert.deepEqual(shape(account.assets[0]), shape(recorded.assets[0]));
    assert.deepEqual(account.positions.map((p) => [p['symbol'], p['positionAmt']]), [['ETHUSDT', t.minQty]]);
    const close = await signed(sim, usdm, 'POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'SELL', type: 'MARKET', quantity: t.minQty, reduceOnly: 'true' });
    assert.equal((close.body as Obj)['reduceOnly'], true);
    const flat = (await signed(sim, usdm, 'GET', '/fapi/v3/positionRisk', { symbol: 'ETHUSDT' })).body as Obj[];
    assert.deepEqual(flat, []);
    const bal = (await signed(sim, usdm, 'GET', '/fapi/v3/balance')).body as Obj[];
    const usdt = bal.find((b) => b['asset'] === 'USDT');
    assert.deepEqual(Object.keys(usdt as Obj), Object.keys((fixture('binance/rest/usdm-balance-v3.json') as Obj[])[0] as Obj));
    assert.deepEqual(shape(usdt), shape((fixture('binance/rest/usdm-balance-v3.json') as unknown[])[0]));
    const reduce = await signed(sim, usdm, 'POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'SELL', type: 'MARKET', quantity: t.minQty, reduceOnly: 'true' });
    assert.deepEqual(reduce.body, { code: -2022, msg: 'ReduceOnly Order is rejected.' });
  });

  test('USD-M listenKey: POST returns the active key again, PUT extends it, DELETE closes it (-1125 after)', async () => {
    const call = async (method: string): Promise<{ status: number; body: Obj }> => {
      const r = await fetch(`${usdm}/fapi/v1/listenKey`, { method, headers: { 'X-MBX-APIKEY': KEY } });
      return { status: r.status, body: JSON.parse(await r.text()) as Obj };
    };
    const a = await call('POST');
    assert.deepEqual(shape(a.body), shape(fixture('binance/rest/usdm-listen-key-create-recorded.json')));
    assert.match(a.body['listenKey'] as string, /^[A-Za-z0-9]{64}$/);
    assert.deepEqual((await call('POST')).body, a.body);
    assert.deepEqual((await call('PUT')).body, a.body);
    assert.deepEqual((await call('DELETE')).body, {});
    assert.deepEqual(await call('PUT'), { status: 400, body: { code: -1125, msg: 'This listenKey does not exist.' } });
    const anon = await fetch(`${usdm}/fapi/v1/listenKey`, { method: 'POST' });
    assert.equal(anon.status, 401);
  });
});
