/** The Binance front end's market streams: frame shapes, sequence rules, the documented sync procedure, control messages and connection rules. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type Simulator } from '../../../src/testing/index.js';
import { levelsJson } from '../../../src/testing/sim/binance/wire-format.js';
import { fixtureLines, fixtureText, waitFor } from '../../helpers/wait.js';
import { BinanceLocalBook, getJson, shape, unwrap, WsProbe } from './sim-helpers.js';

const fixture = (path: string): unknown => JSON.parse(fixtureText(path));

/** The truth book of `id` on a segment, written the way that segment writes levels. */
function truth(sim: Simulator, segment: 'spot' | 'usdm', id: string): { bids: unknown; asks: unknown; updateId: number } {
  const w = sim.frontEnd('binance', segment).symbols.get(id);
  assert.ok(w !== undefined);
  const book = sim.market.book(w.instrument.symbol);
  const snap = book.snapshot();
  return { bids: JSON.parse(levelsJson(w, snap.bids)), asks: JSON.parse(levelsJson(w, snap.asks)), updateId: book.updateId };
}

/** Runs the documented procedure: buffer, snapshot, align, apply; then pauses the market and waits for the stream to reach the truth. */
async function syncAndCompare(sim: Simulator, segment: 'spot' | 'usdm', wsUrl: string, restUrl: string, id: string): Promise<BinanceLocalBook> {
  const probe = new WsProbe(wsUrl);
  try {
    await probe.opened();
    await waitFor(() => probe.events('depthUpdate').length >= 2, 'buffered depth events');
    const snap = (await getJson(restUrl)).body as { lastUpdateId: number; bids: Array<[string, string]>; asks: Array<[string, string]> };
    const local = new BinanceLocalBook(segment === 'usdm');
    local.load(snap);
    let consumed = 0;
    let first = true;
    const drain = (): void => {
      const events = probe.events('depthUpdate');
      for (; consumed < events.length; consumed++) if (local.apply(events[consumed] as Record<string, unknown>, first)) first = false;
    };
    await waitFor(() => {
      drain();
      return local.applied >= 5;
    }, 'five applied events');
    sim.market.stop();
    const target = truth(sim, segment, id).updateId;
    await waitFor(() => {
      drain();
      return local.lastId === target;
    }, `stream to reach ${target}`);
    const t = truth(sim, segment, id);
    assert.deepEqual(local.sorted('bids'), t.bids);
    assert.deepEqual(local.sorted('asks'), t.asks);
    return local;
  } finally {
    probe.close();
  }
}

