/**
 * Sorted storage for one side of an order book: level keys and quantities as scaled integers, best level
 * at the top end. Knows nothing of strings, scales or sides; `OrderBook` owns those.
 */

/** Moves of up to this many slots use a loop instead of `copyWithin` (whose call costs more than a few copies). */
const SMALL_MOVE = 32;

/**
 * One side on `Float64Array`s holding exact integers (|value| <= 2^53 - 1), sorted ascending by key with
 * the best level at the high end. Live levels sit in `[lo, hi)` of a gap buffer with free slots at both
 * ends, so an insert or delete moves whichever part is shorter: changes near the top, and window trims at
 * the far end, move only a few slots. Keys are signed prices (bids `+price`, asks `-price`).
 */
export class NumberSide {
  keys: Float64Array;
  qtys: Float64Array;
  /** Original venue strings per level, when the book keeps them. */
  ptext: string[] | undefined;
  qtext: string[] | undefined;
  lo: number;
  hi: number;
  /** The strings of the level last replaced or removed (for the book's undo log). */
  lastPText = '';
  lastQText = '';

  constructor(keepText: boolean, capacity = 64) {
    this.keys = new Float64Array(capacity);
    this.qtys = new Float64Array(capacity);
    this.ptext = keepText ? new Array<string>(capacity).fill('') : undefined;
    this.qtext = keepText ? new Array<string>(capacity).fill('') : undefined;
    this.lo = this.hi = capacity >> 1;
  }

  get count(): number {
    return this.hi - this.lo;
  }

  /**
   * Index of `key` in `[lo, hi)`, or `~insertionPoint` when absent. Gallops down from the best end first
   * (updates cluster near the top: a level r places from the best costs about 2·log2(r) probes, not log2(n)).
   */
  search(key: number): number {
    const keys = this.keys;
    const hi = this.hi;
    let a = this.lo;
    let b = hi;
    // Narrow [a, b) to hold the first index whose key is >= key: probe b - 1, b - 2, b - 4, ...
    for (let step = 1; ; step <<= 1) {
      const j = b - step;
      if (j <= a) break;
      if ((keys[j] as number) < key) {
        a = j + 1;
        break;
      }
      b = j;
    }
    while (a < b) {
      const m = (a + b) >>> 1;
      if ((keys[m] as number) < key) a = m + 1;
      else b = m;
    }
    return a < hi && keys[a] === key ? a : ~a;
  }

  /** Sets the quantity at `key` (inserting it when new); returns the previous quantity, 0 when inserted. */
  set(key: number, qty: number, ptext: string, qtext: string): number {
    const i = this.search(key);
    if (i >= 0) {
      const old = this.qtys[i] as number;
      this.qtys[i] = qty;
      if (this.ptext !== undefined && this.qtext !== undefined) {
        this.lastPText = this.ptext[i] as string;
        this.lastQText = this.qtext[i] as string;
        this.ptext[i] = ptext;
        this.qtext[i] = qtext;
      }
      return old;
    }
    this.insertAt(~i, key, qty, ptext, qtext);
    return 0;
  }

  /** Removes the level at `key`; returns its quantity, or 0 when it was not there. */
  remove(key: number): number {
    const i = this.search(key);
    if (i < 0) return 0;
    const old = this.qtys[i] as number;
    if (this.ptext !== undefined && this.qtext !== undefined) {
      this.lastPText = this.ptext[i] as string;
      this.lastQText = this.qtext[i] as string;
    }
    const lo = this.lo;
    const hi = this.hi;
    if (hi - i - 1 <= i - lo) {
      this.move(i, i + 1, hi);
      this.hi = hi - 1;
    } else {
      this.move(lo + 1, lo, i);
      this.lo = lo + 1;
    }
    return old;
  }

  /** Keeps only the `depth` best levels (drops the far end). */
  trimFar(depth: number): void {
    if (this.hi - this.lo > depth) this.lo = this.hi - depth;
  }

  clear(): void {
    this.lo = this.hi = this.keys.length >> 1;
  }

