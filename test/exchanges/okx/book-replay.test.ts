/**
 * Replays the real recorded OKX `books` messages (public session, May 2022: BTC-USDT spot, UNI-USD-SWAP,
 * BTC-USD-220527) through the OKX parser, book rules and the core synchronizer, with the CRC32 checksum
 * verified on every message; then variants derived in the test from the BTC-USDT recording: a seqId chain
 * (as OKX sends today), a prevSeqId break, a checksum mismatch, zeroed checksums, a heartbeat, a venue reset,
 * and the REST-snapshot path.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { BookSynchronizer } from '../../../src/core/book/book-sync.js';
import type { BookSyncOptions } from '../../../src/core/book/book-sync.js';
import type { OrderBook } from '../../../src/core/book/order-book.js';
import { parseJson } from '../../../src/core/json.js';
import type { DepthMessage } from '../../../src/core/model.js';
import { okxBookRules } from '../../../src/exchanges/okx/book-rules.js';
import { bookChecksum } from '../../../src/exchanges/okx/checksum.js';
import { parseBookPush } from '../../../src/exchanges/okx/parse.js';
import { fixtureLines, waitFor } from '../../helpers/wait.js';

type Frame = { arg: { channel: string; instId: string }; action?: string; data: Array<Record<string, unknown>> };

const SESSION = 'okx/ws/public-recorded-session-2022-05.jsonl';
const BTC_USDT = 'okx/ws/books-BTC-USDT-recorded-sequence-with-checksum.jsonl';

function bookFrames(path: string, instId?: string): Frame[] {
  return fixtureLines(path)
    .map((l) => parseJson(l) as Frame)
    .filter((f) => f.arg?.channel === 'books' && Array.isArray(f.data) && (instId === undefined || f.arg.instId === instId));
}

/** The frame as OKX sends it since seqId exists: `seqId` from 1000 on, `prevSeqId` chained (-1 on the snapshot). */
function withSeqIds(frames: Frame[], first = 1000): Frame[] {
  return frames.map((f, i) => ({ ...f, data: [{ ...f.data[0], seqId: first + i, prevSeqId: i === 0 ? -1 : first + i - 1 }] }));
}

function parse(f: Frame): DepthMessage {
  return parseBookPush(f, f.arg.instId, 1);
}

interface Replay {
  sync: BookSynchronizer;
  books: OrderBook[];
  resubscribes: number;
  fetches: Array<(m: DepthMessage) => void>;
}

function replayer(overrides: Partial<BookSyncOptions> = {}): Replay {
  const r: Replay = { books: [], resubscribes: 0, fetches: [] } as unknown as Replay;
  r.sync = new BookSynchronizer({
    symbol: 'BTC/USDT',
    priceScale: 1,
    qtyScale: 8,
    rules: okxBookRules,
    maxDepth: 400,
    onBook: (b) => r.books.push(b),
    resubscribe: () => r.resubscribes++,
    fetchSnapshot: () => new Promise<DepthMessage>((resolve) => r.fetches.push(resolve)),
    delay: async () => {},
    ...overrides,
  });
  return r;
}

test('replays every recorded books message of the 2022 session with every checksum verified (290 of 290)', () => {
  const frames = bookFrames(SESSION);
  assert.equal(frames.length, 290);
  const byInstrument = new Map<string, Frame[]>();
  for (const f of frames) byInstrument.set(f.arg.instId, [...(byInstrument.get(f.arg.instId) ?? []), f]);
  assert.deepEqual([...byInstrument.keys()].sort(), ['BTC-USD-220527', 'BTC-USDT', 'UNI-USD-SWAP']);
  let verified = 0;
  for (const [instId, list] of byInstrument) {
    const r = replayer({ symbol: instId });
    for (const f of list) {
      const msg = parse(f);
      assert.notEqual(msg.checksum, undefined);
      assert.notEqual(msg.checksum, 0, 'the 2022 recording carries real checksums');
      r.sync.onDelta(msg);
      assert.equal(r.sync.state, 'live', `${instId}: still live after message ${verified}`);
      assert.equal(bookChecksum(r.sync.book as OrderBook), msg.checksum, 'the local book matches the venue checksum');
      verified++;
    }
    assert.equal(r.sync.stats.checksumFailures, 0);
    assert.equal(r.sync.stats.applied, list.length - 1, 'every update applied (none skipped)');
    assert.equal(r.sync.stats.resyncs, 0);
    assert.equal(r.resubscribes, 0);
    assert.equal(r.fetches.length, 0, 'the in-band snapshot was used, nothing fetched');
  }
  assert.equal(verified, 290);
});

