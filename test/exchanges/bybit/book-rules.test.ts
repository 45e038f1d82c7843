/** The Bybit book rules as pure decisions: u chaining, duplicates, holes and the u == 1 restart. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { parseJson } from '../../../src/core/json.js';
import type { DepthMessage } from '../../../src/core/model.js';
import { bybitBookRules } from '../../../src/exchanges/bybit/book-rules.js';
import { fixtureLines } from '../../helpers/wait.js';

const delta = (seq: number | bigint): DepthMessage => ({ kind: 'delta', symbol: 'BTC/USDT', seq, bids: [], asks: [], exchangeTime: 0, receivedAt: 0 });

test('the stream brings its own snapshot', () => {
  assert.equal(bybitBookRules.snapshotSource, 'stream');
  assert.equal(bybitBookRules.verifyChecksum, undefined);
});

test('applies u == last + 1, skips duplicates and older ones, calls any hole a gap', () => {
  assert.equal(bybitBookRules.next(20254869, delta(20254870)), 'apply');
  assert.equal(bybitBookRules.next(20254869, delta(20254869)), 'skip');
  assert.equal(bybitBookRules.next(20254869, delta(20254000)), 'skip');
  assert.equal(bybitBookRules.next(20254869, delta(20254871)), 'gap');
});

test('a delta numbered 1 after a restart is never chained onto the old book', () => {
  assert.equal(bybitBookRules.next(20254869, delta(1)), 'gap');
  assert.equal(bybitBookRules.alignFirst(20254869, delta(1)), 'refetch');
});

test('aligning with a snapshot follows the same chain', () => {
  assert.equal(bybitBookRules.alignFirst(100, delta(100)), 'drop');
  assert.equal(bybitBookRules.alignFirst(100, delta(101)), 'apply');
  assert.equal(bybitBookRules.alignFirst(100, delta(105)), 'refetch');
});

test('ids beyond 2^53 compare exactly', () => {
  const last = 2n ** 60n;
  assert.equal(bybitBookRules.next(last, delta(last + 1n)), 'apply');
  assert.equal(bybitBookRules.next(last, delta(last + 2n)), 'gap');
  assert.equal(bybitBookRules.next(last, delta(last)), 'skip');
});

test('declares id bounds far wider than the recorded stream, which an absurd u and a restart break', () => {
  const { maxAhead, maxBehind } = bybitBookRules.idBounds;
  const frames = fixtureLines('bybit/ws/orderbook-500-XRPUSDT-linear-recorded-sequence.jsonl').map((l) => (parseJson(l) as { data: { u: number } }).data.u);
  const steps = frames.slice(1).map((u, i) => u - (frames[i] as number));
  assert.ok(maxAhead >= 1000 * Math.max(...steps), `maxAhead ${maxAhead}`);
  const last = frames.at(-1) as number;
  assert.ok(maxBehind > 0 && maxBehind < last - 1, 'ids restarting low are further back than maxBehind');
  assert.ok(99999999999999999999n - BigInt(last) > BigInt(maxAhead));
});
