/** `venuekit normalize` on real recorded Binance sessions: every frame normalized, decimals exact, bad lines reported. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureLines } from '../helpers/wait.js';
import { runNormalize as run } from './cli-io.js';

test('normalizes every frame of a recorded spot session with exact decimals', async () => {
  const lines = fixtureLines('binance/ws/spot-combined-streams-recorded-session.jsonl');
  const { failed, events, errors } = await run(['--exchange', 'binance', '--market', 'spot'], lines.join('\n') + '\n');
  assert.equal(failed, 0, JSON.stringify(errors[0]));
  assert.equal(events.length, lines.length, 'one event per market-data frame');
  const counts = new Map<string, number>();
  for (const e of events) counts.set(String(e['type']), (counts.get(String(e['type'])) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(counts), { book: 177, 'book-ticker': 84, trade: 2, candle: 2 });
  const first = events[0] as { symbol: string; bids: string[][]; seq: number; firstSeq: number };
  assert.equal(first.symbol, 'NKN/USDT');
  assert.deepEqual(first.bids[0], ['0.35130000', '6195.00000000'], 'venue strings pass through untouched');
  assert.equal(first.seq, 499869752);
  assert.equal(first.firstSeq, 499869750);
  const trade = events.find((e) => e['type'] === 'trade') as Record<string, unknown>;
  const raw = JSON.parse(lines.find((l) => l.includes('@aggTrade')) as string).data as Record<string, unknown>;
  assert.equal(trade['price'], raw['p']);
  assert.equal(trade['amount'], raw['q']);
  assert.equal(trade['side'], raw['m'] === true ? 'sell' : 'buy');
});

test('normalizes a recorded USD-M session into linear-perpetual symbols', async () => {
  const lines = fixtureLines('binance/ws/usdm-combined-streams-recorded-session.jsonl');
  const { failed, events } = await run(['--exchange', 'binance', '--market', 'usdm'], lines.join('\n') + '\n');
  assert.equal(failed, 0);
  assert.equal(events.length, lines.length);
  assert.ok(events.every((e) => typeof e['symbol'] === 'string' && (e['symbol'] as string).endsWith(':USDT')));
  const book = events.find((e) => e['type'] === 'book') as Record<string, unknown>;
  assert.ok('prevSeq' in book, 'USD-M depth carries pu as prevSeq');
});

test('reports a malformed line with its number and keeps going', async () => {
  const good = fixtureLines('binance/ws/spot-combined-streams-recorded-session.jsonl').slice(0, 2);
  const input = [good[0], '{"stream":"nknusdt@depth@100ms","data":{"e":"depthUpdate","E":1,"s":"NKNUSDT","U":1,"u":"x","b":[],"a":[]}}', 'not json', good[1]].join('\n');
  const { failed, events, errors } = await run(['--market', 'spot'], input);
  assert.equal(failed, 2);
  assert.equal(events.length, 2);
  assert.deepEqual(errors.map((e) => [e['line'], e['code']]), [[2, 'decode'], [3, 'decode']]);
  assert.match(String(errors[0]!['message']), /\bu\b/);
});
