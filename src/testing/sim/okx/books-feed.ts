/**
 * OKX sequence numbers and the `books` 400-level window of one instrument: the per-instrument `seqId` counter
 * (shared by books, bbo-tbt, books5 and trades, as on OKX), the last pushed window, the exact window diff for
 * each update (changed levels, levels entering from below, levels pushed out as size "0"), heartbeats, and the
 * OKX faults (prevSeqId break, wrong checksum, sequence reset) armed for the next update.
 */
import type { L2Book } from '../book-engine.js';
import { bookChecksum, booksFrame, type OkxInstrument } from './wire-format.js';

export type Levels = Array<readonly [number, number]>;

/** The `books` window depth. */
export const BOOKS_DEPTH = 400;

/** One OKX book update (or snapshot) ready to frame. */
export interface BooksPush {
  readonly action: 'snapshot' | 'update';
  readonly bids: Levels;
  readonly asks: Levels;
  readonly prevSeqId: number;
  readonly seqId: number;
  readonly checksum: number;
}

/** Faults armed for the next `books` update of an instrument, as counts. */
export interface ArmedFaults {
  prevSeqIdBreak: number;
  badChecksum: number;
  sequenceReset: number;
}

/** Per-instrument sequence and `books` window. */
export class InstrumentFeed {
  /** The last sequence id handed out. */
  private seq: number;
  private window: { bids: Levels; asks: Levels } | undefined;
  /** The `seqId` of the last `books` message (the window's id). */
  windowSeqId = 0;
  /** The truth changed since the window was taken. */
  dirty = true;
  /** When the last `books` update (or heartbeat) was produced. */
  lastPushAt = Date.now();
  /** Gap fault generations already honoured. */
  gapSeen: number;
  readonly armed: ArmedFaults = { prevSeqIdBreak: 0, badChecksum: 0, sequenceReset: 0 };

  constructor(
    readonly w: OkxInstrument,
    startSeq: number,
    gapGeneration: number,
    private readonly checksums: boolean,
  ) {
    this.seq = startSeq;
    this.gapSeen = gapGeneration;
  }

  /** A fresh sequence id (ids jump by a few, like OKX's). */
  nextSeq(): number {
    this.seq = nextSeqId(this.seq);
    return this.seq;
  }

  /** Takes the window from `book` with `seqId` as its id (the bench feed wrote the updates that led there). */
  adopt(book: L2Book, seqId: number): void {
    this.window = { bids: book.bids.top(BOOKS_DEPTH), asks: book.asks.top(BOOKS_DEPTH) };
    this.windowSeqId = seqId;
    this.seq = Math.max(this.seq, seqId);
    this.dirty = false;
    this.lastPushAt = Date.now();
  }

  /** The last id handed out (books5 / bbo-tbt carry the current one). */
  get currentSeq(): number {
    return this.seq;
  }

  get hasWindow(): boolean {
    return this.window !== undefined;
  }

  /** The window as last pushed, taking it from `book` first when there is none yet. */
  snapshot(book: L2Book): BooksPush {
    if (this.window === undefined) {
      this.window = { bids: book.bids.top(BOOKS_DEPTH), asks: book.asks.top(BOOKS_DEPTH) };
      this.windowSeqId = this.nextSeq();
      this.dirty = false;
    }
    const { bids, asks } = this.window;
    return { action: 'snapshot', bids, asks, prevSeqId: -1, seqId: this.windowSeqId, checksum: this.checksumOf(bids, asks) };
  }

  /**
   * Moves the window to `book`'s top 400 and returns the update (undefined when the window did not change),
   * with any armed fault applied. The caller decides whether to send it (gap fault).
   */
  advance(book: L2Book): BooksPush | undefined {
    if (this.window === undefined) {
      this.snapshot(book);
      return undefined;
    }
    this.dirty = false;
    const bids = book.bids.top(BOOKS_DEPTH);
    const asks = book.asks.top(BOOKS_DEPTH);
    const dBids = windowDiff(this.window.bids, bids, true);
    const dAsks = windowDiff(this.window.asks, asks, false);
    if (dBids.length === 0 && dAsks.length === 0) return undefined;
    this.window = { bids, asks };
    let prevSeqId = this.windowSeqId;
    let seqId = this.nextSeq();
    if (this.armed.sequenceReset > 0) {
      // After "maintenance" the sequence restarts lower (seqId < prevSeqId) and chains from there.
      this.armed.sequenceReset--;
      seqId = Math.max(1, Math.floor(prevSeqId / 1000));
      this.seq = seqId;
    }
    this.windowSeqId = seqId;
    if (this.armed.prevSeqIdBreak > 0) {
      this.armed.prevSeqIdBreak--;
      prevSeqId = Math.max(0, prevSeqId - 7);
    }
    let checksum = this.checksumOf(bids, asks);
    if (this.armed.badChecksum > 0) {
      this.armed.badChecksum--;
      checksum = (checksum ^ 0x2bad) | 0 || 1;
    }
    this.lastPushAt = Date.now();
    return { action: 'update', bids: dBids, asks: dAsks, prevSeqId, seqId, checksum };
  }

  /** The no-change heartbeat: empty sides, `prevSeqId == seqId`. */
  heartbeat(): BooksPush | undefined {
    if (this.window === undefined) return undefined;
    this.lastPushAt = Date.now();
    return { action: 'update', bids: [], asks: [], prevSeqId: this.windowSeqId, seqId: this.windowSeqId, checksum: this.checksumOf(this.window.bids, this.window.asks) };
  }

  /** The window's top `depth` levels and id (for REST `/market/books`). */
  top(depth: number): { bids: Levels; asks: Levels; seqId: number } {
    const win = this.window ?? { bids: [], asks: [] };
    return { bids: win.bids.slice(0, depth), asks: win.asks.slice(0, depth), seqId: this.windowSeqId };
  }

  frame(p: BooksPush, ts: number): string {
    return booksFrame(this.w, p.action, { bids: p.bids, asks: p.asks, ts, checksum: p.checksum, prevSeqId: p.prevSeqId, seqId: p.seqId });
  }

  private checksumOf(bids: Levels, asks: Levels): number {
    return this.checksums ? bookChecksum(this.w, bids, asks) : 0;
  }
}

/** The sequence id after `seq` (OKX's ids jump by a few). */
export function nextSeqId(seq: number): number {
  return seq + 1 + (seq % 3);
}

/**
 * The levels that turn window `before` into window `after` (both best first): changed or new levels with
 * their size, levels no longer in the window with size 0. Best first.
 */
export function windowDiff(before: Levels, after: Levels, descending: boolean): Levels {
  const old = new Map<number, number>(before as Array<[number, number]>);
  const out: Array<readonly [number, number]> = [];
  const seen = new Set<number>();
  for (const [p, q] of after) {
    seen.add(p);
    if (old.get(p) !== q) out.push([p, q]);
  }
  for (const [p] of before) if (!seen.has(p)) out.push([p, 0]);
  return out.sort((a, b) => (descending ? b[0] - a[0] : a[0] - b[0]));
}
