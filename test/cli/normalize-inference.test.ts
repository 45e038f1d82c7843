/**
 * `venuekit normalize` never assumes a venue or a market: it reads them from the real recorded frames where
 * the wire proves them (Binance USD-M fields, Bybit trade and ticker fields, OKX ids) and otherwise stops with
 * exit 2 asking for the flag; it reports every frame that gave no events, counted per kind; and `receivedAt`
 * is the recorder's time when the line carries it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { normalizeCommand } from '../../src/cli/normalize-command.js';
import { VenueError } from '../../src/core/errors.js';
import { FIXTURES, fixtureLines, fixtureText } from '../helpers/wait.js';
import { jsonLines, runNormalize, sink, type JsonLine } from './cli-io.js';
import { linesOf, run } from './cli-process.js';

const compact = (path: string): string => JSON.stringify(JSON.parse(fixtureText(path)));
const skippedCounts = (skipped: JsonLine[]): Record<string, number> => Object.fromEntries(skipped.map((s) => [s['kind'], s['frames']]));

/** Runs normalize in-process expecting a usage error: the error, and what reached stdout meanwhile. */
async function refused(argv: string[], input: string): Promise<{ error: unknown; stdout: string }> {
  const out = sink();
  const err = sink();
  const error = await normalizeCommand(argv, { input: Readable.from([input]), output: out.stream, errors: err.stream }).then(
    () => assert.fail('normalize should have refused'),
    (e: unknown) => e,
  );
  return { error, stdout: out.text() };
}

test('a recorded USD-M session without flags comes out as USD-M (today: labelled spot), read from its first frame', async () => {
  const file = join(FIXTURES, 'binance/ws/usdm-combined-streams-recorded-session.jsonl');
  const r = await run(['normalize', file]);
  assert.equal(r.code, 0, r.stderr);
  const events = jsonLines(r.stdout);
  assert.equal(events.length, fixtureLines('binance/ws/usdm-combined-streams-recorded-session.jsonl').length);
  assert.ok(events.every((e) => (e['symbol'] as string).endsWith(':USDT')), 'every symbol is a USD-M perpetual');
  const report = jsonLines(r.stderr);
  assert.deepEqual(report, [{ type: 'summary', exchange: 'binance', exchangeFrom: 'line 1 (bookTicker)', market: 'usdm', marketFrom: 'line 1 (bookTicker)', lines: 1535, frames: 1535, events: 1535, skipped: 0, failed: 0 }]);

  const spot = await runNormalize([], fixtureLines('binance/ws/spot-combined-streams-recorded-session.jsonl').join('\n'));
  assert.equal(spot.failed, 0);
  assert.ok(spot.events.every((e) => !(e['symbol'] as string).includes(':')), 'spot symbols');
  assert.deepEqual([spot.summary['market'], spot.summary['marketFrom']], ['spot', 'line 1 (depthUpdate)']);
});

test('a --market the frames contradict stops with exit 2 naming the right one, before any output', async () => {
  const r = await run(['normalize', '--market', 'spot', join(FIXTURES, 'binance/ws/usdm-combined-streams-recorded-session.jsonl')]);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.deepEqual(linesOf(r.stderr), ['venuekit normalize: line 1 is a usdm frame (bookTicker), not spot as --market says; pass --market usdm; see venuekit normalize --help']);
});

test('a recording that mixes markets: the frames of the other market are errors on their lines, never relabelled', async () => {
  const spot = fixtureLines('binance/ws/spot-combined-streams-recorded-session.jsonl').slice(0, 3);
  const usdm = fixtureLines('binance/ws/usdm-combined-streams-recorded-session.jsonl').slice(0, 2);
  const r = await runNormalize([], [...spot, ...usdm].join('\n'));
  assert.equal(r.failed, 2);
  assert.equal(r.events.length, 3);
  assert.deepEqual(r.errors.map((e) => [e['line'], e['code']]), [[4, 'invalid-argument'], [5, 'invalid-argument']]);
  assert.match(String(r.errors[0]!['message']), /line 4 is a usdm frame \(bookTicker\) in a spot recording \(market read from line 1 \(depthUpdate\)\)/);
});

