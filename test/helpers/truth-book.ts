/**
 * The venue's truth for a recorded depth sequence: levels by exact price with the venue's own strings, replayed
 * with no sequence logic at all, to serve as a test venue's snapshot and to compare a client's book with.
 */
import type { OrderBookView } from '../../src/core/book/book-view.js';
import { Decimal } from '../../src/core/decimal.js';

type Level = readonly string[];

export class TruthBook {
  private readonly bids = new Map<string, Level>();
  private readonly asks = new Map<string, Level>();

  constructor(bids: readonly Level[], asks: readonly Level[]) {
    this.apply(bids, asks);
  }

  /** Absolute levels: size 0 deletes, otherwise the level (all its strings) replaces what was at that price. */
  apply(bids: readonly Level[], asks: readonly Level[]): void {
    for (const [side, levels] of [
      [this.bids, bids],
      [this.asks, asks],
    ] as const) {
      for (const level of levels) {
        const key = Decimal.from(level[0] as string).normalize().toString();
        if (Decimal.from(level[1] as string).isZero()) side.delete(key);
        else side.set(key, level);
      }
    }
  }

  /** Up to `depth` levels of a side as the venue wrote them, best first. */
  levels(side: 'bids' | 'asks', depth = Infinity): Level[] {
    const rows = [...(side === 'bids' ? this.bids : this.asks).values()];
    rows.sort((x, y) => Decimal.from(x[0] as string).cmp(y[0] as string) * (side === 'bids' ? -1 : 1));
    return rows.slice(0, depth);
  }

  /** Top `depth` levels per side as `price@size` exact decimals, for comparing with a client's book. */
  view(depth = Infinity): string {
    const fmt = (l: Level): string => `${Decimal.from(l[0] as string).normalize()}@${Decimal.from(l[1] as string).normalize()}`;
    return `${this.levels('bids', depth).map(fmt).join(' ')} | ${this.levels('asks', depth).map(fmt).join(' ')}`;
  }
}

/** A client's book in the form of `TruthBook.view`. */
export function bookView(book: OrderBookView, depth = Infinity): string {
  const fmt = (l: { price: Decimal; amount: Decimal }): string => `${l.price.normalize()}@${l.amount.normalize()}`;
  return `${book.bids(depth).map(fmt).join(' ')} | ${book.asks(depth).map(fmt).join(' ')}`;
}
