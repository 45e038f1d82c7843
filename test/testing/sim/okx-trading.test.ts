/**
 * The OKX front end's signed REST trading over the real trading engine, checked with this file's own signer
 * (node:crypto, per the OKX docs): authentication failures, place / cancel / query, open orders, fills, balances,
 * positions in the fixture shapes, and the order-ack faults (delay, lose, timeout after accept).
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SimFaults } from '../../../src/testing/sim/faults.js';
import { Market } from '../../../src/testing/sim/market.js';
import { OkxFrontEnd, okxCatalogue } from '../../../src/testing/sim/okx/okx-front-end.js';
import { SIM_DEMO_ACCOUNT } from '../../../src/testing/sim/server.js';
import { SimTradingEngine } from '../../../src/testing/sim/trading/engine.js';
import { TradingFaults } from '../../../src/testing/sim/trading/trading-faults.js';
import { formatScaled } from '../../../src/core/decimal.js';
import { fixtureText } from '../../helpers/wait.js';

const fixture = (path: string): Record<string, unknown> => JSON.parse(fixtureText(path)) as Record<string, unknown>;
const firstOf = (body: unknown): Record<string, unknown> => ((body as { data: unknown[] }).data[0] ?? {}) as Record<string, unknown>;
const KEY = { key: 'venuekit-sim-key', secret: 'venuekit-sim-secret', passphrase: 'venuekit-sim-passphrase' };

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

describe('okx trading rest', () => {
  let market: Market;
  let faults: SimFaults;
  let tradingFaults: TradingFaults;
  let engine: SimTradingEngine;
  let fe: OkxFrontEnd;

  before(async () => {
    market = new Market({ seed: 7, depth: 200, symbols: ['BTC/USDT', 'BTC/USDT:USDT'], catalogue: okxCatalogue(Date.now()), tickMs: 0 });
    faults = new SimFaults();
    tradingFaults = new TradingFaults();
    engine = new SimTradingEngine({ market, now: () => faults.now() });
    engine.addAccount(SIM_DEMO_ACCOUNT);
    fe = await OkxFrontEnd.start({ market, faults, trading: engine, tradingFaults });
  });
  after(async () => {
    engine.close();
    market.close();
    await fe.close();
  });

  /** A request signed the documented way: base64 HMAC-SHA256(secret, ISO timestamp + METHOD + path?query + body). */
  async function call(method: 'GET' | 'POST', path: string, body?: unknown, o: { key?: string; secret?: string; passphrase?: string; ts?: string; sign?: string } = {}): Promise<Answer> {
    const ts = o.ts ?? new Date(faults.now()).toISOString();
    const text = body === undefined ? '' : JSON.stringify(body);
    const sign = o.sign ?? createHmac('sha256', o.secret ?? KEY.secret).update(ts + method + path + text).digest('base64');
    const headers: Record<string, string> = { 'OK-ACCESS-KEY': o.key ?? KEY.key, 'OK-ACCESS-SIGN': sign, 'OK-ACCESS-TIMESTAMP': ts, 'OK-ACCESS-PASSPHRASE': o.passphrase ?? KEY.passphrase, 'Content-Type': 'application/json' };
    const res = await fetch(fe.endpoints.rest + path, { method, headers, body: method === 'POST' ? text : undefined });
    return { status: res.status, body: JSON.parse(await res.text()) as Record<string, unknown> };
  }

  /** Best bid / ask of an instrument as wire strings, `ticks` away from the touch (negative = towards the inside). */
  function priceAway(symbol: string, side: 'bid' | 'ask', ticks: number): string {
    const inst = market.instrument(symbol);
    const book = market.book(symbol);
    const best = (side === 'bid' ? book.bids.top(1)[0] : book.asks.top(1)[0]) as [number, number];
    return formatScaled(best[0] + (side === 'bid' ? -ticks : ticks) * inst.tickUnits, inst.priceScale);
  }

  test('a good signature is accepted; bad sign 50113, stale 50102, unknown key 50111, wrong passphrase 50105, no key 50103', async () => {
    const good = await call('GET', '/api/v5/account/balance?ccy=USDT');
    assert.equal(good.status, 200);
    assert.equal(good.body['code'], '0');
    const bad = await call('GET', '/api/v5/account/balance', undefined, { secret: 'not-the-secret' });
    assert.deepEqual([bad.status, bad.body['code']], [401, '50113']);
    const stale = await call('GET', '/api/v5/account/balance', undefined, { ts: new Date(faults.now() - 31_000).toISOString() });
    assert.equal(stale.status, 401);
    assert.deepEqual(stale.body, fixture('okx/rest/error-50102-timestamp-expired-recorded.json'));
    const future = await call('GET', '/api/v5/account/balance', undefined, { ts: new Date(faults.now() + 31_000).toISOString() });
    assert.equal(future.body['code'], '50102');
    const unknown = await call('GET', '/api/v5/account/balance', undefined, { key: 'nobody' });
    assert.equal(unknown.status, 401);
    assert.deepEqual(unknown.body, fixture('okx/rest/error-50111-invalid-access-key-recorded.json'));
    const phrase = await call('GET', '/api/v5/account/balance', undefined, { passphrase: 'wrong' });
    assert.deepEqual([phrase.status, phrase.body['code']], [401, '50105']);
    const none = await fetch(`${fe.endpoints.rest}/api/v5/account/balance`);
    assert.deepEqual([none.status, ((await none.json()) as Record<string, unknown>)['code']], [401, '50103']);
  });

  test('the signature covers the exact body bytes and the query string', async () => {
    const ts = new Date(faults.now()).toISOString();
    const signedBody = JSON.stringify({ instId: 'BTC-USDT', tdMode: 'cash', side: 'buy', ordType: 'limit', sz: '0.001', px: priceAway('BTC/USDT', 'bid', 50) });
    const sign = createHmac('sha256', KEY.secret).update(`${ts}POST/api/v5/trade/order${signedBody}`).digest('base64');
    const tampered = await call('POST', '/api/v5/trade/order', { ...(JSON.parse(signedBody) as object), sz: '0.002' }, { ts, sign });
    assert.equal(tampered.body['code'], '50113');
    const q = await call('GET', '/api/v5/account/balance?ccy=BTC', undefined, { sign: createHmac('sha256', KEY.secret).update(`${ts}GET/api/v5/account/balance`).digest('base64'), ts });
    assert.equal(q.body['code'], '50113');
  });

  test('a limit order below the touch rests: live in GET /trade/order and /orders-pending, then cancelled by ordId', async () => {
    const placed = await call('POST', '/api/v5/trade/order', { instId: 'BTC-USDT', tdMode: 'cash', side: 'buy', ordType: 'limit', sz: '0.001', px: priceAway('BTC/USDT', 'bid', 20), clOrdId: 'rest1' });
    assert.equal(placed.status, 200);
    assert.deepEqual(Object.keys(placed.body).sort(), Object.keys(fixture('okx/rest/trade-order-place-recorded.json')).sort());
    const item = firstOf(placed.body);
    assert.deepEqual(Object.keys(item).sort(), Object.keys(firstOf(fixture('okx/rest/trade-order-place-recorded.json'))).sort());
    assert.deepEqual([placed.body['code'], item['sCode'], item['clOrdId']], ['0', '0', 'rest1']);
    const ordId = item['ordId'] as string;
    assert.match(ordId, /^\d+$/);

    const q = await call('GET', `/api/v5/trade/order?instId=BTC-USDT&ordId=${ordId}`);
    const rec = firstOf(q.body);
    assert.deepEqual(Object.keys(rec), Object.keys(firstOf(fixture('okx/rest/trade-order-details.json'))));
    assert.deepEqual([rec['state'], rec['sz'], rec['accFillSz'], rec['ordType'], rec['tdMode'], rec['side'], rec['avgPx']], ['live', '0.001', '0', 'limit', 'cash', 'buy', '']);
    for (const v of Object.values(rec)) assert.ok(typeof v === 'string' || typeof v === 'object', 'every value a string');

    const pending = await call('GET', '/api/v5/trade/orders-pending?instType=SPOT');
    const rows = (pending.body['data'] as Array<Record<string, unknown>>).filter((r) => r['ordId'] === ordId);
    assert.equal(rows.length, 1);
    assert.deepEqual(Object.keys(rows[0] as object), Object.keys(firstOf(fixture('okx/rest/trade-orders-pending.json'))));

    const cancelled = await call('POST', '/api/v5/trade/cancel-order', { instId: 'BTC-USDT', ordId });
    assert.deepEqual(Object.keys(cancelled.body).sort(), Object.keys(fixture('okx/rest/trade-order-cancel.json')).sort());
    assert.deepEqual(firstOf(cancelled.body), { clOrdId: 'rest1', ordId, ts: firstOf(cancelled.body)['ts'], sCode: '0', sMsg: '' });
    assert.equal(firstOf((await call('GET', `/api/v5/trade/order?instId=BTC-USDT&ordId=${ordId}`)).body)['state'], 'canceled');
    assert.equal(engine.openOrders(KEY.key, 'BTC/USDT').length, 0);
  });

  test('cancel by clOrdId; cancelling again is 51400, an unknown order 51603 (cancel and query)', async () => {
    await call('POST', '/api/v5/trade/order', { instId: 'BTC-USDT', tdMode: 'cash', side: 'sell', ordType: 'post_only', sz: '0.002', px: priceAway('BTC/USDT', 'ask', 30), clOrdId: 'rest2' });
    const byClient = await call('POST', '/api/v5/trade/cancel-order', { instId: 'BTC-USDT', clOrdId: 'rest2' });
    assert.deepEqual([byClient.body['code'], firstOf(byClient.body)['sCode'], firstOf(byClient.body)['clOrdId']], ['0', '0', 'rest2']);
    const again = await call('POST', '/api/v5/trade/cancel-order', { instId: 'BTC-USDT', clOrdId: 'rest2' });
    assert.deepEqual([again.status, again.body['code'], firstOf(again.body)['sCode']], [200, '1', '51400']);
    const missing = await call('POST', '/api/v5/trade/cancel-order', { instId: 'BTC-USDT', ordId: '999999999' });
    assert.deepEqual([missing.body['code'], firstOf(missing.body)['sCode']], ['1', '51603']);
    const query = await call('GET', '/api/v5/trade/order?instId=BTC-USDT&ordId=999999999');
    assert.deepEqual([query.status, query.body['code'], query.body['data']], [200, '51603', []]);
    const noRef = await call('POST', '/api/v5/trade/cancel-order', { instId: 'BTC-USDT' });
    assert.deepEqual([noRef.status, noRef.body['code']], [400, '50015']);
  });

  test('a crossing limit order fills: state filled, the fill in /trade/fills, balances moved, all in the fixture shapes', async () => {
    const before = engine.balances(KEY.key).find((b) => b.currency === 'BTC');
    const placed = await call('POST', '/api/v5/trade/order', { instId: 'BTC-USDT', tdMode: 'cash', side: 'buy', ordType: 'limit', sz: '0.001', px: priceAway('BTC/USDT', 'ask', 5) });
    const ordId = firstOf(placed.body)['ordId'] as string;
    assert.equal(firstOf(placed.body)['clOrdId'], '', 'no clOrdId given: none shown');
    const rec = firstOf((await call('GET', `/api/v5/trade/order?instId=BTC-USDT&ordId=${ordId}`)).body);
    assert.deepEqual([rec['state'], rec['accFillSz'], rec['feeCcy'], rec['clOrdId']], ['filled', '0.001', 'BTC', '']);
    assert.ok((rec['fee'] as string).startsWith('-'), `fee charged is negative: ${String(rec['fee'])}`);
    assert.notEqual(rec['avgPx'], '');

    const fills = (await call('GET', `/api/v5/trade/fills?instId=BTC-USDT&ordId=${ordId}`)).body['data'] as Array<Record<string, unknown>>;
    assert.ok(fills.length >= 1);
    assert.deepEqual(Object.keys(fills[0] as object), Object.keys(firstOf(fixture('okx/rest/trade-fills.json'))));
    assert.deepEqual([fills[0]?.['execType'], fills[0]?.['side'], fills[0]?.['feeRate']], ['T', 'buy', '-0.0005']);

    const balance = (await call('GET', '/api/v5/account/balance?ccy=BTC,USDT')).body;
    const account = firstOf(balance);
    assert.deepEqual(Object.keys(account), Object.keys(firstOf(fixture('okx/rest/account-balance.json'))));
    const details = account['details'] as Array<Record<string, unknown>>;
    assert.deepEqual(details.map((d) => d['ccy']).sort(), ['BTC', 'USDT']);
    assert.deepEqual(Object.keys(details[0] as object), Object.keys((firstOf(fixture('okx/rest/account-balance.json'))['details'] as object[])[0] as object));
    const btc = details.find((d) => d['ccy'] === 'BTC') as Record<string, unknown>;
    const after = engine.balances(KEY.key).find((b) => b.currency === 'BTC');
    assert.equal(btc['cashBal'], after?.free.add(after.locked).normalize().toString());
    assert.ok(after !== undefined && before !== undefined && after.free.gt(before.free), 'BTC received');
  });

  test('refusals: insufficient balance 51008 in the recorded shape, malformed sz 51000, off-lot sz 51121, unknown instId 51001', async () => {
    const poor = await call('POST', '/api/v5/trade/order', { instId: 'BTC-USDT', tdMode: 'cash', side: 'sell', ordType: 'limit', sz: '500', px: priceAway('BTC/USDT', 'ask', 10) });
    const recorded = fixture('okx/rest/trade-order-place-rejected-51008-recorded.json');
    assert.equal(poor.status, 200);
    assert.deepEqual(Object.keys(poor.body).sort(), Object.keys(recorded).sort());
    assert.deepEqual(Object.keys(firstOf(poor.body)).sort(), Object.keys(firstOf(recorded)).sort());
    assert.deepEqual([poor.body['code'], poor.body['msg'], firstOf(poor.body)['sCode'], firstOf(poor.body)['ordId']], ['1', 'All operations failed', '51008', '']);
    const malformed = await call('POST', '/api/v5/trade/order', { instId: 'BTC-USDT', tdMode: 'cash', side: 'buy', ordType: 'limit', sz: '1.2.3', px: '100' });
    assert.deepEqual([malformed.status, malformed.body['code']], [400, '51000']);
    const offLot = await call('POST', '/api/v5/trade/order', { instId: 'BTC-USDT', tdMode: 'cash', side: 'buy', ordType: 'limit', sz: '0.0000001', px: priceAway('BTC/USDT', 'bid', 10) });
    assert.deepEqual([offLot.body['code'], firstOf(offLot.body)['sCode']], ['1', '51121']);
    const unknown = await call('POST', '/api/v5/trade/order', { instId: 'NOPE-USDT', tdMode: 'cash', side: 'buy', ordType: 'limit', sz: '1', px: '1' });
    assert.deepEqual([unknown.body['code'], firstOf(unknown.body)['sCode']], ['1', '51001']);
    const badMode = await call('POST', '/api/v5/trade/order', { instId: 'BTC-USDT-SWAP', tdMode: 'cash', side: 'buy', ordType: 'market', sz: '0.01' });
    assert.deepEqual([badMode.status, badMode.body['code']], [400, '51000']);
  });

  test('a SWAP market buy opens a net position in contracts, listed by /account/positions in the fixture shape', async () => {
    const placed = await call('POST', '/api/v5/trade/order', { instId: 'BTC-USDT-SWAP', tdMode: 'cross', side: 'buy', ordType: 'market', sz: '0.01' });
    assert.equal(firstOf(placed.body)['sCode'], '0');
    const positions = (await call('GET', '/api/v5/account/positions?instType=SWAP')).body['data'] as Array<Record<string, unknown>>;
    const p = positions.find((x) => x['instId'] === 'BTC-USDT-SWAP') as Record<string, unknown>;
    assert.deepEqual(Object.keys(p), Object.keys(firstOf(fixture('okx/rest/account-positions.json'))));
    assert.deepEqual([p['pos'], p['posSide'], p['mgnMode'], p['instType'], p['ccy']], ['0.01', 'net', 'cross', 'SWAP', 'USDT']);
    const none = (await call('GET', '/api/v5/account/positions?instType=FUTURES')).body['data'] as unknown[];
    assert.equal(none.length, 0);
  });

  test('ack fault delay: the answer comes at least ms later, the order exists at once', async () => {
    tradingFaults.failAck('okx', { kind: 'delay', ms: 300 });
    const t0 = Date.now();
    const pending = call('POST', '/api/v5/trade/order', { instId: 'BTC-USDT', tdMode: 'cash', side: 'buy', ordType: 'limit', sz: '0.001', px: priceAway('BTC/USDT', 'bid', 40), clOrdId: 'delayed1' });
    const answer = await pending;
    assert.ok(Date.now() - t0 >= 290, `answered after ${Date.now() - t0} ms`);
    assert.equal(firstOf(answer.body)['sCode'], '0');
    assert.ok(engine.order(KEY.key, 'BTC/USDT', { clientOrderId: 'delayed1' }) !== undefined);
  });

  test('ack fault lose: the connection is reset without an answer, the engine holds the order', async () => {
    tradingFaults.failAck('okx', { kind: 'lose' });
    await assert.rejects(call('POST', '/api/v5/trade/order', { instId: 'BTC-USDT', tdMode: 'cash', side: 'buy', ordType: 'limit', sz: '0.001', px: priceAway('BTC/USDT', 'bid', 41), clOrdId: 'lost1' }));
    assert.equal(engine.orders(KEY.key).filter((o) => o.clientOrderId === 'lost1').length, 1);
  });

  test('ack fault timeout-after-accept: no answer for ms, then a reset; the engine holds exactly one order', async () => {
    tradingFaults.failAck('okx', { kind: 'timeout-after-accept', ms: 300 });
    const t0 = Date.now();
    await assert.rejects(call('POST', '/api/v5/trade/order', { instId: 'BTC-USDT', tdMode: 'cash', side: 'buy', ordType: 'limit', sz: '0.001', px: priceAway('BTC/USDT', 'bid', 42), clOrdId: 'held1' }));
    assert.ok(Date.now() - t0 >= 290, `reset after ${Date.now() - t0} ms`);
    assert.equal(engine.orders(KEY.key).filter((o) => o.clientOrderId === 'held1').length, 1);
    const q = await call('GET', '/api/v5/trade/order?instId=BTC-USDT&clOrdId=held1');
    assert.equal(firstOf(q.body)['state'], 'live', 'the client can find the order it did not hear about');
    assert.equal(tradingFaults.state().applied['ack-timeout-after-accept'], 1);
  });
});
