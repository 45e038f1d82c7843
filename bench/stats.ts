/**
 * Benchmark arithmetic on the shared monotonic clock: when each written message became visible to the
 * consumer (the first wakeup whose book id covers it), throughput of a flood, and latency percentiles.
 */

/** Index of the first wakeup at or after `from` whose id is ≥ `id`, or -1. */
function firstCovering(id: number, from: number, seqs: readonly number[]): number {
  for (let j = from; j < seqs.length; j++) if ((seqs[j] as number) >= id) return j;
  return -1;
}

/** Visible time of every written message (NaN when never seen), walking both sequences once. */
export function visibleTimes(writes: readonly number[], ids: readonly number[], times: readonly number[], seqs: readonly number[]): number[] {
  const out = new Array<number>(writes.length).fill(NaN);
  // Start from the first wakeup after the first write: earlier wakeups belong to the prelude.
  let j = 0;
  while (j < times.length && (times[j] as number) < (writes[0] as number)) j++;
  for (let i = 0; i < writes.length; i++) {
    const k = firstCovering(ids[i] as number, j, seqs);
    if (k < 0) break;
    out[i] = times[k] as number;
    j = k;
  }
  return out;
}

/** Messages per second from the first write to the moment the last message was visible. */
export function throughput(writes: readonly number[], ids: readonly number[], times: readonly number[], seqs: readonly number[]): number {
  const vis = visibleTimes(writes, ids, times, seqs);
  const last = vis[vis.length - 1] as number;
  return writes.length / ((last - (writes[0] as number)) / 1e9);
}

/** Per-message latency in ms (visible − written). */
export function latencies(writes: readonly number[], ids: readonly number[], times: readonly number[], seqs: readonly number[]): number[] {
  const vis = visibleTimes(writes, ids, times, seqs);
  return vis.map((v, i) => (v - (writes[i] as number)) / 1e6).filter(Number.isFinite);
}

export function summarize(ms: number[]): { p50Ms: number; p99Ms: number; p999Ms: number; maxMs: number; seen: number } {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] as number;
  return { p50Ms: q(0.5), p99Ms: q(0.99), p999Ms: q(0.999), maxMs: s[s.length - 1] as number, seen: s.length };
}
