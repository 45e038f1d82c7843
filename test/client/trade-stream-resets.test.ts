/**
 * No trade stream freezes on an odd id or on frames it cannot accept (issue 9, item 2). A small hostile WebSocket
 * server in the test plays each venue's public stream (markets come from the simulator's REST); it sends the real
 * trade fixtures with their ids, prices or quantities MUTATED by the test: an absurd id ahead
 * (99999999999999999999, the one that once stopped a Binance trade stream for 9 minutes), an absurd id far back,
 * and frames that are all refused for longer than the liveness window.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binance } from '../../src/client/binance.js';
import { bybit } from '../../src/client/bybit.js';
import type { ExchangeEvents } from '../../src/client/events.js';
import type { Exchange } from '../../src/client/exchange.js';
import { okx } from '../../src/client/okx.js';
import type { TopicWatch, WatchOptions } from '../../src/client/watch-topic.js';
import type { Trade } from '../../src/core/model.js';
import { bybitUrlsAt } from '../../src/exchanges/bybit/config.js';
import { startSimulator, type Simulator } from '../../src/testing/sim/server.js';
import { FakeVenueWs, type FakeVenue } from '../helpers/fake-venue-ws.js';
import { fixtureLines, fixtureText, waitFor } from '../helpers/wait.js';

const ABSURD = '99999999999999999999';

/** The real spot `@trade` event (fixture), for BTCUSDT, with its id mutated to `t` (and any other field patched). */
function binanceTrade(t: number | bigint | string, patch: Record<string, unknown> = {}): string {
  const data = { ...(JSON.parse(fixtureText('binance/ws/spot-trade.json')) as Record<string, unknown>), s: 'BTCUSDT', ...patch };
  // 64-bit ids go out as bare JSON numbers, as the venue writes them.
  const text = JSON.stringify({ stream: 'btcusdt@trade', data: { ...data, t: '__T__' } });
  return text.replace('"__T__"', String(t));
}

interface Run {
  readonly ex: Exchange;
  readonly fake: FakeVenueWs;
  readonly watch: TopicWatch<Trade>;
  readonly trades: Trade[];
  readonly events: { resets: Array<ExchangeEvents['stream-reset']>; gaps: Array<ExchangeEvents['gap']>; problems: Array<ExchangeEvents['problem']> };
  stop(): Promise<void>;
}

/** A client of `venue` on the simulator's REST and the fake public stream, watching BTC/USDT trades. */
async function watching(sim: Simulator, venue: FakeVenue, opts: WatchOptions = {}): Promise<Run> {
  const fake = await FakeVenueWs.start(venue);
  const backoff = { streams: { backoff: { initialMs: 20, maxMs: 100 } } };
  let ex: Exchange;
  if (venue === 'binance') ex = binance({ urls: { spot: { ...sim.endpoints.binance.spot, ws: fake.url }, usdm: sim.endpoints.binance.usdm }, segments: ['spot'], ...backoff });
  else if (venue === 'bybit') {
    const rest = sim.endpoints.bybit?.rest ?? '';
    ex = bybit({ urls: bybitUrlsAt(rest, fake.url), categories: ['spot'], ...backoff });
  } else {
    const urls = sim.endpoints.okx;
    if (urls === undefined) throw new Error('no okx in the simulator');
    ex = okx({ urls: { ...urls, public: fake.url }, instTypes: ['SPOT'], ...backoff });
  }
  await ex.loadMarkets();
  const events: Run['events'] = { resets: [], gaps: [], problems: [] };
  ex.events.on('stream-reset', (e) => events.resets.push(e));
  ex.events.on('gap', (e) => events.gaps.push(e));
  ex.events.on('problem', (e) => events.problems.push(e));
  const c = new AbortController();
  const watch = ex.watchTrades('BTC/USDT', { ...opts, signal: c.signal }) as TopicWatch<Trade>;
  const trades: Trade[] = [];
  const loop = (async () => {
    for await (const t of watch) trades.push(t);
  })().catch(() => undefined);
  await waitFor(() => fake.requestsNamed(venue === 'binance' ? 'SUBSCRIBE' : 'subscribe').length > 0, 'the trade subscription');
  return {
    ex,
    fake,
    watch,
    trades,
    events,
    async stop() {
      c.abort();
      await loop;
      await ex.close();
      await fake[Symbol.asyncDispose]();
    },
  };
}

test('binance: one absurd trade id ahead neither freezes the stream nor reports a gap of 10^20 trades', async () => {
  await using sim = await startSimulator({ seed: 9, symbols: 1, depth: 20, tickMs: 0 });
  const run = await watching(sim, 'binance');
  try {
    for (const t of [100, 101, ABSURD, 102, 103]) run.fake.send(binanceTrade(t));
    await waitFor(() => run.trades.length >= 5, 'every trade, the odd one too');
    assert.deepEqual(run.trades.map((t) => t.id), ['100', '101', ABSURD, '102', '103']);
    assert.deepEqual(run.events.resets.map((e) => [e.reason, e.previousId, e.id, e.symbol, e.stream]), [
      ['jump', '101', ABSURD, 'BTC/USDT', 'btcusdt@trade'],
      ['return', ABSURD, '102', 'BTC/USDT', 'btcusdt@trade'],
    ]);
    assert.deepEqual(run.events.gaps, [], 'no gap of an absurd size');
    assert.equal(run.watch.stats.resets, 2);
    assert.equal(run.watch.stats.accepted, 5);
    // Still flowing afterwards, in order.
    for (const t of [104, 105]) run.fake.send(binanceTrade(t));
    await waitFor(() => run.trades.length >= 7, 'later trades');
    assert.deepEqual(run.trades.slice(5).map((t) => t.id), ['104', '105']);
  } finally {
    await run.stop();
  }
});

