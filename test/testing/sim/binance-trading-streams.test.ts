/**
 * Binance private streams of the simulator: the spot WS API user data stream (`userDataStream.subscribe.signature`,
 * wrapped events) and the USD-M `/private/ws?listenKey=` stream, in the fixture shapes; login failures; the trading
 * faults (acknowledgement delay / loss / timeout after accept, duplicated and reordered frames, dropped streams).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { fixtureLines, fixtureText, waitFor } from '../../helpers/wait.js';
import { KEY, signed, signWsParams, touch } from './binance-trading-helpers.js';
import { shape, WsProbe } from './sim-helpers.js';

const fixture = (path: string): unknown => JSON.parse(fixtureText(path));
type Obj = Record<string, unknown>;

describe('binance private streams and trading faults', () => {
  let sim: Simulator;
  let spot: string;
  let usdm: string;
  const probes: WsProbe[] = [];
  before(async () => {
    sim = await startSimulator({ seed: 11, tickMs: 0, depth: 50, symbols: 2, venues: ['binance'] });
    spot = sim.endpoints.binance.spot.rest;
    usdm = sim.endpoints.binance.usdm.rest;
  });
  after(async () => {
    for (const p of probes) p.close();
    await sim.close();
  });

  const wsApi = async (): Promise<WsProbe> => {
    const p = new WsProbe(sim.endpoints.binance.spot.wsApi);
    probes.push(p);
    await p.opened();
    return p;
  };
  const subscribe = async (p: WsProbe, id: string, params: Record<string, string | number> = signWsParams({ apiKey: KEY, timestamp: sim.faults.now() })): Promise<Obj> => {
    p.send({ id, method: 'userDataStream.subscribe.signature', params });
    return p.next((f) => f['id'] === id, `answer ${id}`);
  };
  const listenKey = async (): Promise<string> => {
    const r = await fetch(`${usdm}/fapi/v1/listenKey`, { method: 'POST', headers: { 'X-MBX-APIKEY': KEY } });
    return ((await r.json()) as { listenKey: string }).listenKey;
  };
  const privateStream = async (key: string): Promise<WsProbe> => {
    const p = new WsProbe(`${sim.endpoints.binance.usdm.ws}/private/ws?listenKey=${key}`);
    probes.push(p);
    await p.opened();
    return p;
  };
  const spotEvents = (p: WsProbe): Obj[] => p.frames.filter((f) => (f as Obj)['subscriptionId'] !== undefined).map((f) => (f as { event: Obj }).event);

  test('WS API subscribe: signed ok (fixture shape), bad signature, unknown key, stale timestamp, duplicate', async () => {
    const p = await wsApi();
    const ok = await subscribe(p, 'sub-1');
    assert.deepEqual(ok, { id: 'sub-1', status: 200, result: { subscriptionId: 0 } });
    assert.deepEqual(shape(ok), shape(fixture('binance/ws/wsapi-response-user-data-stream-subscribe-signature.json')));
    const dup = await subscribe(p, 'sub-dup');
    assert.deepEqual(dup['error'], { code: -2035, msg: 'User Data Stream subscription already active.' });
    const bad = await subscribe(p, 'sub-2', { ...signWsParams({ apiKey: KEY, timestamp: sim.faults.now() }, 'wrong-secret') });
    assert.deepEqual(bad, { id: 'sub-2', status: 400, error: { code: -1022, msg: 'Signature for this request is not valid.' } });
    const unknown = await subscribe(p, 'sub-3', signWsParams({ apiKey: 'nobody', timestamp: sim.faults.now() }));
    assert.deepEqual(unknown, { id: 'sub-3', status: 401, error: { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' } });
    const stale = await subscribe(p, 'sub-4', signWsParams({ apiKey: KEY, timestamp: sim.faults.now() - 10_000, recvWindow: 5000 }));
    assert.deepEqual((stale['error'] as Obj)['code'], -1021);
    p.send({ id: 'p', method: 'ping' });
    assert.deepEqual(await p.next((f) => f['id'] === 'p', 'ping'), { id: 'p', status: 200, result: {} });
    p.send({ id: 'n', method: 'order.place', params: {} });
    assert.deepEqual((await p.next((f) => f['id'] === 'n', 'unsupported'))['status'], 400);
    p.send({ id: 't', method: 'time' });
    const time = await p.next((f) => f['id'] === 't', 'time');
    assert.deepEqual(shape((time as Obj)['result']), shape((fixture('binance/ws/wsapi-response-time.json') as Obj)['result']));
    p.send({ id: 'u', method: 'userDataStream.unsubscribe', params: { subscriptionId: 0 } });
    assert.deepEqual(await p.next((f) => f['id'] === 'u', 'unsubscribe'), { id: 'u', status: 200, result: {} });
    p.close();
  });

  test('spot events for a crossing LIMIT: executionReport NEW then TRADE, outboundAccountPosition; CANCELED', async () => {
    const p = await wsApi();
    assert.equal((await subscribe(p, 'ev'))['status'], 200);
    const t = touch(sim, 'BTC/USDT');
    const r = await signed(sim, spot, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', quantity: t.minQty, price: t.ask, newClientOrderId: 'ws-fill' });
    assert.equal((r.body as Obj)['status'], 'FILLED', JSON.stringify(r.body));
    await waitFor(() => spotEvents(p).some((e) => e['e'] === 'outboundAccountPosition'), 'balance event');
    const wrapped = p.frames.find((f) => (f as Obj)['subscriptionId'] !== undefined) as Obj;
    assert.deepEqual(Object.keys(wrapped), ['subscriptionId', 'event']);
    const reports = spotEvents(p).filter((e) => e['e'] === 'executionReport' && e['c'] === 'ws-fill');
    assert.deepEqual(reports.map((e) => [e['x'], e['X']]), [['NEW', 'NEW'], ['TRADE', 'FILLED']]);
    const { v: _v, ...docReport } = (fixture('binance/ws/spot-user-execution-report.json') as { event: Obj }).event;
    for (const e of reports) assert.deepEqual(Object.keys(e), Object.keys(docReport));
    const recordedTrade = (fixture('binance/ws/spot-user-execution-report-trade-filled-recorded-2021-03.json') as { data: Obj }).data;
    const { V: _stp, ...tradeWithoutStp } = reports[1] as Obj; // the 2021 recording predates the STP field `V`
    assert.deepEqual(shape(tradeWithoutStp), shape(recordedTrade));
    assert.deepEqual([reports[1]?.['L'], reports[1]?.['l'], reports[1]?.['i']], [`${t.ask}000000`, `${t.minQty}000`, (r.body as Obj)['orderId']]);
    const balance = spotEvents(p).find((e) => e['e'] === 'outboundAccountPosition') as Obj;
    assert.deepEqual(shape(balance), shape((fixture('binance/ws/wsapi-user-event-wrapped.json') as { event: unknown }).event));
    const rest = await signed(sim, spot, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: t.minQty, price: t.farBid, newClientOrderId: 'ws-cancel' });
    await signed(sim, spot, 'DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId: String((rest.body as Obj)['orderId']) });
    const cancel = await waitFor(() => spotEvents(p).find((e) => e['c'] === 'ws-cancel' && e['x'] === 'CANCELED'), 'CANCELED report');
    assert.deepEqual([cancel['X'], cancel['C']], ['CANCELED', 'ws-cancel']);
    // A rejected LIMIT_MAKER and a USD-M order leave no trace here: the next events are the marker order's own.
    const from = spotEvents(p).length;
    const maker = await signed(sim, spot, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT_MAKER', quantity: t.minQty, price: t.ask });
    assert.equal((maker.body as Obj)['code'], -2010);
    const fut = touch(sim, 'BTC/USDT:USDT');
    await signed(sim, usdm, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: fut.minQty, price: fut.farBid });
    await signed(sim, spot, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: t.minQty, price: t.farBid, newClientOrderId: 'ws-marker' });
    await waitFor(() => spotEvents(p).length >= from + 2, 'the marker events');
    assert.deepEqual(spotEvents(p).slice(from).map((e) => [e['e'], e['c']]), [['executionReport', 'ws-marker'], ['outboundAccountPosition', undefined]]);
    p.close();
  });

  test('USD-M private stream: unknown listenKey closes; ORDER_TRADE_UPDATE NEW/TRADE and ACCOUNT_UPDATE as recorded', async () => {
    const bogus = new WsProbe(`${sim.endpoints.binance.usdm.ws}/private/ws?listenKey=nope`);
    probes.push(bogus);
    await waitFor(() => bogus.closed, 'close of an unknown listenKey');
    assert.equal(bogus.closed?.code, 1008);
    const p = await privateStream(await listenKey());
    const t = touch(sim, 'BTC/USDT:USDT');
    const r = await signed(sim, usdm, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: t.minQty, price: t.ask, newClientOrderId: 'fut-fill' });
    assert.equal((r.body as Obj)['status'], 'FILLED', JSON.stringify(r.body));
    await waitFor(() => p.events('ACCOUNT_UPDATE').length > 0, 'ACCOUNT_UPDATE');
    const recorded = fixtureLines('binance/ws/usdm-user-open-close-recorded-2024-11.jsonl').map((l) => JSON.parse(l) as Obj);
    const recNew = recorded[1] as Obj;
    const recAccount = recorded[2] as Obj;
    const recTrade = recorded[3] as Obj;
    const updates = p.events('ORDER_TRADE_UPDATE').map((e) => e['o'] as Obj).filter((o) => o['c'] === 'fut-fill');
    assert.deepEqual(updates.map((o) => [o['x'], o['X']]), [['NEW', 'NEW'], ['TRADE', 'FILLED']]);
    const first = p.events('ORDER_TRADE_UPDATE')[0] as Obj;
    assert.deepEqual(Object.keys(first), Object.keys(recNew));
    assert.deepEqual(shape(updates[0]), shape(recNew['o']));
    assert.deepEqual(shape(updates[1]), shape(recTrade['o']));
    assert.deepEqual(updates[1]?.['L'], t.ask);
    const account = p.events('ACCOUNT_UPDATE')[0] as Obj;
    assert.deepEqual(shape(account), shape(recAccount));
    const pos = ((account['a'] as Obj)['P'] as Obj[])[0] as Obj;
    assert.deepEqual([pos['s'], pos['pa'], pos['ps']], ['BTCUSDT', t.minQty, 'BOTH']);
    assert.deepEqual(Object.keys(p.events('TRADE_LITE')[0] as Obj), Object.keys(fixture('binance/ws/usdm-user-trade-lite.json') as Obj));
    const before = p.frames.length;
    const s = touch(sim, 'ETH/USDT');
    await signed(sim, spot, 'POST', '/api/v3/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: s.minQty, price: s.farBid });
    await signed(sim, usdm, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: t.minQty, price: t.farBid, newClientOrderId: 'fut-marker' });
    await signed(sim, usdm, 'DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: 'fut-marker' });
    await waitFor(() => p.events('ORDER_TRADE_UPDATE').some((e) => (e['o'] as Obj)['x'] === 'CANCELED'), 'the marker cancel');
    const after = p.frames.slice(before).map((f) => [(f as Obj)['e'], ((f as Obj)['o'] as Obj | undefined)?.['c'], ((f as Obj)['o'] as Obj | undefined)?.['X']]);
    assert.deepEqual(after, [['ORDER_TRADE_UPDATE', 'fut-marker', 'NEW'], ['ORDER_TRADE_UPDATE', 'fut-marker', 'CANCELED']], 'no trace of the spot order, no ACCOUNT_UPDATE for margin held by a resting order');
    assert.equal(sim.frontEnd('binance', 'usdm').expireListenKeys(), 1);
    const expired = await waitFor(() => p.events('listenKeyExpired')[0], 'listenKeyExpired');
    assert.deepEqual(shape(expired), shape(fixture('binance/ws/usdm-user-listen-key-expired.json')));
    assert.equal(typeof expired['E'], 'string');
    p.close();
  });

  test('ack delay: the answer comes late, the order exists at once', async () => {
    const t = touch(sim, 'BTC/USDT');
    sim.tradingFaults.failAck('binance', { kind: 'delay', ms: 300 });
    const started = Date.now();
    const pending = signed(sim, spot, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: t.minQty, price: t.farBid, newClientOrderId: 'late-ack' });
    await waitFor(() => sim.tradingOf('binance').openOrders(KEY, 'BTC/USDT').some((o) => o.clientOrderId === 'late-ack'), 'order in the engine');
    const r = await pending;
    assert.ok(Date.now() - started >= 290, `answered after ${Date.now() - started} ms`);
    assert.equal((r.body as Obj)['clientOrderId'], 'late-ack');
  });

  test('ack lose: the connection resets without an answer, the cancel happened', async () => {
    const t = touch(sim, 'BTC/USDT');
    const placed = await signed(sim, spot, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: t.minQty, price: t.farBid, newClientOrderId: 'lost-cancel' });
    sim.tradingFaults.failAck('binance', { kind: 'lose' });
    await assert.rejects(signed(sim, spot, 'DELETE', '/api/v3/order', { symbol: 'BTCUSDT', orderId: String((placed.body as Obj)['orderId']) }));
    assert.equal(sim.tradingOf('binance').order(KEY, 'BTC/USDT', { clientOrderId: 'lost-cancel' })?.status, 'cancelled');
  });

  test('ack timeout after accept: the client gives up, the engine holds exactly one order', async () => {
    const t = touch(sim, 'BTC/USDT:USDT');
    sim.tradingFaults.failAck('binance', { kind: 'timeout-after-accept', ms: 400 });
    await assert.rejects(signed(sim, usdm, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: t.minQty, price: t.farBid, newClientOrderId: 'timed-out' }, { signal: AbortSignal.timeout(150) }));
    const held = sim.tradingOf('binance').orders(KEY, 'BTC/USDT:USDT').filter((o) => o.clientOrderId === 'timed-out');
    assert.equal(held.length, 1);
    assert.equal(held[0]?.status, 'new');
    assert.equal(sim.tradingFaults.state().pendingAcks, 0);
  });

  test('duplicated and reordered private frames; dropPrivateStreams terminates every private socket', async () => {
    const p = await wsApi();
    assert.equal((await subscribe(p, 'faults'))['status'], 200);
    const t = touch(sim, 'BTC/USDT');
    const place = async (id: string): Promise<void> => {
      await signed(sim, spot, 'POST', '/api/v3/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: t.minQty, price: t.farBid, newClientOrderId: id });
    };
    const reportsOf = (id: string): Obj[] => spotEvents(p).filter((e) => e['e'] === 'executionReport' && e['c'] === id);
    sim.tradingFaults.shapeEvents('binance', { kind: 'duplicate', count: 1 });
    await place('dup-1');
    await waitFor(() => reportsOf('dup-1').length === 2, 'the duplicated NEW report');
    assert.deepEqual(reportsOf('dup-1')[0], reportsOf('dup-1')[1]);
    let from = spotEvents(p).length;
    await place('dup-2');
    await waitFor(() => spotEvents(p).length >= from + 2, 'the next events, sent once');
    const kinds = (): unknown[] => spotEvents(p).slice(from).map((e) => e['e']);
    assert.deepEqual(kinds(), ['executionReport', 'outboundAccountPosition']);
    sim.tradingFaults.shapeEvents('binance', { kind: 'reorder', count: 2 });
    from = spotEvents(p).length;
    await place('re-1');
    await waitFor(() => spotEvents(p).length >= from + 2, 'both held events');
    assert.deepEqual(kinds(), ['outboundAccountPosition', 'executionReport'], 'the two events of the place come newest first');
    const fut = await privateStream(await listenKey());
    await waitFor(() => sim.frontEnd('binance', 'spot').wsApi.privateSessions === 1, 'one private WS API session');
    const dropped = sim.frontEnd('binance', 'spot').dropPrivateStreams() + sim.frontEnd('binance', 'usdm').dropPrivateStreams();
    assert.equal(dropped, 2);
    await waitFor(() => p.closed && fut.closed, 'both sockets closed');
    assert.equal(p.closed?.code, 1006);
    assert.equal(fut.closed?.code, 1006);
  });
});
