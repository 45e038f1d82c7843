/** Fault switches, in-process and over the control API: each does what it says and never corrupts the market's truth. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { fixtureText, waitFor } from '../../helpers/wait.js';
import { getJson, postJson, WsProbe } from './sim-helpers.js';

describe('fault switches', () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ seed: 12, tickMs: 10, depth: 200, symbols: 2, venues: ['binance'], pingIntervalMs: 25, maxIncomingPerSecond: { spot: 100, usdm: 100 } });
  });
  after(() => sim.close());

  test('a gap leaves out exactly one spot depth event and the stream goes on', async () => {
    const p = new WsProbe(`${sim.endpoints.binance.spot.ws}/ws/btcusdt@depth@100ms`);
    await waitFor(() => p.events('depthUpdate').length >= 2, 'two events');
    sim.faults.gap('BTC/USDT');
    await waitFor(() => sim.faults.state().applied['gap-applied'] === 1 && p.events('depthUpdate').length >= 5, 'events after the gap');
    p.close();
    const e = p.events('depthUpdate');
    const breaks = e.slice(1).filter((x, i) => x['U'] !== (e[i]?.['u'] as number) + 1);
    assert.equal(breaks.length, 1);
  });

  test('a gap on USD-M breaks the pu chain once', async () => {
    const p = new WsProbe(`${sim.endpoints.binance.usdm.ws}/public/ws/btcusdt@depth@100ms`);
    await waitFor(() => p.events('depthUpdate').length >= 2, 'two events');
    const applied = sim.faults.state().applied['gap-applied'] ?? 0;
    sim.faults.gap('BTC/USDT:USDT');
    await waitFor(() => sim.faults.state().applied['gap-applied'] === applied + 1 && p.events('depthUpdate').length >= 5, 'events after the gap');
    p.close();
    const e = p.events('depthUpdate');
    assert.equal(e.slice(1).filter((x, i) => x['pu'] !== e[i]?.['u']).length, 1);
  });

  test('drop closes the chosen segment’s sockets abruptly and leaves the others', async () => {
    const a = new WsProbe(`${sim.endpoints.binance.spot.ws}/ws/btcusdt@trade`);
    const b = new WsProbe(`${sim.endpoints.binance.spot.ws}/stream?streams=ethusdt@trade`);
    const c = new WsProbe(`${sim.endpoints.binance.usdm.ws}/market/ws/btcusdt@aggTrade`);
    await Promise.all([a.opened(), b.opened(), c.opened()]);
    await waitFor(() => sim.stats.connections['binance:spot']?.open === 2, 'both spot connections registered');
    assert.equal(sim.faults.drop({ segment: 'spot' }), 2);
    await waitFor(() => a.closed && b.closed, 'spot sockets closed');
    assert.equal(a.closed?.code, 1006);
    assert.equal(c.closed, undefined);
    const before = sim.market.book('BTC/USDT').updateId;
    await waitFor(() => sim.market.book('BTC/USDT').updateId > before, 'the market to keep evolving');
    c.close();
  });

  test('the REST switch answers the next requests with 429, 418, 500 or 503 and Retry-After', async () => {
    const rest = sim.endpoints.binance.spot.rest;
    sim.faults.failRest({ status: 429, count: 2, retryAfterSec: 3, segment: 'spot' });
    for (let i = 0; i < 2; i++) {
      const r = await getJson(`${rest}/api/v3/ping`);
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('retry-after'), '3');
      assert.equal((r.body as { code: number }).code, -1003);
    }
    assert.equal((await getJson(`${rest}/api/v3/ping`)).status, 200);
    for (const status of [418, 500, 503] as const) {
      sim.faults.failRest({ status });
      const r = await getJson(`${rest}/api/v3/time`);
      assert.equal(r.status, status);
      assert.equal(r.headers.get('retry-after'), '1');
      assert.equal(typeof (r.body as { code: number }).code, 'number');
    }
    assert.equal((await getJson(`${sim.endpoints.binance.usdm.rest}/fapi/v1/ping`)).status, 200);
  });

  test('clock skew moves /time and event times by the skew', async () => {
    sim.faults.skewClock(90_000);
    try {
      const t0 = Date.now();
      const { body } = await getJson(`${sim.endpoints.binance.usdm.rest}/fapi/v1/time`);
      const t1 = Date.now();
      const serverTime = (body as { serverTime: number }).serverTime;
      assert.ok(serverTime >= t0 + 90_000 && serverTime <= t1 + 90_000, `serverTime ${serverTime - t0} ms ahead`);
      const p = new WsProbe(`${sim.endpoints.binance.spot.ws}/ws/btcusdt@trade`);
      const trade = await p.next((f) => f['e'] === 'trade', 'a trade');
      p.close();
      assert.ok((trade['E'] as number) >= t0 + 90_000 && (trade['T'] as number) >= t0 + 89_000);
    } finally {
      sim.faults.skewClock(0);
    }
  });

  test('a stall holds data frames for the given time while pings are still answered, then resumes in order', async () => {
    const p = new WsProbe(`${sim.endpoints.binance.spot.ws}/ws/ethusdt@depth@100ms`);
    await waitFor(() => p.events('depthUpdate').length >= 2, 'events before the stall');
    const stallMs = 400;
    let early = 0;
    let until = 0;
    p.ws.on('message', () => {
      if (Date.now() < until - 5) early++;
    });
    until = Date.now() + stallMs;
    sim.faults.stall(stallMs, { segment: 'spot' });
    const pings = p.pings;
    const count = p.events('depthUpdate').length;
    await waitFor(() => p.events('depthUpdate').length > count + 2, 'frames after the stall', 3000);
    assert.equal(early, 0, 'a data frame arrived during the stall');
    assert.ok(p.pings > pings, 'no ping during the stall');
    assert.equal(p.closed, undefined);
    const e = p.events('depthUpdate');
    for (let i = 1; i < e.length; i++) assert.equal(e[i]?.['U'], (e[i - 1]?.['u'] as number) + 1, 'a stall must not lose events');
    p.close();
  });

  test('the delay switch delays every frame and keeps their order', async () => {
    const p = new WsProbe(`${sim.endpoints.binance.spot.ws}/ws`);
    await p.opened();
    sim.faults.delayFrames(150);
    try {
      const t0 = Date.now();
      p.send({ method: 'SUBSCRIBE', params: ['btcusdt@depth@100ms'], id: 1 });
      const ack = await p.next((f) => f['id'] === 1, 'the delayed ack');
      assert.deepEqual(ack, { result: null, id: 1 });
      assert.ok(Date.now() - t0 >= 148, 'the ack was not delayed');
      await waitFor(() => p.events('depthUpdate').length >= 3, 'delayed depth events');
    } finally {
      sim.faults.delayFrames(0);
    }
    await waitFor(() => p.events('depthUpdate').length >= 6, 'undelayed depth events');
    const e = p.events('depthUpdate');
    for (let i = 1; i < e.length; i++) assert.equal(e[i]?.['U'], (e[i - 1]?.['u'] as number) + 1);
    p.close();
  });

  test('serverShutdown sends the venue notice raw or combined and can close afterwards', async () => {
    const raw = new WsProbe(`${sim.endpoints.binance.spot.ws}/ws/btcusdt@trade`);
    const combined = new WsProbe(`${sim.endpoints.binance.spot.ws}/stream?streams=btcusdt@trade`);
    await Promise.all([raw.opened(), combined.opened()]);
    await waitFor(() => sim.stats.connections['binance:spot']?.open === 2, 'connections registered');
    assert.equal(sim.faults.serverShutdown({ segment: 'spot', closeAfterMs: 50 }), 2);
    const r = await raw.next((f) => f['e'] === 'serverShutdown', 'raw notice');
    const c = await combined.next((f) => f['stream'] === '!serverShutdown', 'combined notice');
    assert.deepEqual(Object.keys(r), Object.keys(JSON.parse(fixtureText('binance/ws/spot-server-shutdown-raw.json')) as object));
    assert.deepEqual(Object.keys(c), ['stream', 'data']);
    assert.deepEqual(Object.keys(c['data'] as object), ['e', 'E']);
    await waitFor(() => raw.closed && combined.closed, 'closed after the notice');
    assert.equal(raw.closed?.code, 1001);
  });

  test('the control API applies faults, reports state and serves the truth book', async () => {
    const control = sim.endpoints.control;
    const applied = await postJson(`${control}/_sim/faults`, { type: 'rest-error', status: 503, count: 1, segment: 'usdm' });
    assert.equal(applied.status, 200);
    const r = await getJson(`${sim.endpoints.binance.usdm.rest}/fapi/v1/time`);
    assert.equal(r.status, 503);
    assert.equal(r.headers.get('retry-after'), '1');
    assert.equal((await postJson(`${control}/_sim/faults`, { type: 'clock-skew', ms: 0 })).status, 200);
    assert.equal((await postJson(`${control}/_sim/faults`, { type: 'nope' })).status, 400);
    const state = (await getJson(`${control}/_sim/state`)).body as { faults: { applied: Record<string, number> }; segments: Record<string, { rest: { total: number } }> };
    assert.ok((state.faults.applied['rest-503'] ?? 0) >= 1);
    assert.ok((state.segments['binance:usdm']?.rest.total ?? 0) >= 1);
    const book = (await getJson(`${control}/_sim/book?symbol=BTCUSDT&limit=3`)).body as { bids: string[][]; lastUpdateId: number };
    assert.equal(book.bids.length, 3);
    assert.ok(book.lastUpdateId > 0);
    const trend = await postJson(`${control}/_sim/market`, { action: 'trend', venue: 'binance', symbol: 'BTCUSDT', levelsPerStep: 3 });
    assert.equal(trend.status, 200);
    const firstAsk = sim.market.snapshot('BTC/USDT', 1).asks[0]?.[0] as number;
    sim.market.step(20, 'BTC/USDT');
    assert.ok((sim.market.snapshot('BTC/USDT', 1).asks[0]?.[0] as number) > firstAsk, 'the trend moved the price up');
    assert.equal((await postJson(`${control}/_sim/market`, { action: 'trend', venue: 'binance', symbol: 'BTCUSDT', levelsPerStep: 0 })).status, 200);
    assert.equal((await postJson(`${control}/_sim/market`, { action: 'trend', venue: 'binance', symbol: 'BTCUSDT' })).status, 400);
  });
});
