/** Tests for OrderBook: differential against a Map of exact decimals, scale widening, bigint, text, windows. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OrderBook } from '../../../src/core/book/order-book.js';
import { Decimal } from '../../../src/core/decimal.js';
import { VenueError } from '../../../src/core/errors.js';
import type { DepthMessage } from '../../../src/core/model.js';

type Side = 'bids' | 'asks';
type Tuple = [string, string];

/** The obviously-correct book: normalized price string → [price text, qty text]. */
class ReferenceBook {
  readonly sides = { bids: new Map<string, Tuple>(), asks: new Map<string, Tuple>() };

  apply(side: Side, levels: Tuple[]): void {
    for (const [p, q] of levels) {
      const key = Decimal.from(p).normalize().toString();
      if (Decimal.from(q).isZero()) this.sides[side].delete(key);
      else this.sides[side].set(key, [p, q]);
    }
  }

  /** Best first, as normalized [price, qty] strings. */
  levels(side: Side): string[][] {
    return this.texts(side).map(([p, q]) => [norm(p), norm(q)]);
  }

  /** Best first, the original strings. */
  texts(side: Side): Tuple[] {
    const all = [...this.sides[side].values()];
    all.sort((a, b) => Decimal.from(a[0]).cmp(Decimal.from(b[0])) * (side === 'bids' ? -1 : 1));
    return all;
  }
}

const norm = (s: string): string => Decimal.from(s).normalize().toString();
const bookLevels = (book: OrderBook, side: Side): string[][] =>
  book[side]().map((l) => [l.price.normalize().toString(), l.amount.normalize().toString()]);

function assertSameBook(book: OrderBook, ref: ReferenceBook, what: string): void {
  assert.deepEqual(bookLevels(book, 'bids'), ref.levels('bids'), `${what}: bids`);
  assert.deepEqual(bookLevels(book, 'asks'), ref.levels('asks'), `${what}: asks`);
  assert.equal(book.bidCount, ref.sides.bids.size);
  assert.equal(book.askCount, ref.sides.asks.size);
}

/** mulberry32, so every run of the randomized tests is the same run. */
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

interface Workload {
  /** Price text for an integer tick. */
  price(tick: number): string;
  /** A random non-zero quantity text. */
  qty(): string;
  zero(): string;
}

/**
 * Random messages clustered near the inside (exponential distance), mixing inserts, changes and deletes.
 * Bids live below `mid`, asks above, so the book never crosses.
 */
function* messages(rand: () => number, w: Workload, count: number, meanDistance = 15): Generator<{ bids: Tuple[]; asks: Tuple[] }> {
  const mid = 100_000;
  const present = { bids: new Set<number>(), asks: new Set<number>() };
  for (let i = 0; i < count; i++) {
    const out = { bids: [] as Tuple[], asks: [] as Tuple[] };
    const n = 1 + Math.floor(rand() * 20);
    for (let k = 0; k < n; k++) {
      const side: Side = rand() < 0.5 ? 'bids' : 'asks';
      const dir = side === 'bids' ? -1 : 1;
      const tick = mid + dir * (1 + Math.floor(-Math.log(1 - rand()) * meanDistance));
      const roll = rand();
      if (roll < 0.25 && present[side].has(tick)) {
        present[side].delete(tick);
        out[side].push([w.price(tick), w.zero()]);
      } else if (roll < 0.3) {
        out[side].push([w.price(tick + dir * 1000), w.zero()]); // deleting an unknown level is a no-op
      } else {
        present[side].add(tick);
        out[side].push([w.price(tick), w.qty()]);
      }
    }
    yield out;
  }
}

function runDifferential(
  book: OrderBook,
  w: Workload,
  seed: number,
  count: number,
  opts: { rollbackEvery?: number; checkTexts?: boolean; meanDistance?: number } = {},
): ReferenceBook {
  const rand = prng(seed);
  const ref = new ReferenceBook();
  let i = 0;
  for (const m of messages(rand, w, count, opts.meanDistance)) {
    i++;
    if (opts.rollbackEvery !== undefined && i % opts.rollbackEvery === 0) {
      const before = [bookLevels(book, 'bids'), bookLevels(book, 'asks'), book.topStrings('bids', 5), book.topStrings('asks', 5)];
      book.beginUpdate();
      book.applyLevels('bids', m.bids);
      book.applyLevels('asks', m.asks);
      book.rollbackUpdate();
      const after = [bookLevels(book, 'bids'), bookLevels(book, 'asks'), book.topStrings('bids', 5), book.topStrings('asks', 5)];
      assert.deepEqual(after, before, `rollback of message ${i} restores the book`);
    }
    book.applyLevels('bids', m.bids);
    book.applyLevels('asks', m.asks);
    ref.apply('bids', m.bids);
    ref.apply('asks', m.asks);
    if (i % 25 === 0 || i === count) {
      assertSameBook(book, ref, `after message ${i}`);
      assert.equal(book.isCrossed(), false);
      if (opts.checkTexts === true) {
        assert.deepEqual(book.topStrings('bids', 10), ref.texts('bids').slice(0, 10));
        assert.deepEqual(book.topStrings('asks', 10), ref.texts('asks').slice(0, 10));
      }
    }
  }
  return ref;
}

