/** The `books` scanner against parseJson: every recorded OKX WS frame, simulator frames, unsafe integers, a seeded fuzz. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseJson } from '../../../src/core/json.js';
import { scanOkxBooksFrame } from '../../../src/exchanges/okx/book-scanner.js';
import { createOkxStreamDialect } from '../../../src/exchanges/okx/stream-dialect.js';
import { DEFAULT_INSTRUMENTS, toInstrument } from '../../../src/testing/sim/instruments.js';
import { booksFrame, okxInstrument } from '../../../src/testing/sim/okx/wire-format.js';
import { assertSameAsParseJson, compact, mutate, prng } from '../../helpers/scanner-differential.js';
import { FIXTURES, fixtureLines, fixtureText } from '../../helpers/wait.js';

const decode = createOkxStreamDialect().decode;
const check = (text: string): boolean => assertSameAsParseJson(decode, scanOkxBooksFrame, text);

const texts: string[] = [];
for (const f of readdirSync(join(FIXTURES, 'okx/ws'))) {
  if (f.endsWith('.jsonl')) texts.push(...fixtureLines(`okx/ws/${f}`));
  else if (f.endsWith('.json')) {
    const text = fixtureText(`okx/ws/${f}`);
    texts.push(text, compact(text));
  }
}
const isBooksPush = (l: string): boolean => l.startsWith('{"arg":{"channel":"books"');
/** Recorded `books` pushes (2022: the book ends at `checksum`, before seqId/prevSeqId existed). */
const recordedLines = [
  ...fixtureLines('okx/ws/books-BTC-USDT-recorded-sequence-with-checksum.jsonl'),
  ...fixtureLines('okx/ws/public-recorded-session-2022-05.jsonl'),
].filter(isBooksPush);
/** The documented pushes with `prevSeqId`/`seqId` (today's shape), compacted as the venue sends them. */
const docLines = [compact(fixtureText('okx/ws/books-snapshot.json')), compact(fixtureText('okx/ws/books-update.json'))];

/** Pushes as the simulator writes them, spot and swap, snapshot and update. */
function simulatorFrames(): string[] {
  const out: string[] = [];
  for (const symbol of ['BTC/USDT', 'BTC/USDT:USDT']) {
    const spec = DEFAULT_INSTRUMENTS.find((s) => s.symbol === symbol);
    assert.ok(spec !== undefined, symbol);
    const w = okxInstrument(toInstrument(spec));
    const e = { ts: 1597026383085, checksum: -855196043, prevSeqId: -1, seqId: 123456 };
    out.push(booksFrame(w, 'snapshot', { ...e, bids: [[6500000, 1500], [6499990, 20]], asks: [[6500010, 7]] }));
    out.push(booksFrame(w, 'update', { ...e, prevSeqId: 123456, seqId: 123457, checksum: 0, bids: [], asks: [[6500010, 0]] }));
  }
  return out;
}

test('decodes every recorded OKX WS frame exactly as parseJson does', () => {
  assert.ok(texts.length > 500);
  for (const text of texts) check(text);
});

test('takes the fast path for recorded and documented books pushes and simulator frames', () => {
  assert.ok(recordedLines.length > 300);
  for (const line of [...recordedLines, ...docLines, ...simulatorFrames()]) assert.ok(check(line), `fell back on ${line.slice(0, 120)}`);
  const update = scanOkxBooksFrame(docLines[1] as string) as { data: Array<Record<string, unknown>> };
  assert.deepStrictEqual(Object.keys(update), ['arg', 'action', 'data']);
  assert.deepStrictEqual(Object.keys(update.data[0] as object), ['asks', 'bids', 'ts', 'checksum', 'prevSeqId', 'seqId']);
  assert.equal(update.data[0]?.['checksum'], -855196043);
  assert.equal((scanOkxBooksFrame(docLines[0] as string) as typeof update).data[0]?.['prevSeqId'], -1);
  assert.deepStrictEqual(Object.keys((scanOkxBooksFrame(recordedLines[0] as string) as typeof update).data[0] as object), ['asks', 'bids', 'ts', 'checksum']);
});

