/** The bench feed on Bybit (`orderbook.1000`) and OKX (`books`, 400): the market stream as the venue's window diffs, flooded or paced. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startSimulator, type BenchResult } from '../../../src/testing/index.js';
import { generate, deepBook } from '../../../src/testing/sim/bench-stream.js';
import { windowMessages } from '../../../src/testing/sim/bench-window.js';
import { BookSide } from '../../../src/testing/sim/book-engine.js';
import { windowDiff as bybitWindowDiff } from '../../../src/testing/sim/bybit/book-topic.js';
import { px, sz, bybitSymbol } from '../../../src/testing/sim/bybit/wire-format.js';
import { Market } from '../../../src/testing/sim/market.js';
import { windowDiff as okxWindowDiff } from '../../../src/testing/sim/okx/books-feed.js';
import { okxInstrument, px as okxPx, sz as okxSz } from '../../../src/testing/sim/okx/wire-format.js';
import { Rng } from '../../../src/testing/sim/rng.js';
import { waitFor } from '../../helpers/wait.js';
import { OkxLocalBook, OkxProbe, item } from './okx-helpers.js';
import { getJson, postJson, WsProbe } from './sim-helpers.js';

/** A tiny Bybit `orderbook` applier: a snapshot replaces, a delta sets levels ("0" removes); `u` must step by one. */
class BybitLocalBook {
  readonly bids = new Map<string, string>();
  readonly asks = new Map<string, string>();
  u = -1;

  apply(frame: Record<string, unknown>): void {
    const d = frame['data'] as { b: string[][]; a: string[][]; u: number };
    if (frame['type'] === 'snapshot') {
      this.bids.clear();
      this.asks.clear();
    } else if (d.u !== this.u + 1) throw new Error(`u ${d.u} after ${this.u}`);
    for (const [p, q] of d.b) set(this.bids, p as string, q as string);
    for (const [p, q] of d.a) set(this.asks, p as string, q as string);
    this.u = d.u;
  }

  sorted(side: 'bids' | 'asks'): Array<[string, string]> {
    const sign = side === 'bids' ? -1 : 1;
    return [...this[side].entries()].sort((x, y) => sign * (Number(x[0]) - Number(y[0])));
  }
}

function set(side: Map<string, string>, p: string, q: string): void {
  if (Number(q) === 0) side.delete(p);
  else side.set(p, q);
}

