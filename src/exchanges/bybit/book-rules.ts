/**
 * How Bybit `orderbook.{depth}.{symbol}` messages chain, as pure decisions for the core's book synchronizer.
 * The stream brings its own snapshot; ids may be bigint, so every comparison goes via json.ts.
 */
import { idCompare, idIsNext } from '../../core/json.js';
import type { UpdateId } from '../../core/json.js';
import type { DepthMessage } from '../../core/model.js';
import type { AlignVerdict, BookRules, DeltaVerdict } from '../../core/venue.js';

/**
 * protocols.md §3.5 and the recordings (`orderbook-500-XRPUSDT-linear`, `orderbook-50-BTCUSDT-spot`,
 * `orderbook-1-BTCUSDT-spot`): the first frame after subscribing is a `snapshot` and every snapshot resets
 * the book (the synchronizer adopts in-band snapshots by itself). Each delta's `u` is exactly the previous
 * `u + 1` — the docs do not say so, the recordings show it on every depth — so anything else is a gap,
 * resynced by resubscribing; a `u` at or below the book's is a duplicate and skipped. `u == 1` means the
 * service restarted: the parser turns such a frame into a snapshot, and a delta with `u == 1` that still
 * reaches these rules is a gap (resubscribing yields the fresh snapshot). `seq` (cross sequence) is rising
 * but not contiguous, so it is never chained.
 */
export const bybitBookRules: BookRules = {
  snapshotSource: 'stream',
  // `u` counts messages (at most one per 10 ms): 10^6 ahead is hours of them, 10^4 back far beyond a duplicate.
  idBounds: { maxAhead: 1e6, maxBehind: 1e4 },
  alignFirst(snapshotSeq: UpdateId, delta: DepthMessage): AlignVerdict {
    if (isRestart(delta)) return 'refetch';
    if (idCompare(delta.seq, snapshotSeq) <= 0) return 'drop';
    return idIsNext(snapshotSeq, delta.seq) ? 'apply' : 'refetch';
  },
  next(lastSeq: UpdateId, delta: DepthMessage): DeltaVerdict {
    if (isRestart(delta)) return 'gap';
    if (idIsNext(lastSeq, delta.seq)) return 'apply';
    return idCompare(delta.seq, lastSeq) <= 0 ? 'skip' : 'gap';
  },
};

/** A delta numbered 1 follows a service restart: nothing before it can be built on. */
function isRestart(delta: DepthMessage): boolean {
  return delta.seq === 1 || delta.seq === 1n;
}