  /** Key of the level `rank` places from the best (0 = best). */
  keyAt(rank: number): number {
    return this.keys[this.hi - 1 - rank] as number;
  }

  qtyAt(rank: number): number {
    return this.qtys[this.hi - 1 - rank] as number;
  }

  /** Largest |key| and largest quantity on the side (for overflow checks before a rescale). */
  maxAbsKey(): number {
    if (this.hi === this.lo) return 0;
    return Math.max(Math.abs(this.keys[this.lo] as number), Math.abs(this.keys[this.hi - 1] as number));
  }

  maxQty(): number {
    let m = 0;
    for (let i = this.lo; i < this.hi; i++) if ((this.qtys[i] as number) > m) m = this.qtys[i] as number;
    return m;
  }

  /** Multiplies every key and quantity; the caller has checked that the results stay exact. */
  rescale(keyFactor: number, qtyFactor: number): void {
    for (let i = this.lo; i < this.hi; i++) {
      this.keys[i] = (this.keys[i] as number) * keyFactor;
      this.qtys[i] = (this.qtys[i] as number) * qtyFactor;
    }
  }

  private insertAt(i: number, key: number, qty: number, ptext: string, qtext: string): void {
    if (this.hi - i <= i - this.lo) {
      if (this.hi === this.keys.length) i += this.relayout();
      this.move(i + 1, i, this.hi);
      this.hi++;
    } else {
      if (this.lo === 0) i += this.relayout();
      this.move(this.lo - 1, this.lo, i);
      this.lo--;
      i--;
    }
    this.keys[i] = key;
    this.qtys[i] = qty;
    if (this.ptext !== undefined && this.qtext !== undefined) {
      this.ptext[i] = ptext;
      this.qtext[i] = qtext;
    }
  }

  /** Moves slots `[start, end)` to `target` in every column (memmove semantics). */
  private move(target: number, start: number, end: number): void {
    const n = end - start;
    if (n <= 0) return;
    if (n <= SMALL_MOVE) {
      // A few slots (the usual case near the top): a plain loop beats the copyWithin calls.
      const keys = this.keys;
      const qtys = this.qtys;
      if (target < start) {
        for (let k = 0; k < n; k++) {
          keys[target + k] = keys[start + k] as number;
          qtys[target + k] = qtys[start + k] as number;
        }
      } else {
        for (let k = n - 1; k >= 0; k--) {
          keys[target + k] = keys[start + k] as number;
          qtys[target + k] = qtys[start + k] as number;
        }
      }
    } else {
      this.keys.copyWithin(target, start, end);
      this.qtys.copyWithin(target, start, end);
    }
    // The text columns are plain arrays, where `copyWithin` takes V8's slow generic path: always a loop.
    const ptext = this.ptext;
    const qtext = this.qtext;
    if (ptext === undefined || qtext === undefined) return;
    if (target < start) {
      for (let k = 0; k < n; k++) {
        ptext[target + k] = ptext[start + k] as string;
        qtext[target + k] = qtext[start + k] as string;
      }
    } else {
      for (let k = n - 1; k >= 0; k--) {
        ptext[target + k] = ptext[start + k] as string;
        qtext[target + k] = qtext[start + k] as string;
      }
    }
  }

  /** Re-centres the live levels, doubling the capacity when over half full; returns how far they moved. */
  private relayout(): number {
    const count = this.hi - this.lo;
    const cap = this.keys.length;
    const newCap = (count + 1) * 2 > cap ? cap * 2 : cap;
    const newLo = (newCap - count) >> 1;
    const shift = newLo - this.lo;
    if (newCap === cap) {
      this.move(newLo, this.lo, this.hi);
    } else {
      const keys = new Float64Array(newCap);
      const qtys = new Float64Array(newCap);
      keys.set(this.keys.subarray(this.lo, this.hi), newLo);
      qtys.set(this.qtys.subarray(this.lo, this.hi), newLo);
      this.keys = keys;
      this.qtys = qtys;
      if (this.ptext !== undefined && this.qtext !== undefined) {
        const ptext = new Array<string>(newCap).fill('');
        const qtext = new Array<string>(newCap).fill('');
        for (let j = this.lo; j < this.hi; j++) {
          ptext[j + shift] = this.ptext[j] as string;
          qtext[j + shift] = this.qtext[j] as string;
        }
        this.ptext = ptext;
        this.qtext = qtext;
      }
    }
    this.lo = newLo;
    this.hi = newLo + count;
    return shift;
  }
}

