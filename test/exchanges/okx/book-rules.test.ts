/** OKX book rules as pure decisions: snapshot alignment, prevSeqId continuity, heartbeats, resets, checksums. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OrderBook } from '../../../src/core/book/order-book.js';
import { parseJson } from '../../../src/core/json.js';
import type { DepthMessage } from '../../../src/core/model.js';
import { okxBookRules as rules } from '../../../src/exchanges/okx/book-rules.js';
import { bookChecksum } from '../../../src/exchanges/okx/checksum.js';
import { fixtureLines } from '../../helpers/wait.js';

function update(prev: number | bigint | undefined, seq: number | bigint, checksum?: number): DepthMessage {
  return { kind: 'delta', symbol: 'BTC/USDT', seq, ...(prev === undefined ? {} : { prevSeq: prev }), bids: [], asks: [], ...(checksum === undefined ? {} : { checksum }), exchangeTime: 0, receivedAt: 0 };
}

test('takes an in-band or REST snapshot, keeping the venue level strings', () => {
  assert.equal(rules.snapshotSource, 'stream-or-rest');
  assert.equal(rules.keepLevelText, true);
});

test('aligns buffered updates with a REST snapshot: drop seqId <= snapshot, apply prevSeqId <= snapshot < seqId, else refetch', () => {
  assert.equal(rules.alignFirst(100, update(95, 99)), 'drop');
  assert.equal(rules.alignFirst(100, update(99, 100)), 'drop');
  assert.equal(rules.alignFirst(100, update(100, 104)), 'apply');
  assert.equal(rules.alignFirst(100, update(97, 104)), 'apply', 'straddles the snapshot');
  assert.equal(rules.alignFirst(100, update(101, 104)), 'refetch', 'the snapshot is older than this update');
  assert.equal(rules.alignFirst(100, update(100, 100)), 'apply', 'a heartbeat at the snapshot seqId chains');
  assert.equal(rules.alignFirst(100, update(100, 5)), 'apply', 'a reset right after the snapshot chains');
  assert.equal(rules.alignFirst(100, update(120, 5)), 'refetch', 'a reset from elsewhere cannot be placed');
  assert.equal(rules.alignFirst(-1, update(100, 104)), 'refetch', 'a REST snapshot without seqId cannot be aligned');
  assert.equal(rules.alignFirst(100, update(undefined, 104)), 'refetch');
  assert.equal(rules.alignFirst(2n ** 60n, update(2n ** 60n, 2n ** 60n + 5n)), 'apply', 'bigint sequence ids');
});

test('chains each update on the previous seqId: heartbeat and reset accepted, anything else a gap', () => {
  assert.equal(rules.next(200, update(200, 201)), 'apply');
  assert.equal(rules.next(200, update(200, 200)), 'apply', 'heartbeat: prevSeqId == seqId, no levels');
  assert.equal(rules.next(200, update(200, 3)), 'apply', 'reset after maintenance: seqId < prevSeqId');
  assert.equal(rules.next(200, update(199, 201)), 'gap');
  assert.equal(rules.next(200, update(150, 160)), 'gap', 'an old update is not silently skipped');
  assert.equal(rules.next(200, update(250, 260)), 'gap');
  assert.equal(rules.next(200, update(190, 3)), 'gap', 'a reset not chained to the book');
});

test('chains unsequenced (pre-seqId) updates only on their checksum', () => {
  assert.equal(rules.next(-1, update(undefined, -1, 123)), 'apply');
  assert.equal(rules.next(-1, update(undefined, -1, 0)), 'gap');
  assert.equal(rules.next(-1, update(undefined, -1)), 'gap');
});

test('verifies a non-zero checksum against the book and skips a zero or absent one', () => {
  const book = new OrderBook('BTC/USDT', 1, 0, { keepLevelText: true });
  book.loadSnapshot({ kind: 'snapshot', symbol: 'BTC/USDT', seq: 1, bids: [['3366.1', '7'], ['3366', '6']], asks: [['3366.8', '9'], ['3368', '8']], exchangeTime: 0, receivedAt: 0 });
  const good = bookChecksum(book);
  const verify = rules.verifyChecksum as NonNullable<typeof rules.verifyChecksum>;
  assert.equal(verify(book, update(1, 2, good)), true);
  assert.equal(verify(book, update(1, 2, good ^ 1)), false);
  assert.equal(verify(book, update(1, 2, 0)), true);
  assert.equal(verify(book, update(1, 2)), true);
});

test('declares id bounds far wider than the recorded seqId steps, which an absurd seqId and a restart break', () => {
  const { maxAhead, maxBehind } = rules.idBounds;
  for (const file of ['okx/ws/books5-BTC-USDT-recorded-with-seqid.jsonl', 'okx/ws/books5-BTC-USDT-SWAP-recorded-with-seqid.jsonl']) {
    const ids = fixtureLines(file)
      .map((l) => parseJson(l) as { data?: Array<{ seqId: number }> })
      .flatMap((f) => (f.data === undefined ? [] : [f.data[0]?.seqId as number]));
    assert.equal(ids.length, 2, file);
    const [a = 0, b = 0] = ids;
    // books5 pushes every 100-200 ms, like books: one step is what a books update moves at most in that time.
    assert.ok(maxAhead >= 1000 * (b - a), `${file}: maxAhead ${maxAhead} vs the recorded step ${b - a}`);
    assert.ok(maxBehind > 0 && maxBehind < b - 1, 'ids restarting low are further back than maxBehind');
    assert.ok(99999999999999999999n - BigInt(b) > BigInt(maxAhead));
  }
});
