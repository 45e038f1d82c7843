/** Converts venue level tuples (`[price, size, ...]` strings) into exact `Level`s for detached snapshots. */
import { Decimal } from '../core/decimal.js';
import type { Level } from '../core/model.js';

/** The first `depth` non-empty levels, sorted best first (bids descending, asks ascending). */
export function levelsFromDepth(levels: ReadonlyArray<ReadonlyArray<string>>, side: 'bids' | 'asks', depth: number): Level[] {
  const out: Level[] = [];
  for (const l of levels) {
    const amount = Decimal.from(l[1] ?? '');
    if (amount.isZero()) continue;
    out.push({ price: Decimal.from(l[0] ?? ''), amount });
  }
  out.sort((a, b) => (side === 'bids' ? b.price.cmp(a.price) : a.price.cmp(b.price)));
  return out.length > depth ? out.slice(0, depth) : out;
}
