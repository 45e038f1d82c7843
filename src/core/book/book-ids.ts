/**
 * What update ids a real depth stream can send, held against the venue's `BookIdBounds`: contradictions within one
 * message, and distances from the book too large to be anything but a reset or nonsense. Pure functions.
 */
import { idCompare } from '../json.js';
import type { UpdateId } from '../json.js';
import type { DepthMessage } from '../model.js';
import type { BookIdBounds } from '../venue.js';

/** What is nonsense in a delta's own ids (a contradiction no real stream produces), or undefined. */
export function idProblem(msg: DepthMessage, bounds: BookIdBounds): string | undefined {
  const first = msg.firstSeq;
  if (first === undefined) return undefined;
  const span = idDistance(first, msg.seq);
  if (span < 0) return `ends at id ${msg.seq} before its first id ${first}`;
  if (span > bounds.maxAhead) return `spans ${first}..${msg.seq}, more ids than any real message`;
  if (msg.prevSeq !== undefined && idCompare(msg.prevSeq, first) >= 0) return `follows id ${msg.prevSeq}, which is not before its first id ${first}`;
  return undefined;
}

/** True when `seq` is implausibly far from `ref`; a message the rules chain on (`chained`) may go back (OKX reset). */
export function implausible(bounds: BookIdBounds, ref: UpdateId, seq: UpdateId, chained: boolean): boolean {
  const d = idDistance(ref, seq);
  return d > bounds.maxAhead || (!chained && -d > bounds.maxBehind);
}

/** `b − a` for update ids (exact below 2^53; beyond, it is only held against bounds, so a close double does). */
export function idDistance(a: UpdateId, b: UpdateId): number {
  return typeof a === 'number' && typeof b === 'number' ? b - a : Number(BigInt(b) - BigInt(a));
}
