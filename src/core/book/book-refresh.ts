/**
 * A book whose REST snapshot covers a limited depth, kept exact as the market drifts: before the depth the
 * consumer asked for leaves the price range the snapshot covered, a second synchronizer builds a fresh book
 * off to the side from a new snapshot and the same deltas, and takes over at the same update id.
 */
import { idCompare } from '../json.js';
import type { DepthMessage } from '../model.js';
import { BookSynchronizer } from './book-sync.js';
import type { BookSyncEvent, BookSyncOptions, BookSyncState, BookSyncStats } from './book-sync.js';
import { coverageLimits } from './book-depth.js';
import type { OrderBook, ResyncReason } from './order-book.js';

export interface RefreshingBookSyncOptions extends Omit<BookSyncOptions, 'onBook' | 'coverDepth' | 'coverageRefill'> {
  /**
   * Levels per side the book must serve exactly: the deepest any of its consumers may ask for (each trims its own
   * view); every covered level when undefined.
   */
  readonly depth?: number;
  /**
   * The book to show after every change. `rebuilt` is set when it is a book the consumer must take as a new
   * snapshot (after a resync), undefined for an update, including a seamless refresh.
   */
  readonly onBook: (book: OrderBook, rebuilt: ResyncReason | undefined) => void;
}

export interface RefreshStats {
  /** Background rebuilds started because the covered depth ran low. */
  started: number;
  /** Rebuilt books that took over at the same update id, unseen by the consumer. */
  seamless: number;
}

/** Counters of the REST snapshots themselves: every synchronizer's count, a refresh's too (each request costs weight). */
const SNAPSHOT_COUNTERS: ReadonlySet<keyof BookSyncStats> = new Set(['snapshotsFetched', 'snapshotErrors']);

/**
 * One book kept in sync, never showing a level set the venue does not have. Wraps `BookSynchronizer` (the
 * primary) with the coverage rules of `coverageLimits`: its book resyncs (`coverage`) rather than keep fewer
 * covered levels than the floor (the depth asked, when the snapshot has room for drift), and once a side's
 * covered levels fall below the refresh threshold a second synchronizer (the refresh) fetches a new snapshot
 * while the primary stays live. The first of the two to hold a good book is kept; a primary that loses coverage
 * while the refresh is under way fetches no snapshot of its own: the refresh takes over as its rebuilt book. The
 * refresh reports only its own troubles (its snapshot, its task): the messages are the primary's to report.
 * Consumers read it through
 * `OrderBookView`, which shows covered levels only. Venues whose snapshots are complete (in-band, or a window the venue
 * maintains) never refresh.
 */
export class RefreshingBookSync implements AsyncDisposable {
  readonly refreshes: RefreshStats = { started: 0, seamless: 0 };
  private readonly opts: RefreshingBookSyncOptions;
  /** Covered levels per side the book must keep (else it resyncs), and below which it refreshes. */
  private readonly floor: number;
  private readonly refreshBelow: number | undefined;
  private primary: BookSynchronizer;
  /**
   * The primary's counters when it took over (zero for the first): what it did as a refresh, before, is not its
   * share, except for the snapshots it fetched.
   */
  private primaryBase: BookSyncStats;
  /** Counters of the primaries a refresh replaced (their share), and the snapshot counters of refreshes dropped. */
  private readonly retired: BookSyncStats;
  private refresh: BookSynchronizer | undefined;
  private visible: OrderBook | undefined;
  private closed = false;
  private livenessMs: number | undefined;

  constructor(opts: RefreshingBookSyncOptions) {
    this.opts = opts;
    this.livenessMs = opts.livenessMs;
    const limits = opts.rules.snapshotSource === 'stream' || opts.snapshotDepth === undefined ? undefined : coverageLimits(opts.depth, opts.snapshotDepth);
    this.floor = limits?.floor ?? 1;
    this.refreshBelow = limits?.refreshBelow;
    this.primary = this.create();
    this.retired = zeroed(this.primary.stats);
    this.primaryBase = zeroed(this.primary.stats);
  }

  get state(): BookSyncState {
    return this.closed ? 'closed' : this.primary.state;
  }

  /** The book the consumer sees: the live one, or the last good one while resyncing. */
  get book(): OrderBook | undefined {
    return this.visible;
  }

  /**
   * The counters since this book was opened, each thing counted once. Stream messages are counted by the
   * synchronizer whose book the consumer was shown when they came (the primary of the time): a refresh takes the
   * same messages, so what it did with them before taking over is not counted again. REST snapshots are counted
   * by whoever fetched them, refreshes included, whether they took over or were dropped.
   */
  get stats(): BookSyncStats {
    const now = this.primary.stats;
    const base = this.primaryBase;
    const refresh = this.refresh?.stats;
    const out = { ...now };
    for (const k of Object.keys(out) as Array<keyof BookSyncStats>) {
      out[k] = this.retired[k] + now[k] - base[k] + (refresh !== undefined && SNAPSHOT_COUNTERS.has(k) ? refresh[k] : 0);
    }
    return out;
  }

  /** Changes the liveness window of the primary and of any refresh (see `BookSynchronizer.setLivenessMs`). */
  setLivenessMs(ms: number): void {
    this.livenessMs = ms;
    this.primary.setLivenessMs(ms);
    this.refresh?.setLivenessMs(ms);
  }

