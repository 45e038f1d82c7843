/**
 * Replays the real recorded Bybit order-book sequences (linear XRPUSDT orderbook.500 from Bybit's archive,
 * spot BTCUSDT orderbook.50 and orderbook.1) through the Bybit parser, rules and the core synchronizer,
 * against an independent by-hand replay; gaps and `u == 1` restarts are derived from the same recording.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { BookSynchronizer } from '../../../src/core/book/book-sync.js';
import type { OrderBook } from '../../../src/core/book/order-book.js';
import { Decimal } from '../../../src/core/decimal.js';
import { parseJson } from '../../../src/core/json.js';
import { bybitBookRules } from '../../../src/exchanges/bybit/book-rules.js';
import { parseBookFrame } from '../../../src/exchanges/bybit/parse.js';
import { fixtureLines } from '../../helpers/wait.js';

type Levels = string[][];
interface RawFrame {
  topic: string;
  type: 'snapshot' | 'delta';
  ts: number;
  cts?: number;
  data: { s: string; b: Levels; a: Levels; u: number; seq: number };
}

const norm = (s: string): string => Decimal.from(s).normalize().toString();

/** The independent replay: a Map per side, no sequence logic; the top `window` levels are what Bybit shows. */
class MapBook {
  readonly bids = new Map<string, string>();
  readonly asks = new Map<string, string>();
  reset(): void {
    this.bids.clear();
    this.asks.clear();
  }
  apply(frame: RawFrame): void {
    if (frame.type === 'snapshot') this.reset();
    for (const [side, levels] of [
      [this.bids, frame.data.b],
      [this.asks, frame.data.a],
    ] as const) {
      for (const [p, q] of levels) {
        if (Decimal.from(q as string).isZero()) side.delete(norm(p as string));
        else side.set(norm(p as string), norm(q as string));
      }
    }
  }
  sorted(side: 'bids' | 'asks', window = Infinity): string[][] {
    const rows = [...this[side].entries()].map(([p, q]) => [p, q]);
    rows.sort((x, y) => Decimal.from(x[0] as string).cmp(y[0] as string) * (side === 'bids' ? -1 : 1));
    return rows.slice(0, window);
  }
}

const levelsOf = (book: OrderBook, side: 'bids' | 'asks'): string[][] =>
  book[side]().map((l) => [l.price.normalize().toString(), l.amount.normalize().toString()]);

function load(path: string): RawFrame[] {
  return fixtureLines(path)
    .map((line) => parseJson(line) as RawFrame)
    .filter((f) => typeof f.topic === 'string' && f.topic.startsWith('orderbook.'));
}

interface Harness {
  sync: BookSynchronizer;
  emits: Array<{ book: OrderBook; event: string; reason: string | undefined }>;
  resubscribes: number;
  feed(frame: RawFrame): void;
}

function harness(symbol: string, priceScale: number, qtyScale: number, maxDepth: number): Harness {
  const h: Harness = {
    emits: [],
    resubscribes: 0,
    sync: undefined as unknown as BookSynchronizer,
    feed: (frame) => h.sync.onDelta(parseBookFrame(frame, symbol, frame.ts)),
  };
  h.sync = new BookSynchronizer({
    symbol,
    priceScale,
    qtyScale,
    rules: bybitBookRules,
    maxDepth,
    resubscribe: () => h.resubscribes++,
    onBook: (book) => {
      assert.equal(book.isCrossed(), false, 'never emits a crossed book');
      h.emits.push({ book, event: book.event, reason: book.resyncReason });
    },
  });
  return h;
}

/** A frame like `base` with other levels, id and type: the variants below are all derived from recordings. */
function variant(base: RawFrame, type: 'snapshot' | 'delta', u: number, b: Levels, a: Levels): RawFrame {
  return { ...base, type, data: { ...base.data, u, b, a } };
}

const recordings = [
  { name: 'linear XRPUSDT orderbook.500 (archive)', path: 'bybit/ws/orderbook-500-XRPUSDT-linear-recorded-sequence.jsonl', window: 500, priceScale: 4, qtyScale: 0 },
  { name: 'spot BTCUSDT orderbook.50', path: 'bybit/ws/orderbook-50-BTCUSDT-spot-recorded-sequence.jsonl', window: 50, priceScale: 2, qtyScale: 6 },
  { name: 'spot BTCUSDT orderbook.1', path: 'bybit/ws/orderbook-1-BTCUSDT-spot-recorded-sequence.jsonl', window: 1, priceScale: 1, qtyScale: 6 },
];

