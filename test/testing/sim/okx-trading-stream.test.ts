/**
 * The OKX private WebSocket over the real trading engine, with this file's own login signer: login ok / fail,
 * subscribe before login, `orders` / `account` / `positions` pushes for a place that fills (fixture shapes), the
 * private-event faults (duplicate, reorder) and dropping the private streams.
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
import { fixtureText, waitFor } from '../../helpers/wait.js';
import { item, OkxProbe } from './okx-helpers.js';

const fixture = (path: string): Record<string, unknown> => JSON.parse(fixtureText(path)) as Record<string, unknown>;
const { apiKey, secret, passphrase } = SIM_DEMO_ACCOUNT as { apiKey: string; secret: string; passphrase: string };

describe('okx private stream', () => {
  let market: Market;
  let faults: SimFaults;
  let tradingFaults: TradingFaults;
  let engine: SimTradingEngine;
  let fe: OkxFrontEnd;
  const probes: OkxProbe[] = [];

  before(async () => {
    market = new Market({ seed: 11, depth: 200, symbols: ['BTC/USDT', 'BTC/USDT:USDT'], catalogue: okxCatalogue(Date.now()), tickMs: 0 });
    faults = new SimFaults();
    tradingFaults = new TradingFaults();
    engine = new SimTradingEngine({ market, now: () => faults.now() });
    engine.addAccount(SIM_DEMO_ACCOUNT);
    fe = await OkxFrontEnd.start({ market, faults, trading: engine, tradingFaults, connectionsPerSecond: 100 });
  });
  after(async () => {
    for (const p of probes) p.close();
    engine.close();
    market.close();
    await fe.close();
  });

  function loginArgs(o: { key?: string; secret?: string; seconds?: number } = {}): Record<string, string> {
    const timestamp = String(o.seconds ?? Math.floor(faults.now() / 1000));
    const sign = createHmac('sha256', o.secret ?? secret).update(`${timestamp}GET/users/self/verify`).digest('base64');
    return { apiKey: o.key ?? apiKey, passphrase, timestamp, sign };
  }

  async function open(): Promise<OkxProbe> {
    const p = await new OkxProbe(fe.endpoints.private).opened();
    probes.push(p);
    return p;
  }

  async function loggedIn(): Promise<OkxProbe> {
    const p = await open();
    p.send({ op: 'login', args: [loginArgs()] });
    await p.next((f) => f['event'] === 'login', 'login');
    return p;
  }

  /** Places an order through the engine (the stream side does not care who placed it). */
  function placeCrossing(symbol: string, qtyUnits: number, clientOrderId: string): void {
    engine.place({ apiKey, symbol, side: 'buy', type: 'market', qtyUnits, clientOrderId });
  }

  test('login succeeds with the fixture body; bad sign 60009, stale timestamp 60004, unknown key 60005; text ping -> pong', async () => {
    const p = await open();
    p.send({ op: 'login', args: [loginArgs()] });
    const ok = await p.next((f) => f['event'] === 'login', 'login');
    assert.deepEqual(Object.keys(ok), Object.keys(fixture('okx/ws/login-response-success.json')));
    assert.deepEqual([ok['code'], ok['msg']], ['0', '']);
    p.send('ping');
    await waitFor(() => p.texts.includes('pong'), 'pong');

    const bad = await open();
    bad.send({ op: 'login', args: [loginArgs({ secret: 'wrong' })] });
    const e1 = await bad.next((f) => f['event'] === 'error', 'bad sign');
    assert.deepEqual(new Set(Object.keys(e1)), new Set(Object.keys(fixture('okx/ws/login-response-failure.json'))));
    assert.equal(e1['code'], '60009');
    bad.send({ op: 'login', args: [loginArgs({ seconds: Math.floor(faults.now() / 1000) - 60 })] });
    assert.equal((await bad.next((f) => f['code'] === '60004', 'stale'))['event'], 'error');
    bad.send({ op: 'login', args: [loginArgs({ key: 'nobody' })] });
    assert.equal((await bad.next((f) => f['code'] === '60005', 'unknown key'))['event'], 'error');
  });

  test('subscribing before login is refused with 60011; after login an unknown instType is 60018', async () => {
    const p = await open();
    p.subscribe([{ channel: 'orders', instType: 'ANY' }], 'a1');
    const e = await p.next((f) => f['event'] === 'error', '60011');
    assert.deepEqual([e['code'], e['id']], ['60011', 'a1']);
    p.send({ op: 'login', args: [loginArgs()] });
    await p.next((f) => f['event'] === 'login', 'login');
    p.subscribe([{ channel: 'orders', instType: 'STOCKS' }]);
    assert.equal((await p.next((f) => f['code'] === '60018', '60018'))['event'], 'error');
  });

  test('a SWAP place that fills pushes orders live -> filled with the fill fields, then account and positions updates', async () => {
    const p = await loggedIn();
    p.subscribe([{ channel: 'orders', instType: 'ANY' }, { channel: 'account' }, { channel: 'positions', instType: 'ANY' }], 's1');
    const ack = await p.next((f) => f['event'] === 'subscribe' && (f['arg'] as Record<string, unknown>)['channel'] === 'orders', 'ack');
    assert.deepEqual(Object.keys(ack), Object.keys(fixture('okx/ws/orders-subscribe-response.json')));
    const snapshot = await p.next((f) => f['eventType'] === 'snapshot' && (f['arg'] as Record<string, unknown>)['channel'] === 'account', 'account snapshot');
    assert.deepEqual(Object.keys(snapshot), Object.keys(fixture('okx/ws/account-push.json')));
    await p.next((f) => f['eventType'] === 'snapshot' && (f['arg'] as Record<string, unknown>)['channel'] === 'positions', 'positions snapshot');

    placeCrossing('BTC/USDT:USDT', 10, 'wsfill1'); // 0.01 contracts
    const orders = await waitFor(() => {
      const o = p.pushes('orders').filter((f) => item(f)['clOrdId'] === 'wsfill1');
      return o.some((f) => item(f)['state'] === 'filled') ? o : undefined;
    }, 'filled push');
    assert.equal(item(orders[0] as Record<string, unknown>)['state'], 'live');
    assert.equal(item(orders[0] as Record<string, unknown>)['tradeId'], '');
    const filled = item(orders.find((f) => item(f)['state'] === 'filled') as Record<string, unknown>);
    assert.deepEqual(Object.keys(filled), Object.keys(item(fixture('okx/ws/orders-push.json'))));
    assert.deepEqual([filled['instId'], filled['instType'], filled['execType'], filled['accFillSz'], filled['fillFeeCcy'], filled['posSide']], ['BTC-USDT-SWAP', 'SWAP', 'T', '0.01', 'USDT', 'net']);
    assert.match(filled['tradeId'] as string, /^\d+$/);
    assert.notEqual(filled['fillPx'], '');
    assert.ok((filled['fillFee'] as string).startsWith('-'));
    const arg = (orders[0] as Record<string, unknown>)['arg'] as Record<string, unknown>;
    assert.deepEqual([arg['channel'], arg['instType']], ['orders', 'ANY']);
    assert.match(arg['uid'] as string, /^\d+$/);

    const account = await p.next((f) => f['eventType'] === 'event_update' && (f['arg'] as Record<string, unknown>)['channel'] === 'account', 'account update');
    assert.ok((item(account)['details'] as Array<Record<string, unknown>>).some((d) => d['ccy'] === 'USDT'));
    const position = await p.next((f) => f['eventType'] === 'event_update' && (f['arg'] as Record<string, unknown>)['channel'] === 'positions', 'position update');
    const pos = item(position);
    const fixturePos = item(fixture('okx/ws/positions-push.json'));
    for (const k of Object.keys(fixturePos)) if (k !== 'pTime') assert.ok(k in pos, `positions push has ${k}`);
    assert.deepEqual([pos['instId'], pos['pos']], ['BTC-USDT-SWAP', '0.01']);
  });

  test('event faults: a duplicated push arrives twice; a reordered pair arrives newest first', async () => {
    // The switches are venue-wide: only this connection may take them.
    for (const old of probes.splice(0)) old.close();
    await waitFor(() => ![...fe.streams.connections].some((c) => c.path === 'private'), 'older private connections gone');
    const p = await loggedIn();
    p.subscribe([{ channel: 'orders', instType: 'SPOT' }]);
    await p.next((f) => f['event'] === 'subscribe', 'ack');
    tradingFaults.shapeEvents('okx', { kind: 'duplicate', count: 1 });
    engine.place({ apiKey, symbol: 'BTC/USDT', side: 'buy', type: 'limit', qtyUnits: 100, priceUnits: (market.book('BTC/USDT').bids.top(1)[0] as [number, number])[0] - 1000, clientOrderId: 'dup1' });
    await waitFor(() => p.pushes('orders').filter((f) => item(f)['clOrdId'] === 'dup1').length === 2, 'two copies');
    const [a, b] = p.pushes('orders').filter((f) => item(f)['clOrdId'] === 'dup1');
    assert.deepEqual(a, b);

    tradingFaults.shapeEvents('okx', { kind: 'reorder', count: 2 });
    engine.cancel(apiKey, 'BTC/USDT', { clientOrderId: 'dup1' });
    placeCrossing('BTC/USDT', 100, 'reo1');
    await waitFor(() => p.pushes('orders').filter((f) => item(f)['clOrdId'] !== 'dup1' || item(f)['state'] === 'canceled').length >= 2, 'reordered pair');
    const pair = p.pushes('orders').filter((f) => item(f)['state'] === 'canceled' || item(f)['clOrdId'] === 'reo1').slice(0, 2);
    assert.deepEqual(pair.map((f) => item(f)['clOrdId']), ['reo1', 'dup1'], 'the later event came first');
  });

  test('dropPrivateStreams cuts every private connection without a close frame and leaves public ones', async () => {
    const p = await loggedIn();
    const pub = await new OkxProbe(fe.endpoints.public).opened();
    probes.push(pub);
    const open = [...fe.streams.connections].filter((c) => c.path === 'private').length;
    assert.equal(fe.dropPrivateStreams(), open);
    await waitFor(() => p.closed, 'closed');
    assert.equal(p.closed?.code, 1006);
    assert.equal(pub.closed, undefined);
  });
});