describe('binance streams', () => {
  let sim: Simulator;
  let spotWs: string;
  let usdmWs: string;
  before(async () => {
    // A generous incoming limit here: the limit itself is tested on its own below.
    sim = await startSimulator({ seed: 8, tickMs: 10, depth: 300, symbols: 3, maxIncomingPerSecond: { spot: 100, usdm: 100 } });
    spotWs = sim.endpoints.binance.spot.ws;
    usdmWs = sim.endpoints.binance.usdm.ws;
  });
  after(() => sim.close());

  test('spot diff-depth events are contiguous: each U is the previous u + 1', async () => {
    const probe = new WsProbe(`${spotWs}/ws/btcusdt@depth@100ms`);
    await waitFor(() => probe.events('depthUpdate').length >= 6, 'six depth events');
    probe.close();
    const events = probe.events('depthUpdate');
    for (let i = 1; i < events.length; i++) assert.equal(events[i]?.['U'], (events[i - 1]?.['u'] as number) + 1);
    const full = (e: Record<string, unknown>): boolean => (e['b'] as unknown[]).length > 0 && (e['a'] as unknown[]).length > 0;
    const recorded = fixtureLines('binance/ws/spot-depth100ms-NKNUSDT-recorded-sequence.jsonl').map((l) => unwrap(JSON.parse(l))).find(full);
    assert.deepEqual(shape(events.find(full)), shape(recorded));
  });

  test('USD-M diff-depth events chain by pu while their ids jump', async () => {
    const probe = new WsProbe(`${usdmWs}/public/stream?streams=btcusdt@depth@100ms`);
    await waitFor(() => probe.events('depthUpdate').length >= 6, 'six depth events');
    probe.close();
    const events = probe.events('depthUpdate');
    let jumps = 0;
    for (let i = 1; i < events.length; i++) {
      assert.equal(events[i]?.['pu'], events[i - 1]?.['u']);
      if (events[i]?.['U'] !== (events[i - 1]?.['u'] as number) + 1) jumps++;
    }
    assert.ok(jumps > 0, 'ids never jumped');
    assert.equal((probe.frames[0] as { stream: string }).stream, 'btcusdt@depth@100ms');
    const full = (e: Record<string, unknown>): boolean => (e['b'] as unknown[]).length > 0 && (e['a'] as unknown[]).length > 0;
    const recorded = fixtureLines('binance/ws/usdm-depth100ms-SUSHIUSDT-recorded-sequence.jsonl').map((l) => unwrap(JSON.parse(l))).find(full);
    assert.deepEqual(shape(events.find(full)), shape(recorded));
  });

  test('a spot REST snapshot plus the buffered stream replays to the truth book', async () => {
    sim.market.start(10);
    await syncAndCompare(sim, 'spot', `${spotWs}/stream?streams=btcusdt@depth@100ms`, `${sim.endpoints.binance.spot.rest}/api/v3/depth?symbol=BTCUSDT&limit=5000`, 'BTCUSDT');
    sim.market.start(10);
  });

  test('a USD-M REST snapshot plus the buffered stream replays to the truth book', async () => {
    sim.market.start(10);
    await syncAndCompare(sim, 'usdm', `${usdmWs}/public/ws/ethusdt@depth@100ms`, `${sim.endpoints.binance.usdm.rest}/fapi/v1/depth?symbol=ETHUSDT&limit=1000`, 'ETHUSDT');
    sim.market.start(10);
  });

  test('every stream frame has the shape of the vendored venue frame', async () => {
    const spotStreams = ['btcusdt@trade', 'btcusdt@aggTrade', 'btcusdt@kline_1m', 'btcusdt@bookTicker', 'btcusdt@ticker', 'btcusdt@depth5@100ms', 'btcusdt@miniTicker'];
    const spot = new WsProbe(`${spotWs}/stream?streams=${spotStreams.join('/')}`);
    const usdmMarket = new WsProbe(`${usdmWs}/market/stream?streams=btcusdt@aggTrade/btcusdt@kline_1m/btcusdt@ticker`);
    const usdmPublic = new WsProbe(`${usdmWs}/public/stream?streams=btcusdt@bookTicker/btcusdt@depth5@100ms`);
    const byStream = (p: WsProbe, s: string): unknown => (p.frames.find((f) => (f as { stream: string }).stream === s) as { data: unknown } | undefined)?.data;
    await waitFor(() => spotStreams.every((s) => byStream(spot, s) !== undefined), 'a frame on every spot stream', 8000);
    await waitFor(() => ['btcusdt@aggTrade', 'btcusdt@kline_1m', 'btcusdt@ticker'].every((s) => byStream(usdmMarket, s) !== undefined), 'USD-M market frames', 8000);
    await waitFor(() => ['btcusdt@bookTicker', 'btcusdt@depth5@100ms'].every((s) => byStream(usdmPublic, s) !== undefined), 'USD-M public frames', 8000);
    const cases: Array<[unknown, string]> = [
      [byStream(spot, 'btcusdt@trade'), 'spot-trade.json'],
      [byStream(spot, 'btcusdt@aggTrade'), 'spot-agg-trade.json'],
      [byStream(spot, 'btcusdt@kline_1m'), 'spot-kline.json'],
      [byStream(spot, 'btcusdt@bookTicker'), 'spot-book-ticker.json'],
      [byStream(spot, 'btcusdt@ticker'), 'spot-ticker-24hr.json'],
      [byStream(spot, 'btcusdt@depth5@100ms'), 'spot-partial-depth.json'],
      [byStream(spot, 'btcusdt@miniTicker'), 'spot-mini-ticker.json'],
      [byStream(usdmMarket, 'btcusdt@kline_1m'), 'usdm-kline.json'],
      [byStream(usdmMarket, 'btcusdt@ticker'), 'usdm-ticker-24hr.json'],
      [byStream(usdmPublic, 'btcusdt@depth5@100ms'), 'usdm-partial-depth.json'],
    ];
    for (const [data, file] of cases) {
      const want = fixture(`binance/ws/${file}`) as Record<string, unknown>;
      assert.deepEqual(Object.keys(data as object), Object.keys(want), `${file} keys and order`);
      assert.deepEqual(shape(data), shape(want), file);
    }
    // Where a recording exists its field order wins over the doc example (USD-M aggTrade writes `a` before `s`).
    const recordedAggTrade = fixtureLines('binance/ws/usdm-combined-streams-recorded-session.jsonl').map((l) => JSON.parse(l) as { stream: string; data: unknown }).find((f) => f.stream.endsWith('@aggTrade'))?.data;
    assert.deepEqual(Object.keys(byStream(usdmMarket, 'btcusdt@aggTrade') as object), Object.keys(recordedAggTrade as object));
    assert.deepEqual(shape(byStream(usdmMarket, 'btcusdt@aggTrade')), shape(recordedAggTrade));
    const recordedBookTicker = unwrap(fixture('binance/ws/usdm-book-ticker-recorded.json'));
    assert.deepEqual(Object.keys(byStream(usdmPublic, 'btcusdt@bookTicker') as object), Object.keys(recordedBookTicker));
    for (const p of [spot, usdmMarket, usdmPublic]) p.close();
  });

  test('SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS and properties answer like the venue', async () => {
    const p = new WsProbe(`${spotWs}/ws`);
    await p.opened();
    const reply = async (msg: { method: string; id: unknown; params?: unknown[] }): Promise<Record<string, unknown>> => {
      const from = p.frames.length;
      p.send(msg);
      return p.next((f) => f['id'] === msg.id && ('result' in f || 'error' in f), `reply ${String(msg.id)}`, 3000, from);
    };
    assert.deepEqual(await reply({ method: 'SUBSCRIBE', params: ['ethusdt@aggTrade', 'ethusdt@depth'], id: 1 }), fixture('binance/ws/spot-subscribe-response.json'));
    assert.deepEqual(await reply({ method: 'LIST_SUBSCRIPTIONS', id: 2 }), { result: ['ethusdt@aggTrade', 'ethusdt@depth'], id: 2 });
    assert.deepEqual(await reply({ method: 'UNSUBSCRIBE', params: ['ethusdt@depth'], id: 3 }), { result: null, id: 3 });
    assert.deepEqual(await reply({ method: 'SET_PROPERTY', params: ['combined', true], id: 4 }), { result: null, id: 4 });
    assert.deepEqual(await reply({ method: 'GET_PROPERTY', params: ['combined'], id: 5 }), { result: true, id: 5 });
    assert.equal(((await reply({ method: 'SET_PROPERTY', params: ['nope', true], id: 6 }))['error'] as { code: number }).code, 0);
    assert.equal(((await reply({ method: 'SET_PROPERTY', params: ['combined', 'yes'], id: 7 }))['error'] as { code: number }).code, 1);
    assert.equal(((await reply({ method: 'PING', id: 8 }))['error'] as { code: number }).code, 2);
    const from = p.frames.length;
    p.ws.send('{not json');
    assert.equal(((await p.next((f) => 'error' in f, 'invalid JSON reply', 3000, from))['error'] as { code: number }).code, 3);
    const wrapped = await p.next((f) => f['stream'] === 'ethusdt@aggTrade', 'a combined aggTrade frame', 5000, from);
    assert.equal((wrapped['data'] as { e: string }).e, 'aggTrade');
    p.close();
  });

  test('USD-M refuses streams on the wrong root and legacy paths serve only the public tier', async () => {
    const ask = async (url: string, stream: string): Promise<Record<string, unknown>> => {
      const p = new WsProbe(url);
      await p.opened();
      p.send({ method: 'SUBSCRIBE', params: [stream], id: 9 });
      const r = await p.next((f) => f['id'] === 9, `reply for ${stream}`);
      p.close();
      return r;
    };
    assert.equal(((await ask(`${usdmWs}/public/ws`, 'btcusdt@aggTrade'))['error'] as { code: number }).code, 2);
    assert.equal(((await ask(`${usdmWs}/market/ws`, 'btcusdt@depth@100ms'))['error'] as { code: number }).code, 2);
    assert.deepEqual(await ask(`${usdmWs}/market/ws`, 'btcusdt@kline_1m'), { result: null, id: 9 });
    assert.deepEqual(await ask(`${usdmWs}/ws`, 'btcusdt@depth@100ms'), { result: null, id: 9 });
    assert.equal(((await ask(`${usdmWs}/fstream.binance.com/ws/0`, 'btcusdt@kline_1m'))['error'] as { code: number }).code, 2);
  });
});