test('the BTC-USDT subset file is the session BTC-USDT sequence and ends on the recorded top of book', () => {
  const subset = bookFrames(BTC_USDT);
  assert.equal(subset.length, 98);
  assert.deepEqual(subset, bookFrames(SESSION, 'BTC-USDT'));
  const r = replayer();
  for (const f of subset) r.sync.onDelta(parse(f));
  const book = r.sync.book as OrderBook;
  assert.equal(r.sync.stats.checksumFailures, 0);
  assert.ok(book.bidCount > 0 && book.askCount > 0);
  assert.equal(book.isCrossed(), false);
  assert.ok(book.bidCount <= 400 && book.askCount <= 400, 'kept within the 400-level window');
  // Level strings stay the venue's own (the checksum depends on them): every level shown was sent as such.
  const sent = new Set<string>();
  for (const f of subset) for (const side of ['bids', 'asks']) for (const l of f.data[0]?.[side] as string[][]) sent.add(`${l[0]}:${l[1]}`);
  for (const side of ['bids', 'asks'] as const) for (const [p, q] of book.topStrings(side, 400)) assert.ok(sent.has(`${p}:${q}`), `${p}:${q}`);
});

test('replays the recording with a seqId/prevSeqId chain as OKX sends it today', () => {
  const frames = withSeqIds(bookFrames(BTC_USDT));
  const r = replayer();
  for (const f of frames) r.sync.onDelta(parse(f));
  assert.equal(r.sync.state, 'live');
  assert.equal(r.sync.book?.seq, 1000 + frames.length - 1);
  assert.equal(r.sync.stats.applied, frames.length - 1);
  assert.equal(r.sync.stats.checksumFailures, 0);
});

test('detects a prevSeqId break derived from the recording as a gap and asks for a fresh snapshot', () => {
  const frames = withSeqIds(bookFrames(BTC_USDT));
  const broken = frames.map((f, i) => (i === 40 ? { ...f, data: [{ ...f.data[0], prevSeqId: 1000 + 38 }] } : f));
  const r = replayer();
  for (const f of broken.slice(0, 40)) r.sync.onDelta(parse(f));
  const good = r.sync.book as OrderBook;
  const goodTop = good.topStrings('bids', 5);
  r.sync.onDelta(parse(broken[40] as Frame));
  assert.equal(r.sync.state, 'resyncing');
  assert.equal(r.sync.stats.gaps, 1);
  assert.equal(r.resubscribes, 1, 'the topic is resubscribed for an in-band snapshot');
  assert.equal(r.sync.book, good, 'the last good book stays visible');
  assert.deepEqual(good.topStrings('bids', 5), goodTop);
  // The venue answers the resubscribe with a snapshot: rebuild it from the recorded book at message 41.
  const rebuilt = replayer();
  for (const f of frames.slice(0, 42)) rebuilt.sync.onDelta(parse(f));
  const at = rebuilt.sync.book as OrderBook;
  const snapshot: DepthMessage = {
    kind: 'snapshot',
    symbol: 'BTC/USDT',
    seq: 1041,
    bids: at.topStrings('bids', 400).map(([p, q]) => [p, q, '0', '1']),
    asks: at.topStrings('asks', 400).map(([p, q]) => [p, q, '0', '1']),
    checksum: bookChecksum(at),
    exchangeTime: 1,
    receivedAt: 1,
  };
  r.sync.onDelta(snapshot);
  assert.equal(r.sync.state, 'live');
  assert.equal(r.books.at(-1)?.resyncReason, 'gap');
  for (const f of frames.slice(42)) r.sync.onDelta(parse(f));
  assert.equal(r.sync.stats.checksumFailures, 0, 'the rest of the recording chains on from the fresh snapshot');
  assert.equal(r.sync.book?.seq, 1000 + frames.length - 1);
});

