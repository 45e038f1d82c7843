/**
 * The simulator's L2 order book: two sorted sides of integer price → integer size levels (scaled units),
 * with rank access for clustered activity near the top. Exact by construction; no floats, no strings.
 */
import { VenueError } from '../../core/errors.js';

export type BookSideName = 'bids' | 'asks';

/** One side of a book, best level first. Prices and sizes are integer units of the instrument's scales. */
export class BookSide {
  readonly name: BookSideName;
  /** Prices sorted best first (bids descending, asks ascending). */
  private readonly prices: number[] = [];
  private readonly sizes = new Map<number, number>();

  constructor(name: BookSideName) {
    this.name = name;
  }

  get length(): number {
    return this.prices.length;
  }

  /** Size at `price`, 0 when there is no level. */
  get(price: number): number {
    return this.sizes.get(price) ?? 0;
  }

  has(price: number): boolean {
    return this.sizes.has(price);
  }

  /** Sets the absolute size at `price`; 0 removes the level. */
  set(price: number, size: number): void {
    if (size < 0 || !Number.isSafeInteger(size) || !Number.isSafeInteger(price)) throw new VenueError('invalid-argument', `bad book level ${price} ${size}`);
    const had = this.sizes.has(price);
    if (size === 0) {
      if (!had) return;
      this.sizes.delete(price);
      this.prices.splice(this.search(price), 1);
      return;
    }
    this.sizes.set(price, size);
    if (!had) this.prices.splice(this.search(price), 0, price);
  }

  /** Best price, or undefined on an empty side. */
  best(): number | undefined {
    return this.prices[0];
  }

  /** Worst (deepest) price, or undefined on an empty side. */
  worst(): number | undefined {
    return this.prices[this.prices.length - 1];
  }

  /** Price at `rank` (0 = best). */
  priceAt(rank: number): number | undefined {
    return this.prices[rank];
  }

  /** True when `a` is a better price than `b` on this side. */
  better(a: number, b: number): boolean {
    return this.name === 'bids' ? a > b : a < b;
  }

  /** Up to `n` best levels as `[price, size]`. */
  top(n = Infinity): Array<[number, number]> {
    const end = Math.min(n, this.prices.length);
    const out: Array<[number, number]> = new Array(end);
    for (let i = 0; i < end; i++) {
      const p = this.prices[i] as number;
      out[i] = [p, this.sizes.get(p) as number];
    }
    return out;
  }

  clear(): void {
    this.prices.length = 0;
    this.sizes.clear();
  }

  /** Index of `price` if present, else where it would be inserted. */
  private search(price: number): number {
    let lo = 0;
    let hi = this.prices.length;
    const desc = this.name === 'bids';
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const p = this.prices[mid] as number;
      if (desc ? p > price : p < price) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** A whole L2 book plus the id of the last change applied to it. */
export class L2Book {
  readonly bids = new BookSide('bids');
  readonly asks = new BookSide('asks');
  /** The id of the last update applied (what a REST snapshot reports as `lastUpdateId`). */
  updateId = 0;

  side(name: BookSideName): BookSide {
    return name === 'bids' ? this.bids : this.asks;
  }

  /** A detached copy of up to `depth` levels a side. */
  snapshot(depth = Infinity): BookSnapshot {
    return { updateId: this.updateId, bids: this.bids.top(depth), asks: this.asks.top(depth) };
  }

  /** Replaces the whole content (bench feed, tests). */
  load(snapshot: BookSnapshot): void {
    this.bids.clear();
    this.asks.clear();
    for (const [p, q] of snapshot.bids) this.bids.set(p, q);
    for (const [p, q] of snapshot.asks) this.asks.set(p, q);
    this.updateId = snapshot.updateId;
  }
}

/** A copy of a book at one update id: levels best first, integer units. */
export interface BookSnapshot {
  readonly updateId: number;
  readonly bids: ReadonlyArray<readonly [number, number]>;
  readonly asks: ReadonlyArray<readonly [number, number]>;
}
