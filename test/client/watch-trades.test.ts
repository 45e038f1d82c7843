/** Trades are never lost silently: duplicates are dropped and holes in contiguous ids are reported (RESL-08). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { binance } from '../../src/client/binance.js';
import type { ExchangeEvents } from '../../src/client/events.js';
import { watchTopic } from '../../src/client/watch-topic.js';
import { TypedEvents } from '../../src/core/streams/typed-events.js';
import type { StreamHub, TopicHandler } from '../../src/core/ws/stream-hub.js';
import { startSimulator } from '../../src/testing/sim/server.js';
import { waitFor } from '../helpers/wait.js';

test('drops repeated ids and reports a hole in contiguous ids as a gap event', async () => {
  let handler: TopicHandler = () => {};
  const hub = { subscribe: (_t: unknown, h: TopicHandler) => ((handler = h), { unsubscribe() {} }) } as unknown as StreamHub;
  const events = new TypedEvents<ExchangeEvents>();
  const gaps: Array<ExchangeEvents['gap']> = [];
  events.on('gap', (g) => gaps.push(g));
  const watch = watchTopic<{ id: string }>({
    hub,
    events,
    topic: { key: 'x@trade', connection: 'spot' },
    parse: (payload) => [payload as { id: string }],
    overflow: 'error',
    options: {},
    symbol: 'X/USDT',
    sequence: (t) => BigInt(t.id),
  });
  for (const id of ['1', '2', '2', '1', '5', '6']) handler({ id }, 0);
  const got: string[] = [];
  for (let i = 0; i < 4; i++) got.push(((await watch.next()).value as { id: string }).id);
  assert.deepEqual(got, ['1', '2', '5', '6']);
  assert.deepEqual(gaps, [{ symbol: 'X/USDT', stream: 'x@trade', afterId: '2', beforeId: '5', missing: '2' }]);
  await watch.return?.();
});

test('trades made while the connection was down surface as a gap, never silently', async () => {
  await using sim = await startSimulator({ seed: 9, symbols: 2, depth: 50, tickMs: 0 });
  await using ex = binance({ urls: sim.endpoints.binance, streams: { backoff: { initialMs: 300, maxMs: 300 } } });
  await ex.loadMarkets();
  const gaps: Array<ExchangeEvents['gap']> = [];
  ex.events.on('gap', (g) => gaps.push(g));
  let reconnected = 0;
  ex.events.on('reconnected', () => reconnected++);
  const unit = 1;
  const c = new AbortController();
  const ids: string[] = [];
  const loop = (async () => {
    for await (const t of ex.watchTrades('BTC/USDT', { signal: c.signal })) ids.push(t.id);
  })().catch(() => undefined);
  await waitFor(() => sim.stats.subscriptions && Object.values(sim.stats.subscriptions).some((n) => n > 0), 'subscription');
  sim.market.executeTaker('BTC/USDT', 'buy', unit);
  await waitFor(() => ids.length >= 1, 'first trade');
  sim.faults.drop();
  for (let i = 0; i < 3; i++) sim.market.executeTaker('BTC/USDT', i % 2 === 0 ? 'sell' : 'buy', unit);
  await waitFor(() => reconnected > 0, 'reconnect', 5000);
  await waitFor(async () => {
    sim.market.executeTaker('BTC/USDT', 'buy', unit);
    return ids.length >= 2;
  }, 'a trade after the reconnect', 5000, 100);
  c.abort();
  await loop;
  assert.equal(gaps.length, 1);
  assert.equal(gaps[0]!.symbol, 'BTC/USDT');
  assert.ok(BigInt(gaps[0]!.missing) >= 3n, `missing ${gaps[0]!.missing}`);
});

test('liveness: only frames that refuse everything for longer than livenessMs restart dedup and resubscribe; quiet or empty frames do not', () => {
  let handler: TopicHandler = () => {};
  let resubscribed = 0;
  const hub = { subscribe: (_t: unknown, h: TopicHandler) => ((handler = h), { unsubscribe() {}, resubscribe: () => void resubscribed++ }) } as unknown as StreamHub;
  const events = new TypedEvents<ExchangeEvents>();
  const resets: Array<ExchangeEvents['stream-reset']> = [];
  events.on('stream-reset', (e) => resets.push(e));
  const watch = watchTopic<{ id: string }>({
    hub,
    events,
    topic: { key: 'x@trade', connection: 'spot' },
    parse: (payload) => (payload as { ids: string[] }).ids.map((id) => ({ id })),
    overflow: 'error',
    options: { livenessMs: 1000 },
    symbol: 'X/USDT',
    sequence: (t) => BigInt(t.id),
  });
  handler({ ids: ['10'] }, 0);
  handler({ ids: [] }, 60_000); // a quiet hour and an empty frame: nothing refused, nothing to restart
  handler({ ids: ['10'] }, 60_100); // a duplicate: refusing since now
  handler({ ids: ['9'] }, 60_900);
  assert.equal(resets.length, 0);
  handler({ ids: ['10'] }, 61_200); // still refusing 1.1 s later: start over
  assert.deepEqual(resets.map((r) => [r.reason, r.resets]), [['liveness', 1]]);
  assert.equal(resubscribed, 1);
  handler({ ids: ['10'] }, 61_300); // dedup restarted: accepted again
  assert.equal(watch.stats.accepted, 2);
  assert.equal(watch.stats.duplicates, 3);
  assert.equal(watch.stats.resets, 1);
});
