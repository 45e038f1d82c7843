/**
 * Turns the bench's market change stream into what a venue publishing a top-N window sends (Bybit
 * `orderbook.1000`, OKX `books` 400): per market update, the exact window diff (changed levels inside the
 * window, levels entering it from below, levels pushed out as size 0), computed incrementally.
 */
import { BookSide } from './book-engine.js';
import type { BenchStream, LevelMessages } from './bench-stream.js';

/** Window-diff messages; message j is the window change of market update `marketIndex[j]` (empty diffs are not sent). */
export interface WindowMessages extends LevelMessages {
  readonly depth: number;
  readonly marketIndex: Int32Array;
}

/**
 * The window diffs of `s` for a window of `depth` levels a side. Equal, message by message, to diffing the
 * top `depth` before and after each update (the front ends' `windowDiff`), without copying the windows.
 */
export function windowMessages(s: BenchStream, depth: number): WindowMessages {
  const bids = new BookSide('bids');
  const asks = new BookSide('asks');
  for (const [p, q] of s.initial.bids) bids.set(p, q);
  for (const [p, q] of s.initial.asks) asks.set(p, q);
  const marketIndex = new Int32Array(s.n);
  const levelStart = new Uint32Array(s.n + 1);
  let cap = Math.max(64, s.levelStart[s.n] as number) + 64;
  let isBid = new Uint8Array(cap);
  let price = new Float64Array(cap);
  let qty = new Float64Array(cap);
  let k = 0;
  let m = 0;
  const out: Array<[number, number]> = [];
  for (let i = 0; i < s.n; i++) {
    const from = s.levelStart[i] as number;
    const to = s.levelStart[i + 1] as number;
    const diffs = [sideDiff(bids, s, from, to, 1, depth, out).slice(), sideDiff(asks, s, from, to, 0, depth, out)];
    const count = (diffs[0] as Array<[number, number]>).length + (diffs[1] as Array<[number, number]>).length;
    if (count === 0) continue;
    if (k + count > cap) {
      cap = Math.max(cap * 2, k + count);
      const bigger = { isBid: new Uint8Array(cap), price: new Float64Array(cap), qty: new Float64Array(cap) };
      bigger.isBid.set(isBid);
      bigger.price.set(price);
      bigger.qty.set(qty);
      ({ isBid, price, qty } = bigger);
    }
    levelStart[m] = k;
    marketIndex[m] = i;
    for (const [side, list] of [[1, diffs[0]], [0, diffs[1]]] as const) {
      for (const [p, q] of list as Array<[number, number]>) {
        isBid[k] = side;
        price[k] = p;
        qty[k++] = q;
      }
    }
    m++;
  }
  levelStart[m] = k;
  return { n: m, depth, marketIndex: marketIndex.subarray(0, m), levelStart: levelStart.subarray(0, m + 1), isBid, price, qty };
}

/** True when `p` is at or better than `boundary` on `side` (undefined boundary: the window holds every level). */
function atOrBetter(side: BookSide, p: number, boundary: number | undefined): boolean {
  return boundary === undefined || p === boundary || side.better(p, boundary);
}

/** The window's last price, or undefined when the side holds fewer than `depth` levels (all are in the window). */
function boundaryOf(side: BookSide, depth: number): number | undefined {
  return side.length < depth ? undefined : side.priceAt(depth - 1);
}

/**
 * Applies the update's levels of one side and returns that side's window diff, best first (in `out`, reused).
 * Unchanged levels only change membership at the window's edge: between the old and the new last price.
 */
function sideDiff(side: BookSide, s: BenchStream, from: number, to: number, bid: number, depth: number, out: Array<[number, number]>): Array<[number, number]> {
  out.length = 0;
  const before = boundaryOf(side, depth);
  const changed = new Map<number, [oldQty: number, wasIn: boolean]>();
  for (let k = from; k < to; k++) {
    if (s.isBid[k] !== bid) continue;
    const p = s.price[k] as number;
    if (!changed.has(p)) changed.set(p, [side.get(p), side.has(p) && atOrBetter(side, p, before)]);
  }
  if (changed.size === 0) return out;
  for (let k = from; k < to; k++) if (s.isBid[k] === bid) side.set(s.price[k] as number, s.qty[k] as number);
  const after = boundaryOf(side, depth);
  for (const [p, [oldQty, wasIn]] of changed) {
    const q = side.get(p);
    const isIn = q > 0 && atOrBetter(side, p, after);
    if (isIn && (!wasIn || oldQty !== q)) out.push([p, q]);
    else if (!isIn && wasIn) out.push([p, 0]);
  }
  // Unchanged levels entering from below (the window reaches deeper than before).
  const inWindow = Math.min(side.length, depth);
  for (let r = inWindow - 1; r >= 0; r--) {
    const p = side.priceAt(r) as number;
    if (atOrBetter(side, p, before)) break;
    if (!changed.has(p)) out.push([p, side.get(p)]);
  }
  // Unchanged levels pushed out (the window ends higher than before).
  for (let r = inWindow; r < side.length; r++) {
    const p = side.priceAt(r) as number;
    if (!atOrBetter(side, p, before)) break;
    if (!changed.has(p)) out.push([p, 0]);
  }
  return out.sort(bid === 1 ? (a, b) => b[0] - a[0] : (a, b) => a[0] - b[0]);
}
