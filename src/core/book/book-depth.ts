/**
 * The depth policy of books whose REST snapshot covers a limited depth: how many levels to ask a snapshot for
 * (the consumer's depth plus drift headroom), how many must stay covered, and when to fetch a fresh one in the
 * background. Pure numbers.
 */

/** Drift headroom of a snapshot: as many levels again as asked for, at least this many. */
const MIN_HEADROOM_LEVELS = 50;

/**
 * Levels per side to ask of a REST snapshot for a consumer who wants `depth` levels: the depth plus drift
 * headroom (as much again, at least 50), capped at the venue's largest snapshot; the largest when no depth
 * was asked. The venue then rounds it to a size it serves.
 */
export function snapshotLevelsFor(depth: number | undefined, venueMax: number): number {
  if (depth === undefined) return venueMax;
  return Math.min(venueMax, depth + Math.max(depth, MIN_HEADROOM_LEVELS));
}

/**
 * How a book whose snapshot covered `snapshotDepth` levels per side is kept exact for a consumer asking `depth`:
 * - `floor`: covered levels per side it must keep, else it resyncs (`coverage`) rather than show an unknown
 *   level set. The depth asked when the snapshot leaves room for drift (as many levels again, or 50); a depth
 *   too close to the venue's largest snapshot gets half the snapshot, and the consumer sees the covered levels
 *   only (fewer than asked once the market drifted: never a level the book does not know). 1 when no depth
 *   was asked: every covered level is shown.
 * - `refreshBelow`: covered levels per side below which a fresh snapshot is fetched in the background, halfway
 *   between the floor and the snapshot; undefined when there is no room for one.
 */
export function coverageLimits(depth: number | undefined, snapshotDepth: number): { readonly floor: number; readonly refreshBelow: number | undefined } {
  const room = depth === undefined ? 0 : snapshotDepth - depth;
  const floor = depth === undefined ? 1 : room >= Math.min(depth, MIN_HEADROOM_LEVELS) ? depth : Math.ceil(snapshotDepth / 2);
  const headroom = snapshotDepth - floor;
  return { floor, refreshBelow: headroom >= 2 ? floor + Math.floor(headroom / 2) : undefined };
}