const pad = (s: string, rand: () => number): string => (rand() < 0.5 ? s : s.includes('.') ? s + '000' : s + '.000');

test('matches a reference map of exact decimals over thousands of clustered updates', () => {
  const r = prng(7);
  const w: Workload = {
    price: (tick) => Decimal.fromScaled(tick, 2).toString() + '000000',
    qty: () => Decimal.fromScaled(1 + Math.floor(r() * 10_000_000), 5).toString() + '000',
    zero: () => (r() < 0.5 ? '0' : '0.00000000'),
  };
  const book = new OrderBook('BTC/USDT', 2, 5);
  runDifferential(book, w, 1, 3_000, { rollbackEvery: 7, meanDistance: 300 });
  assert.ok(book.bidCount > 500 && book.askCount > 500, 'the book grew well past its initial capacity');
  assert.equal(book.priceScale, 2);
  assert.equal(book.bigintBacked, false);
});

test('widens the scale mid-stream when the venue sends more decimals, staying exact', () => {
  const r = prng(11);
  // Prices with 0 to 3 decimals (written as the venue would, sometimes with trailing zeros) on a book
  // created for whole-number ticks; quantities with up to 6 decimals.
  const w: Workload = {
    price: (tick) => pad(Decimal.fromScaled(tick, 3).normalize().toString(), r),
    qty: () => Decimal.fromScaled(1 + Math.floor(r() * 1_000_000), Math.floor(r() * 7)).toString(),
    zero: () => '0.0',
  };
  const book = new OrderBook('X/USDT', 0, 0);
  runDifferential(book, w, 2, 2_000, { rollbackEvery: 5 });
  assert.equal(book.priceScale, 3);
  assert.equal(book.qtyScale, 6);
  assert.equal(book.bigintBacked, false);
});

test('switches to bigint storage for values beyond 2^53 and stays exact', () => {
  const r = prng(13);
  // Now and then a quantity around 10^11 with 8 decimals (~10^19 units): numbers until the first one.
  const w: Workload = {
    price: (tick) => Decimal.fromScaled(tick, 2).toString(),
    qty: () =>
      r() < 0.05 ? String(1 + Math.floor(r() * 900_000)) + '123456.' + String(Math.floor(r() * 1e8)).padStart(8, '0') : String(1 + Math.floor(r() * 1000)),
    zero: () => '0',
  };
  const book = new OrderBook('SHIB/USDT', 2, 8);
  runDifferential(book, w, 3, 1_500, { rollbackEvery: 3 });
  assert.equal(book.bigintBacked, true);
  // Prices beyond 2^53 at the tick scale from the first level on.
  const huge: Workload = { price: (tick) => `${tick}00000000000000.25`, qty: () => String(1 + Math.floor(r() * 1000)), zero: () => '0.0' };
  const hugeBook = new OrderBook('X/Y', 2, 0);
  runDifferential(hugeBook, huge, 5, 800, { rollbackEvery: 3 });
  assert.equal(hugeBook.bigintBacked, true);
  assert.ok(Number.isNaN(hugeBook.bestBidPrice()), 'no lossy number for a price beyond 2^53');
  assert.equal(book.bigintBacked, true);
});

test('keeps the venue strings per level when asked, through inserts, changes and deletes', () => {
  const r = prng(17);
  const w: Workload = {
    price: (tick) => pad(Decimal.fromScaled(tick, 1).toString(), r),
    qty: () => pad(String(1 + Math.floor(r() * 100)), r),
    zero: () => '0.000',
  };
  const book = new OrderBook('BTC-USDT', 1, 0, { keepLevelText: true });
  runDifferential(book, w, 4, 2_000, { checkTexts: true, rollbackEvery: 4 });
});

