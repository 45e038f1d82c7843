/** The OKX CRC32 book checksum: the documented string layout, the CRC itself, and every real recorded message. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { OrderBook } from '../../../src/core/book/order-book.js';
import { parseJson } from '../../../src/core/json.js';
import { bookChecksum, checksumText, crc32Signed } from '../../../src/exchanges/okx/checksum.js';
import { parseBookPush } from '../../../src/exchanges/okx/parse.js';
import { fixtureLines } from '../../helpers/wait.js';

test('builds the documented checksum strings: interleaved, and a short side followed by the rest of the other', () => {
  assert.equal(checksumText([['3366.1', '7'], ['3366', '6']], [['3366.8', '9'], ['3368', '8']]), '3366.1:7:3366.8:9:3366:6:3368:8');
  assert.equal(checksumText([['3366.1', '7']], [['3366.8', '9'], ['3368', '8'], ['3372', '8']]), '3366.1:7:3366.8:9:3368:8:3372:8');
  assert.equal(checksumText([['2', '1'], ['1', '1']], []), '2:1:1:1');
  assert.equal(checksumText([], []), '');
});

test('uses only the best 25 levels of each side', () => {
  const bids = Array.from({ length: 30 }, (_, i) => [String(100 - i), '1'] as const);
  const asks = Array.from({ length: 30 }, (_, i) => [String(101 + i), '2'] as const);
  const parts = checksumText(bids, asks).split(':');
  assert.equal(parts.length, 100);
  assert.deepEqual(parts.slice(-4), ['76', '1', '125', '2']);
});

test('computes CRC32 as a signed 32-bit integer, equal to zlib', () => {
  assert.equal(crc32Signed('123456789'), 0xcbf43926 | 0);
  const z = (zlib as unknown as { crc32?: (s: string) => number }).crc32;
  assert.ok(z !== undefined, 'node:zlib has crc32 (Node >= 20.15)');
  for (const text of ['', '3366.1:7:3366.8:9:3366:6:3368:8', '3366.1:7:3366.8:9:3368:8:3372:8', 'ünïcode']) {
    assert.equal(crc32Signed(text), z(text) | 0, text);
  }
  assert.ok(crc32Signed('3366.1:7:3366.8:9:3366:6:3368:8') < 0, 'a high-bit CRC reads as negative');
});

test('matches the venue checksum on all 290 real books messages of the 2022 session', () => {
  const books = new Map<string, OrderBook>();
  let matched = 0;
  let total = 0;
  for (const line of fixtureLines('okx/ws/public-recorded-session-2022-05.jsonl')) {
    const frame = parseJson(line) as { arg?: { channel?: string; instId?: string }; data?: unknown };
    if (frame.arg?.channel !== 'books' || frame.data === undefined) continue;
    const id = frame.arg.instId as string;
    const msg = parseBookPush(frame, id, 0);
    if (msg.kind === 'snapshot') {
      const book = new OrderBook(id, 1, 0, { keepLevelText: true });
      book.loadSnapshot(msg);
      books.set(id, book);
    } else {
      (books.get(id) as OrderBook).applyMessage(msg);
    }
    total++;
    if (bookChecksum(books.get(id) as OrderBook) === msg.checksum) matched++;
  }
  assert.deepEqual([matched, total], [290, 290]);
});
