/** The order-book scanner against parseJson: every recorded Bybit WS frame, simulator frames, unsafe integers, a seeded fuzz. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseJson } from '../../../src/core/json.js';
import { scanBybitBookFrame } from '../../../src/exchanges/bybit/book-scanner.js';
import { createBybitStreamDialect } from '../../../src/exchanges/bybit/stream-dialect.js';
import { bybitSymbol, orderbookFrame } from '../../../src/testing/sim/bybit/wire-format.js';
import { DEFAULT_INSTRUMENTS, toInstrument } from '../../../src/testing/sim/instruments.js';
import { assertSameAsParseJson, compact, mutate, prng } from '../../helpers/scanner-differential.js';
import { FIXTURES, fixtureLines, fixtureText } from '../../helpers/wait.js';

const decode = createBybitStreamDialect().decode;
const check = (text: string): boolean => assertSameAsParseJson(decode, scanBybitBookFrame, text);

const texts: string[] = [];
for (const f of readdirSync(join(FIXTURES, 'bybit/ws'))) {
  if (f.endsWith('.jsonl')) texts.push(...fixtureLines(`bybit/ws/${f}`));
  else if (f.endsWith('.json')) {
    const text = fixtureText(`bybit/ws/${f}`);
    texts.push(text, compact(text));
  }
}
const spotLines = [...fixtureLines('bybit/ws/orderbook-1-BTCUSDT-spot-recorded-sequence.jsonl'), ...fixtureLines('bybit/ws/orderbook-50-BTCUSDT-spot-recorded-sequence.jsonl')].filter((l) =>
  l.startsWith('{"topic"'),
);
// The archive file has CRLF line ends; a WS message is the frame alone (the raw lines are checked above, and fall back).
const linearLines = fixtureLines('bybit/ws/orderbook-500-XRPUSDT-linear-recorded-sequence.jsonl').map((l) => l.replace(/\r$/, ''));

/** Frames as the simulator writes them, spot (`topic,ts,type`) and linear (`topic,type,ts`). */
function simulatorFrames(): string[] {
  const out: string[] = [];
  for (const symbol of ['BTC/USDT', 'BTC/USDT:USDT']) {
    const spec = DEFAULT_INSTRUMENTS.find((s) => s.symbol === symbol);
    assert.ok(spec !== undefined, symbol);
    const s = bybitSymbol(toInstrument(spec));
    const base = { topic: `orderbook.50.${s.id}`, ts: 1733011200691, cts: 1733011200680, u: 20254869, seq: 114381212101 };
    out.push(orderbookFrame(s, { ...base, type: 'snapshot', bids: [[6500000, 1500], [6499990, 20]], asks: [[6500010, 7]] }));
    out.push(orderbookFrame(s, { ...base, type: 'delta', bids: [], asks: [[6500010, 0]] }));
  }
  return out;
}

test('decodes every recorded Bybit WS frame exactly as parseJson does', () => {
  assert.ok(texts.length > 80);
  for (const text of texts) check(text);
});

test('takes the fast path for recorded spot and linear order-book frames, the doc delta and simulator frames', () => {
  const all = [...spotLines, ...linearLines, compact(fixtureText('bybit/ws/orderbook-delta.json')), ...simulatorFrames()];
  assert.ok(spotLines.length === 4 && linearLines.length === 50);
  for (const line of all) assert.ok(check(line), `fell back on ${line.slice(0, 120)}`);
  assert.deepStrictEqual(Object.keys(scanBybitBookFrame(spotLines[0] as string) as object), ['topic', 'ts', 'type', 'data', 'cts']);
  assert.deepStrictEqual(Object.keys(scanBybitBookFrame(linearLines[0] as string) as object), ['topic', 'type', 'ts', 'data', 'cts']);
  const withoutCts = (linearLines[1] as string).replace(/,"cts":\d+\}$/, '}');
  assert.ok(check(withoutCts), 'a frame without cts');
  assert.deepStrictEqual(Object.keys(scanBybitBookFrame(withoutCts) as object), ['topic', 'type', 'ts', 'data']);
});

test('leaves other topics, acks and frames not written the way Bybit writes them to parseJson', () => {
  for (const f of ['public-trade.json', 'ticker-spot.json', 'subscribe-response-public-spot.json', 'pong-public-spot.json', 'kline.json']) {
    assert.equal(scanBybitBookFrame(compact(fixtureText(`bybit/ws/${f}`))), undefined, f);
  }
  assert.equal(scanBybitBookFrame(fixtureText('bybit/ws/orderbook-delta.json')), undefined, 'pretty-printed');
  const line = linearLines[1] as string;
  const variants: Record<string, string> = {
    'unexpected key': line.replace('"s":', '"x":1,"s":'),
    'keys reordered': line.replace(/"u":(\d+),"seq":(\d+)/, '"seq":$2,"u":$1'),
    whitespace: line.replace('"b":[[', '"b":[ ['),
    escape: line.replace('"XRPUSDT"', '"XRP\\u0055SDT"'),
    'trailing whitespace': line + ' ',
    'a three-string level': line.replace(/"b":\[\["([^"]+)","([^"]+)"\]/, '"b":[["$1","$2","x"]'),
    'a fractional u': line.replace(/"u":(\d+)/, '"u":$1.0'),
    'a negative ts': line.replace(/"ts":(\d+)/, '"ts":-$1'),
    'a numeric level': line.replace(/"b":\[\["([^"]+)"/, '"b":[[$1'),
  };
  for (const [what, text] of Object.entries(variants)) {
    assert.notEqual(text, line, what);
    assert.equal(scanBybitBookFrame(text), undefined, what);
    check(text);
  }
});

test('turns integers beyond 2^53 into their digits and keeps safe 16-digit ones as numbers, as parseJson does', () => {
  const line = linearLines[0] as string;
  const variant = line.replace(/"u":\d+/, '"u":18446744073709551615').replace(/"seq":\d+/, '"seq":9007199254740991').replace(/"cts":\d+/, '"cts":9007199254740993');
  const scanned = scanBybitBookFrame(variant) as { data: { u: unknown; seq: unknown }; cts: unknown };
  assert.deepStrictEqual(scanned, parseJson(variant));
  assert.equal(scanned.data.u, '18446744073709551615');
  assert.equal(scanned.data.seq, 9007199254740991);
  assert.equal(scanned.cts, '9007199254740993');
});

test('gives parseJson results or its errors on thousands of mutated and truncated order-book frames (seeded fuzz)', () => {
  const rand = prng(20261123);
  const bases = [...spotLines, ...linearLines.slice(1), ...simulatorFrames()];
  let fastPath = 0;
  for (let n = 0; n < 20_000; n++) {
    if (check(mutate(bases[Math.floor(rand() * bases.length)] as string, rand))) fastPath++;
  }
  // The fuzz must exercise the scanner's accepting side too, not only its fallbacks.
  assert.ok(fastPath > 1000, `only ${fastPath} mutated frames took the fast path`);
});
