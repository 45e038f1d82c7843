/**
 * The Bybit front end's private stream and trading faults: login ok / failing, ping, subscribe without login, the
 * pushes of a place that fills in the recorded shapes, duplicated and reordered pushes, dropped private streams,
 * and order-ack faults (delay, lose, timeout after accept: the engine holds exactly one order each time).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Simulator } from '../../../src/testing/index.js';
import { waitFor } from '../../helpers/wait.js';
import { KEY, SECRET, privateProbe, quotes, restBase, signedPost, startBybitSim, wsSignature } from './bybit-trading-helpers.js';
import { keySet, WsProbe } from './sim-helpers.js';

const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../../fixtures/bybit/ws/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const dataItem = (f: unknown): Record<string, unknown> => ((f as { data: unknown[] }).data[0] as Record<string, unknown>);
const pushes = (p: WsProbe): Array<Record<string, unknown>> => p.frames.filter((f) => typeof (f as { topic?: unknown }).topic === 'string') as Array<Record<string, unknown>>;

describe('bybit simulator: private stream and trading faults', () => {
  let sim: Simulator;
  let base: string;
  let url: string;
  before(async () => {
    sim = await startBybitSim();
    base = restBase(sim);
    url = (sim.endpoints.bybit as { ws: { private: string } }).ws.private;
  });
  after(() => sim.close());

  const crossingBuy = (link?: string): Promise<{ body: { retCode: number; retMsg: string; result: Record<string, unknown> } }> => {
    const q = quotes(sim, 'BTC/USDT:USDT');
    return signedPost(base, '/v5/order/create', { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: q.qty(q.minQty), price: q.price(q.ask + 5 * q.tick), ...(link === undefined ? {} : { orderLinkId: link }) });
  };

  test('login: a good signature succeeds as recorded; bad signature, expired, unknown key fail; subscribe before login is refused; ping answers pong', async () => {
    const p = new WsProbe(url);
    await p.opened();
    p.send({ req_id: 'sub0', op: 'subscribe', args: ['order'] });
    const refused = await p.next((f) => f['op'] === 'subscribe', 'refused subscribe');
    assert.equal(refused['success'], false);
    assert.equal(refused['ret_msg'], 'Request not authorized');
    const expires = Date.now() + 5000;
    p.send({ op: 'auth', args: [KEY, expires, wsSignature('wrong', expires)] });
    assert.equal((await p.next((f) => f['op'] === 'auth', 'bad sign')).success, false);
    p.send({ op: 'auth', args: [KEY, Date.now() - 1000, wsSignature(SECRET, Date.now() - 1000)] });
    await waitFor(() => p.frames.filter((f) => (f as { op?: string }).op === 'auth').length === 2, 'expired answered');
    assert.equal((p.frames.filter((f) => (f as { op?: string }).op === 'auth')[1] as { success: boolean }).success, false);
    p.send({ op: 'auth', args: ['nobody', expires, wsSignature(SECRET, expires)] });
    await waitFor(() => p.frames.filter((f) => (f as { op?: string }).op === 'auth').length === 3, 'unknown key answered');
    assert.equal((p.frames.filter((f) => (f as { op?: string }).op === 'auth')[2] as { success: boolean }).success, false);
    const from = p.frames.length;
    p.send({ req_id: 'a9', op: 'auth', args: [KEY, String(expires), wsSignature(SECRET, expires)] });
    const ok = await p.next((f) => f['op'] === 'auth', 'auth ok', 5000, from);
    assert.deepEqual(keySet(ok), keySet(fixture('auth-response-success-recorded.json')));
    assert.equal(ok['success'], true);
    p.send({ req_id: 'sub1', op: 'subscribe', args: ['order', 'wallet'] });
    const sub = await p.next((f) => f['op'] === 'subscribe' && f['success'] === true, 'subscribe ok');
    assert.deepEqual(keySet(sub), keySet(fixture('subscribe-response-private-recorded.json')));
    p.send({ req_id: 'test', op: 'ping' });
    const pong = await p.next((f) => f['op'] === 'pong', 'pong');
    assert.deepEqual(Object.keys(pong), Object.keys(fixture('pong-private.json')));
    p.close();
  });

  test('a place that fills pushes order, execution, position and wallet in the recorded shapes', async () => {
    const p = await privateProbe(sim);
    const r = await crossingBuy('ws-fill');
    assert.equal(r.body.retCode, 0, r.body.retMsg);
    const orderId = r.body.result['orderId'];
    await waitFor(() => ['order', 'execution', 'position', 'wallet'].every((t) => pushes(p).some((f) => f['topic'] === t)), 'every private topic');
    await waitFor(() => pushes(p).some((f) => f['topic'] === 'order' && dataItem(f)['orderStatus'] === 'Filled'), 'a Filled order push');
    const topics = pushes(p).map((f) => `${String(f['topic'])}:${String(dataItem(f)['orderStatus'] ?? '')}`);
    assert.ok(topics.indexOf('execution:') < topics.indexOf('order:Filled'), `the execution comes before the Filled order: ${topics.join(',')}`);
    const orders = pushes(p).filter((f) => f['topic'] === 'order').map(dataItem);
    assert.ok(orders.every((o) => o['orderId'] === orderId && o['orderLinkId'] === 'ws-fill'));
    assert.deepEqual(keySet(orders[0]), keySet(dataItem(fixture('private-order-new-recorded.json'))));
    const exec = dataItem(pushes(p).find((f) => f['topic'] === 'execution'));
    assert.deepEqual(keySet(exec).filter((k) => k !== 'feeCurrency'), keySet(dataItem(fixture('private-execution-recorded.json'))));
    assert.equal(exec['orderId'], orderId);
    assert.equal(exec['isMaker'], false);
    const pos = dataItem(pushes(p).find((f) => f['topic'] === 'position'));
    assert.deepEqual(keySet(pos), keySet(dataItem(fixture('private-position-recorded.json'))));
    assert.equal(pos['side'], 'Buy');
    const wallet = dataItem(pushes(p).find((f) => f['topic'] === 'wallet'));
    assert.deepEqual(keySet(wallet), keySet(dataItem(fixture('private-wallet-recorded.json'))));
    const frame = pushes(p)[0] as Record<string, unknown>;
    assert.deepEqual(Object.keys(frame), Object.keys(fixture('private-order-new-recorded.json')));
    assert.equal(typeof frame['creationTime'], 'number');
    p.close();
  });

  test('duplicate and reorder faults shape the pushes of one connection; a plain connection sees the engine order', async () => {
    const a = await privateProbe(sim, ['order']);
    const b = await privateProbe(sim, ['order']);
    sim.tradingFaults.shapeEvents('bybit', { kind: 'duplicate', count: 1 });
    assert.equal((await crossingBuy()).body.retCode, 0);
    await waitFor(() => pushes(a).length + pushes(b).length >= 2 * Math.min(pushes(a).length, pushes(b).length) + 1 && Math.min(pushes(a).length, pushes(b).length) > 0, 'pushes on both');
    const [more, fewer] = pushes(a).length > pushes(b).length ? [a, b] : [b, a];
    assert.equal(pushes(more).length, pushes(fewer).length + 1);
    assert.deepEqual(pushes(more)[0], pushes(more)[1], 'the first push came twice');

    a.frames.length = 0;
    b.frames.length = 0;
    sim.tradingFaults.shapeEvents('bybit', { kind: 'reorder', count: 2 });
    assert.equal((await crossingBuy()).body.retCode, 0);
    await waitFor(() => pushes(a).length >= 2 && pushes(b).length >= 2 && pushes(a).length === pushes(b).length, 'both got the pushes');
    const status = (p: WsProbe): string[] => pushes(p).map((f) => `${String(dataItem(f)['orderStatus'])}:${String(dataItem(f)['cumExecQty'])}:${String(dataItem(f)['orderId'])}`);
    const [sa, sb] = [status(a), status(b)];
    const swapped = (x: string[], y: string[]): boolean => x[0] === y[1] && x[1] === y[0] && x[0] !== x[1];
    assert.ok(swapped(sa, sb), `one connection got its first two pushes reversed: ${sa.join(',')} / ${sb.join(',')}`);
    assert.equal(sim.tradingFaults.state().pendingEvents, 0);
    a.close();
    b.close();
  });

  test('dropPrivateStreams cuts every private connection without a close frame', async () => {
    const a = await privateProbe(sim, ['order']);
    const b = await privateProbe(sim, []);
    assert.equal(sim.frontEnd('bybit').dropPrivateStreams(), 2);
    await waitFor(() => a.closed !== undefined && b.closed !== undefined, 'both closed');
    assert.equal(a.closed?.code, 1006);
    assert.equal(b.closed?.code, 1006);
  });

  test('ack faults: a delayed answer, a lost one and one timed out after accept each leave exactly one order in the engine', async () => {
    const engine = sim.tradingOf('bybit');
    const count = (link: string): number => engine.orders(KEY).filter((o) => o.clientOrderId === link).length;
    sim.tradingFaults.failAck('bybit', { kind: 'delay', ms: 300 });
    let t0 = Date.now();
    const delayed = await crossingBuy('ack-delay');
    assert.equal(delayed.body.retCode, 0);
    assert.ok(Date.now() - t0 >= 290, 'answered after the delay');
    assert.equal(count('ack-delay'), 1);

    sim.tradingFaults.failAck('bybit', { kind: 'lose' });
    await assert.rejects(crossingBuy('ack-lose'));
    assert.equal(count('ack-lose'), 1);

    sim.tradingFaults.failAck('bybit', { kind: 'timeout-after-accept', ms: 300 });
    t0 = Date.now();
    await assert.rejects(crossingBuy('ack-timeout'));
    assert.ok(Date.now() - t0 >= 290, 'held before the reset');
    assert.equal(count('ack-timeout'), 1);

    // A cancel's answer goes through the same switches.
    const q = quotes(sim, 'BTC/USDT:USDT');
    const resting = await signedPost(base, '/v5/order/create', { category: 'linear', symbol: 'BTCUSDT', side: 'Buy', orderType: 'Limit', qty: q.qty(q.minQty), price: q.price(q.bid - 50 * q.tick), orderLinkId: 'ack-cancel' });
    assert.equal(resting.body.retCode, 0);
    sim.tradingFaults.failAck('bybit', { kind: 'lose' });
    await assert.rejects(signedPost(base, '/v5/order/cancel', { category: 'linear', symbol: 'BTCUSDT', orderLinkId: 'ack-cancel' }));
    assert.equal(engine.orders(KEY).find((o) => o.clientOrderId === 'ack-cancel')?.status, 'cancelled');
    assert.deepEqual(sim.tradingFaults.state().pendingAcks, 0);
  });
});
