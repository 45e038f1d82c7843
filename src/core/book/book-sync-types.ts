/**
 * The contract of `BookSynchronizer`: its options, its lifecycle events and its counters (re-exported by
 * `book-sync.ts`).
 */
import type { VenueError } from '../errors.js';
import type { DepthMessage } from '../model.js';
import type { BookRules } from '../venue.js';
import type { OrderBook, ResyncReason } from './order-book.js';

export type BookSyncState = 'idle' | 'syncing' | 'live' | 'resyncing' | 'closed';

/** Lifecycle notifications. Data goes through `onBook`; these are for logs and metrics. */
export type BookSyncEvent =
  | { readonly type: 'state'; readonly state: BookSyncState; readonly reason?: ResyncReason }
  | { readonly type: 'snapshot-failed'; readonly error: VenueError; readonly attempt: number; readonly retryInMs: number }
  /** Deltas arrived faster than the snapshot: the buffer was restarted from the newest delta. */
  | { readonly type: 'buffer-overflow'; readonly dropped: number }
  /**
   * A message could not be decoded (the book resyncs), or its ids made no sense (`stats.invalid`: refused, and
   * the chain of the next messages decides whether anything was lost). `snapshot` when it was the REST snapshot
   * that could not be read or whose id made no sense (another one is fetched), not a stream message.
   */
  | { readonly type: 'decode-failed'; readonly error: VenueError; readonly snapshot?: true }
  /** A callback threw inside the background snapshot task. */
  | { readonly type: 'listener-failed'; readonly error: VenueError }
  /** An update id implausibly far from the book's (`book-integrity`): the book is rebuilt (`id-reset`). */
  | { readonly type: 'id-reset'; readonly error: VenueError }
  /** Messages kept arriving and none could be applied for the liveness window (`book-integrity`): the book is rebuilt. */
  | { readonly type: 'stalled'; readonly error: VenueError };

export interface BookSyncStats {
  /** Deltas applied to a book. */
  applied: number;
  /**
   * Deltas dropped as old or duplicate, or received while no base book could take them (while the book waits for
   * the snapshot of a refresh after a `coverage` resync, the refresh takes them).
   */
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
  /** REST snapshots received. */
  snapshotsFetched: number;
  /** REST snapshots that could not be fetched, or were refused (unreadable, crossed, or an id implausibly far from the stream's). */
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
  /**
   * Asked when a `coverage` resync starts: true when another synchronizer is already fetching the snapshot that
   * will replace this book (a background refresh). This one then fetches none: it waits to be replaced, counting
   * the deltas it gets meanwhile as skipped, and fetches its own only if asked again later returns false.
   */
  readonly coverageRefill?: () => boolean;
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
