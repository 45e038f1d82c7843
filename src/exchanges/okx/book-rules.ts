/**
 * How OKX `books` messages chain (protocols.md §4.5), as pure decisions for the core's book synchronizer:
 * the in-band snapshot or a REST snapshot carrying `seqId`, `prevSeqId == lastSeq` continuity (heartbeats and
 * venue resets included), and the CRC32 checksum whenever the venue sends a non-zero one.
 */
import { idCompare } from '../../core/json.js';
import type { UpdateId } from '../../core/json.js';
import type { DepthMessage } from '../../core/model.js';
import type { AlignVerdict, BookLevelsReader, BookRules, DeltaVerdict } from '../../core/venue.js';
import { bookChecksum } from './checksum.js';

/**
 * OKX `books` (also `books-l2-tbt`, `books50-l2-tbt`):
 * - snapshot: the in-band one (`action: snapshot`, `prevSeqId -1`) when it comes, else
 *   `GET /api/v5/market/books` with `seqId`: buffered updates with `seqId <= snapshot.seqId` are dropped and the
 *   first one kept must have `prevSeqId <= snapshot.seqId < seqId` (else the snapshot is too old: refetch);
 * - then each update's `prevSeqId` equals the `seqId` before it. That covers the heartbeat (`prevSeqId ==
 *   seqId`, no levels) and the reset after maintenance (`seqId < prevSeqId`); anything else is a gap;
 * - `checksum` is verified when non-zero (production sends 0 since 2026-06-23).
 * Recordings from before `seqId` existed (no `prevSeqId`) chain on the checksum alone: an update without
 * `prevSeqId` is applied only when it carries a checksum to verify.
 */
export const okxBookRules: BookRules = {
  snapshotSource: 'stream-or-rest',
  keepLevelText: true,
  // seqId counts one instrument's updates (the recordings: ~450 a second on BTC-USDT): 10^9 ahead is hours even at
  // a peak; 10^7 back is far beyond a duplicate. The reset above goes back but chains, so it is never held to it.
  idBounds: { maxAhead: 1e9, maxBehind: 1e7 },
  alignFirst(snapshotSeq: UpdateId, delta: DepthMessage): AlignVerdict {
    const prev = delta.prevSeq;
    if (prev === undefined) return 'refetch'; // unsequenced: cannot be placed after a REST snapshot
    if (idCompare(prev, snapshotSeq) === 0) return 'apply'; // chains exactly (update, heartbeat or reset)
    if (idCompare(delta.seq, prev) < 0) return 'refetch'; // a reset that does not start from this snapshot
    if (idCompare(delta.seq, snapshotSeq) <= 0) return 'drop';
    return idCompare(prev, snapshotSeq) < 0 ? 'apply' : 'refetch';
  },
  next(lastSeq: UpdateId, delta: DepthMessage): DeltaVerdict {
    if (delta.prevSeq === undefined) return delta.checksum !== undefined && delta.checksum !== 0 ? 'apply' : 'gap';
    return idCompare(delta.prevSeq, lastSeq) === 0 ? 'apply' : 'gap';
  },
  verifyChecksum(book: BookLevelsReader, delta: DepthMessage): boolean {
    if (delta.checksum === undefined || delta.checksum === 0) return true;
    return bookChecksum(book) === delta.checksum;
  },
};
