/**
 * The bench feed's venue-neutral market change stream: a deep book and `n` pre-generated updates of 10–20
 * levels (≈60 % modify, 20 % delete, 20 % insert, ranks clustered at the top) in flat typed arrays, plus the
 * pre-framed WebSocket byte buffer every venue's framer fills (with the offsets of the timestamps to patch).
 */
import { VenueError } from '../../core/errors.js';
import { BookSide, type BookSnapshot } from './book-engine.js';
import type { Instrument } from './instruments.js';
import type { Market } from './market.js';
import type { Rng } from './rng.js';

/** Messages of absolute level changes in flat arrays: message i holds levels `[levelStart[i], levelStart[i + 1])`. */
export interface LevelMessages {
  readonly n: number;
  readonly levelStart: Uint32Array;
  readonly isBid: Uint8Array;
  readonly price: Float64Array;
  readonly qty: Float64Array;
}

/** The generated market updates of one symbol, with the market's own update ids. */
export interface BenchStream extends LevelMessages {
  readonly symbol: string;
  readonly initial: BookSnapshot;
  readonly firstId: Float64Array;
  readonly lastId: Float64Array;
  readonly prevId: Float64Array;
}

/** Bids and asks of message `i`, best first as generated. */
export function levelsOf(m: LevelMessages, i: number): { bids: Array<[number, number]>; asks: Array<[number, number]> } {
  const bids: Array<[number, number]> = [];
  const asks: Array<[number, number]> = [];
  for (let k = m.levelStart[i] as number; k < (m.levelStart[i + 1] as number); k++) (m.isBid[k] ? bids : asks).push([m.price[k] as number, m.qty[k] as number]);
  return { bids, asks };
}

/** The book after market update `last` (−1 = the initial book), replayed. */
export function replay(s: BenchStream, last: number): { bids: BookSide; asks: BookSide } {
  const bids = new BookSide('bids');
  const asks = new BookSide('asks');
  for (const [p, q] of s.initial.bids) bids.set(p, q);
  for (const [p, q] of s.initial.asks) asks.set(p, q);
  for (let i = 0; i <= Math.min(last, s.n - 1); i++) {
    for (let k = s.levelStart[i] as number; k < (s.levelStart[i + 1] as number); k++) (s.isBid[k] ? bids : asks).set(s.price[k] as number, s.qty[k] as number);
  }
  return { bids, asks };
}

// ------------------------------------------------------------------ generation

/** A fresh book of `levels` a side around the current mid, dense near the top. */
export function deepBook(market: Market, symbol: string, levels: number, rng: Rng): BookSnapshot {
  if (!Number.isInteger(levels) || levels < 1 || levels > 5000) throw new VenueError('invalid-argument', `levels must be an integer in [1, 5000], got ${levels}`);
  const inst = market.instrument(symbol);
  const live = market.book(symbol);
  const tick = inst.tickUnits;
  const bestBid = live.bids.best() ?? inst.initialPriceUnits - tick;
  const bestAsk = live.asks.best() ?? inst.initialPriceUnits + tick;
  const bids: Array<[number, number]> = [];
  const asks: Array<[number, number]> = [];
  let b = bestBid;
  let a = bestAsk;
  for (let i = 0; i < levels; i++) {
    if (b > 0) bids.push([b, size(inst.typicalQtyUnits, inst.stepUnits, rng)]);
    asks.push([a, size(inst.typicalQtyUnits, inst.stepUnits, rng)]);
    const gap = (1 + (i < 50 ? 0 : rng.int(0, 2))) * tick;
    b -= gap;
    a += gap;
  }
  return { updateId: live.updateId, bids, asks };
}

function size(typical: number, step: number, rng: Rng): number {
  return Math.max(1, Math.round((typical / step) * Math.exp(0.8 * rng.normal()))) * step;
}

