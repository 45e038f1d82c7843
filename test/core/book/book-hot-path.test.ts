/** The book's hot path: the level-string reader and its fallbacks, and NumberSide's top-biased search and short moves. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { NumberSide } from '../../../src/core/book/book-side.js';
import { OrderBook, parseUnits } from '../../../src/core/book/order-book.js';
import { parseScaled } from '../../../src/core/decimal.js';
import type { DepthMessage } from '../../../src/core/model.js';

/** mulberry32: a small deterministic PRNG so every run sees the same cases. */
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

test('reads plain level strings exactly at the book scale', () => {
  assert.equal(parseUnits('65000.01000000', 2), 6500001);
  assert.equal(parseUnits('0.03386000', 5), 3386);
  assert.equal(parseUnits('0.00000000', 5), 0);
  assert.equal(parseUnits('7', 3), 7000);
  assert.equal(parseUnits('5.', 2), 500);
  assert.equal(parseUnits('.5', 2), 50);
  assert.equal(parseUnits('0012.30', 2), 1230);
  assert.equal(parseUnits('1.2300', 2), 123);
});

test('declines what it cannot read exactly, at the 2^53 boundary and beyond the scale', () => {
  assert.equal(parseUnits('9007199254740991', 0), Number.MAX_SAFE_INTEGER);
  assert.ok(Number.isNaN(parseUnits('9007199254740992', 0)));
  assert.equal(parseUnits('90071992547409.91', 2), Number.MAX_SAFE_INTEGER);
  assert.ok(Number.isNaN(parseUnits('90071992547409.92', 2)));
  assert.ok(Number.isNaN(parseUnits('99999999999999999999.5', 1)));
  for (const s of ['1.2301', '0.000000001', '', '.', '..', '-1', '+1', '1e5', '1.2.3', ' 1', '1 ', '0x10', 'NaN', '1,5']) {
    assert.ok(Number.isNaN(parseUnits(s, 2)), JSON.stringify(s));
  }
});

test('agrees with parseScaled wherever it gives a value (seeded random decimal strings)', () => {
  const rand = prng(7);
  const chars = '0123456789.-+e ';
  for (let n = 0; n < 50_000; n++) {
    const len = Math.floor(rand() * 22);
    let s = '';
    for (let k = 0; k < len; k++) s += rand() < 0.85 ? String(Math.floor(rand() * 10)) : (chars[Math.floor(rand() * chars.length)] as string);
    const scale = Math.floor(rand() * 9);
    const fast = parseUnits(s, scale);
    if (!Number.isNaN(fast)) assert.equal(fast, parseScaled(s, scale), `${JSON.stringify(s)} at scale ${scale}`);
  }
});

test('still applies level text the fast reader declines, through the exact paths', () => {
  const book = new OrderBook('BTC/USDT', 2, 3);
  const msg = (bids: string[][], asks: string[][]): DepthMessage => ({ kind: 'delta', symbol: 'BTC/USDT', seq: 1, bids, asks, exchangeTime: 0, receivedAt: 0 });
  book.applyMessage(msg([['+100.5', '1'], ['99.125', '2'], ['98', '1e2']], [['101.00', '90071992547409.91']]));
  assert.deepEqual(book.topStrings('bids', 3), [['100.500', '1.000'], ['99.125', '2.000'], ['98.000', '100.000']]);
  assert.equal(book.priceScale, 3); // widened for 99.125
  assert.equal(book.topStrings('asks', 1)[0]?.[1], '90071992547409.910');
  assert.ok(book.bigintBacked); // 9.0e13 at 3 decimals is beyond 2^53
});

/** The obviously-correct side: a sorted array of [key, qty]. */
function reference(): { levels: Array<[number, number]>; set(k: number, q: number): number; remove(k: number): number } {
  const levels: Array<[number, number]> = [];
  const find = (k: number): number => levels.findIndex(([x]) => x === k);
  return {
    levels,
    set(k, q) {
      const i = find(k);
      if (i >= 0) {
        const old = (levels[i] as [number, number])[1];
        (levels[i] as [number, number])[1] = q;
        return old;
      }
      levels.push([k, q]);
      levels.sort((a, b) => a[0] - b[0]);
      return 0;
    },
    remove(k) {
      const i = find(k);
      if (i < 0) return 0;
      const old = (levels[i] as [number, number])[1];
      levels.splice(i, 1);
      return old;
    },
  };
}

function assertSameSide(side: NumberSide, ref: ReturnType<typeof reference>, texts: boolean): void {
  assert.equal(side.count, ref.levels.length);
  for (let r = 0; r < ref.levels.length; r++) {
    const [k, q] = ref.levels[ref.levels.length - 1 - r] as [number, number];
    assert.equal(side.keyAt(r), k);
    assert.equal(side.qtyAt(r), q);
    if (texts) assert.equal(side.ptext?.[side.hi - 1 - r], `p${k}`);
  }
  for (const [k] of ref.levels) assert.ok(side.search(k) >= 0);
}

for (const texts of [false, true]) {
  test(`keeps a side sorted and exact through inserts and deletes at every depth${texts ? ', with level text' : ''} (seeded)`, () => {
    const rand = prng(texts ? 11 : 12);
    const side = new NumberSide(texts, 8);
    const ref = reference();
    for (let n = 0; n < 6000; n++) {
      const count = ref.levels.length;
      const top = count === 0 ? 1000 : (ref.levels[count - 1] as [number, number])[0];
      // Mostly near the best end (rank from the top), sometimes anywhere, sometimes beyond either end.
      const roll = rand();
      const rank = roll < 0.6 ? Math.floor(-Math.log(1 - rand()) * 20) : Math.floor(rand() * (count + 40)) - 20;
      const key = count === 0 || rank < 0 ? top + 1 + Math.floor(rand() * 3) : rank >= count ? top - count * 3 - Math.floor(rand() * 5) : (ref.levels[count - 1 - rank] as [number, number])[0] - (rand() < 0.5 ? 1 : 0);
      if (rand() < (count > 300 ? 0.55 : 0.35)) assert.equal(side.remove(key), ref.remove(key));
      else {
        const qty = 1 + Math.floor(rand() * 1000);
        assert.equal(side.set(key, qty, `p${key}`, `q${qty}`), ref.set(key, qty));
      }
      if (n % 50 === 0) assertSameSide(side, ref, texts);
    }
    assertSameSide(side, ref, texts);
    for (const [k] of ref.levels) assert.ok(side.search(k) >= 0);
    assert.ok(side.search(Number.MAX_SAFE_INTEGER) < 0 && side.search(-Number.MAX_SAFE_INTEGER) < 0);
  });
}

for (const texts of [false, true]) {
  test(`moves runs of slots around the short-move threshold without losing a level${texts ? ' or its text' : ''}`, () => {
    for (const size of [30, 31, 32, 33, 34, 64, 65, 66]) {
      for (const at of [0, 1, Math.floor(size / 2) - 1, Math.floor(size / 2), Math.floor(size / 2) + 1, size - 1]) {
        const side = new NumberSide(texts, 4);
        const ref = reference();
        for (let k = 0; k < size; k++) {
          side.set(k * 2, k + 1, `p${k * 2}`, '');
          ref.set(k * 2, k + 1);
        }
        // An insert between two levels and a delete at the same place, each moving the shorter part.
        assert.equal(side.set(at * 2 + 1, 7, `p${at * 2 + 1}`, ''), ref.set(at * 2 + 1, 7));
        assertSameSide(side, ref, texts);
        assert.equal(side.remove(at * 2), ref.remove(at * 2));
        assertSameSide(side, ref, texts);
      }
    }
  });
}
