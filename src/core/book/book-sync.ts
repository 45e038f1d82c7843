/**
 * Keeps one order book in sync with a venue: buffers deltas, aligns them with a snapshot (REST or in-band),
 * checks continuity, id plausibility, checksums and crossing, and rebuilds on any doubt (or when data stops
 * being accepted) while the last good book stays visible. Venue knowledge comes only from `BookRules`; the
 * transport feeds messages in and resubscribes when asked.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { VenueError, toVenueError } from '../errors.js';
import { idCompare } from '../json.js';
import type { UpdateId } from '../json.js';
import type { DepthMessage } from '../model.js';
import type { AlignVerdict, BookIdBounds, BookRules, DeltaVerdict } from '../venue.js';
import { FeedHealth } from './feed-health.js';
import { OrderBook } from './order-book.js';
import type { ResyncReason } from './order-book.js';

export type BookSyncState = 'idle' | 'syncing' | 'live' | 'resyncing' | 'closed';

/** Lifecycle notifications. Data goes through `onBook`; these are for logs and metrics. */
export type BookSyncEvent =
  | { readonly type: 'state'; readonly state: BookSyncState; readonly reason?: ResyncReason }
  | { readonly type: 'snapshot-failed'; readonly error: VenueError; readonly attempt: number; readonly retryInMs: number }
  /** Deltas arrived faster than the snapshot: the buffer was restarted from the newest delta. */
  | { readonly type: 'buffer-overflow'; readonly dropped: number }
  /**
   * A message could not be decoded (the book resyncs), or its ids made no sense (`stats.invalid`: refused, and
   * the chain of the next messages decides whether anything was lost).
   */
  | { readonly type: 'decode-failed'; readonly error: VenueError }
  /** A callback threw inside the background snapshot task. */
  | { readonly type: 'listener-failed'; readonly error: VenueError }
  /** An update id implausibly far from the book's (`book-integrity`): the book is rebuilt (`id-reset`). */
  | { readonly type: 'id-reset'; readonly error: VenueError }
  /** Messages kept arriving and none could be applied for the liveness window (`book-integrity`): the book is rebuilt. */
  | { readonly type: 'stalled'; readonly error: VenueError };

export interface BookSyncStats {
  /** Deltas applied to a book. */
  applied: number;
  /** Deltas dropped as old or duplicate, or received while no base book could take them. */
  skipped: number;
  gaps: number;
  /** Rebuilds after the initial sync (gap, checksum, crossed, reconnect, venue reset, id reset, stall, decode failure). */
  resyncs: number;
  /** Update ids implausibly far ahead of or behind the book (the venue restarted its ids, or sent a nonsense one): each rebuilt it. */
  idResets: number;
  /** Rebuilds because messages kept arriving but none could be applied for longer than the liveness window. */
  stalls: number;
  /** Messages refused because their ids contradict themselves or the snapshot (each also a `decode-failed` event). */
  invalid: number;
  checksumFailures: number;
  crossed: number;
  snapshotsFetched: number;
  snapshotErrors: number;
  bufferOverflows: number;
}