test('detects a checksum mismatch derived from the recording and never shows the corrupted book', () => {
  const frames = withSeqIds(bookFrames(BTC_USDT));
  const target = frames[25] as Frame;
  const bids = (target.data[0]?.['bids'] as string[][]).map((l) => [...l]);
  const level = bids.find((l) => l[1] !== '0') as string[];
  level[1] = `${level[1]}1`; // one digit more on a live level: the venue's checksum no longer matches
  const corrupted = frames.map((f, i) => (i === 25 ? { ...f, data: [{ ...f.data[0], bids }] } : f));
  const r = replayer();
  for (const f of corrupted.slice(0, 25)) r.sync.onDelta(parse(f));
  const before = r.books.length;
  r.sync.onDelta(parse(corrupted[25] as Frame));
  assert.equal(r.sync.stats.checksumFailures, 1);
  assert.equal(r.sync.state, 'resyncing');
  assert.equal(r.books.length, before, 'nothing emitted');
  assert.equal(r.sync.book?.seq, 1024, 'the visible book is rolled back to the last verified message');
  assert.equal(r.resubscribes, 1);
});

test('skips the checksum when the venue sends 0 (production since 2026-06-23)', () => {
  const frames: Frame[] = withSeqIds(bookFrames(BTC_USDT)).map((f) => ({ ...f, data: [{ ...f.data[0], checksum: 0 }] }));
  const target = frames[25] as Frame;
  const bids = (target.data[0]?.['bids'] as string[][]).map((l) => [...l]);
  (bids.find((l) => l[1] !== '0') as string[])[1] = '7';
  frames[25] = { ...target, data: [{ ...target.data[0], bids }] };
  const r = replayer();
  for (const f of frames) r.sync.onDelta(parse(f));
  assert.equal(r.sync.state, 'live');
  assert.equal(r.sync.stats.checksumFailures, 0);
  assert.equal(r.sync.stats.applied, frames.length - 1, 'seqId continuity alone carries the book');
});

test('accepts a heartbeat update and a venue reset (seqId below prevSeqId) and chains on after them', () => {
  const frames = withSeqIds(bookFrames(BTC_USDT)).slice(0, 10);
  const r = replayer();
  for (const f of frames) r.sync.onDelta(parse(f));
  const last = 1009;
  const heartbeat: Frame = { arg: { channel: 'books', instId: 'BTC-USDT' }, action: 'update', data: [{ asks: [], bids: [], ts: '1652459300000', checksum: bookChecksum(r.sync.book as OrderBook), seqId: last, prevSeqId: last }] };
  r.sync.onDelta(parse(heartbeat));
  assert.equal(r.sync.state, 'live');
  const reset: Frame = { arg: { channel: 'books', instId: 'BTC-USDT' }, action: 'update', data: [{ asks: [], bids: [], ts: '1652459300001', checksum: 0, seqId: 3, prevSeqId: last }] };
  r.sync.onDelta(parse(reset));
  assert.equal(r.sync.state, 'live');
  assert.equal(r.sync.book?.seq, 3);
  const after: Frame = { arg: { channel: 'books', instId: 'BTC-USDT' }, action: 'update', data: [{ asks: [], bids: [], ts: '1652459300002', checksum: 0, seqId: 4, prevSeqId: 3 }] };
  r.sync.onDelta(parse(after));
  assert.equal(r.sync.book?.seq, 4);
  assert.deepEqual([r.sync.stats.gaps, r.sync.stats.resyncs], [0, 0]);
});

test('builds from a REST snapshot carrying seqId when the first message is an update', async () => {
  const frames = withSeqIds(bookFrames(BTC_USDT));
  // The venue no longer pushes the initial snapshot: subscribing yields updates from message 30 on.
  const reference = replayer();
  for (const f of frames.slice(0, 33)) reference.sync.onDelta(parse(f));
  const at32 = reference.sync.book as OrderBook;
  const r = replayer();
  for (const f of frames.slice(30, 36)) r.sync.onDelta(parse(f));
  assert.equal(r.sync.state, 'syncing');
  const resolve = await waitFor(() => r.fetches[0], 'the REST snapshot request');
  resolve({
    kind: 'snapshot',
    symbol: 'BTC/USDT',
    seq: 1032,
    bids: at32.topStrings('bids', 400).map(([p, q]) => [p, q, '0', '1']),
    asks: at32.topStrings('asks', 400).map(([p, q]) => [p, q, '0', '1']),
    exchangeTime: 1,
    receivedAt: 1,
  });
  await waitFor(() => r.sync.state === 'live', 'live');
  assert.equal(r.sync.book?.seq, 1035, 'updates 1030-1032 dropped, 1033-1035 applied');
  assert.equal(r.sync.stats.skipped, 3);
  for (const f of frames.slice(36)) r.sync.onDelta(parse(f));
  assert.equal(r.sync.stats.checksumFailures, 0, 'every later recorded checksum matches the REST-built book');
  await r.sync.close();
});
