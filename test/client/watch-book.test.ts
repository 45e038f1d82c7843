/** `watchOrderBook` delivery: every state once, resync markers never lost to conflation (MKTD-02/05). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExchangeEvents } from '../../src/client/events.js';
import { watchBook } from '../../src/client/watch-book.js';
import type { DepthMessage } from '../../src/core/model.js';
import { TypedEvents } from '../../src/core/streams/typed-events.js';
import type { StreamHub, TopicHandler } from '../../src/core/ws/stream-hub.js';
import { bybitBookRules } from '../../src/exchanges/bybit/book-rules.js';

const msg = (kind: DepthMessage['kind'], seq: number, bids: string[][], asks: string[][]): DepthMessage => ({ kind, symbol: 'BTC/USDT', seq, bids, asks, exchangeTime: seq, receivedAt: seq });

test('a snapshot and a delta arriving in one tick reach the consumer once, marked as the initial snapshot', async () => {
  let handler: TopicHandler = () => {};
  const hub = { subscribe: (_t: unknown, h: TopicHandler) => ((handler = h), { unsubscribe() {}, resubscribe() {} }) } as unknown as StreamHub;
  const c = new AbortController();
  const watch = watchBook({
    hub,
    events: new TypedEvents<ExchangeEvents>(),
    topic: { key: 'orderbook.50.BTCUSDT', connection: 'spot' },
    rules: bybitBookRules,
    symbol: 'BTC/USDT',
    priceScale: 2,
    qtyScale: 3,
    parse: (payload) => payload as DepthMessage,
    fetchSnapshot: () => Promise.reject(new Error('not used')),
    options: { signal: c.signal },
    maxDepth: 50,
  });
  const seen: Array<[string, string]> = [];
  const loop = (async () => {
    for await (const book of watch) seen.push([book.event, String(book.seq)]);
  })().catch(() => undefined);
  await new Promise((r) => setImmediate(r));
  handler(msg('snapshot', 10, [['100.00', '1.000']], [['101.00', '1.000']]), 0);
  handler(msg('delta', 11, [['100.50', '2.000']], []), 0);
  await new Promise((r) => setImmediate(r));
  handler(msg('delta', 12, [], [['101.00', '0'], ['102.00', '1.000']]), 0);
  await new Promise((r) => setImmediate(r));
  c.abort();
  await loop;
  assert.deepEqual(seen, [
    ['snapshot', '11'],
    ['update', '12'],
  ]);
});