test('binance: an absurd id far back is a reset, not old data; the real ids go on being delivered', async () => {
  await using sim = await startSimulator({ seed: 9, symbols: 1, depth: 20, tickMs: 0 });
  const run = await watching(sim, 'binance');
  try {
    for (const t of [5_000_000, 5_000_001, 1, 5_000_002, 5_000_003, 5_000_003]) run.fake.send(binanceTrade(t));
    await waitFor(() => run.watch.stats.frames >= 6, 'every frame');
    assert.deepEqual(run.trades.map((t) => t.id), ['5000000', '5000001', '1', '5000002', '5000003']);
    assert.deepEqual(run.events.resets.map((e) => e.reason), ['back', 'return']);
    assert.equal(run.watch.stats.duplicates, 1, 'the repeated 5000003');
  } finally {
    await run.stop();
  }
});

test('binance: frames that are all refused beyond livenessMs restart the subscription, then trades flow again', async () => {
  await using sim = await startSimulator({ seed: 9, symbols: 1, depth: 20, tickMs: 0 });
  const run = await watching(sim, 'binance', { livenessMs: 250 });
  try {
    run.fake.send(binanceTrade(100));
    await waitFor(() => run.trades.length === 1, 'the first trade');
    // Mutated: price 0 and quantity 0, every frame refused as a decode problem.
    await waitFor(
      () => {
        run.fake.send(binanceTrade(101, { p: '0' }));
        run.fake.send(binanceTrade(102, { q: '0.00000000' }));
        return run.events.resets.length > 0;
      },
      'a liveness reset',
      5000,
      40,
    );
    assert.equal(run.events.resets[0]?.reason, 'liveness');
    assert.ok(run.watch.stats.rejectedFrames >= 2, `rejected ${run.watch.stats.rejectedFrames}`);
    const refused = run.events.problems.filter((p) => p.error.code === 'decode' && /positive (price|quantity)/.test(p.error.message));
    assert.ok(refused.length >= 2, 'each refused frame is a decode problem naming what was wrong');
    await waitFor(() => run.fake.requestsNamed('SUBSCRIBE').length >= 2, 'the resubscribe');
    run.fake.send(binanceTrade(103));
    run.fake.send(binanceTrade(104));
    await waitFor(() => run.trades.length >= 3, 'trades after the reset');
    assert.deepEqual(run.trades.map((t) => t.id), ['100', '103', '104']);
    assert.equal(run.trades.some((t) => !t.price.isPositive() || !t.amount.isPositive()), false);
  } finally {
    await run.stop();
  }
});

test('bybit: an odd trade id (and a trade of size 0) among real ones stops nothing; the good trades of the frame stand', async () => {
  await using sim = await startSimulator({ seed: 9, symbols: 1, depth: 20, tickMs: 0 });
  const run = await watching(sim, 'bybit');
  try {
    const [, line] = fixtureLines('bybit/ws/public-trade-BTCUSDT-spot-recorded-sequence.jsonl');
    const frame = JSON.parse(line ?? '{}') as { data: Array<Record<string, unknown>> };
    // Mutated: the second trade's id is absurd, the third trade has size 0.
    const data = frame.data.slice(0, 4).map((t, i) => (i === 1 ? { ...t, i: ABSURD } : i === 2 ? { ...t, v: '0' } : t));
    run.fake.send({ ...frame, data });
    run.fake.send({ ...frame, data: frame.data.slice(4, 6) });
    await waitFor(() => run.trades.length >= 5, 'the trades');
    assert.deepEqual(run.trades.map((t) => t.id), [frame.data[0]?.['i'], ABSURD, frame.data[3]?.['i'], frame.data[4]?.['i'], frame.data[5]?.['i']]);
    assert.equal(run.watch.stats.refusedItems, 1);
    assert.match(run.events.problems[0]?.error.message ?? '', /data\[2\]\.v.*positive size/);
  } finally {
    await run.stop();
  }
});

test('okx: an odd trade id stops nothing; a trade at price 0 is refused alone', async () => {
  await using sim = await startSimulator({ seed: 9, symbols: 1, depth: 20, tickMs: 0 });
  const run = await watching(sim, 'okx');
  try {
    const [first, second] = fixtureLines('okx/ws/trades-push-recorded.jsonl').map((l) => JSON.parse(l) as { arg: unknown; data: Array<Record<string, unknown>> });
    if (first === undefined || second === undefined) throw new Error('two recorded pushes expected');
    const mutated = (push: typeof first, patch: Record<string, unknown>): unknown => ({ ...push, data: push.data.map((t) => ({ ...t, ...patch })) });
    // Mutated: a push with an absurd trade id, then one with a price of 0, between the two recorded pushes.
    for (const push of [first, mutated(first, { tradeId: ABSURD }), mutated(second, { px: '0' }), second]) run.fake.send(push);
    await waitFor(() => run.watch.stats.frames >= 4, 'every push');
    assert.deepEqual(run.trades.map((t) => t.id), [first.data[0]?.['tradeId'], ABSURD, second.data[0]?.['tradeId']]);
    assert.equal(run.watch.stats.refusedItems, 1);
    assert.equal(run.events.problems[0]?.error.code, 'decode');
  } finally {
    await run.stop();
  }
});
