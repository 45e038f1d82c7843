/** The diff-depth scanner against parseJson: every recorded Binance WS frame, unsafe integers, and a seeded fuzz. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { VenueError } from '../../../src/core/errors.js';
import { parseJson } from '../../../src/core/json.js';
import { scanDepthFrame } from '../../../src/exchanges/binance/depth-scanner.js';
import { createBinanceStreamDialect } from '../../../src/exchanges/binance/stream-dialect.js';
import { FIXTURES, fixtureLines, fixtureText } from '../../helpers/wait.js';

const decode = createBinanceStreamDialect().decode;

/** What a decode gives: the value, or the error's code and message. */
function outcome(run: () => unknown): { value: string } | { error: string } {
  try {
    const v = run();
    // JSON text is order- and type-sensitive (a number and its digits as a string differ).
    return { value: JSON.stringify(v) };
  } catch (err) {
    assert.ok(VenueError.is(err, 'decode'), `unexpected error ${String(err)}`);
    return { error: (err as Error).message };
  }
}

/** The dialect's decode (scanner first) gives exactly what parseJson gives, value or error. */
function assertSameAsParseJson(text: string): void {
  const expected = outcome(() => parseJson(text));
  assert.deepEqual(outcome(() => decode(text)), expected, text.slice(0, 200));
  const scanned = scanDepthFrame(text);
  if (scanned !== undefined) {
    assert.ok('value' in expected, `the scanner accepted a frame parseJson rejects: ${text.slice(0, 200)}`);
    assert.deepStrictEqual(scanned, parseJson(text));
    assert.equal(JSON.stringify(scanned), expected.value);
  }
}

/** Removes whitespace outside strings (the fixtures are pretty-printed; the venue sends compact frames). */
function compact(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] as string;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (!/\s/.test(c)) out += c;
  }
  return out;
}

const wsFixtures = readdirSync(join(FIXTURES, 'binance/ws')).filter((f) => f.endsWith('.json') || f.endsWith('.jsonl'));
const texts: string[] = [];
for (const f of wsFixtures) {
  if (f.endsWith('.jsonl')) texts.push(...fixtureLines(`binance/ws/${f}`));
  else {
    const text = fixtureText(`binance/ws/${f}`);
    texts.push(text, compact(text));
  }
}
const depthLines = [
  ...fixtureLines('binance/ws/spot-depth100ms-NKNUSDT-recorded-sequence.jsonl'),
  ...fixtureLines('binance/ws/usdm-depth100ms-SUSHIUSDT-recorded-sequence.jsonl'),
];

test('decodes every recorded Binance WS frame exactly as parseJson does', () => {
  assert.ok(texts.length > 100);
  for (const text of texts) assertSameAsParseJson(text);
});

test('takes the fast path for the recorded spot and USD-M diff-depth streams, raw and combined', () => {
  for (const line of depthLines) {
    const combined = scanDepthFrame(line) as { stream: string; data: object } | undefined;
    assert.ok(combined !== undefined, line.slice(0, 120));
    assert.deepStrictEqual(combined, parseJson(line));
    // The same event on a raw (single-stream) connection.
    const raw = line.slice(line.indexOf('"data":') + 7, -1);
    assert.deepStrictEqual(scanDepthFrame(raw), parseJson(raw));
  }
  const usdm = compact(fixtureText('binance/ws/usdm-depth-update.json'));
  assert.deepStrictEqual(Object.keys(scanDepthFrame(usdm) as object), ['e', 'E', 'T', 's', 'U', 'u', 'pu', 'b', 'a']);
});

test('leaves other events and pretty-printed frames to parseJson', () => {
  assert.equal(scanDepthFrame(fixtureText('binance/ws/spot-depth-update.json')), undefined);
  for (const f of ['spot-trade.json', 'spot-book-ticker.json', 'spot-subscribe-response.json', 'spot-server-shutdown-combined.json']) {
    assert.equal(scanDepthFrame(compact(fixtureText(`binance/ws/${f}`))), undefined, f);
  }
  const line = depthLines[0] as string;
  assert.equal(scanDepthFrame(line.replace('"s":', '"x":1,"s":')), undefined, 'unexpected key');
  assert.equal(scanDepthFrame(line.replace(/"U":(\d+),"u":(\d+)/, '"u":$2,"U":$1')), undefined, 'keys reordered');
  assert.equal(scanDepthFrame(line.replace('"b":[[', '"b":[ [')), undefined, 'whitespace');
  assert.equal(scanDepthFrame(line.replace('"NKNUSDT"', '"NKN\\u0055SDT"')), undefined, 'escape');
  assert.equal(scanDepthFrame(line + ' '), undefined, 'trailing whitespace');
});

test('turns integers beyond 2^53 into their digits and keeps safe 16-digit ones as numbers, as parseJson does', () => {
  const line = fixtureLines('binance/ws/usdm-depth100ms-SUSHIUSDT-recorded-sequence.jsonl')[0] as string;
  const variant = line.replace(/"u":\d+/, '"u":18446744073709551615').replace(/"U":\d+/, '"U":9007199254740991').replace(/"pu":\d+/, '"pu":9007199254740993');
  const scanned = scanDepthFrame(variant) as { data: { U: unknown; u: unknown; pu: unknown } };
  assert.deepStrictEqual(scanned, parseJson(variant));
  assert.equal(scanned.data.u, '18446744073709551615');
  assert.equal(scanned.data.U, 9007199254740991);
  assert.equal(scanned.data.pu, '9007199254740993');
});

/** mulberry32: a small deterministic PRNG so the fuzz is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('gives parseJson results or its errors on thousands of mutated and truncated depth frames (seeded fuzz)', () => {
  const rand = prng(20261122);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const alphabet = ['"', '\\', ',', ':', '[', ']', '{', '}', '0', '1', '9', '-', '.', 'e', 'E', ' ', '\t', '\n', '\u0001', 'é', '\u2028', 'a', 'u', 'T'];
  const bases = depthLines.concat(depthLines.map((l) => l.slice(l.indexOf('"data":') + 7, -1)));
  let fastPath = 0;
  for (let n = 0; n < 20_000; n++) {
    let text = pick(bases);
    const edits = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < edits; k++) {
      const at = Math.floor(rand() * (text.length + 1));
      switch (Math.floor(rand() * 6)) {
        case 0: // truncate
          text = text.slice(0, at);
          break;
        case 1: // delete a character
          text = text.slice(0, at) + text.slice(at + 1);
          break;
        case 2: // insert one
          text = text.slice(0, at) + pick(alphabet) + text.slice(at);
          break;
        case 3: // replace one
          text = text.slice(0, at) + pick(alphabet) + text.slice(at + 1);
          break;
        case 4: {
          // a digit run made long (safe or not)
          const m = /\d+/g;
          m.lastIndex = at;
          const hit = m.exec(text);
          if (hit !== null) text = text.slice(0, hit.index) + '9'.repeat(14 + Math.floor(rand() * 8)) + text.slice(hit.index + hit[0].length);
          break;
        }
        default: // duplicate a slice
          text = text.slice(0, at) + text.slice(at, at + Math.floor(rand() * 30)) + text.slice(at);
      }
    }
    if (scanDepthFrame(text) !== undefined) fastPath++;
    assertSameAsParseJson(text);
  }
  // The fuzz must exercise the scanner's accepting side too, not only its fallbacks.
  assert.ok(fastPath > 1000, `only ${fastPath} mutated frames took the fast path`);
});