test('formats levels from the scaled values when it does not keep strings', () => {
  const book = new OrderBook('BTC/USDT', 2, 3);
  book.applyLevels('bids', [['100.50000', '1.5'], ['100.4', '2']]);
  book.applyLevels('asks', [['100.6', '0.25']]);
  assert.deepEqual(book.topStrings('bids', 5), [
    ['100.50', '1.500'],
    ['100.40', '2.000'],
  ]);
  assert.deepEqual(book.topStrings('asks', 1), [['100.60', '0.250']]);
  assert.equal(book.bestBidPrice(), 10050);
  assert.equal(book.bestAskPrice(), 10060);
  assert.ok(book.bestBid()?.price.eq('100.5'));
  assert.ok(book.bestAsk()?.amount.eq('0.25'));
});

test('widens a side to a finer tick and rescales the levels already held', () => {
  const book = new OrderBook('ETH/USDT', 2, 2);
  book.applyLevels('bids', [['2000.01', '1.25']]);
  book.applyLevels('asks', [['2000.02', '3']]);
  assert.equal(book.bestBidPrice(), 200001);
  book.applyLevels('bids', [['2000.015', '0.001']]); // a tick-size change: one more decimal on both values
  assert.equal(book.priceScale, 3);
  assert.equal(book.qtyScale, 3);
  assert.equal(book.bestBidPrice(), 2000015);
  assert.equal(book.bestAskPrice(), 2000020);
  assert.deepEqual(bookLevels(book, 'bids'), [
    ['2000.015', '0.001'],
    ['2000.01', '1.25'],
  ]);
});

test('moves to bigint when widening would push a held value past 2^53', () => {
  const book = new OrderBook('X/Y', 0, 0);
  book.applyLevels('bids', [['5', '9000000000000000']]); // 9e15 fits at scale 0...
  book.applyLevels('asks', [['6', '1']]);
  assert.equal(book.bigintBacked, false);
  book.applyLevels('bids', [['4', '0.5']]); // ...but not at scale 1 (9e16)
  assert.equal(book.bigintBacked, true);
  assert.equal(book.qtyScale, 1);
  assert.deepEqual(bookLevels(book, 'bids'), [
    ['5', '9000000000000000'],
    ['4', '0.5'],
  ]);
  assert.equal(book.bestBidPrice(), 5); // still a safe integer, so the hot read still answers
  book.applyLevels('bids', [['5', '0']]);
  assert.deepEqual(bookLevels(book, 'bids'), [['4', '0.5']]);
  assert.equal(book.isCrossed(), false);
  book.applyLevels('asks', [['4', '1']]);
  assert.equal(book.isCrossed(), true);
});

test('undoes an update exactly even when it switched the book to bigint half way', () => {
  const book = new OrderBook('X/Y', 1, 1, { keepLevelText: true });
  book.applyLevels('bids', [['10.0', '1.0'], ['9.5', '2']]);
  book.applyLevels('asks', [['11', '3.0']]);
  const before = book.snapshot();
  const texts = book.topStrings('bids', 5);
  book.beginUpdate();
  book.applyLevels('bids', [['10.0', '7'], ['9.5', '0'], ['9.7', '1']]);
  book.applyLevels('asks', [['10.55', '99999999999999999.99']]); // widens and overflows 2^53
  assert.equal(book.bigintBacked, true);
  book.rollbackUpdate();
  assert.deepEqual(book.snapshot().bids.map((l) => [l.price.toString(), l.amount.toString()]), [
    ['10.00', '1.00'],
    ['9.50', '2.00'],
  ]);
  assert.deepEqual(bookLevels(book, 'asks'), before.asks.map((l) => [l.price.normalize().toString(), l.amount.normalize().toString()]));
  assert.deepEqual(book.topStrings('bids', 5), texts);
});

test('rolls back only the update in progress, never levels logged by earlier committed updates', () => {
  const book = new OrderBook('X/Y', 1, 1, { keepLevelText: true });
  book.applyLevels('bids', [['10', '1'], ['9', '1']]);
  book.applyLevels('asks', [['11', '1']]);
  const msg = (seq: number): DepthMessage => ({ kind: 'delta', symbol: 'X/Y', seq, bids: [], asks: [], exchangeTime: seq, receivedAt: seq });
  book.beginUpdate(); // a long committed update fills many log slots
  book.applyLevels('bids', [['10', '2'], ['9', '0'], ['8', '3'], ['7', '4'], ['6', '5']]);
  book.commitUpdate(msg(1));
  const committed = book.topStrings('bids', 10);
  book.beginUpdate(); // a shorter update, rolled back: only its one change may be undone
  book.applyLevels('bids', [['8', '0']]);
  book.rollbackUpdate();
  assert.deepEqual(book.topStrings('bids', 10), committed);
  assert.deepEqual(committed, [['10', '2'], ['8', '3'], ['7', '4'], ['6', '5']]);
  assert.equal(book.seq, 1);
});

