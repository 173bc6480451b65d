import { percentile } from './stats.js';

/** The soak's targets (issue 19): each window must stay within all of them. */
export const SOAK_TARGETS = {
  cmdP99Ms: 50,
  readP99Ms: 100,
  eventLoopP99Ms: 20,
  rssSlopeMbPerMin: 1,
} as const;

export type Targets = typeof SOAK_TARGETS;

/** What one window (or one step of the rate search) measured. */
export interface WindowFigures {
  /** Seconds since the soak began, at the window's end. */
  endS: number;
  seconds: number;
  /** Requests the schedule asked for in the window, by class. */
  cmdOffered: number;
  readOffered: number;
  /** Replies received (any status). */
  cmdDone: number;
  readDone: number;
  cmdP50Ms: number;
  cmdP99Ms: number;
  readP50Ms: number;
  readP99Ms: number;
  /** 2xx replies to commands, and expected refusals (a 4xx whose code the mix allows). */
  cmdOk: number;
  /** Replies by status outside 2xx, e.g. `{ "422 seat_not_found": 3 }`. */
  refusals: Record<string, number>;
  /** 5xx replies and transport failures: errors, never expected. */
  errors: number;
  /** Arrivals sent more than LATE_MS after their scheduled time (the generator fell behind). */
  late: number;
  /** Arrivals dropped because too many requests were already in flight. */
  skipped: number;
  /** The app's event-loop delay p99 over the window (prom-client's histogram, reset per scrape). */
  eventLoopP99Ms: number | null;
  /**
   * p99 of GET /health/live, probed every 200 ms on a connection of its own: what
   * any request waits for the event loop, measured even when /metrics cannot answer.
   */
  probeP99Ms: number;
  rssMb: number | null;
  /** Events received by the SSE clients in the window, all clients together. */
  sseEvents: number;
}

/** A late arrival: sent this long after the time the open-loop schedule gave it. */
export const LATE_MS = 100;

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Latencies of one class in one window → p50/p99 (0 when there were none). */
export function latencyFigures(latencies: number[]): { p50: number; p99: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: round2(percentile(sorted, 50)), p99: round2(percentile(sorted, 99)) };
}

/**
 * Least-squares slope of `ys` over `xs` (units of y per unit of x); 0 for
 * fewer than two points or no spread in x.
 */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i]!;
    sy += ys[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

/**
 * RSS growth in MB per minute over the windows after the first `warmUp`
 * (start-up, JIT and caches filling), by linear regression on each window's
 * end time and RSS. Null when fewer than two windows remain with an RSS.
 */
export function rssSlopeMbPerMin(windows: readonly WindowFigures[], warmUp = 1): number | null {
  const steady = windows.slice(warmUp).filter((w) => w.rssMb !== null);
  if (steady.length < 2) return null;
  const perSecond = slope(
    steady.map((w) => w.endS),
    steady.map((w) => w.rssMb!),
  );
  return round2(perSecond * 60);
}

/**
 * Whether a window held: command, read and event-loop p99 within the targets
 * (the /health/live probe's p99 standing in when /metrics did not answer),
 * no errors, and the offered rate sustained (at least 95% of the arrivals
 * answered, none skipped). A class with no arrivals holds trivially.
 */
export function windowHolds(w: WindowFigures, targets: Targets = SOAK_TARGETS): boolean {
  const offered = w.cmdOffered + w.readOffered;
  const done = w.cmdDone + w.readDone;
  return (
    (w.cmdOffered === 0 || w.cmdP99Ms <= targets.cmdP99Ms) &&
    (w.readOffered === 0 || w.readP99Ms <= targets.readP99Ms) &&
    (w.eventLoopP99Ms ?? w.probeP99Ms) <= targets.eventLoopP99Ms &&
    w.errors === 0 &&
    w.skipped === 0 &&
    done >= 0.95 * offered
  );
}

/** One step of a rate search: the commands per second offered, and whether it held. */
export interface Step {
  cmdPerS: number;
  holds: boolean;
}

/**
 * The highest rate of a rising search that held, every lower step having
 * held too: a step that failed ends the search (higher rates are not run),
 * and a rate that holds only above a failure is noise, not capacity. 0 when
 * the first step failed.
 */
export function maxSteadyRate(steps: readonly Step[]): number {
  // A base step that failed, then a falling search: the first lower rate that held.
  if (steps.length > 0 && !steps[0]!.holds)
    return steps.slice(1).find((step) => step.holds)?.cmdPerS ?? 0;
  let best = 0;
  for (const step of steps) {
    if (!step.holds) break;
    best = Math.max(best, step.cmdPerS);
  }
  return best;
}

/** The rates of a falling search below `base`: halved `steps` times, rounded (60 → 30, 15, 8). */
export function halvingRates(base: number, steps: number): number[] {
  return Array.from({ length: steps }, (_, i) => Math.max(1, Math.round(base / 2 ** (i + 1))));
}

/** The rates of a rising search: `start`, doubling, up to `max` inclusive. */
export function doublingRates(start: number, max: number): number[] {
  const rates: number[] = [];
  for (let rate = start; rate <= max; rate *= 2) rates.push(rate);
  return rates;
}

/** The largest value of `pick` over the windows (null values ignored; 0 for none). */
export function maxOver(
  windows: readonly WindowFigures[],
  pick: (w: WindowFigures) => number | null,
): number {
  return Math.max(0, ...windows.map(pick).filter((v): v is number => v !== null));
}

/**
 * Parses a Prometheus text exposition for the value of one unlabelled
 * metric (`name value`), or null when absent.
 */
export function promValue(text: string, name: string): number | null {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `)) {
      const value = Number(
        line
          .slice(name.length + 1)
          .trim()
          .split(' ')[0],
      );
      return Number.isFinite(value) ? value : null;
    }
  }
  return null;
}
