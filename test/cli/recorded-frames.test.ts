/**
 * The venues' recorded-frame readers (`exchanges/<x>/recording.ts`) on every real recorded frame: each frame is
 * claimed by its own venue's reader only (so `normalize` can tell the venue), and a segment a frame proves is
 * the one its recording was made on (so `normalize` never labels a market wrongly).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_VENUES } from '../../src/cli/venues.js';
import { parseJson } from '../../src/core/json.js';
import { readBinanceRecordedFrame } from '../../src/exchanges/binance/recording.js';
import { readBybitRecordedFrame } from '../../src/exchanges/bybit/recording.js';
import { readOkxRecordedFrame } from '../../src/exchanges/okx/recording.js';
import { FIXTURES, fixtureLines, fixtureText } from '../helpers/wait.js';

/** Every frame of a venue's WebSocket fixtures (JSONL lines and single-frame JSON files), with its file. */
function framesOf(venue: string): Array<{ file: string; frame: unknown }> {
  const dir = join(FIXTURES, venue, 'ws');
  const out: Array<{ file: string; frame: unknown }> = [];
  for (const name of readdirSync(dir).sort()) {
    const path = `${venue}/ws/${name}`;
    if (name.endsWith('.jsonl')) for (const line of fixtureLines(path)) out.push({ file: name, frame: parseJson(line) });
    else if (name.endsWith('.json')) out.push({ file: name, frame: parseJson(fixtureText(path)) });
  }
  return out;
}

test('every recorded frame of a venue is claimed by that venue\'s reader and by no other', () => {
  for (const venue of CLI_VENUES) {
    const frames = framesOf(venue.name);
    assert.ok(frames.length > 40, `${venue.name} fixtures`);
    for (const { file, frame } of frames) {
      const claims = CLI_VENUES.filter((v) => v.readRecordedFrame(frame) !== undefined).map((v) => v.name);
      assert.deepEqual(claims, [venue.name], `${venue.name}/ws/${file}: ${JSON.stringify(frame).slice(0, 120)}`);
    }
  }
});

test('a segment a Binance or Bybit frame proves is the segment its recording was made on', () => {
  const expected = (file: string, venue: string): string | undefined => {
    if (venue === 'binance') return file.startsWith('usdm-') ? 'usdm' : file.startsWith('spot-') ? 'spot' : undefined;
    if (/-spot[-.]|ticker-spot/.test(file)) return 'spot';
    if (/-linear[-.]|ticker-linear/.test(file) || file === 'public-trade.json') return 'linear';
    return undefined;
  };
  const proven: Record<string, Set<string>> = {};
  for (const [venue, read] of [
    ['binance', readBinanceRecordedFrame],
    ['bybit', readBybitRecordedFrame],
  ] as const) {
    for (const { file, frame } of framesOf(venue)) {
      const seen = read(frame);
      if (seen?.segment === undefined) continue;
      (proven[venue] ??= new Set()).add(`${seen.kind}:${seen.segment}`);
      const want = expected(file, venue);
      if (want !== undefined) assert.equal(seen.segment, want, `${venue}/ws/${file} (${seen.kind})`);
    }
  }
  // The shapes the docs and recordings tell apart are all recognised.
  for (const k of ['depthUpdate:spot', 'depthUpdate:usdm', 'bookTicker:spot', 'bookTicker:usdm', 'aggTrade:spot', 'aggTrade:usdm', '24hrTicker:spot', '24hrTicker:usdm', 'markPriceUpdate:usdm', 'user data executionReport:spot', 'user data ORDER_TRADE_UPDATE:usdm']) {
    assert.ok(proven['binance']?.has(k), `binance ${k}`);
  }
  for (const k of ['publicTrade:spot', 'publicTrade:linear', 'tickers:spot', 'tickers:linear']) assert.ok(proven['bybit']?.has(k), `bybit ${k}`);
});

test('frames that fit every market prove none: klines, mini tickers, Bybit books and klines, option tickers', () => {
  for (const path of ['binance/ws/spot-kline.json', 'binance/ws/usdm-kline.json', 'binance/ws/spot-mini-ticker.json', 'binance/ws/usdm-mini-ticker.json']) {
    assert.equal(readBinanceRecordedFrame(parseJson(fixtureText(path)))?.segment, undefined, path);
  }
  for (const path of ['bybit/ws/kline.json', 'bybit/ws/orderbook-delta.json', 'bybit/ws/ticker-option.json']) {
    assert.equal(readBybitRecordedFrame(parseJson(fixtureText(path)))?.segment, undefined, path);
  }
  assert.equal(readOkxRecordedFrame('pong')?.kind, 'pong');
  assert.equal(readOkxRecordedFrame({ foo: 1 }), undefined);
});