export interface BookSyncOptions {
  readonly symbol: string;
  /** Tick and step decimals of the instrument (the book widens them by itself if the venue sends more). */
  readonly priceScale: number;
  readonly qtyScale: number;
  readonly rules: BookRules;
  /** Called after every applied message and every swap to a rebuilt book (then `book.event === 'snapshot'`). */
  readonly onBook: (book: OrderBook) => void;
  /** Full-book fetch for `snapshotSource: 'rest' | 'stream-or-rest'`; may reject with a `VenueError` (`rate-limited` is honoured). */
  readonly fetchSnapshot?: (signal: AbortSignal) => Promise<DepthMessage>;
  /** For `snapshotSource: 'stream' | 'stream-or-rest'`: ask the transport to resubscribe so the venue sends a fresh snapshot. */
  readonly resubscribe?: () => void;
  /**
   * For `snapshotSource: 'stream-or-rest'`: after a resubscribe, how long to wait for an in-band snapshot
   * before fetching the REST one (default 1000 ms).
   */
  readonly streamSnapshotWaitMs?: number;
  readonly onEvent?: (event: BookSyncEvent) => void;
  /** Window size for venues that send a fixed-depth book (Bybit 1000, OKX 400). */
  readonly maxDepth?: number;
  /** Levels per side a REST snapshot asks for: a side that comes back that full is covered only down to its worst level. */
  readonly snapshotDepth?: number;
  /** Levels per side that must stay within what the snapshot covered; an update leaving fewer is undone and resyncs (`coverage`). */
  readonly coverDepth?: number;
  /** Deltas kept while a snapshot is pending (default 10,000). */
  readonly maxBuffered?: number;
  /**
   * Snapshot retry backoff: `initialMs × 2^(attempt-1)`, capped at `maxMs`, with jitter. It spaces out failed
   * fetches, and rebuilds while the feed keeps breaking them; the latter wait ends once the feed is clean again.
   */
  readonly backoff?: { readonly initialMs?: number; readonly maxMs?: number };
  /**
   * Messages that keep arriving while none can be applied (old, unplaceable or nonsense) for longer than this
   * rebuild the book (`stalled`). Default 30,000 ms. Checked as messages arrive; a silent stream is the
   * connection's business (its heartbeat), not a stall.
   */
  readonly livenessMs?: number;
  /** Consecutive buffered deltas that chain correctly after which the feed counts as clean again (default 5). */
  readonly cleanAfter?: number;
  /** Clock of the liveness window (default `Date.now`). */
  readonly now?: () => number;
  /** Replaceable for tests: waits `ms` or rejects when `signal` aborts. */
  readonly delay?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Jitter source in [0, 1) (default Math.random). */
  readonly random?: () => number;
}

/** How a rebuild from a REST snapshot ended: live, or another snapshot is needed because of the snapshot or the feed. */
type BuildOutcome = 'live' | 'refetch' | 'feed-broke';

/**
 * The venue-independent book sync state machine. Feed it with `onDelta` (deltas and in-band snapshots)
 * and `onDisconnect`; it calls `onBook` with a consistent book. It never emits a book with a missed
 * update, a failed checksum or a crossed top; while rebuilding, the last good book stays as it was.
 */
export class BookSynchronizer implements AsyncDisposable {
  readonly stats: BookSyncStats = {
    applied: 0,
    skipped: 0,
    gaps: 0,
    resyncs: 0,
    checksumFailures: 0,
    crossed: 0,
    snapshotsFetched: 0,
    snapshotErrors: 0,
    bufferOverflows: 0,
    idResets: 0,
    stalls: 0,
    invalid: 0,
  };

  private readonly opts: BookSyncOptions;
  private readonly rules: BookRules;
  private readonly bounds: BookIdBounds;
  private readonly maxBuffered: number;
  private readonly livenessMs: number;
  private readonly health: FeedHealth;
  private current: 'idle' | 'syncing' | 'live' | 'resyncing' | 'closed' = 'idle';
  private visible: OrderBook | undefined;
  /** Whether the visible book has taken its first delta (until then deltas go through `alignFirst`). */
  private aligned = false;
  private snapshotSeq: UpdateId = 0;
  private buffer: DepthMessage[] = [];
  private reason: ResyncReason = 'initial';
  private controller: AbortController | undefined;
  private task: Promise<void> | undefined;
  /** The last delta buffered (or kept as a resync trigger): what the next one must chain on for a clean feed. */
  private lastBuffered: DepthMessage | undefined;

  constructor(opts: BookSyncOptions) {
    if (opts.rules.snapshotSource !== 'stream' && opts.fetchSnapshot === undefined) {
      throw new VenueError('invalid-argument', `${opts.symbol}: rules need a REST snapshot but no fetchSnapshot was given`);
    }
    const livenessMs = opts.livenessMs ?? 30_000;
    if (typeof livenessMs !== 'number' || !(livenessMs > 0)) {
      throw new VenueError('invalid-argument', `livenessMs must be a positive number of milliseconds, got ${String(livenessMs)}`);
    }
    this.opts = opts;
    this.rules = opts.rules;
    this.bounds = opts.rules.idBounds;
    this.maxBuffered = opts.maxBuffered ?? 10_000;
    this.livenessMs = livenessMs;
    this.health = new FeedHealth(livenessMs, opts.cleanAfter ?? 5, opts.now ?? Date.now);
  }

  get state(): BookSyncState {
    return this.current;
  }

  /** The book the consumer sees: the live one, or the last good one while resyncing. */
  get book(): OrderBook | undefined {
    return this.visible;
  }