/** Generates `n` updates of 10–20 levels (≈60 % modify, 20 % delete, 20 % insert), ranks clustered at the top. */
export function generate(market: Market, symbol: string, inst: Instrument, initial: BookSnapshot, n: number, rng: Rng): BenchStream {
  const tick = inst.tickUnits;
  const sides = { bids: new BookSide('bids'), asks: new BookSide('asks') };
  for (const [p, q] of initial.bids) sides.bids.set(p, q);
  for (const [p, q] of initial.asks) sides.asks.set(p, q);
  const target = { bids: sides.bids.length, asks: sides.asks.length };
  const sparse = market.sequenceMode(symbol) === 'sparse';
  const firstId = new Float64Array(n);
  const lastId = new Float64Array(n);
  const prevId = new Float64Array(n);
  const levelStart = new Uint32Array(n + 1);
  let cap = n * 20;
  let isBid = new Uint8Array(cap);
  let price = new Float64Array(cap);
  let qty = new Float64Array(cap);
  let k = 0;
  let prev = initial.updateId;
  let next = market.nextUpdateId(symbol);
  for (let i = 0; i < n; i++) {
    levelStart[i] = k;
    const want = rng.int(10, 20);
    const touched = { bids: new Map<number, number>(), asks: new Map<number, number>() };
    for (let c = 0; c < want; c++) {
      const name = rng.chance(0.5) ? 'bids' : 'asks';
      const side = sides[name];
      const other = sides[name === 'bids' ? 'asks' : 'bids'];
      const rank = Math.min(side.length - 1, rng.geometric(25));
      const at = side.priceAt(rank) as number;
      const r = rng.float();
      // ~20 % deletes and ~20 % inserts, leaning towards the target level count.
      const drift = (side.length - target[name]) / 50;
      const pDelete = Math.max(0.05, Math.min(0.6, 0.2 + drift));
      const pInsert = Math.max(0.05, Math.min(0.6, 0.2 - drift));
      if (r < pDelete && side.length > 20) {
        side.set(at, 0);
        touched[name].set(at, 0);
      } else if (r < pDelete + pInsert) {
        const p = freeTick(side, other, rank, name === 'bids', tick);
        if (p !== undefined) {
          const q = size(inst.typicalQtyUnits, inst.stepUnits, rng);
          side.set(p, q);
          touched[name].set(p, q);
        } else {
          const q = size(inst.typicalQtyUnits, inst.stepUnits, rng);
          side.set(at, q);
          touched[name].set(at, q);
        }
      } else {
        const q = size(inst.typicalQtyUnits, inst.stepUnits, rng);
        side.set(at, q);
        touched[name].set(at, q);
      }
    }
    const count = touched.bids.size + touched.asks.size;
    if (k + count > cap) {
      cap = Math.max(cap * 2, k + count);
      const bigger = { isBid: new Uint8Array(cap), price: new Float64Array(cap), qty: new Float64Array(cap) };
      bigger.isBid.set(isBid);
      bigger.price.set(price);
      bigger.qty.set(qty);
      ({ isBid, price, qty } = bigger);
    }
    for (const [p, q] of [...touched.bids].sort((x, y) => y[0] - x[0])) {
      isBid[k] = 1;
      price[k] = p;
      qty[k++] = q;
    }
    for (const [p, q] of [...touched.asks].sort((x, y) => x[0] - y[0])) {
      isBid[k] = 0;
      price[k] = p;
      qty[k++] = q;
    }
    firstId[i] = next;
    lastId[i] = next + count - 1 + (sparse ? rng.int(0, 40) : 0);
    prevId[i] = prev;
    prev = lastId[i] as number;
    next = prev + 1 + (sparse ? rng.int(0, 40) : 0);
  }
  levelStart[n] = k;
  return { symbol, initial, n, firstId, lastId, prevId, levelStart, isBid, price, qty };
}

/**
 * Where an insert drawn at `rank` goes: the free tick nearest to the drawn level, looking outward in both
 * directions (in the spread when it is open, beyond the last level at worst). The top of a deep book is
 * dense (one level per tick), so looking only next to the drawn level made most inserts fall back to
 * modifies (9 % inserts and 9 % deletes instead of 20 % each); looking only deeper filled the book's gaps
 * from the top down until inserts landed at the far end. Nearest-first refills the holes deletes leave near
 * the top, so the mix and the ranks stay stationary.
 */