test('the recordings show u rising by exactly one per message on every depth', () => {
  for (const rec of recordings) {
    const frames = load(rec.path);
    assert.ok(frames.length >= 2, rec.name);
    for (let i = 1; i < frames.length; i++) assert.equal((frames[i] as RawFrame).data.u, (frames[i - 1] as RawFrame).data.u + 1, `${rec.name} line ${i + 1}`);
    assert.equal((frames[0] as RawFrame).type, 'snapshot', `${rec.name} starts with a snapshot`);
  }
});

for (const rec of recordings) {
  test(`${rec.name}: applies every message without a gap and ends equal to the by-hand replay`, () => {
    const frames = load(rec.path);
    const symbol = (frames[0] as RawFrame).data.s;
    const h = harness(symbol, rec.priceScale, rec.qtyScale, rec.window);
    const ref = new MapBook();
    for (const f of frames) {
      h.feed(f);
      ref.apply(f);
      const book = h.sync.book as OrderBook;
      assert.deepEqual(levelsOf(book, 'bids'), ref.sorted('bids', rec.window), `bids after u=${f.data.u}`);
      assert.deepEqual(levelsOf(book, 'asks'), ref.sorted('asks', rec.window), `asks after u=${f.data.u}`);
    }
    const book = h.sync.book as OrderBook;
    assert.equal(h.sync.state, 'live');
    assert.equal(book.seq, (frames.at(-1) as RawFrame).data.u);
    assert.ok(book.bidCount <= rec.window && book.askCount <= rec.window, 'the book keeps the venue window');
    const snapshots = frames.filter((f) => f.type === 'snapshot').length;
    // Level 1 is snapshot-only: the core counts each later snapshot as a venue reset, never as a gap.
    assert.deepEqual([h.sync.stats.gaps, h.sync.stats.resyncs, h.resubscribes], [0, snapshots - 1, 0]);
    assert.equal(h.sync.stats.applied, frames.length - snapshots, 'every delta applied');
    assert.equal(h.emits.length, frames.length, 'one emit per message');
  });
}

test('linear orderbook.500: a missing delta is a gap; the last good book stays visible until the venue resends a snapshot', () => {
  const frames = load('bybit/ws/orderbook-500-XRPUSDT-linear-recorded-sequence.jsonl');
  const symbol = (frames[0] as RawFrame).data.s;
  const h = harness(symbol, 4, 0, 500);
  const ref = new MapBook();
  const removed = 20;
  const freshAt = 30;
  for (let i = 0; i < removed; i++) {
    h.feed(frames[i] as RawFrame);
    ref.apply(frames[i] as RawFrame);
  }
  const good = h.sync.book as OrderBook;
  const goodBids = levelsOf(good, 'bids');

  for (let i = removed + 1; i <= freshAt; i++) h.feed(frames[i] as RawFrame); // frame `removed` never arrives
  assert.equal(h.sync.state, 'resyncing');
  assert.equal(h.sync.stats.gaps, 1);
  assert.equal(h.resubscribes, 1, 'asks the transport to resubscribe once');
  assert.equal(h.sync.book, good, 'the last good book stays visible');
  assert.deepEqual(levelsOf(good, 'bids'), goodBids, 'and untouched');

  // The resubscribe answers with a snapshot at frame `freshAt` (its content from the by-hand replay).
  for (let i = removed; i <= freshAt; i++) ref.apply(frames[i] as RawFrame);
  const last = frames[freshAt] as RawFrame;
  h.feed(variant(last, 'snapshot', last.data.u, ref.sorted('bids', 500), ref.sorted('asks', 500)));
  assert.equal(h.sync.state, 'live');
  assert.equal(h.emits.at(-1)?.event, 'snapshot');
  for (let i = freshAt + 1; i < frames.length; i++) {
    h.feed(frames[i] as RawFrame);
    ref.apply(frames[i] as RawFrame);
  }
  const book = h.sync.book as OrderBook;
  assert.deepEqual(levelsOf(book, 'bids'), ref.sorted('bids', 500));
  assert.deepEqual(levelsOf(book, 'asks'), ref.sorted('asks', 500));
  assert.equal(book.seq, (frames.at(-1) as RawFrame).data.u);
});