describe('binance stream connection rules', () => {
  test('closes a connection that does not answer pings and keeps one that does', async () => {
    await using sim = await startSimulator({ tickMs: 0, symbols: 1, pingIntervalMs: 40, pongTimeoutMs: 150 });
    const good = new WsProbe(`${sim.endpoints.binance.spot.ws}/ws`);
    const mute = new WsProbe(`${sim.endpoints.binance.spot.ws}/ws`, { autoPong: false });
    await waitFor(() => mute.closed, 'the mute client to be closed');
    assert.ok(mute.pings >= 2);
    assert.equal(good.closed, undefined);
    assert.ok(good.pings >= 2);
    assert.equal(sim.stats.connections['binance:spot']?.closedByServer['pong-timeout'], 1);
    good.close();
  });

  test('disconnects a client that sends more than the incoming message limit per second', async () => {
    await using sim = await startSimulator({ tickMs: 0, symbols: 1 });
    const polite = new WsProbe(`${sim.endpoints.binance.spot.ws}/ws`);
    const chatty = new WsProbe(`${sim.endpoints.binance.usdm.ws}/market/ws`);
    await Promise.all([polite.opened(), chatty.opened()]);
    for (let i = 0; i < 5; i++) polite.send({ method: 'LIST_SUBSCRIPTIONS', id: i });
    for (let i = 0; i < 11; i++) chatty.send({ method: 'LIST_SUBSCRIPTIONS', id: i });
    await waitFor(() => chatty.closed, 'the chatty USD-M client to be closed');
    assert.equal(chatty.closed?.code, 1008);
    await waitFor(() => polite.frames.length === 5, 'five replies');
    assert.equal(polite.closed, undefined);
    polite.close();
  });

  test('closes a connection when its maximum lifetime is reached', async () => {
    await using sim = await startSimulator({ tickMs: 0, symbols: 1, maxConnectionLifetimeMs: 200 });
    const p = new WsProbe(`${sim.endpoints.binance.spot.ws}/ws/btcusdt@trade`);
    await p.opened();
    await waitFor(() => p.closed, 'the lifetime close');
    assert.equal(p.closed?.code, 1001);
    assert.equal(sim.stats.connections['binance:spot']?.closedByServer['lifetime'], 1);
  });
});