test('leaves books5, other channels, events and frames not written the way OKX writes them to parseJson', () => {
  for (const f of ['books5.json', 'bbo-tbt.json', 'trades-push.json', 'tickers-push.json', 'books-subscribe-response.json', 'notice-service-upgrade.json']) {
    assert.equal(scanOkxBooksFrame(compact(fixtureText(`okx/ws/${f}`))), undefined, f);
  }
  for (const line of fixtureLines('okx/ws/books5-BTC-USDT-recorded-with-seqid.jsonl')) assert.equal(scanOkxBooksFrame(line), undefined, line.slice(0, 80));
  assert.equal(scanOkxBooksFrame(fixtureText('okx/ws/books-update.json')), undefined, 'pretty-printed');
  const line = docLines[1] as string;
  const variants: Record<string, string> = {
    'unexpected key': line.replace('"ts":', '"x":1,"ts":'),
    'keys reordered': line.replace(/"prevSeqId":(\d+),"seqId":(\d+)/, '"seqId":$2,"prevSeqId":$1'),
    'prevSeqId without seqId': line.replace(/,"seqId":\d+/, ''),
    'two books': line.replace('}]}', '},{}]}'),
    whitespace: line.replace('"bids":[[', '"bids":[ ['),
    escape: line.replace('"BTC-USDT"', '"BTC\\u002dUSDT"'),
    'trailing newline': line + '\n',
    'a fractional checksum': line.replace(/"checksum":(-?\d+)/, '"checksum":$1.5'),
    'a numeric size': line.replace(/"asks":\[\["([^"]+)","([^"]+)"/, '"asks":[["$1",$2'),
    'an empty level': line.replace('"asks":[[', '"asks":[[],['),
    'no action': line.replace('"action":"update",', ''),
  };
  for (const [what, text] of Object.entries(variants)) {
    assert.notEqual(text, line, what);
    assert.equal(scanOkxBooksFrame(text), undefined, what);
    check(text);
  }
  // Levels with another count of strings decode like any other array (identical to parseJson).
  assert.ok(check(line.replace(/"asks":\[\["([^"]+)","([^"]+)","0","(\d+)"\]/, '"asks":[["$1","$2"]')), 'a two-string level');
});

test('gives -0, negative and beyond-2^53 integers exactly as parseJson does', () => {
  const line = docLines[1] as string;
  const variant = line.replace(/"checksum":-?\d+/, '"checksum":-0').replace(/"prevSeqId":\d+/, '"prevSeqId":-18446744073709551615').replace(/"seqId":\d+/, '"seqId":9007199254740993');
  const scanned = scanOkxBooksFrame(variant) as { data: Array<Record<string, unknown>> };
  assert.deepStrictEqual(scanned, parseJson(variant));
  assert.ok(Object.is(scanned.data[0]?.['checksum'], -0));
  assert.equal(scanned.data[0]?.['prevSeqId'], '-18446744073709551615');
  assert.equal(scanned.data[0]?.['seqId'], '9007199254740993');
  const safe = line.replace(/"seqId":\d+/, '"seqId":9007199254740991').replace(/"checksum":-?\d+/, '"checksum":-9007199254740991');
  assert.deepStrictEqual(scanOkxBooksFrame(safe), parseJson(safe));
});

test('gives parseJson results or its errors on thousands of mutated and truncated books pushes (seeded fuzz)', () => {
  const rand = prng(20261124);
  const bases = [...recordedLines.filter((_, k) => k % 8 === 0), ...docLines, ...simulatorFrames()];
  let fastPath = 0;
  for (let n = 0; n < 20_000; n++) {
    if (check(mutate(bases[Math.floor(rand() * bases.length)] as string, rand))) fastPath++;
  }
  // The fuzz must exercise the scanner's accepting side too, not only its fallbacks.
  assert.ok(fastPath > 1000, `only ${fastPath} mutated frames took the fast path`);
});