  onDelta(msg: DepthMessage): void {
    if (this.closed) return;
    this.primary.onDelta(msg);
    this.refresh?.onDelta(msg);
  }

  /** The connection dropped: the primary resyncs from scratch, so a refresh under way is moot. */
  onDisconnect(): void {
    if (this.closed) return;
    this.dropRefresh();
    this.primary.onDisconnect();
  }

  /** A frame could not be read: the primary rebuilds (see `BookSynchronizer.onUnreadable`), a refresh is moot. */
  onUnreadable(error: unknown): void {
    if (this.closed) return;
    this.dropRefresh();
    this.primary.onUnreadable(error);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const refresh = this.refresh;
    this.dropRefresh();
    await Promise.all([this.primary.close(), refresh?.close()]);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private create(): BookSynchronizer {
    const sync: BookSynchronizer = new BookSynchronizer({
      ...this.opts,
      ...(this.livenessMs === undefined ? {} : { livenessMs: this.livenessMs }),
      coverDepth: this.floor,
      // The primary losing coverage while a refresh is under way leaves the new snapshot to the refresh.
      coverageRefill: () => sync === this.primary && this.refresh !== undefined,
      onBook: (book) => this.onSyncBook(sync, book),
      onEvent: (event) => this.onSyncEvent(sync, event),
    });
    return sync;
  }

  private onSyncBook(sync: BookSynchronizer, book: OrderBook): void {
    if (this.closed) return;
    if (sync === this.primary) {
      const rebuilt = book.event === 'snapshot' ? (book.resyncReason ?? 'initial') : undefined;
      if (rebuilt !== undefined) this.dropRefresh(); // a fresh snapshot makes a refresh under way moot
      this.visible = book;
      this.opts.onBook(book, rebuilt);
      this.maybeRefresh(book);
      return;
    }
    if (sync !== this.refresh) return;
    // The refresh holds a good book. It takes the primary's deltas too, so once both are at the same update id
    // it takes over unseen (an update). Its snapshot may be newer than the primary's last delta (or carry an id
    // no delta ends on): then it waits for the next delta. If the primary lost coverage meanwhile, it takes over
    // at once as a rebuilt book.
    const old = this.primary;
    const live = old.state === 'live';
    if (live && !(old.book !== undefined && idCompare(old.book.seq, book.seq) === 0)) return;
    for (const k of Object.keys(this.retired) as Array<keyof BookSyncStats>) this.retired[k] += old.stats[k] - this.primaryBase[k];
    // From here on its counters are the book's; before, only its snapshots were.
    this.primaryBase = zeroed(sync.stats);
    for (const k of Object.keys(this.primaryBase) as Array<keyof BookSyncStats>) if (!SNAPSHOT_COUNTERS.has(k)) this.primaryBase[k] = sync.stats[k];
    this.primary = sync;
    this.refresh = undefined;
    void old.close();
    this.visible = book;
    if (live) {
      this.refreshes.seamless++;
      book.markUpdate();
      this.opts.onBook(book, undefined);
    } else {
      book.markSnapshot('coverage');
      this.opts.onBook(book, 'coverage');
    }
  }

  private onSyncEvent(sync: BookSynchronizer, event: BookSyncEvent): void {
    if (this.closed) return;
    if (sync === this.primary) {
      // Any resync but a coverage one (which the refresh is about to cure) restarts from a new snapshot anyway.
      if (event.type === 'state' && event.state === 'resyncing' && event.reason !== 'coverage') this.dropRefresh();
      this.opts.onEvent?.(event);
      return;
    }
    // The refresh takes the same messages as the primary, which reports what is wrong with them: only what the
    // shared feed cannot explain is the refresh's to report (its own snapshot and its own task).
    if (sync !== this.refresh) return;
    if (event.type === 'snapshot-failed' || event.type === 'listener-failed' || (event.type === 'decode-failed' && event.snapshot === true)) this.opts.onEvent?.(event);
  }

  /** Per update: O(1), no allocation (the book keeps its covered counts). */
  private maybeRefresh(book: OrderBook): void {
    const below = this.refreshBelow;
    if (below === undefined || this.refresh !== undefined || this.primary.state !== 'live') return;
    // A complete side's covered depth is its whole count, which a refresh would not deepen.
    const lowBids = !book.isComplete('bids') && book.coveredDepth('bids') < below;
    if (!lowBids && (book.isComplete('asks') || book.coveredDepth('asks') >= below)) return;
    this.refreshes.started++;
    this.refresh = this.create(); // it fetches its snapshot with the next delta, buffering from then on
  }

  private dropRefresh(): void {
    const refresh = this.refresh;
    if (refresh === undefined) return;
    this.refresh = undefined;
    for (const k of SNAPSHOT_COUNTERS) this.retired[k] += refresh.stats[k];
    void refresh.close();
  }
}

/** A set of counters like `like`, all zero. */
function zeroed(like: BookSyncStats): BookSyncStats {
  return Object.fromEntries(Object.keys(like).map((k) => [k, 0])) as unknown as BookSyncStats;
}