  /** Takes one depth message from the stream: a delta, or an in-band snapshot (always a reset). */
  onDelta(msg: DepthMessage): void {
    if (this.current === 'closed') return;
    if (msg.kind === 'snapshot') {
      this.adoptStreamSnapshot(msg);
      return;
    }
    const nonsense = this.idProblem(msg);
    if (nonsense !== undefined) {
      this.reject(nonsense);
      this.refused();
      return;
    }
    if (this.current === 'live') {
      this.applyLive(msg);
      return;
    }
    if (this.current === 'idle') this.setState('syncing');
    if (this.rules.snapshotSource === 'stream') {
      this.stats.skipped++; // nothing to apply it to until the venue's snapshot arrives
      this.refused();
      return;
    }
    this.bufferDelta(msg);
    if (this.task === undefined) this.startFetch();
  }

  /** The connection dropped: the book is stale and is rebuilt from the first message after reconnecting. */
  onDisconnect(): void {
    if (this.current === 'closed' || this.current === 'idle') return;
    this.resync('reconnect', undefined);
  }

  /**
   * A frame of this book could not be read (the parser refused it): it may have carried levels, so the book can
   * no longer be trusted. Counted and reported as `decode`; the book rebuilds (`gap`) — for venues that send
   * their snapshot in-band, by resubscribing, since no reconnect is coming.
   */
  onUnreadable(error: unknown): void {
    if (this.current === 'closed') return;
    this.reject(error);
    if (this.current === 'idle') return;
    this.resync('gap', undefined);
  }