function freeTick(side: BookSide, other: BookSide, rank: number, isBid: boolean, tick: number): number | undefined {
  // The gap after level `j` (between it and level j + 1); j = -1 is the spread.
  const gapAfter = (j: number): number | undefined => {
    if (j < 0) {
      const best = side.best() as number;
      return Math.abs((other.best() as number) - best) > tick ? (isBid ? best + tick : best - tick) : undefined;
    }
    const at = side.priceAt(j) as number;
    const next = side.priceAt(j + 1);
    if (next !== undefined && Math.abs(next - at) <= tick) return undefined;
    const p = isBid ? at - tick : at + tick;
    return p > 0 ? p : undefined;
  };
  for (let d = 0; rank + d < side.length || rank - d - 1 >= -1; d++) {
    if (rank + d < side.length) {
      const p = gapAfter(rank + d);
      if (p !== undefined) return p;
    }
    if (rank - d - 1 >= -1) {
      const p = gapAfter(rank - d - 1);
      if (p !== undefined) return p;
    }
  }
  return undefined;
}

// ------------------------------------------------------------------ framing

/**
 * Pre-framed bytes: message i is `buf[frameStart[i], frameStart[i + 1])`; `stamp1[i]` / `stamp2[i]` are the
 * buffer offsets of its two 13-digit millisecond timestamps patched at write time (−1: none).
 */
export interface Framed {
  readonly buf: Buffer;
  readonly frameStart: Uint32Array;
  readonly stamp1: Int32Array;
  readonly stamp2: Int32Array;
}

/** A 13-digit stand-in for a millisecond timestamp, overwritten at write time. */
export const STAMP_PLACEHOLDER = 1_000_000_000_000;

/** Appends server → client WebSocket text frames (unmasked) to one growing buffer. */
export class FrameBuffer {
  private buf: Buffer;
  private at = 0;
  private readonly frameStart: Uint32Array;
  private readonly stamp1: Int32Array;
  private readonly stamp2: Int32Array;
  private count = 0;

  constructor(private readonly n: number, bytesPerFrame = 700) {
    this.buf = Buffer.allocUnsafe(Math.max(1024, n * bytesPerFrame));
    this.frameStart = new Uint32Array(n + 1);
    this.stamp1 = new Int32Array(n);
    this.stamp2 = new Int32Array(n);
  }

  /** Appends one ASCII text frame; `s1` / `s2` are timestamp offsets inside `text` (−1: none). */
  add(text: string, s1: number, s2: number): void {
    const i = this.count++;
    const len = text.length; // ASCII only
    const headerLen = len < 126 ? 2 : len < 65536 ? 4 : 10;
    if (this.at + headerLen + len > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + headerLen + len));
      this.buf.copy(bigger, 0, 0, this.at);
      this.buf = bigger;
    }
    const buf = this.buf;
    let at = this.at;
    this.frameStart[i] = at;
    buf[at] = 0x81;
    if (headerLen === 2) buf[at + 1] = len;
    else if (headerLen === 4) {
      buf[at + 1] = 126;
      buf.writeUInt16BE(len, at + 2);
    } else {
      buf[at + 1] = 127;
      buf.writeBigUInt64BE(BigInt(len), at + 2);
    }
    at += headerLen;
    buf.write(text, at, 'latin1');
    this.stamp1[i] = s1 < 0 ? -1 : at + s1;
    this.stamp2[i] = s2 < 0 ? -1 : at + s2;
    this.at = at + len;
  }

  done(): Framed {
    if (this.count !== this.n) throw new VenueError('invalid-argument', `framed ${this.count} of ${this.n} messages`);
    this.frameStart[this.n] = this.at;
    return { buf: this.buf.subarray(0, this.at), frameStart: this.frameStart, stamp1: this.stamp1, stamp2: this.stamp2 };
  }
}

/** Offset of the placeholder after `key` (e.g. `"ts":`) in `text`, or throws. */
export function stampAt(text: string, key: string): number {
  const i = text.indexOf(key + String(STAMP_PLACEHOLDER));
  if (i < 0) throw new VenueError('invalid-argument', `bench frame without ${key}`);
  return i + key.length;
}
