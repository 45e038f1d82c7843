/**
 * What one consumer of a book sees: a read-only window on a (possibly shared) `OrderBook`, trimmed to the
 * depth the consumer asked for and to the levels the book's snapshot covered, with the consumer's own
 * snapshot/update markers. Allocates nothing per update; the book it shows is swapped only on delivery.
 */
import type { Level, OrderBookSnapshot } from '../model.js';
import type { UpdateId } from '../json.js';
import type { BookSyncStats } from './book-sync.js';
import type { BookSideName, OrderBook, ResyncReason } from './order-book.js';

/**
 * The book a `watchOrderBook` consumer iterates. Every read shows at most `depth` levels per side (when a
 * depth was asked) and never a level beyond what the book's snapshot covered: levels there are unknown, so
 * they are not shown. Valid until the consumer's next iteration; `snapshot()` copies it.
 */
export class OrderBookView {
  /** Levels per side asked for; undefined shows every level the book knows. */
  readonly depth: number | undefined;
  private book: OrderBook;
  private eventKind: 'snapshot' | 'update' = 'snapshot';
  private reason: ResyncReason | undefined = 'initial';

  private readonly statsOf: (() => Readonly<BookSyncStats>) | undefined;

  /** `stats` reads the counters of the synchronizer keeping `book` (shared by every watcher of that book). */
  constructor(book: OrderBook, depth?: number, stats?: () => Readonly<BookSyncStats>) {
    this.book = book;
    this.depth = depth;
    this.statsOf = stats;
  }

  /**
   * What keeping this book took so far, counted since it was opened: deltas applied and skipped, gaps, resyncs,
   * id resets, stalls, frames refused as nonsense, checksum failures, snapshots fetched. Nothing is skipped
   * without being counted here.
   */
  get stats(): Readonly<BookSyncStats> | undefined {
    return this.statsOf?.();
  }

  /**
   * Points the view at `book` as the consumer is handed it: a snapshot (after a (re)sync, with its reason)
   * or an update. Called by the delivering watch, never by consumers.
   */
  show(book: OrderBook, rebuilt: ResyncReason | undefined): void {
    this.book = book;
    this.eventKind = rebuilt === undefined ? 'update' : 'snapshot';
    this.reason = rebuilt;
  }

  get symbol(): string {
    return this.book.symbol;
  }
  /** The update id the book is at (Binance `u`/`lastUpdateId`, Bybit `u`, OKX `seqId`). */
  get seq(): UpdateId {
    return this.book.seq;
  }
  get exchangeTime(): number {
    return this.book.exchangeTime;
  }
  get receivedAt(): number {
    return this.book.receivedAt;
  }
  get priceScale(): number {
    return this.book.priceScale;
  }
  get qtyScale(): number {
    return this.book.qtyScale;
  }
  get bigintBacked(): boolean {
    return this.book.bigintBacked;
  }
  /** `'snapshot'` on the first book this consumer sees after a (re)sync, `'update'` afterwards. */
  get event(): 'snapshot' | 'update' {
    return this.eventKind;
  }
  /** Why the book was last rebuilt; set with `event === 'snapshot'`, undefined on updates. */
  get resyncReason(): ResyncReason | undefined {
    return this.reason;
  }
  /** Bids shown: at most `depth`, and only levels the snapshot covered. */
  get bidCount(): number {
    return this.shown('bids');
  }
  get askCount(): number {
    return this.shown('asks');
  }

  /** Best bid as an integer count of `10^-priceScale`, NaN when empty (see `OrderBook.bestBidPrice`). */
  bestBidPrice(): number {
    return this.shown('bids') > 0 ? this.book.bestBidPrice() : NaN;
  }
  bestAskPrice(): number {
    return this.shown('asks') > 0 ? this.book.bestAskPrice() : NaN;
  }
  isCrossed(): boolean {
    return this.shown('bids') > 0 && this.shown('asks') > 0 && this.book.isCrossed();
  }
  bestBid(): Level | undefined {
    return this.shown('bids') > 0 ? this.book.bestBid() : undefined;
  }
  bestAsk(): Level | undefined {
    return this.shown('asks') > 0 ? this.book.bestAsk() : undefined;
  }
  /** Up to `depth` bids as exact levels, best first. Allocates per call: not for the hot path. */
  bids(depth = Infinity): Level[] {
    return this.book.bids(Math.min(depth, this.shown('bids')));
  }
  asks(depth = Infinity): Level[] {
    return this.book.asks(Math.min(depth, this.shown('asks')));
  }
  /** Up to `depth` best levels as `[price, size]` text (see `OrderBook.topStrings`). */
  topStrings(side: BookSideName, depth: number): Array<readonly [string, string]> {
    return this.book.topStrings(side, Math.min(depth, this.shown(side)));
  }
  /** A detached copy of the top `depth` levels per side shown, with exact values. */
  snapshot(depth = Infinity): OrderBookSnapshot {
    return { ...this.book.snapshot(0), bids: this.bids(depth), asks: this.asks(depth) };
  }

  private shown(side: BookSideName): number {
    const covered = this.book.coveredDepth(side);
    return this.depth === undefined ? covered : Math.min(this.depth, covered);
  }
}
