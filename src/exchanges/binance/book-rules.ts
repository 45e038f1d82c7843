/**
 * How Binance diff-depth events line up with a REST depth snapshot: spot (`U`/`u`) and USD-M (`pu`) rules,
 * as pure decisions for the core's book synchronizer. Ids may be bigint, so every comparison goes via json.ts.
 */
import { VenueError } from '../../core/errors.js';
import { idCompare, idIsNext } from '../../core/json.js';
import type { UpdateId } from '../../core/json.js';
import type { DepthMessage } from '../../core/model.js';
import type { AlignVerdict, BookRules, DeltaVerdict } from '../../core/venue.js';

/**
 * Spot, `web-socket-streams.md` "How to manage a local order book correctly" (protocols.md §1.6):
 * drop events with `u <= lastUpdateId`; the first kept must have `U <= lastUpdateId + 1 <= u` (else the
 * snapshot is too old: fetch again); after that each event must have `U == previous u + 1`.
 */
export const binanceSpotBookRules: BookRules = {
  snapshotSource: 'rest',
  // Spot ids count one symbol's updates: tens of thousands a second at a peak on the busiest, so 10^9 ahead is
  // hours of them and 10^7 back is far beyond any duplicate from a connection overlap.
  idBounds: { maxAhead: 1e9, maxBehind: 1e7 },
  alignFirst(snapshotSeq: UpdateId, delta: DepthMessage): AlignVerdict {
    if (idCompare(delta.seq, snapshotSeq) <= 0) return 'drop';
    // u > lastUpdateId here, so lastUpdateId + 1 <= u holds; U must not start past lastUpdateId + 1.
    const first = firstSeqOf(delta);
    return idCompare(first, snapshotSeq) <= 0 || idIsNext(snapshotSeq, first) ? 'apply' : 'refetch';
  },
  next(lastSeq: UpdateId, delta: DepthMessage): DeltaVerdict {
    if (idCompare(delta.seq, lastSeq) <= 0) return 'skip';
    return idIsNext(lastSeq, firstSeqOf(delta)) ? 'apply' : 'gap';
  },
};

/**
 * USD-M, "How to manage a local order book correctly" (protocols.md §2.5): drop events with
 * `u < lastUpdateId`; the first kept must have `U <= lastUpdateId <= u` (else fetch again), or follow the
 * snapshot exactly (`pu == lastUpdateId`, a snapshot taken between two events); after that each event's `pu`
 * must equal the previous event's `u`. `U` is not contiguous on futures, so it is never chained.
 */
export const binanceUsdmBookRules: BookRules = {
  snapshotSource: 'rest',
  // USD-M ids count the whole venue's updates (the recording: ~2·10^4 a second in 2021; a peak stays far below
  // 10^7), so 10^11 ahead is hours of them and 10^9 back is far beyond any duplicate.
  idBounds: { maxAhead: 1e11, maxBehind: 1e9 },
  alignFirst(snapshotSeq: UpdateId, delta: DepthMessage): AlignVerdict {
    if (idCompare(delta.seq, snapshotSeq) < 0) return 'drop';
    if (delta.prevSeq !== undefined && idCompare(delta.prevSeq, snapshotSeq) === 0) return 'apply';
    return idCompare(firstSeqOf(delta), snapshotSeq) <= 0 ? 'apply' : 'refetch';
  },
  next(lastSeq: UpdateId, delta: DepthMessage): DeltaVerdict {
    if (delta.prevSeq === undefined) throw missing(delta, 'pu');
    if (idCompare(delta.prevSeq, lastSeq) === 0) return 'apply';
    return idCompare(delta.seq, lastSeq) <= 0 ? 'skip' : 'gap';
  },
};

function firstSeqOf(delta: DepthMessage): UpdateId {
  if (delta.firstSeq === undefined) throw missing(delta, 'U');
  return delta.firstSeq;
}

function missing(delta: DepthMessage, field: string): VenueError {
  return new VenueError('decode', `${delta.symbol}: depth event without ${field} cannot be sequenced`, { venue: 'binance' });
}