  /** Stops everything: aborts a pending fetch or backoff wait and resolves once it has unwound. */
  async close(): Promise<void> {
    if (this.current === 'closed') return;
    this.setState('closed');
    this.buffer = [];
    this.stopFetch();
    const task = this.task;
    this.task = undefined;
    if (task !== undefined) await task;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ------------------------------------------------------------------ live path

  private applyLive(msg: DepthMessage): void {
    const book = this.visible as OrderBook;
    const ref = this.aligned ? book.seq : this.snapshotSeq;
    let verdict: DeltaVerdict | AlignVerdict;
    try {
      verdict = this.aligned ? this.rules.next(ref, msg) : this.rules.alignFirst(ref, msg);
    } catch (err) {
      this.reject(err); // the rules could not sequence it (a field they need is missing)
      this.refused();
      return;
    }
    if (this.implausible(ref, msg.seq, verdict === 'apply')) {
      // Not old data and not a plain gap: the ids restarted (or this one is nonsense). Rebuild; the snapshot decides.
      this.stats.idResets++;
      this.integrity('id-reset', `update id ${msg.seq} is implausibly far from the book's ${ref} (the venue restarted its ids, or sent a nonsense one)`);
      this.resync('id-reset', msg);
      return;
    }
    if (verdict === 'skip' || verdict === 'drop') {
      this.stats.skipped++;
      this.refused();
      return;
    }
    if (verdict === 'gap' || verdict === 'refetch') {
      this.stats.gaps++;
      this.resync('gap', msg);
      return;
    }
    const failure = this.applyChecked(book, msg);
    if (failure !== undefined) {
      // Crossed or checksum: the chain is intact, the content is not, so rebuild and keep this delta in case
      // the snapshot predates it. Undecodable ('gap'): the delta is useless; the next one restarts the fetch.
      this.resync(failure, failure === 'gap' ? undefined : msg);
      return;
    }
    this.aligned = true;
    this.health.applied();
    book.markUpdate();
    this.opts.onBook(book);
  }

  // ------------------------------------------------------------------ plausibility and liveness

  /** What is nonsense in a delta's own ids (a contradiction no real stream produces), or undefined. */
  private idProblem(msg: DepthMessage): string | undefined {
    const first = msg.firstSeq;
    if (first === undefined) return undefined;
    const span = idDistance(first, msg.seq);
    if (span < 0) return `ends at id ${msg.seq} before its first id ${first}`;
    if (span > this.bounds.maxAhead) return `spans ${first}..${msg.seq}, more ids than any real message`;
    if (msg.prevSeq !== undefined && idCompare(msg.prevSeq, first) >= 0) return `follows id ${msg.prevSeq}, which is not before its first id ${first}`;
    return undefined;
  }

  /** True when `seq` is implausibly far from `ref`; a message the rules chain on (`chained`) may go back (OKX reset). */
  private implausible(ref: UpdateId, seq: UpdateId, chained: boolean): boolean {
    const d = idDistance(ref, seq);
    return d > this.bounds.maxAhead || (!chained && -d > this.bounds.maxBehind);
  }

  /** Refuses a message whose ids make no sense: a `decode` problem, counted, never applied. */
  private reject(problem: unknown): void {
    this.stats.invalid++;
    const error = typeof problem === 'string' ? new VenueError('decode', `${this.opts.symbol}: depth message ${problem}`) : toVenueError(problem, 'decode');
    this.emit({ type: 'decode-failed', error });
  }

  /**
   * A message arrived and none could be applied. Once that has gone on for the liveness window, rebuild, unless a
   * snapshot fetch under way owns the wait (it reports and backs off by itself).
   */
  private refused(): void {
    if (!this.health.refused() || (this.current !== 'live' && this.task !== undefined)) return;
    this.stats.stalls++;
    this.integrity('stalled', `messages kept arriving for over ${this.livenessMs} ms and none could be applied (old, unplaceable or nonsense)`);
    this.resync('stalled', undefined);
  }

  /** Reports a rebuild no single bad message explains (an id reset, a stall) as a `book-integrity` problem. */
  private integrity(type: 'id-reset' | 'stalled', problem: string): void {
    this.emit({ type, error: new VenueError('book-integrity', `${this.opts.symbol}: ${problem}: rebuilding the book`) });
  }

  /** Applies one delta as an undoable update; on a failed check the book is restored exactly. */
  private applyChecked(book: OrderBook, msg: DepthMessage): ResyncReason | undefined {
    book.beginUpdate();
    try {
      book.applyLevels('bids', msg.bids);
      book.applyLevels('asks', msg.asks);
    } catch (err) {
      book.rollbackUpdate();
      this.emit({ type: 'decode-failed', error: toVenueError(err, 'decode') });
      return 'gap'; // the update is lost to us, which is a gap
    }
    if (book.isCrossed()) {
      book.rollbackUpdate();
      this.stats.crossed++;
      return 'crossed';
    }
    if (this.opts.coverDepth !== undefined && !book.covers(this.opts.coverDepth)) {
      book.rollbackUpdate();
      return 'coverage';
    }
    if (this.rules.verifyChecksum !== undefined && !this.rules.verifyChecksum(book, msg)) {
      book.rollbackUpdate();
      this.stats.checksumFailures++;
      return 'checksum';
    }
    book.commitUpdate(msg);
    this.stats.applied++;
    return undefined;
  }

  // ------------------------------------------------------------------ resync

  private resync(reason: ResyncReason, trigger: DepthMessage | undefined): void {
    this.stats.resyncs++;
    this.health.broke();
    this.health.accept(); // the rebuild gets a whole liveness window
    this.lastBuffered = trigger;
    // A rebuild already under way keeps the reason it started with; the first sync stays 'initial'.
    if (this.current === 'live') this.reason = reason;
    this.setState(this.visible === undefined ? 'syncing' : 'resyncing', this.reason);
    this.aligned = false;
    this.stopFetch();
    this.task = undefined;
    this.buffer = [];
    if (this.rules.snapshotSource === 'stream') {
      // After a reconnect the transport resubscribes anyway; otherwise ask for a fresh snapshot.
      if (reason !== 'reconnect') this.opts.resubscribe?.();
      return;
    }
    if (this.rules.snapshotSource === 'stream-or-rest' && reason !== 'reconnect') {
      // Ask for an in-band snapshot; deltas still in flight are buffered, and the REST snapshot is fetched
      // only if no in-band one arrived in time (adopting one aborts the pending fetch).
      this.opts.resubscribe?.();
      if (trigger !== undefined) this.buffer.push(trigger);
      this.startFetch(this.opts.streamSnapshotWaitMs ?? 1000);
      return;
    }
    if (trigger !== undefined) {
      this.buffer.push(trigger);
      this.startFetch();
    }
  }

  private bufferDelta(msg: DepthMessage): void {
    if (this.health.trouble > 0) this.health.buffered(this.chains(this.lastBuffered, msg));
    this.lastBuffered = msg;
    if (this.buffer.length >= this.maxBuffered) {
      // The snapshot is too slow for this stream. Restart the buffer from the newest delta; the pending
      // fetch carries on and its snapshot is aligned against the new buffer (refetching if it is too old).
      this.stats.bufferOverflows++;
      this.emit({ type: 'buffer-overflow', dropped: this.buffer.length });
      this.buffer = [];
    }
    this.buffer.push(msg);
  }

  /** True when `msg` chains on `prev` as the rules would apply it live: the feed is clean between them. */
  private chains(prev: DepthMessage | undefined, msg: DepthMessage): boolean {
    try {
      return prev !== undefined && this.rules.next(prev.seq, msg) === 'apply' && !this.implausible(prev.seq, msg.seq, true);
    } catch {
      return false;
    }
  }

  private adoptStreamSnapshot(msg: DepthMessage): void {
    const book = this.newBook();
    try {
      book.loadSnapshot(msg);
    } catch (err) {
      this.emit({ type: 'decode-failed', error: toVenueError(err, 'decode') });
      this.resync('gap', undefined);
      return;
    }
    if (book.isCrossed()) {
      this.stats.crossed++;
      this.resync('crossed', undefined);
      return;
    }
    if (this.rules.verifyChecksum !== undefined && !this.rules.verifyChecksum(book, msg)) {
      this.stats.checksumFailures++;
      this.resync('checksum', undefined);
      return;
    }
    if (this.current === 'live') {
      this.stats.resyncs++;
      this.reason = 'venue-reset';
    }
    this.stopFetch();
    this.task = undefined;
    this.buffer = [];
    this.swapIn(book, msg.seq, true);
  }

  // ------------------------------------------------------------------ REST snapshot task

  /** Starts the snapshot task; it waits at least `delayMs` before the first fetch. */
  private startFetch(delayMs = 0): void {
    const controller = new AbortController();
    this.controller = controller;
    const task = this.fetchLoop(controller.signal, delayMs).catch((err: unknown) => {
      if (!controller.signal.aborted) this.emit({ type: 'listener-failed', error: toVenueError(err) });
    });
    this.task = task;
    void task.finally(() => {
      if (this.task === task) this.task = undefined;
    });
  }

  private stopFetch(): void {
    this.controller?.abort(new VenueError('closed', `${this.opts.symbol}: book sync restarted or closed`));
    this.controller = undefined;
  }

  private async fetchLoop(signal: AbortSignal, delayMs: number): Promise<void> {
    const fetchSnapshot = this.opts.fetchSnapshot as (signal: AbortSignal) => Promise<DepthMessage>;
    let attempt = 0;
    let wait = delayMs;
    for (;;) {
      if (wait > 0) await this.wait(wait, signal);
      if (signal.aborted) return;
      // While the feed keeps breaking rebuilds, space them out; the wait ends as soon as the feed is clean.
      const trouble = this.health.trouble;
      const troubleMs = (trouble >= 2 ? this.backoffMs(trouble - 1) : 0) - wait;
      if (troubleMs > 0) await this.health.waitUnlessClean(troubleMs, signal, (ms, s) => this.wait(ms, s));
      if (signal.aborted) return;
      let snapshot: DepthMessage;
      try {
        snapshot = await untilAborted(fetchSnapshot(signal), signal);
      } catch (err) {
        if (signal.aborted) return;
        attempt++;
        const error = toVenueError(err, 'network', { operation: 'book snapshot' });
        wait = Math.max(this.backoffMs(attempt), error.code === 'rate-limited' ? (error.retryAfterMs ?? 0) : 0);
        this.stats.snapshotErrors++;
        this.emit({ type: 'snapshot-failed', error, attempt, retryInMs: wait });
        continue;
      }
      if (signal.aborted) return;
      this.stats.snapshotsFetched++;
      const outcome = this.build(snapshot);
      if (outcome === 'live') return;
      if (outcome === 'feed-broke') {
        wait = 0; // the trouble wait spaces it out
        continue;
      }
      attempt++;
      wait = this.backoffMs(attempt);
    }
  }

  /**
   * Builds a new book from a REST snapshot and the buffered deltas, off to the side. Swaps it in when it is
   * consistent; otherwise keeps the deltas that may still be needed and asks for another snapshot.
   */
  private build(snapshot: DepthMessage): BuildOutcome {
    const book = this.newBook();
    try {
      book.loadSnapshot(snapshot, this.opts.snapshotDepth);
    } catch (err) {
      this.emit({ type: 'decode-failed', error: toVenueError(err, 'decode') });
      return 'refetch';
    }
    if (book.isCrossed()) {
      this.stats.crossed++;
      return 'refetch';
    }
    const buffered = this.buffer;
    const newest = buffered[buffered.length - 1];
    if (newest !== undefined && this.implausible(snapshot.seq, newest.seq, false)) {
      // The stream is implausibly far from it: the snapshot's id is nonsense, or from the other side of a reset.
      this.reject(`snapshot id ${snapshot.seq} is implausibly far from the stream's (${newest.seq})`);
      return 'refetch';
    }
    let aligned = false;
    for (let i = 0; i < buffered.length; i++) {
      const d = buffered[i] as DepthMessage;
      const ref = aligned ? book.seq : snapshot.seq;
      let verdict: DeltaVerdict | AlignVerdict;
      try {
        verdict = aligned ? this.rules.next(ref, d) : this.rules.alignFirst(ref, d);
      } catch (err) {
        this.reject(err);
        continue;
      }
      if (this.implausible(ref, d.seq, verdict === 'apply')) {
        // Far behind the snapshot is simply covered; anything else cannot belong to it (a nonsense id).
        if (!aligned && idDistance(ref, d.seq) < 0) this.stats.skipped++;
        else this.reject(`id ${d.seq} is implausibly far from ${aligned ? 'the book' : 'the snapshot'}'s ${ref}`);
        continue;
      }
      if (verdict === 'drop' || verdict === 'skip') {
        this.stats.skipped++;
        continue;
      }
      if (verdict === 'refetch') {
        // The snapshot is older than this delta: a newer one must cover it.
        this.buffer = buffered.slice(i);
        return 'refetch';
      }
      if (verdict === 'gap') {
        // A hole in the buffer: the feed broke, and a newer snapshot must cover it.
        this.stats.gaps++;
        this.health.broke();
        this.buffer = buffered.slice(i);
        return 'feed-broke';
      }
      if (this.applyChecked(book, d) !== undefined) {
        this.health.broke();
        this.buffer = buffered.slice(i + 1);
        return 'feed-broke';
      }
      aligned = true;
    }
    this.buffer = [];
    this.swapIn(book, snapshot.seq, aligned);
    return 'live';
  }

  private swapIn(book: OrderBook, snapshotSeq: UpdateId, aligned: boolean): void {
    this.visible = book;
    this.snapshotSeq = snapshotSeq;
    this.aligned = aligned;
    this.health.accept();
    book.markSnapshot(this.reason);
    this.setState('live', this.reason);
    this.opts.onBook(book);
  }

  // ------------------------------------------------------------------ helpers

  private newBook(): OrderBook {
    return new OrderBook(this.opts.symbol, this.opts.priceScale, this.opts.qtyScale, {
      keepLevelText: this.rules.keepLevelText === true,
      maxDepth: this.opts.maxDepth,
    });
  }

  private backoffMs(attempt: number): number {
    const initial = this.opts.backoff?.initialMs ?? 250;
    const max = this.opts.backoff?.maxMs ?? 30_000;
    const base = Math.min(max, initial * 2 ** Math.min(attempt - 1, 30));
    const r = (this.opts.random ?? Math.random)();
    return Math.round(base * (0.5 + r / 2));
  }

  private wait(ms: number, signal: AbortSignal): Promise<void> {
    if (this.opts.delay !== undefined) return this.opts.delay(ms, signal);
    return sleep(ms, undefined, { signal });
  }

  private setState(state: BookSyncState, reason?: ResyncReason): void {
    if (this.current === state) return;
    this.current = state;
    this.emit(reason === undefined ? { type: 'state', state } : { type: 'state', state, reason });
  }

  private emit(event: BookSyncEvent): void {
    this.opts.onEvent?.(event);
  }
}

/** `b − a` for update ids (exact below 2^53; beyond, it is only held against bounds, so a close double does). */
function idDistance(a: UpdateId, b: UpdateId): number {
  return typeof a === 'number' && typeof b === 'number' ? b - a : Number(BigInt(b) - BigInt(a));
}

/** Settles with `promise`, or rejects as soon as `signal` aborts (a fetcher that ignores it cannot hold close()). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