test('frames that fit every market make normalize ask for --market (exit 2) instead of assuming spot', async () => {
  const book1 = fixtureLines('bybit/ws/orderbook-1-BTCUSDT-spot-recorded-sequence.jsonl').join('\n');
  const a = await refused(['--exchange', 'bybit'], book1);
  assert.ok(VenueError.is(a.error, 'invalid-argument'));
  assert.equal((a.error as Error).message, 'none of the 3 frames (1 subscribe ack, 2 orderbook) tells its bybit market; pass --market spot|linear|inverse');
  assert.equal(a.stdout, '', 'nothing was written under a guessed market');
  const linearBook = await refused([], fixtureLines('bybit/ws/orderbook-500-XRPUSDT-linear-recorded-sequence.jsonl').join('\n'));
  assert.match((linearBook.error as Error).message, /none of the 50 frames \(50 orderbook\) tells its bybit market/);
  const spawned = await run(['normalize', join(FIXTURES, 'bybit/ws/orderbook-50-BTCUSDT-spot-recorded-sequence.jsonl')]);
  assert.equal(spawned.code, 2);
  assert.equal(spawned.stdout, '');
  assert.match(spawned.stderr, /^venuekit normalize: none of the 2 frames \(2 orderbook\) tells its bybit market; pass --market spot\|linear\|inverse/);
});

test('Bybit: the category comes from trades (tick direction) and tickers, spot or linear; a USD-quoted derivative id is inverse', async () => {
  const spotTrades = await runNormalize([], fixtureLines('bybit/ws/public-trade-BTCUSDT-spot-recorded-sequence.jsonl').join('\n'));
  assert.deepEqual([spotTrades.summary['exchange'], spotTrades.summary['market'], spotTrades.summary['marketFrom']], ['bybit', 'spot', 'line 2 (publicTrade)']);
  assert.ok(spotTrades.events.length === 11 && spotTrades.events.every((e) => e['symbol'] === 'BTC/USDT'));
  const linearTrades = await runNormalize([], fixtureLines('bybit/ws/public-trade-BTCUSDT-linear-recorded-sequence.jsonl').join('\n'));
  assert.equal(linearTrades.summary['market'], 'linear');
  assert.ok(linearTrades.events.length > 0 && linearTrades.events.every((e) => e['symbol'] === 'BTC/USDT:USDT'));
  const tickers = await runNormalize([], fixtureLines('bybit/ws/tickers-linear-snapshot-then-delta-recorded.jsonl').join('\n'));
  assert.deepEqual([tickers.summary['market'], tickers.events.map((e) => e['symbol'])], ['linear', ['XRP/USDT:USDT', 'XRP/USDT:USDT']]);
  // Hostile: the real linear trade frame with its id changed to an inverse one.
  const inverseFrame = fixtureLines('bybit/ws/public-trade-BTCUSDT-linear-recorded-sequence.jsonl')[1]!.replaceAll('BTCUSDT', 'BTCUSD');
  const inverse = await runNormalize([], inverseFrame);
  assert.deepEqual([inverse.summary['market'], inverse.events[0]!['symbol']], ['inverse', 'BTC/USD:BTC']);
  // The book frames alone say nothing, but a trade later in the same recording does: held, then normalized.
  const book = fixtureLines('bybit/ws/orderbook-50-BTCUSDT-spot-recorded-sequence.jsonl');
  const trades = fixtureLines('bybit/ws/public-trade-BTCUSDT-spot-recorded-sequence.jsonl');
  const both = await runNormalize([], [...book, ...trades].join('\n'));
  assert.deepEqual([both.summary['marketFrom'], both.events.filter((e) => e['type'] === 'book').length, both.events[0]!['symbol']], [`line ${book.length + 2} (publicTrade)`, 2, 'BTC/USDT']);
});

test('without --exchange the venue comes from the frames, and normalize asks for it when none tells', async () => {
  const okx = await runNormalize([], fixtureLines('okx/ws/public-recorded-session-2022-05.jsonl').join('\n'));
  assert.deepEqual([okx.summary['exchange'], okx.summary['marketFrom'], okx.failed], ['okx', 'not needed: ids name their market', 0]);
  const none = await refused([], 'hello\n{"foo":1}\n42\n');
  assert.equal((none.error as Error).message, 'none of the 3 frames tells its venue; pass --exchange binance|bybit|okx');
  const bad = await run(['normalize', '--exchange', 'kraken'], { stdin: '' });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^venuekit normalize: --exchange kraken: use binance, bybit, okx/);
});

