/** The bench feed: a deep book and a pre-generated diff-depth stream, flooded or paced through the normal Binance paths. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startSimulator, type BenchResult } from '../../../src/testing/index.js';
import { formatUnits, levelsJson } from '../../../src/testing/sim/binance/wire-format.js';
import { waitFor } from '../../helpers/wait.js';
import { BinanceLocalBook, getJson, postJson, WsProbe } from './sim-helpers.js';

describe('bench feed', () => {
  test('floods a synced spot client with every update of a 5,000-level book, then paces a second run; the book ends exact', async () => {
    await using sim = await startSimulator({ seed: 21, tickMs: 0, symbols: 1 });
    const control = sim.endpoints.control;
    const prepared = await postJson(`${control}/_sim/bench/prepare`, { symbol: 'BTC/USDT', updates: 20_000, levels: 5000 });
    assert.equal(prepared.status, 200, JSON.stringify(prepared.body));
    const p = new WsProbe(`${sim.endpoints.binance.spot.ws}/ws/btcusdt@depth@100ms`);
    await p.opened();
    await waitFor(() => sim.stats.subscriptions['binance:spot'] === 1, 'the subscription');
    const snap = (await getJson(`${sim.endpoints.binance.spot.rest}/api/v3/depth?symbol=BTCUSDT&limit=5000`)).body as { lastUpdateId: number; bids: Array<[string, string]>; asks: Array<[string, string]> };
    assert.equal(snap.bids.length, 5000);
    assert.equal(snap.asks.length, 5000);
    const local = new BinanceLocalBook(false);
    local.load(snap);
    const started = await postJson(`${control}/_sim/bench/start`, { symbol: 'BTC/USDT', updates: 20_000, ratePerSec: 0 });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    await waitFor(() => p.events('depthUpdate').length === 20_000, 'all flood messages', 15_000, 20);
    const events = p.events('depthUpdate');
    events.forEach((e, i) => local.apply(e, i === 0));
    await sim.bench.finished();
    const result = (await getJson(`${control}/_sim/bench/result`)).body as BenchResult;
    assert.equal(result.state, 'done');
    assert.equal(result.writeTimesNs.length, 20_000);
    assert.deepEqual(result.lastUpdateIds, events.map((e) => e['u']));
    for (let i = 1; i < result.writeTimesNs.length; i++) assert.ok(BigInt(result.writeTimesNs[i] as string) >= BigInt(result.writeTimesNs[i - 1] as string));
    for (const e of events) {
      const n = (e['b'] as unknown[]).length + (e['a'] as unknown[]).length;
      assert.ok(n >= 1 && n <= 20, `update with ${n} levels`);
    }
    const w = sim.frontEnd('binance', 'spot').symbols.get('BTCUSDT');
    assert.ok(w !== undefined);
    const truth = sim.market.snapshot('BTC/USDT');
    assert.equal(local.lastId, sim.market.book('BTC/USDT').updateId);
    assert.deepEqual(local.sorted('bids'), JSON.parse(levelsJson(w, truth.bids)));
    assert.deepEqual(local.sorted('asks'), JSON.parse(levelsJson(w, truth.asks)));
    assert.ok(truth.bids.length > 4500 && truth.asks.length > 4500, 'the book stays near 5,000 levels');
    const replay = (await getJson(`${control}/_sim/bench/book?at=19999`)).body as { bids: string[][]; snapshotId: number };
    assert.equal(replay.bids.length, truth.bids.length);
    const midId = events[9999]?.['u'] as number;
    const mid = (await getJson(`${control}/_sim/bench/book?id=${midId}`)).body as { snapshotId: number };
    assert.equal(mid.snapshotId, midId);

    // A second, paced run continues from the synced book.
    const rate = 4000;
    assert.equal((await postJson(`${control}/_sim/bench/start`, { symbol: 'BTC/USDT', updates: 400, ratePerSec: rate })).status, 200);
    await waitFor(() => p.events('depthUpdate').length === 20_400, 'all paced messages', 10_000);
    await sim.bench.finished();
    p.events('depthUpdate').slice(20_000).forEach((e) => local.apply(e, false));
    const paced = sim.bench.result();
    const first = BigInt(paced.writeTimesNs[0] as string);
    const last = BigInt(paced.writeTimesNs[399] as string);
    assert.ok(last - first >= BigInt(Math.floor((398 / rate) * 1e9)), 'paced writes ran ahead of the schedule');
    const truth2 = sim.market.snapshot('BTC/USDT');
    assert.deepEqual(local.sorted('asks'), JSON.parse(levelsJson(w, truth2.asks)));
    p.close();
  });

  test('a client that reads everything after a prelude, live changes and a flood ends on the bench truth of the last message', async () => {
    await using sim = await startSimulator({ seed: 23, tickMs: 0, symbols: 1 });
    const control = sim.endpoints.control;
    const fe = sim.frontEnd('binance', 'spot');
    const w = fe.symbols.get('BTCUSDT');
    assert.ok(w !== undefined);
    assert.equal((await postJson(`${control}/_sim/bench/prepare`, { symbol: 'BTC/USDT', updates: 300, levels: 1000 })).status, 200);
    const p = new WsProbe(`${sim.endpoints.binance.spot.ws}/stream?streams=btcusdt@depth@100ms`);
    await p.opened();
    await waitFor(() => sim.stats.subscriptions['binance:spot'] === 1, 'the subscription');
    const snap = (await getJson(`${sim.endpoints.binance.spot.rest}/api/v3/depth?symbol=BTCUSDT&limit=5000`)).body as { lastUpdateId: number; bids: Array<[string, string]>; asks: Array<[string, string]> };
    const local = new BinanceLocalBook(false);
    local.load(snap);
    // Prelude (paced), then live changes through the normal stream path, as `npm run bench` does.
    assert.equal((await postJson(`${control}/_sim/bench/start`, { ratePerSec: 5000 })).status, 200);
    await sim.bench.finished();
    sim.market.step(20, 'BTC/USDT');
    // The measured segment keeps the book and floods it.
    assert.equal((await postJson(`${control}/_sim/bench/prepare`, { symbol: 'BTC/USDT', updates: 5000 })).status, 200);
    assert.equal((await postJson(`${control}/_sim/bench/start`, { ratePerSec: 0 })).status, 200);
    await sim.bench.finished();
    const target = sim.bench.result().lastUpdateIds.at(-1) as number;
    // Evolution ticks and depth pushes after the writer finished, then a reply that arrives after every data frame.
    sim.market.step(20);
    fe.streams.flushSymbol('btcusdt');
    p.send({ method: 'LIST_SUBSCRIPTIONS', id: 7 });
    await p.next((f) => f['id'] === 7, 'the LIST_SUBSCRIPTIONS reply', 15_000);
    p.events('depthUpdate').forEach((e, i) => local.apply(e, i === 0));
    assert.equal(local.lastId, target, 'no live diff followed the last bench message');
    const truth = sim.bench.bookAt(sim.bench.indexOfUpdateId(target));
    assert.deepEqual(local.sorted('bids'), JSON.parse(levelsJson(w, truth.bids)));
    assert.deepEqual(local.sorted('asks'), JSON.parse(levelsJson(w, truth.asks)));
    const served = (await getJson(`${control}/_sim/bench/book?id=${target}`)).body as { snapshotId: number; asks: string[][] };
    assert.equal(served.snapshotId, target);
    const i = w.instrument;
    assert.deepEqual(served.asks.slice(0, 25), truth.asks.slice(0, 25).map(([px, q]) => [formatUnits(px, i.priceScale, i.priceScale), formatUnits(q, i.qtyScale, i.qtyScale)]));

    // Releasing the symbol resumes evolution, continuing the same id sequence.
    assert.deepEqual((await postJson(`${control}/_sim/bench/release`, {})).body, { symbol: 'BTC/USDT' });
    sim.market.step(5);
    assert.ok(sim.market.book('BTC/USDT').updateId > target, 'the released symbol evolves again');
    fe.streams.flushSymbol('btcusdt');
    const live = await waitFor(() => p.events('depthUpdate').find((e) => (e['u'] as number) > target), 'a live diff after release');
    assert.equal(live['U'], target + 1);
    p.close();
  });

  test('serves USD-M sparse ids: the first update straddles the snapshot id and pu chains the rest', async () => {
    await using sim = await startSimulator({ seed: 22, tickMs: 0, symbols: 1 });
    sim.bench.prepare({ symbol: 'BTC/USDT:USDT', updates: 2000, levels: 1000 });
    const p = new WsProbe(`${sim.endpoints.binance.usdm.ws}/public/stream?streams=btcusdt@depth`);
    await p.opened();
    await waitFor(() => sim.stats.subscriptions['binance:usdm'] === 1, 'the subscription');
    const snap = (await getJson(`${sim.endpoints.binance.usdm.rest}/fapi/v1/depth?symbol=BTCUSDT&limit=1000`)).body as { lastUpdateId: number; bids: Array<[string, string]>; asks: Array<[string, string]> };
    const local = new BinanceLocalBook(true);
    local.load(snap);
    sim.bench.start({ ratePerSec: 0 });
    await waitFor(() => p.events('depthUpdate').length === 2000, 'all messages');
    p.events('depthUpdate').forEach((e, i) => local.apply(e, i === 0));
    await sim.bench.finished();
    const w = sim.frontEnd('binance', 'usdm').symbols.get('BTCUSDT');
    assert.ok(w !== undefined);
    assert.deepEqual(local.sorted('bids'), JSON.parse(levelsJson(w, sim.market.snapshot('BTC/USDT:USDT').bids)));
    assert.equal((p.frames[0] as { stream: string }).stream, 'btcusdt@depth');
    p.close();
  });
});