describe('bench feed on window venues', () => {
  test('window diffs computed incrementally equal diffing the whole top-N windows before and after every update', () => {
    const market = new Market({ seed: 5, depth: 300, symbols: ['BTC/USDT:USDT'], tickMs: 0 });
    const symbol = 'BTC/USDT:USDT';
    const rng = new Rng('window-test');
    market.replaceBook(symbol, deepBook(market, symbol, 120, rng));
    const initial = market.book(symbol).snapshot();
    const stream = generate(market, symbol, market.instrument(symbol), initial, 1500, rng);
    for (const depth of [50, 100, 400]) {
      const w = windowMessages(stream, depth);
      const sides = { bids: new BookSide('bids'), asks: new BookSide('asks') };
      for (const [p, q] of initial.bids) sides.bids.set(p, q);
      for (const [p, q] of initial.asks) sides.asks.set(p, q);
      let j = 0;
      let crossed = 0;
      for (let i = 0; i < stream.n; i++) {
        const before = { bids: sides.bids.top(depth), asks: sides.asks.top(depth) };
        for (let k = stream.levelStart[i] as number; k < (stream.levelStart[i + 1] as number); k++) (stream.isBid[k] ? sides.bids : sides.asks).set(stream.price[k] as number, stream.qty[k] as number);
        const bids = bybitWindowDiff(before.bids, sides.bids.top(depth), true);
        const asks = bybitWindowDiff(before.asks, sides.asks.top(depth), false);
        assert.deepEqual(okxWindowDiff(before.bids, sides.bids.top(depth), true), bids, 'the two front ends agree');
        if (bids.length + asks.length === 0) continue;
        if (bids.some(([p]) => !stream.price.subarray(stream.levelStart[i], stream.levelStart[i + 1]).includes(p))) crossed++;
        assert.equal(w.marketIndex[j], i, `message ${j} is update ${i} (depth ${depth})`);
        const got = { bids: [] as Array<[number, number]>, asks: [] as Array<[number, number]> };
        for (let k = w.levelStart[j] as number; k < (w.levelStart[j + 1] as number); k++) (w.isBid[k] ? got.bids : got.asks).push([w.price[k] as number, w.qty[k] as number]);
        assert.deepEqual(got, { bids, asks }, `window diff of update ${i} at depth ${depth}`);
        j++;
      }
      assert.equal(w.n, j);
      if (depth < 120) assert.ok(crossed > 0, 'levels crossed the window edge');
    }
    market.close();
  });

  test('Bybit: a flooded orderbook.1000 stream applied to the snapshot ends equal to the truth top 1000, u contiguous, write times recorded', async () => {
    await using sim = await startSimulator({ seed: 31, tickMs: 0, symbols: 1, venues: ['binance', 'bybit'] });
    const control = sim.endpoints.control;
    const symbol = 'BTC/USDT:USDT';
    const prepared = await postJson(`${control}/_sim/bench/prepare`, { venue: 'bybit', symbol, updates: 2000, levels: 1500 });
    assert.equal(prepared.status, 200, JSON.stringify(prepared.body));
    const p = new WsProbe(sim.endpoints.bybit?.ws.linear as string);
    await p.opened();
    p.send({ op: 'subscribe', args: ['orderbook.1000.BTCUSDT'] });
    await p.next((f) => f['type'] === 'snapshot', 'the snapshot');
    const started = await postJson(`${control}/_sim/bench/start`, { venue: 'bybit', ratePerSec: 0 });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    await sim.bench.finished();
    const result = (await getJson(`${control}/_sim/bench/result`)).body as BenchResult;
    assert.equal(result.state, 'done');
    assert.equal(result.venue, 'bybit');
    assert.ok(result.messages > 1900 && result.messages <= 2000, `${result.messages} messages`);
    assert.equal(result.writeTimesNs.length, result.messages);
    for (let i = 1; i < result.writeTimesNs.length; i++) assert.ok(BigInt(result.writeTimesNs[i] as string) >= BigInt(result.writeTimesNs[i - 1] as string));
    const last = result.lastUpdateIds.at(-1) as number;
    await p.next((f) => (f['data'] as { u?: number } | undefined)?.u === last, 'the last message', 10_000);
    const book = new BybitLocalBook();
    const deltas = p.frames.filter((f) => (f as Record<string, unknown>)['topic'] === 'orderbook.1000.BTCUSDT') as Array<Record<string, unknown>>;
    for (const f of deltas) book.apply(f);
    assert.deepEqual(deltas.slice(1).map((f) => (f['data'] as { u: number }).u), result.lastUpdateIds);
    const first = deltas[1] as Record<string, unknown>;
    assert.deepEqual(Object.keys(first), ['topic', 'type', 'ts', 'data', 'cts'], 'linear field order');
    assert.ok(Math.abs((first['ts'] as number) - Date.now()) < 60_000, 'ts patched to the write time');
    const s = bybitSymbol(sim.marketOf('bybit').instrument(symbol));
    const truth = sim.marketOf('bybit').book(symbol);
    assert.equal(book.bids.size, 1000);
    assert.equal(book.asks.size, 1000);
    assert.deepEqual(book.sorted('bids'), truth.bids.top(1000).map(([q, v]) => [px(s, q), sz(s, v)]));
    assert.deepEqual(book.sorted('asks'), truth.asks.top(1000).map(([q, v]) => [px(s, q), sz(s, v)]));
    // The truth at the last message, as the bench harness asks for it.
    const served = (await getJson(`${control}/_sim/bench/book?venue=bybit&id=${last}`)).body as { snapshotId: number; bids: string[][] };
    assert.equal(served.snapshotId, last);
    assert.equal(Number(served.bids[0]?.[0]), Number(book.sorted('bids')[0]?.[0]));

    // A second (paced) run continues the topic's u; then live evolution continues after it.
    assert.equal((await postJson(`${control}/_sim/bench/prepare`, { venue: 'bybit', symbol, updates: 300 })).status, 200);
    assert.equal((await postJson(`${control}/_sim/bench/start`, { venue: 'bybit', ratePerSec: 5000 })).status, 200);
    await sim.bench.finished();
    const paced = sim.bench.result();
    assert.equal(paced.lastUpdateIds[0], last + 1);
    sim.bench.release();
    sim.marketOf('bybit').step(30, symbol);
    await waitFor(() => (p.frames.at(-1) as { data?: { u?: number } }).data?.u === sim.frontEnd('bybit').streams.benchTopic(s, 1000).u, 'live deltas after the bench');
    const after = new BybitLocalBook();
    for (const f of p.frames.filter((x) => (x as Record<string, unknown>)['topic'] === 'orderbook.1000.BTCUSDT') as Array<Record<string, unknown>>) after.apply(f);
    assert.deepEqual(after.sorted('asks'), truth.asks.top(1000).map(([q, v]) => [px(s, q), sz(s, v)]));
    p.close();
  });

  test('OKX: a paced books stream with checksums chains prevSeqId, verifies every checksum and ends equal to the truth top 400', async () => {
    await using sim = await startSimulator({ seed: 32, tickMs: 0, symbols: 1, venues: ['binance', 'okx'], okxChecksums: true });
    const control = sim.endpoints.control;
    const symbol = 'BTC/USDT';
    assert.equal((await postJson(`${control}/_sim/bench/prepare`, { venue: 'okx', symbol, updates: 1500, levels: 1000 })).status, 200);
    const p = await new OkxProbe(sim.endpoints.okx?.public as string).opened();
    p.subscribe([{ channel: 'books', instId: 'BTC-USDT' }]);
    await p.next((f) => f['action'] === 'snapshot', 'the snapshot');
    assert.equal((await postJson(`${control}/_sim/bench/start`, { venue: 'okx', ratePerSec: 20_000 })).status, 200);
    await sim.bench.finished();
    const result = sim.bench.result();
    assert.equal(result.state, 'done');
    assert.equal(result.writeTimesNs.length, result.messages);
    const last = result.lastUpdateIds.at(-1) as number;
    await p.next((f) => f['data'] !== undefined && item(f)['seqId'] === last, 'the last message', 10_000);
    const book = new OkxLocalBook();
    const pushes = p.pushes('books', 'BTC-USDT');
    for (const f of pushes) {
      book.apply(f);
      assert.equal(item(f)['checksum'], book.checksum(), `checksum of seqId ${String(item(f)['seqId'])}`);
    }
    assert.deepEqual(pushes.slice(1).map((f) => item(f)['seqId']), result.lastUpdateIds);
    const w = okxInstrument(sim.marketOf('okx').instrument(symbol));
    const truth = sim.marketOf('okx').book(symbol);
    assert.equal(book.bids.size, 400);
    assert.deepEqual(book.sorted('bids'), truth.bids.top(400).map(([q, v]) => [okxPx(w, q), okxSz(w, v)]));
    assert.deepEqual(book.sorted('asks'), truth.asks.top(400).map(([q, v]) => [okxPx(w, q), okxSz(w, v)]));
    // REST `/market/books` after the run carries the last seqId and the same window.
    const rest = (await getJson(`${sim.endpoints.okx?.rest}/api/v5/market/books?instId=BTC-USDT&sz=400`)).body as { data: Array<{ seqId: number; asks: string[][] }> };
    assert.equal(rest.data[0]?.seqId, last);
    assert.deepEqual(rest.data[0]?.asks.map((l) => [l[0], l[1]]), book.sorted('asks'));
    p.close();
  });
});
