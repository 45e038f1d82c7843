/**
 * The Bybit front end's signed REST trading, checked with the test's own v5 signing: authentication verdicts and
 * bodies as recorded, orders that rest, fill, cancel (by id and orderLinkId), queries, fills, balances, positions.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { Decimal } from '../../../src/core/decimal.js';
import type { Simulator } from '../../../src/testing/index.js';
import { KEY, quotes, restBase, signedGet, signedHeadersFor, signedPost, startBybitSim } from './bybit-trading-helpers.js';
import { keySet } from './sim-helpers.js';

const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../../fixtures/bybit/rest/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const firstItem = (body: Record<string, unknown>): Record<string, unknown> => ((body['result'] as { list: Array<Record<string, unknown>> }).list[0] as Record<string, unknown>);

describe('bybit simulator: signed REST trading', () => {
  let sim: Simulator;
  let base: string;
  before(async () => {
    sim = await startBybitSim();
    base = restBase(sim);
  });
  after(() => sim.close());

  test('a good signature passes; bad sign, stale or future timestamp and unknown key answer the venue errors with HTTP 200', async () => {
    const ok = await signedGet(base, '/v5/account/wallet-balance', 'accountType=UNIFIED');
    assert.equal(ok.status, 200);
    assert.equal(ok.body.retCode, 0);
    assert.deepEqual(keySet(ok.body), keySet(fixture('wallet-balance-unified-recorded.json')));

    const badSign = await signedGet(base, '/v5/account/wallet-balance', 'accountType=UNIFIED', { secret: 'not-the-secret' });
    assert.equal(badSign.status, 200);
    assert.equal(badSign.body.retCode, 10004);
    assert.ok(!badSign.body.retMsg.includes('venuekit-sim-secret'));

    // The signed query must be the bytes sent: signing one query and sending another fails.
    const r = await fetch(`${base}/v5/account/wallet-balance?accountType=UNIFIED&coin=USDT`, { headers: signedHeadersFor('accountType=UNIFIED') });
    assert.equal(((await r.json()) as { retCode: number }).retCode, 10004);

    const stale = await signedGet(base, '/v5/account/wallet-balance', 'accountType=UNIFIED', { timestamp: Date.now() - 6000 });
    assert.equal(stale.status, 200);
    assert.equal(stale.body.retCode, 10002);
    assert.match(stale.body.retMsg, /^invalid request, please check your server timestamp or recv_window param\. req_timestamp\[\d+\],server_timestamp\[\d+\],recv_window\[5000\]$/);
    assert.deepEqual(keySet(stale.body), keySet(fixture('error-10002-recv-window-recorded.json')));
    const wide = await signedGet(base, '/v5/account/wallet-balance', 'accountType=UNIFIED', { timestamp: Date.now() - 6000, recvWindow: '20000' });
    assert.equal(wide.body.retCode, 0);
    const future = await signedGet(base, '/v5/account/wallet-balance', 'accountType=UNIFIED', { timestamp: Date.now() + 3000 });
    assert.equal(future.body.retCode, 10002);

    const unknown = await signedGet(base, '/v5/account/wallet-balance', 'accountType=UNIFIED', { key: 'no-such-key' });
    assert.equal(unknown.status, 200);
    assert.equal(unknown.body.retCode, 10003);
    assert.equal(unknown.body.retMsg, fixture('error-10003-api-key-invalid-recorded.json')['retMsg']);
    assert.deepEqual(keySet(unknown.body), keySet(fixture('error-10003-api-key-invalid-recorded.json')));
  });

  test('a limit order below the bid rests: create ack, realtime by id and in the open list, history', async () => {
    const q = quotes(sim, 'BTC/USDT:USDT');
    const price = q.price(q.bid - 20 * q.tick);
    const created = await signedPost(base, '/v5/order/create', { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: q.qty(q.minQty), price, timeInForce: 'GTC', orderLinkId: 'rest-1' });
    assert.equal(created.body.retCode, 0, created.body.retMsg);
    assert.deepEqual(keySet(created.body.result), keySet(fixture('order-create.json')['result']));
    const orderId = created.body.result['orderId'] as string;
    assert.equal(created.body.result['orderLinkId'], 'rest-1');

    const one = await signedGet(base, '/v5/order/realtime', `category=linear&orderId=${orderId}`);
    const item = firstItem(one.body);
    assert.equal(item['orderStatus'], 'New');
    assert.equal(item['price'], price);
    assert.equal(item['qty'], q.qty(q.minQty));
    assert.equal(item['leavesQty'], q.qty(q.minQty));
    assert.equal(item['cumExecQty'], q.qty(0));
    assert.equal(item['orderLinkId'], 'rest-1');
    const recorded = firstItem(fixture('order-realtime-recorded.json'));
    assert.deepEqual(keySet(item).filter((k) => !(k in recorded)), []);
    assert.deepEqual(keySet(recorded).filter((k) => !(k in item)), []);
    assert.deepEqual(keySet(one.body.result), keySet(fixture('order-realtime-recorded.json')['result']));

    const open = await signedGet(base, '/v5/order/realtime', 'category=linear&symbol=BTCUSDT');
    assert.ok((open.body.result['list'] as Array<{ orderId: string }>).some((o) => o.orderId === orderId));
    const byLink = await signedGet(base, '/v5/order/realtime', 'category=linear&orderLinkId=rest-1');
    assert.equal(firstItem(byLink.body)['orderId'], orderId);
    const history = await signedGet(base, '/v5/order/history', 'category=linear&symbol=BTCUSDT');
    assert.ok((history.body.result['list'] as Array<{ orderId: string }>).some((o) => o.orderId === orderId));

    const dup = await signedPost(base, '/v5/order/create', { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: q.qty(q.minQty), price, orderLinkId: 'rest-1' });
    assert.equal(dup.body.retCode, 110072);
  });

  test('cancel by orderId and by orderLinkId; the cancelled order is found by id; a second cancel and an unknown id fail', async () => {
    const q = quotes(sim, 'BTC/USDT:USDT');
    const place = async (link: string): Promise<string> => {
      const r = await signedPost(base, '/v5/order/create', { category: 'linear', symbol: 'BTCUSDT', side: 'Sell', orderType: 'Limit', qty: q.qty(q.minQty), price: q.price(q.ask + 30 * q.tick), orderLinkId: link });
      assert.equal(r.body.retCode, 0, r.body.retMsg);
      return r.body.result['orderId'] as string;
    };
    const a = await place('cx-a');
    const b = await place('cx-b');
    const byId = await signedPost(base, '/v5/order/cancel', { category: 'linear', symbol: 'BTCUSDT', orderId: a });
    assert.equal(byId.body.retCode, 0);
    assert.deepEqual(byId.body.result, { orderId: a, orderLinkId: 'cx-a' });
    const byLink = await signedPost(base, '/v5/order/cancel', { category: 'linear', symbol: 'BTCUSDT', orderLinkId: 'cx-b' });
    assert.deepEqual(byLink.body.result, { orderId: b, orderLinkId: 'cx-b' });
    const closed = firstItem((await signedGet(base, '/v5/order/realtime', `category=linear&orderId=${a}`)).body);
    assert.equal(closed['orderStatus'], 'Cancelled');
    assert.equal(closed['cancelType'], 'CancelByUser');
    assert.equal(closed['rejectReason'], 'EC_PerCancelRequest');
    const open = await signedGet(base, '/v5/order/realtime', 'category=linear&symbol=BTCUSDT');
    assert.ok(!(open.body.result['list'] as Array<{ orderId: string }>).some((o) => o.orderId === a || o.orderId === b));
    assert.equal((await signedPost(base, '/v5/order/cancel', { category: 'linear', symbol: 'BTCUSDT', orderId: a })).body.retCode, 110008);
    assert.equal((await signedPost(base, '/v5/order/cancel', { category: 'linear', symbol: 'BTCUSDT', orderId: '999999999' })).body.retCode, 110001);
  });

  test('a crossing limit order fills: Filled, executions listed, a long position, the wallet moves', async () => {
    const before = firstItem((await signedGet(base, '/v5/account/wallet-balance', 'accountType=UNIFIED&coin=USDT')).body);
    const usdtBefore = (before['coin'] as Array<{ walletBalance: string }>)[0]?.walletBalance;
    const q = quotes(sim, 'BTC/USDT:USDT');
    const created = await signedPost(base, '/v5/order/create', { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: q.qty(q.minQty), price: q.price(q.ask + 5 * q.tick), timeInForce: 'IOC' });
    assert.equal(created.body.retCode, 0, created.body.retMsg);
    assert.equal(created.body.result['orderLinkId'], '');
    const orderId = created.body.result['orderId'] as string;
    const order = firstItem((await signedGet(base, '/v5/order/realtime', `category=linear&orderId=${orderId}`)).body);
    assert.equal(order['orderStatus'], 'Filled');
    assert.equal(order['cumExecQty'], q.qty(q.minQty));
    assert.notEqual(order['avgPrice'], '');

    const fills = await signedGet(base, '/v5/execution/list', `category=linear&orderId=${orderId}`);
    const list = fills.body.result['list'] as Array<Record<string, unknown>>;
    assert.ok(list.length >= 1);
    const exec = list[0] as Record<string, unknown>;
    assert.deepEqual(keySet(exec), keySet(firstItem(fixture('execution-list.json'))));
    assert.equal(exec['isMaker'], false);
    assert.equal(typeof exec['seq'], 'number');
    assert.ok(Decimal.from(String(exec['execPrice'])).lte(q.price(q.ask + 5 * q.tick)));

    const pos = await signedGet(base, '/v5/position/list', 'category=linear&symbol=BTCUSDT');
    const p = firstItem(pos.body);
    assert.equal(p['side'], 'Buy');
    assert.equal(p['size'], q.qty(q.minQty));
    assert.deepEqual(keySet(p), keySet(firstItem(fixture('position-list.json'))));
    assert.deepEqual(keySet(pos.body.result), keySet(fixture('position-list.json')['result']));
    const bySettle = await signedGet(base, '/v5/position/list', 'category=linear&settleCoin=USDT');
    assert.ok((bySettle.body.result['list'] as Array<{ symbol: string }>).some((x) => x.symbol === 'BTCUSDT'));
    assert.equal((await signedGet(base, '/v5/position/list', 'category=linear')).body.retCode, 10001);

    const afterW = firstItem((await signedGet(base, '/v5/account/wallet-balance', 'accountType=UNIFIED&coin=USDT')).body);
    const coin = (afterW['coin'] as Array<Record<string, unknown>>)[0] as Record<string, unknown>;
    assert.deepEqual(keySet(coin), keySet((firstItem(fixture('wallet-balance-unified-recorded.json'))['coin'] as unknown[])[0]));
    assert.notEqual(coin['walletBalance'], usdtBefore, 'the taker fee was charged');
    assert.deepEqual(keySet(afterW), keySet(firstItem(fixture('wallet-balance-unified-recorded.json'))));
  });

  test('spot: a limit buy rests and locks quote; refusals: insufficient balance, malformed qty, bad side, unknown symbol', async () => {
    const q = quotes(sim, 'BTC/USDT');
    const rest = await signedPost(base, '/v5/order/create', { category: 'spot', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: q.qty(q.minQty), price: q.price(q.bid - 10 * q.tick) });
    assert.equal(rest.body.retCode, 0, rest.body.retMsg);
    const w = firstItem((await signedGet(base, '/v5/account/wallet-balance', 'accountType=UNIFIED&coin=USDT')).body);
    assert.notEqual((w['coin'] as Array<{ locked: string }>)[0]?.locked, '0');
    const poor = await signedPost(base, '/v5/order/create', { category: 'spot', symbol: 'BTCUSDT', side: 'Sell', orderType: 'Limit', qty: '50', price: q.price(q.ask + 10 * q.tick) });
    assert.equal(poor.body.retCode, 170131);
    const poorLinear = await signedPost(base, '/v5/order/create', { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: '1000', price: quotes(sim, 'BTC/USDT:USDT').price(quotes(sim, 'BTC/USDT:USDT').bid) });
    assert.equal(poorLinear.body.retCode, 110007, poorLinear.body.retMsg);
    for (const bad of [{ qty: '1.2.3' }, { qty: 1 }, { side: 'buy' }, { symbol: 'NOPEUSDT' }, { price: 'abc' }]) {
      const r = await signedPost(base, '/v5/order/create', { category: 'spot', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: q.qty(q.minQty), price: q.price(q.bid), ...bad });
      assert.equal(r.body.retCode, 10001, JSON.stringify(bad));
    }
    assert.equal(sim.tradingOf('bybit').openOrders(KEY, 'BTC/USDT').length, 1);
  });

  test('spot market buys count qty in the quote coin by default, in the base coin with marketUnit=baseCoin', async () => {
    const quote = await signedPost(base, '/v5/order/create', { category: 'spot', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Market', qty: '1000' });
    assert.equal(quote.body.retCode, 0, quote.body.retMsg);
    const a = firstItem((await signedGet(base, '/v5/order/realtime', `category=spot&orderId=${String(quote.body.result['orderId'])}`)).body);
    assert.equal(a['orderStatus'], 'Filled');
    assert.ok(Decimal.from(String(a['cumExecValue'])).lte('1000') && Decimal.from(String(a['cumExecValue'])).gt('990'), `spent ${String(a['cumExecValue'])} of 1000 USDT`);
    const q = quotes(sim, 'BTC/USDT');
    const baseUnit = await signedPost(base, '/v5/order/create', { category: 'spot', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Market', qty: q.qty(q.minQty * 3), marketUnit: 'baseCoin' });
    assert.equal(baseUnit.body.retCode, 0, baseUnit.body.retMsg);
    const b = firstItem((await signedGet(base, '/v5/order/realtime', `category=spot&orderId=${String(baseUnit.body.result['orderId'])}`)).body);
    assert.equal(b['cumExecQty'], q.qty(q.minQty * 3).replace(/\.?0+$/, ''));
  });
});
