/**
 * One Bybit `orderbook.{depth}.{symbol}` topic: the window last published (top `depth` levels a side), its
 * `u` (+1 per push), and the exact window diff a delta carries: changed levels inside the window, levels
 * entering it (inserts) and levels pushed out of it (size "0"). Depth 1 is snapshot-only.
 */
import type { L2Book } from '../book-engine.js';
import { orderbookFrame, type BybitSymbol } from './wire-format.js';

type Level = readonly [number, number];

/** Bybit depths per category: spot 1/50/200/1000, derivatives 1/50/200/500/1000. */
export function bookDepths(spot: boolean): readonly number[] {
  return spot ? [1, 50, 200, 1000] : [1, 50, 200, 500, 1000];
}

export class BookTopic {
  readonly topic: string;
  /** The `u` of the last push (0 before the first). */
  u: number;
  /** Gap requests already acted on (see `SimFaults.gapGenerationOf`). */
  gapSeen = 0;
  /** Wall time of the last push (depth 1 resends an unchanged snapshot after 3 s). */
  lastPushAt = 0;
  private bids: Level[] = [];
  private asks: Level[] = [];

  constructor(
    readonly s: BybitSymbol,
    readonly depth: number,
    book: L2Book,
    startU: number,
  ) {
    this.topic = `orderbook.${depth}.${s.id}`;
    this.u = startU;
    this.bids = book.bids.top(depth);
    this.asks = book.asks.top(depth);
  }

  /** A snapshot of the published window with the current `u` (what a new subscriber gets first). */
  snapshotFrame(ts: number, seq: number): string {
    return orderbookFrame(this.s, { topic: this.topic, type: 'snapshot', ts, cts: ts, u: this.u, seq, bids: this.bids, asks: this.asks });
  }

  /** Replaces the window with the book's and sets `u` (a restart sends `u` 1); returns the snapshot frame. */
  reset(book: L2Book, u: number, ts: number, seq: number): string {
    this.bids = book.bids.top(this.depth);
    this.asks = book.asks.top(this.depth);
    this.u = u;
    this.lastPushAt = Date.now();
    return this.snapshotFrame(ts, seq);
  }

  /** Moves the window to the book's; returns the next push (`u` + 1), or undefined when the window did not change. */
  update(book: L2Book, ts: number, cts: number, seq: number): string | undefined {
    const bids = book.bids.top(this.depth);
    const asks = book.asks.top(this.depth);
    const db = windowDiff(this.bids, bids, true);
    const da = windowDiff(this.asks, asks, false);
    if (db.length === 0 && da.length === 0) return undefined;
    this.bids = bids;
    this.asks = asks;
    this.u++;
    this.lastPushAt = Date.now();
    if (this.depth === 1) return orderbookFrame(this.s, { topic: this.topic, type: 'snapshot', ts, cts, u: this.u, seq, bids, asks });
    return orderbookFrame(this.s, { topic: this.topic, type: 'delta', ts, cts, u: this.u, seq, bids: db, asks: da });
  }
}

/**
 * The levels that turn window `before` into window `after` (both best first): new or resized levels with
 * their size, vanished ones with 0; best first.
 */
export function windowDiff(before: readonly Level[], after: readonly Level[], descending: boolean): Level[] {
  const out: Level[] = [];
  let i = 0;
  let j = 0;
  const better = (a: number, b: number): boolean => (descending ? a > b : a < b);
  while (i < before.length || j < after.length) {
    const b = before[i];
    const a = after[j];
    if (a !== undefined && (b === undefined || better(a[0], b[0]))) {
      out.push(a);
      j++;
    } else if (b !== undefined && (a === undefined || better(b[0], a[0]))) {
      out.push([b[0], 0]);
      i++;
    } else {
      if ((a as Level)[1] !== (b as Level)[1]) out.push(a as Level);
      i++;
      j++;
    }
  }
  return out;
}