test('linear orderbook.500: duplicated and older deltas are skipped without touching the book', () => {
  const frames = load('bybit/ws/orderbook-500-XRPUSDT-linear-recorded-sequence.jsonl');
  const h = harness((frames[0] as RawFrame).data.s, 4, 0, 500);
  for (let i = 0; i <= 10; i++) h.feed(frames[i] as RawFrame);
  const before = levelsOf(h.sync.book as OrderBook, 'asks');
  h.feed(frames[10] as RawFrame);
  h.feed(frames[5] as RawFrame);
  assert.deepEqual(levelsOf(h.sync.book as OrderBook, 'asks'), before);
  assert.equal(h.sync.stats.skipped, 2);
  assert.equal(h.sync.stats.gaps, 0);
  assert.equal(h.sync.state, 'live');
});

test('linear orderbook.500: u == 1 after a service restart replaces the book and the renumbered deltas chain from it', () => {
  const frames = load('bybit/ws/orderbook-500-XRPUSDT-linear-recorded-sequence.jsonl');
  const h = harness((frames[0] as RawFrame).data.s, 4, 0, 500);
  const ref = new MapBook();
  const restartAt = 25;
  for (let i = 0; i < restartAt; i++) {
    h.feed(frames[i] as RawFrame);
    ref.apply(frames[i] as RawFrame);
  }
  // After the restart the venue numbers from 1 again: a snapshot with u = 1, then u = 2, 3...
  const restart = frames[restartAt] as RawFrame;
  ref.apply(restart);
  const offset = restart.data.u - 1;
  h.feed(variant(restart, 'snapshot', 1, ref.sorted('bids', 500), ref.sorted('asks', 500)));
  assert.equal(h.sync.state, 'live');
  assert.equal(h.emits.at(-1)?.event, 'snapshot');
  assert.equal(h.emits.at(-1)?.reason, 'venue-reset');
  assert.equal((h.sync.book as OrderBook).seq, 1);
  for (let i = restartAt + 1; i < frames.length; i++) {
    const f = frames[i] as RawFrame;
    h.feed({ ...f, data: { ...f.data, u: f.data.u - offset } });
    ref.apply(f);
  }
  const book = h.sync.book as OrderBook;
  assert.deepEqual(levelsOf(book, 'bids'), ref.sorted('bids', 500));
  assert.deepEqual(levelsOf(book, 'asks'), ref.sorted('asks', 500));
  assert.deepEqual([h.sync.stats.gaps, h.resubscribes], [0, 0]);
});

test('spot orderbook.50: a frame typed delta but numbered u == 1 is taken as a fresh snapshot', () => {
  const frames = load('bybit/ws/orderbook-50-BTCUSDT-spot-recorded-sequence.jsonl');
  const [snapshot, delta] = frames as [RawFrame, RawFrame];
  const h = harness(snapshot.data.s, 2, 6, 50);
  h.feed(snapshot);
  h.feed(variant(delta, 'delta', 1, snapshot.data.b.slice(0, 3), snapshot.data.a.slice(0, 3)));
  const book = h.sync.book as OrderBook;
  assert.equal(book.seq, 1);
  assert.deepEqual([book.bidCount, book.askCount], [3, 3], 'the restart frame replaced the book');
  assert.equal(h.emits.at(-1)?.reason, 'venue-reset');
  assert.equal(h.sync.stats.gaps, 0);
});

test('spot orderbook.50: deltas before the first snapshot are skipped, the snapshot starts the book', () => {
  const frames = load('bybit/ws/orderbook-50-BTCUSDT-spot-recorded-sequence.jsonl');
  const [snapshot, delta] = frames as [RawFrame, RawFrame];
  const h = harness(snapshot.data.s, 2, 6, 50);
  h.feed(delta);
  assert.equal(h.sync.book, undefined);
  assert.equal(h.sync.state, 'syncing');
  h.feed(snapshot);
  h.feed(delta);
  assert.equal(h.sync.state, 'live');
  const bookOf = (): OrderBook | undefined => h.sync.book;
  assert.equal(bookOf()?.seq, delta.data.u);
  assert.deepEqual([h.sync.stats.skipped, h.sync.stats.applied], [1, 1]);
});
