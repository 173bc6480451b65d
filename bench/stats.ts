export interface LatencySummary {
  p50Ms: number;
  p99Ms: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

export function summarise(latencies: number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 100) / 100;
  return { p50Ms: round(percentile(sorted, 50)), p99Ms: round(percentile(sorted, 99)) };
}

/**
 * Appends made before timing starts, by our store, by Emmett's (in its
 * worker, to streams it does not count) and as one-event transactions before
 * the floor's: enough for the WAL to fill to the checkpoint once (4,000 pages).
 * Until then every commit also grows the WAL file, and an fsync that changes
 * a file's size costs more: on a fresh file one writer and the floor both run
 * at about half their steady rate. A ledger that has been up a while, the
 * case that matters, commits into a WAL file of full size.
 */
export const WARM_UP_APPENDS = 2_000;