test('trims the far end to maxDepth after each message', () => {
  const book = new OrderBook('BTC-USDT', 0, 0, { maxDepth: 3 });
  book.applyLevels('bids', [['95', '1'], ['96', '1'], ['97', '1'], ['98', '1'], ['99', '1']]);
  book.applyLevels('asks', [['105', '1'], ['101', '1'], ['102', '1'], ['104', '1']]);
  assert.deepEqual(book.bids().map((l) => l.price.toString()), ['99', '98', '97']);
  assert.deepEqual(book.asks().map((l) => l.price.toString()), ['101', '102', '104']);
  book.applyLevels('bids', [['99', '0']]);
  assert.deepEqual(book.bids().map((l) => l.price.toString()), ['98', '97']);
  const msg: DepthMessage = { kind: 'delta', symbol: 'BTC-USDT', seq: 9, bids: [['100', '2'], ['90', '1']], asks: [], exchangeTime: 5, receivedAt: 6 };
  book.applyMessage(msg);
  assert.deepEqual(book.bids().map((l) => l.price.toString()), ['100', '98', '97']);
  assert.equal(book.seq, 9);
  assert.equal(book.receivedAt, 6);
});

test('keeps a long window exact while trimming thousands of times', () => {
  const r = prng(23);
  const book = new OrderBook('X/Y', 2, 4, { maxDepth: 50 });
  const ref = new ReferenceBook();
  for (const m of messages(r, { price: (t) => Decimal.fromScaled(t, 2).toString(), qty: () => String(1 + Math.floor(r() * 99)), zero: () => '0' }, 2_000)) {
    book.applyMessage({ kind: 'delta', symbol: 'X/Y', seq: 1, bids: m.bids, asks: m.asks, exchangeTime: 0, receivedAt: 0 });
    ref.apply('bids', m.bids);
    ref.apply('asks', m.asks);
    // The window is the reference's best 50, except levels trimmed earlier and never re-sent.
    for (const side of ['bids', 'asks'] as const) {
      const got = bookLevels(book, side);
      assert.ok(got.length <= 50);
      const refLevels = new Map(ref.levels(side).map(([p, q]) => [p, q]));
      for (const [p, q] of got) assert.equal(refLevels.get(p as string), q);
      assert.deepEqual(got.slice(0, 1), ref.levels(side).slice(0, 1));
    }
  }
});

test('reports a crossed or locked book', () => {
  const book = new OrderBook('X/Y', 1, 0);
  assert.equal(book.isCrossed(), false);
  book.applyLevels('bids', [['10.0', '1']]);
  assert.equal(book.isCrossed(), false, 'one side only is not crossed');
  book.applyLevels('asks', [['10.1', '1']]);
  assert.equal(book.isCrossed(), false);
  book.applyLevels('asks', [['10.0', '1']]);
  assert.equal(book.isCrossed(), true, 'locked');
  book.applyLevels('asks', [['10.0', '0'], ['10.1', '0'], ['9.9', '1']]);
  assert.equal(book.isCrossed(), true, 'crossed');
  assert.ok(Number.isNaN(new OrderBook('X/Y', 1, 0).bestBidPrice()));
});

test('rejects malformed levels with a decode error', () => {
  const book = new OrderBook('X/Y', 2, 2);
  for (const bad of [['abc', '1'], ['1', '-2'], ['1', ''], ['1'], ['', '1']]) {
    assert.throws(
      () => book.applyLevels('bids', [bad]),
      (err: unknown) => VenueError.is(err, 'decode'),
    );
  }
  assert.equal(book.bidCount, 0);
});

test('gives detached snapshots and loads a snapshot message over an old book', () => {
  const book = new OrderBook('X/Y', 2, 2);
  book.applyLevels('bids', [['1.00', '1']]);
  book.loadSnapshot({ kind: 'snapshot', symbol: 'X/Y', seq: 42n, bids: [['2.00', '1'], ['1.99', '3']], asks: [['2.01', '4']], exchangeTime: 1, receivedAt: 2 });
  const snap = book.snapshot(1);
  assert.equal(snap.seq, 42n);
  assert.deepEqual(snap.bids.map((l) => l.price.toString()), ['2.00']);
  book.applyLevels('bids', [['2.00', '0']]);
  assert.deepEqual(snap.bids.map((l) => l.price.toString()), ['2.00'], 'the copy did not change');
  assert.deepEqual(book.bids().map((l) => l.price.toString()), ['1.99']);
});