/**
 * The exact fallback for values beyond 2^53 at the book's scale: plain sorted `bigint` arrays, best at the
 * end, same contract as `NumberSide`. Rarely used, so it favours plainness over speed.
 */
export class BigSide {
  readonly keys: bigint[] = [];
  readonly qtys: bigint[] = [];
  readonly ptext: string[] | undefined;
  readonly qtext: string[] | undefined;
  lastPText = '';
  lastQText = '';

  constructor(keepText: boolean) {
    this.ptext = keepText ? [] : undefined;
    this.qtext = keepText ? [] : undefined;
  }

  /** A bigint copy of a number-backed side. */
  static fromNumbers(side: NumberSide): BigSide {
    const big = new BigSide(side.ptext !== undefined);
    for (let i = side.lo; i < side.hi; i++) {
      big.keys.push(BigInt(side.keys[i] as number));
      big.qtys.push(BigInt(side.qtys[i] as number));
      big.ptext?.push(side.ptext?.[i] as string);
      big.qtext?.push(side.qtext?.[i] as string);
    }
    return big;
  }

  get count(): number {
    return this.keys.length;
  }

  search(key: bigint): number {
    let a = 0;
    let b = this.keys.length;
    while (a < b) {
      const m = (a + b) >>> 1;
      if ((this.keys[m] as bigint) < key) a = m + 1;
      else b = m;
    }
    return a < this.keys.length && this.keys[a] === key ? a : ~a;
  }

  set(key: bigint, qty: bigint, ptext: string, qtext: string): bigint {
    const i = this.search(key);
    if (i >= 0) {
      const old = this.qtys[i] as bigint;
      this.qtys[i] = qty;
      if (this.ptext !== undefined && this.qtext !== undefined) {
        this.lastPText = this.ptext[i] as string;
        this.lastQText = this.qtext[i] as string;
        this.ptext[i] = ptext;
        this.qtext[i] = qtext;
      }
      return old;
    }
    const at = ~i;
    this.keys.splice(at, 0, key);
    this.qtys.splice(at, 0, qty);
    this.ptext?.splice(at, 0, ptext);
    this.qtext?.splice(at, 0, qtext);
    return 0n;
  }

  remove(key: bigint): bigint {
    const i = this.search(key);
    if (i < 0) return 0n;
    const old = this.qtys[i] as bigint;
    if (this.ptext !== undefined && this.qtext !== undefined) {
      this.lastPText = this.ptext[i] as string;
      this.lastQText = this.qtext[i] as string;
    }
    this.keys.splice(i, 1);
    this.qtys.splice(i, 1);
    this.ptext?.splice(i, 1);
    this.qtext?.splice(i, 1);
    return old;
  }

  trimFar(depth: number): void {
    const extra = this.keys.length - depth;
    if (extra <= 0) return;
    this.keys.splice(0, extra);
    this.qtys.splice(0, extra);
    this.ptext?.splice(0, extra);
    this.qtext?.splice(0, extra);
  }

  keyAt(rank: number): bigint {
    return this.keys[this.keys.length - 1 - rank] as bigint;
  }

  qtyAt(rank: number): bigint {
    return this.qtys[this.qtys.length - 1 - rank] as bigint;
  }

  /** Multiplies every key and quantity (exact). */
  rescale(keyFactor: bigint, qtyFactor: bigint): void {
    for (let i = 0; i < this.keys.length; i++) {
      this.keys[i] = (this.keys[i] as bigint) * keyFactor;
      this.qtys[i] = (this.qtys[i] as bigint) * qtyFactor;
    }
  }
}