test('every frame that gave no events is reported on stderr, counted per kind: user data, mark price, acks, requests, non-object JSON', async () => {
  const user = await runNormalize([], fixtureLines('binance/ws/usdm-user-open-close-recorded-2024-11.jsonl').join('\n'));
  assert.equal(user.events.length, 0);
  assert.deepEqual(skippedCounts(user.skipped), { 'user data TRADE_LITE': 2, 'user data ORDER_TRADE_UPDATE': 4, 'user data ACCOUNT_UPDATE': 2 });
  assert.deepEqual([user.summary['market'], user.summary['skipped'], user.failed], ['usdm', 8, 0]);

  const depth = fixtureLines('binance/ws/spot-combined-streams-recorded-session.jsonl').slice(0, 2);
  const input = [
    compact('binance/ws/spot-subscribe-request.json'),
    compact('binance/ws/spot-subscribe-response.json'),
    depth[0],
    '42',
    '"text"',
    compact('binance/ws/spot-user-execution-report-new-recorded-2021-03.json'),
    '[1,2]',
    'null',
    'not json',
    depth[1],
  ].join('\n');
  const mixed = await runNormalize(['--exchange', 'binance', '--market', 'spot'], input);
  assert.equal(mixed.events.length, 2);
  assert.deepEqual(
    mixed.skipped.map((s) => [s['kind'], s['frames'], s['firstLine']]),
    [
      ['SUBSCRIBE request (sent)', 1, 1],
      ['request reply', 1, 2],
      ['non-object JSON', 4, 4],
      ['user data executionReport', 1, 6],
    ],
  );
  assert.deepEqual(mixed.errors.map((e) => [e['line'], e['code']]), [[9, 'decode']]);
  assert.deepEqual([mixed.summary['lines'], mixed.summary['frames'], mixed.summary['events'], mixed.summary['skipped'], mixed.summary['failed']], [10, 10, 2, 7, 1]);

  const usdm = await runNormalize(['--market', 'usdm'], [compact('binance/ws/usdm-mark-price.json'), compact('binance/ws/usdm-force-order.json')].join('\n'));
  assert.deepEqual(skippedCounts(usdm.skipped), { markPriceUpdate: 1, forceOrder: 1 });

  const okxLines = [...fixtureLines('okx/ws/trades-BTC-USDT-recorded-with-seqid.jsonl'), 'pong', compact('okx/ws/notice-service-upgrade.json'), ...fixtureLines('okx/ws/orders-push-recorded.jsonl')];
  const okx = await runNormalize([], okxLines.join('\n'));
  assert.equal(okx.failed, 0);
  assert.deepEqual(skippedCounts(okx.skipped), { 'subscribe ack': 1, pong: 1, notice: 1, 'user data orders': fixtureLines('okx/ws/orders-push-recorded.jsonl').length });
  const bybit = await runNormalize(['--exchange', 'bybit', '--market', 'spot'], [compact('bybit/ws/ping-request-recorded.json'), compact('bybit/ws/pong-public-recorded.json'), compact('bybit/ws/private-order.json'), fixtureLines('okx/ws/trades-push-recorded.jsonl')[0]].join('\n'));
  assert.deepEqual(skippedCounts(bybit.skipped), { 'ping request (sent)': 1, pong: 1, 'user data order': 1, 'not a bybit frame (looks like okx)': 1 });
});

test('receivedAt is the recorder time of a cryptofeed capture line, else the read time; recorder lines are counted, not normalized', async () => {
  const frames = fixtureLines('binance/ws/spot-combined-streams-recorded-session.jsonl').slice(0, 3);
  // The capture format of the fixture's source (PROVENANCE: prefixes stripped); the prefixes here are made up, the frames are real.
  const capture = [
    'configuration: {"log": {"filename": "demo.log"}}',
    'wss://stream.binance.com:9443/stream?streams=nknusdt@depth@100ms <-> 1633998511.90012',
    `wss://stream.binance.com:9443/stream?streams=nknusdt@depth@100ms <- 1633998511.95: ${compact('binance/ws/spot-subscribe-request.json')}`,
    `1633998512.068123: ${frames[0]}`,
    `1633998512.5: ${frames[1]}`,
    `1633998513: ${frames[2]}`,
  ].join('\n');
  const r = await runNormalize([], capture);
  assert.equal(r.failed, 0);
  assert.deepEqual(r.events.map((e) => e['receivedAt']), [1633998512068, 1633998512500, 1633998513000]);
  assert.deepEqual(skippedCounts(r.skipped), { 'recorder configuration': 1, 'connection opened (recorder line)': 1, 'frame sent by the recorder': 1 });
  const before = Date.now();
  const bare = await runNormalize([], frames.join('\n'));
  const after = Date.now();
  assert.ok(bare.events.every((e) => (e['receivedAt'] as number) >= before && (e['receivedAt'] as number) <= after), 'read time without a recorder time');
});
