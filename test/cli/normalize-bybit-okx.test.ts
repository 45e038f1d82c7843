/** `venuekit normalize --exchange bybit|okx` on real recorded sessions: counts, exact values against the raw lines, bad ids. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FIXTURES, fixtureLines } from '../helpers/wait.js';
import { countByType, runNormalize, type JsonLine } from './cli-io.js';

type Raw = Record<string, unknown>;
const raw = (line: string): Raw => JSON.parse(line) as Raw;
const isData = (r: Raw): boolean => 'data' in r;

async function normalizeFixture(path: string, argv: string[]): Promise<{ lines: string[]; events: JsonLine[] }> {
  const lines = fixtureLines(path);
  const { failed, events, errors } = await runNormalize(argv, lines.join('\n') + '\n');
  assert.equal(failed, 0, JSON.stringify(errors[0]));
  return { lines, events };
}

test('normalizes the recorded Bybit linear order-book sequence: one book per frame, venue strings and u kept', async () => {
  const { lines, events } = await normalizeFixture('bybit/ws/orderbook-500-XRPUSDT-linear-recorded-sequence.jsonl', ['--exchange', 'bybit', '--market', 'linear']);
  assert.equal(events.length, lines.length);
  assert.deepEqual(countByType(events), { book: 50 });
  assert.ok(events.every((e) => e['symbol'] === 'XRP/USDT:USDT' && e['venue'] === 'bybit'));
  assert.deepEqual(
    events.map((e) => e['kind']),
    lines.map((l) => (raw(l)['type'] === 'snapshot' ? 'snapshot' : 'delta')),
  );
  for (const [i, e] of events.entries()) {
    const data = raw(lines[i] as string)['data'] as { u: number; seq: number; b: string[][]; a: string[][] };
    assert.equal(e['seq'], data.u, `line ${i + 1}: seq is u`);
    assert.equal(e['crossSeq'], data.seq, `line ${i + 1}: crossSeq is seq`);
    assert.deepEqual(e['bids'], data.b, `line ${i + 1}: bid levels untouched`);
    assert.deepEqual(e['asks'], data.a, `line ${i + 1}: ask levels untouched`);
  }
});

test('normalizes recorded Bybit spot trades with 64-bit ids as strings and the taker side', async () => {
  const { lines, events } = await normalizeFixture('bybit/ws/public-trade-BTCUSDT-spot-recorded-sequence.jsonl', ['--exchange', 'bybit', '--market', 'spot']);
  const fills = lines.map(raw).filter(isData).flatMap((r) => r['data'] as Array<Record<string, string>>);
  assert.equal(events.length, fills.length, 'one trade per fill; the subscribe ack gives none');
  assert.equal(fills.length, 11);
  for (const [i, e] of events.entries()) {
    const f = fills[i] as Record<string, string>;
    assert.deepEqual([e['type'], e['symbol'], e['id'], e['price'], e['amount'], e['side']], ['trade', 'BTC/USDT', f['i'], f['p'], f['v'], (f['S'] as string).toLowerCase()]);
  }
  assert.equal(events[0]!['id'], '2290000001190010739', 'beyond 2^53, digits intact');
});

test('normalizes recorded Bybit linear trades into the linear-perpetual symbol', async () => {
  const { lines, events } = await normalizeFixture('bybit/ws/public-trade-BTCUSDT-linear-recorded-sequence.jsonl', ['--exchange', 'bybit', '--market', 'linear']);
  const fills = lines.map(raw).filter(isData).flatMap((r) => r['data'] as Array<Record<string, string>>);
  assert.equal(events.length, fills.length);
  assert.ok(events.every((e) => e['type'] === 'trade' && e['symbol'] === 'BTC/USDT:USDT'));
  assert.equal(events[0]!['price'], fills[0]!['p']);
  assert.equal(events[0]!['price'], '63976.10', 'trailing zero kept');
});

test('normalizes the recorded Bybit orderbook.1 and orderbook.50 spot sequences into book tickers and books', async () => {
  const top = await normalizeFixture('bybit/ws/orderbook-1-BTCUSDT-spot-recorded-sequence.jsonl', ['--exchange', 'bybit', '--market', 'spot']);
  const topFrames = top.lines.map(raw).filter(isData);
  assert.deepEqual(countByType(top.events), { 'book-ticker': topFrames.length });
  const first = topFrames[0]!['data'] as { b: string[][]; a: string[][] };
  assert.deepEqual([top.events[0]!['bid'], top.events[0]!['bidSize'], top.events[0]!['ask'], top.events[0]!['askSize']], [...first.b[0]!, ...first.a[0]!]);
  const depth = await normalizeFixture('bybit/ws/orderbook-50-BTCUSDT-spot-recorded-sequence.jsonl', ['--exchange', 'bybit', '--market', 'spot']);
  assert.deepEqual(countByType(depth.events), { book: depth.lines.length });
  assert.equal(depth.events[0]!['symbol'], 'BTC/USDT');
  assert.equal((depth.events[0]!['bids'] as unknown[]).length, ((raw(depth.lines[0] as string)['data'] as { b: unknown[] }).b).length);
});

test('merges a recorded Bybit linear ticker delta onto its snapshot', async () => {
  const { lines, events } = await normalizeFixture('bybit/ws/tickers-linear-snapshot-then-delta-recorded.jsonl', ['--exchange', 'bybit', '--market', 'linear']);
  assert.deepEqual(countByType(events), { ticker: 2 });
  const snapshot = raw(lines[0] as string)['data'] as Record<string, string>;
  const delta = raw(lines[1] as string)['data'] as Record<string, string>;
  const [first, second] = events as [JsonLine, JsonLine];
  assert.equal(first['last'], snapshot['lastPrice']);
  assert.equal(first['bid'], snapshot['bid1Price']);
  assert.equal(second['last'], delta['lastPrice'], 'changed fields come from the delta');
  assert.equal(second['askSize'], delta['ask1Size']);
  assert.equal(second['bid'], snapshot['bid1Price'], 'fields the delta leaves out stay from the snapshot');
  assert.equal(second['high'], snapshot['highPrice24h']);
});

test('normalizes the recorded OKX public session across SPOT, SWAP and FUTURES without --market', async () => {
  const { lines, events } = await normalizeFixture('okx/ws/public-recorded-session-2022-05.jsonl', ['--exchange', 'okx']);
  const frames = lines.map(raw).filter(isData);
  const rows = (channel: string) => frames.filter((f) => (f['arg'] as Raw)['channel'] === channel).reduce((n, f) => n + (f['data'] as unknown[]).length, 0);
  assert.deepEqual(countByType(events), { book: rows('books'), trade: rows('trades'), ticker: rows('tickers') });
  assert.deepEqual(countByType(events), { book: 290, trade: 74, ticker: 28 });
  assert.deepEqual(new Set(events.map((e) => e['symbol'])), new Set(['BTC/USDT', 'UNI/USD:UNI', 'BTC/USD:BTC-220527']));
  const tradeFrame = frames.find((f) => (f['arg'] as Raw)['channel'] === 'trades') as Raw;
  const fill = (tradeFrame['data'] as Array<Record<string, string>>)[0] as Record<string, string>;
  const trade = events.find((e) => e['type'] === 'trade' && e['id'] === fill['tradeId']) as JsonLine;
  assert.deepEqual([trade['price'], trade['amount'], trade['side']], [fill['px'], fill['sz'], fill['side']]);
  const snapshots = events.filter((e) => e['type'] === 'book' && e['kind'] === 'snapshot');
  assert.equal(snapshots.length, frames.filter((f) => f['action'] === 'snapshot').length);
});

test('normalizes recorded OKX trades and books5 with seqId on SPOT and SWAP', async () => {
  for (const [id, symbol] of [
    ['BTC-USDT', 'BTC/USDT'],
    ['BTC-USDT-SWAP', 'BTC/USDT:USDT'],
  ] as const) {
    const trades = await normalizeFixture(`okx/ws/trades-${id}-recorded-with-seqid.jsonl`, ['--exchange', 'okx', '--market', symbol.includes(':') ? 'swap' : 'spot']);
    const fills = trades.lines.map(raw).filter(isData).flatMap((r) => r['data'] as Array<Record<string, string>>);
    assert.deepEqual(
      trades.events.map((e) => [e['type'], e['symbol'], e['id'], e['price'], e['amount']]),
      fills.map((f) => ['trade', symbol, f['tradeId'], f['px'], f['sz']]),
    );
    const books = await normalizeFixture(`okx/ws/books5-${id}-recorded-with-seqid.jsonl`, ['--exchange', 'okx']);
    const pushes = books.lines.map(raw).filter(isData).map((r) => (r['data'] as Raw[])[0] as { seqId: number; bids: string[][]; asks: string[][] });
    assert.deepEqual(
      books.events.map((e) => [e['type'], e['symbol'], e['seq'], e['bids'], e['asks']]),
      pushes.map((p) => ['book', symbol, p.seqId, p.bids, p.asks]),
    );
  }
});

test('takes the venue instruments response with --markets', async () => {
  const lines = fixtureLines('okx/ws/public-recorded-session-2022-05.jsonl');
  const { failed, events } = await runNormalize(['--exchange', 'okx', '--market', 'swap', '--markets', join(FIXTURES, 'okx/rest/instruments-swap-recorded-2022-05.json')], lines.join('\n'));
  assert.equal(failed, 0);
  assert.equal(events.filter((e) => e['symbol'] === 'UNI/USD:UNI').length, 95);
  const bybit = fixtureLines('bybit/ws/public-trade-BTCUSDT-linear-recorded-sequence.jsonl');
  const linear = await runNormalize(['--exchange', 'bybit', '--market', 'linear', '--markets', join(FIXTURES, 'bybit/rest/instruments-info-linear.json')], bybit.join('\n'));
  assert.equal(linear.failed, 0);
  assert.ok(linear.events.length > 0 && linear.events.every((e) => e['symbol'] === 'BTC/USDT:USDT'));
});

test('reports a Bybit id it cannot map, and a frame with a bad decimal, as JSON errors on their lines', async () => {
  const [ack, frame] = fixtureLines('bybit/ws/public-trade-BTCUSDT-spot-recorded-sequence.jsonl') as [string, string];
  const unknownId = frame.replaceAll('BTCUSDT', 'XYZ123');
  const badPrice = frame.replace('"p":"64104.5"', '"p":"64,104.5"');
  assert.notEqual(badPrice, frame);
  const { failed, events, errors } = await runNormalize(['--exchange', 'bybit', '--market', 'spot'], [ack, unknownId, badPrice, frame].join('\n'));
  assert.equal(failed, 2);
  assert.equal(events.length, (raw(frame)['data'] as unknown[]).length, 'the good frame still comes through');
  assert.deepEqual(errors.map((e) => [e['type'], e['line'], e['code']]), [
    ['error', 2, 'not-found'],
    ['error', 3, 'decode'],
  ]);
  assert.match(String(errors[0]!['message']), /XYZ123.*--markets/);
});

test('rejects an unknown --exchange or a --market the venue does not have, naming the valid ones', async () => {
  await assert.rejects(runNormalize(['--exchange', 'kraken'], ''), (e: Error & { code?: string }) => e.code === 'invalid-argument' && /binance, bybit, okx/.test(e.message));
  await assert.rejects(runNormalize(['--exchange', 'bybit', '--market', 'usdm'], ''), /--market usdm: bybit markets are spot, linear, inverse/);
  await assert.rejects(runNormalize(['--exchange', 'okx', '--market', 'linear'], ''), /okx markets are spot, swap, futures/);
});
