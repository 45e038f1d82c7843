/**
 * Keeps one order book in sync with a venue: buffers deltas, aligns them with a snapshot (REST or in-band),
 * checks continuity, id plausibility, checksums and crossing, and rebuilds on any doubt (or when data stops
 * being accepted) while the last good book stays visible. Venue knowledge comes only from `BookRules`; the
 * transport feeds messages in and resubscribes when asked.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { VenueError, toVenueError } from '../errors.js';
import type { UpdateId } from '../json.js';
import type { DepthMessage } from '../model.js';
import type { AlignVerdict, BookIdBounds, BookRules, DeltaVerdict } from '../venue.js';
import type { BookSyncEvent, BookSyncOptions, BookSyncState, BookSyncStats } from './book-sync-types.js';
import { idDistance, idProblem, implausible } from './book-ids.js';
import { FeedHealth, checkLivenessMs } from './feed-health.js';
import { OrderBook } from './order-book.js';
import type { ResyncReason } from './order-book.js';

export type { BookSyncEvent, BookSyncOptions, BookSyncState, BookSyncStats } from './book-sync-types.js';

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
  private livenessMs: number;
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
  /** A coverage resync left to another synchronizer's snapshot (see `coverageRefill`): no fetch of our own. */
  private refillElsewhere = false;

  constructor(opts: BookSyncOptions) {
    if (opts.rules.snapshotSource !== 'stream' && opts.fetchSnapshot === undefined) {
      throw new VenueError('invalid-argument', `${opts.symbol}: rules need a REST snapshot but no fetchSnapshot was given`);
    }
    const livenessMs = opts.livenessMs ?? 30_000;
    checkLivenessMs(livenessMs);
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

  /**
   * Changes the liveness window from the next refused message on (a shared book keeps the shortest its watchers
   * ask for). @throws VenueError `invalid-argument` unless `ms` is a positive number.
   */
  setLivenessMs(ms: number): void {
    checkLivenessMs(ms);
    this.livenessMs = ms;
    this.health.livenessMs = ms;
  }

  /** Takes one depth message from the stream: a delta, or an in-band snapshot (always a reset). */
  onDelta(msg: DepthMessage): void {
    if (this.current === 'closed') return;
    if (msg.kind === 'snapshot') {
      this.adoptStreamSnapshot(msg);
      return;
    }
    const nonsense = idProblem(msg, this.bounds);
    if (nonsense !== undefined) {
      this.reject(nonsense);
      this.refused();
      return;
    }
    if (this.current === 'live') {
      this.applyLive(msg);
      return;
    }
    if (this.current === 'idle') {
      this.setState('syncing');
      // The venue sends its snapshot first when the topic is subscribed: a delta first means this book joined a
      // subscription already under way (another book holds the topic), so ask for a fresh snapshot now.
      if (this.rules.snapshotSource === 'stream') this.opts.resubscribe?.();
    }
    if (this.rules.snapshotSource === 'stream') {
      this.stats.skipped++; // nothing to apply it to until the venue's snapshot arrives
      this.refused();
      return;
    }
    if (this.refillElsewhere) {
      if (this.opts.coverageRefill?.() === true) {
        this.stats.skipped++; // the book replacing this one takes it
        return;
      }
      this.refillElsewhere = false; // that snapshot is no longer coming: fetch one
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
    if (implausible(this.bounds, ref, msg.seq, verdict === 'apply')) {
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

  /** Refuses a message (or, `snapshot`, a REST snapshot) whose ids make no sense: a `decode` problem, counted, never applied. */
  private reject(problem: unknown, snapshot = false): void {
    this.stats.invalid++;
    const error = typeof problem === 'string' ? new VenueError('decode', `${this.opts.symbol}: depth message ${problem}`) : toVenueError(problem, 'decode');
    this.emit(snapshot ? { type: 'decode-failed', error, snapshot: true } : { type: 'decode-failed', error });
  }

  /**
   * A message arrived and none could be applied. Once that has gone on for the liveness window, rebuild, unless a
   * snapshot fetch under way (ours, or the one a coverage resync waits for) owns the wait (it reports and backs
   * off by itself).
   */
  private refused(): void {
    if (!this.health.refused() || (this.current !== 'live' && (this.task !== undefined || this.refillElsewhere))) return;
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
    this.refillElsewhere = reason === 'coverage' && this.opts.coverageRefill?.() === true;
    if (this.refillElsewhere) {
      if (trigger !== undefined) this.stats.skipped++; // undone here; the book replacing this one takes it
      return;
    }
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
      return prev !== undefined && this.rules.next(prev.seq, msg) === 'apply' && !implausible(this.bounds, prev.seq, msg.seq, true);
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
      this.stats.snapshotErrors++;
      this.emit({ type: 'decode-failed', error: toVenueError(err, 'decode'), snapshot: true });
      return 'refetch';
    }
    if (book.isCrossed()) {
      this.stats.snapshotErrors++;
      this.stats.crossed++;
      return 'refetch';
    }
    const buffered = this.buffer;
    const newest = buffered[buffered.length - 1];
    if (newest !== undefined && implausible(this.bounds, snapshot.seq, newest.seq, false)) {
      // The stream is implausibly far from it: the snapshot's id is nonsense, or from the other side of a reset.
      this.stats.snapshotErrors++;
      this.reject(`snapshot id ${snapshot.seq} is implausibly far from the stream's (${newest.seq})`, true);
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
      if (implausible(this.bounds, ref, d.seq, verdict === 'apply')) {
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
    this.refillElsewhere = false;
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
