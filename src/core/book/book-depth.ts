/**
 * The depth policy of books whose REST snapshot covers a limited depth: how many levels to ask a snapshot for
 * (the consumer's depth plus drift headroom), and when to fetch a fresh one in the background. Pure numbers.
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
 * Covered levels per side below which a fresh snapshot is fetched in the background: half the headroom
 * used up (half the snapshot when no depth was asked). Undefined when there is no headroom to refresh in.
 */
export function refreshThreshold(depth: number | undefined, snapshotDepth: number): number | undefined {
  if (depth === undefined) return Math.ceil(snapshotDepth / 2);
  const headroom = snapshotDepth - depth;
  return headroom >= 2 ? depth + Math.floor(headroom / 2) : undefined;
}
