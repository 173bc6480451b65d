import { commandDeclarations } from '@app/domain';
import {
  COMMAND_ROUTES,
  COMMANDS_WITHOUT_ROUTES,
  READ_ROUTES,
  READS_OUTSIDE_MIX,
  SoakWorld,
  WeightedCycle,
} from '../../bench/soak-mix.js';
import {
  doublingRates,
  halvingRates,
  latencyFigures,
  maxOver,
  maxSteadyRate,
  promValue,
  rssSlopeMbPerMin,
  slope,
  windowHolds,
  type WindowFigures,
} from '../../bench/soak-stats.js';
import { meets } from '../../bench/targets.js';
import { registeredRoutes } from '../support/routes.js';

const window = (overrides: Partial<WindowFigures> = {}): WindowFigures => ({
  endS: 30,
  seconds: 30,
  cmdOffered: 1_800,
  readOffered: 600,
  cmdDone: 1_800,
  readDone: 600,
  cmdP50Ms: 5,
  cmdP99Ms: 20,
  readP50Ms: 10,
  readP99Ms: 60,
  cmdOk: 1_800,
  refusals: {},
  errors: 0,
  late: 0,
  skipped: 0,
  eventLoopP99Ms: 12,
  probeP99Ms: 3,
  rssMb: 150,
  sseEvents: 36_000,
  ...overrides,
});

describe('soak statistics', () => {
  it('fits a least-squares slope', () => {
    expect(slope([0, 1, 2, 3], [10, 12, 14, 16])).toBeCloseTo(2);
    expect(slope([0, 1, 2], [5, 5, 5])).toBe(0);
    expect(slope([1, 1, 1], [1, 2, 3])).toBe(0);
    expect(slope([4], [1])).toBe(0);
    // Noise around a line keeps the line's slope.
    expect(slope([0, 1, 2, 3, 4], [100, 103, 101, 104, 102])).toBeCloseTo(0.5);
  });

  it('gives RSS growth per minute after the warm-up windows, by window end time', () => {
    const windows = [
      window({ endS: 30, rssMb: 400 }), // warm-up: start-up garbage, ignored
      window({ endS: 60, rssMb: 150 }),
      window({ endS: 90, rssMb: 151 }),
      window({ endS: 120, rssMb: 152 }),
    ];
    expect(rssSlopeMbPerMin(windows, 1)).toBe(2);
    expect(rssSlopeMbPerMin(windows, 0)).toBeLessThan(0);
    expect(rssSlopeMbPerMin(windows.slice(0, 2), 1)).toBeNull();
    expect(rssSlopeMbPerMin([window(), window({ endS: 60, rssMb: null })], 0)).toBeNull();
  });

  it('summarises a window’s latencies as p50 and p99', () => {
    const latencies = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(latencyFigures(latencies)).toEqual({ p50: 50, p99: 99 });
    expect(latencyFigures([])).toEqual({ p50: 0, p99: 0 });
  });

  it('holds a window only within every target, with no errors or skips and the rate kept', () => {
    expect(windowHolds(window())).toBe(true);
    expect(windowHolds(window({ cmdP99Ms: 51 }))).toBe(false);
    expect(windowHolds(window({ readP99Ms: 101 }))).toBe(false);
    expect(windowHolds(window({ eventLoopP99Ms: 21 }))).toBe(false);
    expect(windowHolds(window({ errors: 1 }))).toBe(false);
    expect(windowHolds(window({ skipped: 1 }))).toBe(false);
    expect(windowHolds(window({ cmdDone: 1_000 }))).toBe(false);
    // A refusal is an answer, not an error.
    expect(windowHolds(window({ refusals: { '422 seat_not_found': 3 } }))).toBe(true);
    // No reads offered (the command-only search): the read target does not apply.
    expect(windowHolds(window({ readOffered: 0, readDone: 0, readP99Ms: 0 }))).toBe(true);
    // /metrics did not answer: the /health/live probe stands in for the loop's delay.
    expect(windowHolds(window({ eventLoopP99Ms: null, probeP99Ms: 9_000 }))).toBe(false);
    expect(windowHolds(window({ eventLoopP99Ms: null, probeP99Ms: 4 }))).toBe(true);
  });

  it('finds the highest rate of a rising search, stopping at the first failure, and the first of a falling one that holds', () => {
    expect(
      maxSteadyRate([
        { cmdPerS: 60, holds: true },
        { cmdPerS: 120, holds: true },
        { cmdPerS: 240, holds: false },
      ]),
    ).toBe(120);
    // A pass above a failure is noise, not capacity.
    expect(
      maxSteadyRate([
        { cmdPerS: 60, holds: true },
        { cmdPerS: 120, holds: false },
        { cmdPerS: 240, holds: true },
      ]),
    ).toBe(60);
    expect(maxSteadyRate([{ cmdPerS: 60, holds: false }])).toBe(0);
    // Below a base rate that failed: the first lower rate that held.
    expect(
      maxSteadyRate([
        { cmdPerS: 60, holds: false },
        { cmdPerS: 30, holds: false },
        { cmdPerS: 15, holds: true },
      ]),
    ).toBe(15);
    expect(halvingRates(60, 3)).toEqual([30, 15, 8]);
    expect(maxSteadyRate([])).toBe(0);
    expect(doublingRates(60, 500)).toEqual([60, 120, 240, 480]);
    expect(doublingRates(60, 480)).toEqual([60, 120, 240, 480]);
  });

  it('takes the worst window and reads Prometheus values', () => {
    const windows = [window({ cmdP99Ms: 20 }), window({ cmdP99Ms: 45 }), window({ cmdP99Ms: 30 })];
    expect(maxOver(windows, (w) => w.cmdP99Ms)).toBe(45);
    expect(maxOver([window({ eventLoopP99Ms: null })], (w) => w.eventLoopP99Ms)).toBe(0);
    const text = [
      '# HELP ledger_nodejs_eventloop_lag_p99_seconds The 99th percentile of the recorded event loop delays.',
      '# TYPE ledger_nodejs_eventloop_lag_p99_seconds gauge',
      'ledger_nodejs_eventloop_lag_p99_seconds 0.012',
      'ledger_nodejs_eventloop_lag_p99_seconds_total 9',
      'ledger_process_resident_memory_bytes 157286400 1700000000000',
    ].join('\n');
    expect(promValue(text, 'ledger_nodejs_eventloop_lag_p99_seconds')).toBe(0.012);
    expect(promValue(text, 'ledger_process_resident_memory_bytes')).toBe(157_286_400);
    expect(promValue(text, 'ledger_missing')).toBeNull();
  });

  it('judges a figure against its target, and an unmeasured one as neither', () => {
    expect(meets(0.6, '>=', 0.6)).toBe(true);
    expect(meets(0.59, '>=', 0.6)).toBe(false);
    expect(meets(26, '<=', 25)).toBe(false);
    expect(meets(null, '<=', 2)).toBeNull();
  });
});

describe('the soak’s mix', () => {
  const routes = registeredRoutes().map((r) => r.route);

  it('sends every command the domain declares, through its own route', () => {
    const declared = Object.keys(commandDeclarations).sort();
    const covered = [...Object.keys(COMMAND_ROUTES), ...Object.keys(COMMANDS_WITHOUT_ROUTES)];
    expect(covered.sort()).toEqual(declared);
    for (const { route } of Object.values(COMMAND_ROUTES)) expect(routes).toContain(route);
  });

  it('covers every command route and every read route the app registers', () => {
    const commandRoutes = Object.values(COMMAND_ROUTES).map((c) => c.route);
    const reads = [...Object.keys(READ_ROUTES), ...Object.keys(READS_OUTSIDE_MIX)];
    const api = routes.filter((route) => / \/v1\//.test(route));
    expect(api.filter((r) => r.startsWith('POST ')).sort()).toEqual([...commandRoutes].sort());
    expect(api.filter((r) => r.startsWith('GET ')).sort()).toEqual([...reads].sort());
  });

  it('reaches every command kind and read route in one cycle of its weights', () => {
    const world = new SoakWorld('t');
    // Replies as the app would give them: every request succeeds.
    for (const phase of world.setupPhases()) for (const r of phase()) r.settle(201);
    const cycle = Object.values(COMMAND_ROUTES).reduce((sum, c) => sum + c.weight, 0);
    const kinds = new Set<string>();
    for (let i = 0; i < cycle * 4; i++) {
      const request = world.nextCommand();
      expect(request.method).toBe('POST');
      expect(request.path).toMatch(/^\/v1\//);
      kinds.add(request.kind);
      request.settle(201);
    }
    expect([...kinds].sort()).toEqual(Object.keys(COMMAND_ROUTES).sort());
    const reads = new Set<string>();
    const readCycle = Object.values(READ_ROUTES).reduce((sum, w) => sum + w, 0);
    for (let i = 0; i < readCycle; i++) reads.add(world.nextRead().route);
    expect([...reads].sort()).toEqual(Object.keys(READ_ROUTES).sort());
  });

  it('never asks for a second command on an item while one is in flight', () => {
    const world = new SoakWorld('t');
    for (const phase of world.setupPhases()) for (const r of phase()) r.settle(201);
    // 300 commands issued, none answered yet: no vacate, stand-down or settlement twice.
    const paths = Array.from({ length: 300 }, () => world.nextCommand())
      .filter((r) => /vacate|stand-down|reimbursement|rejection|erasure|close$/.test(r.path))
      .map((r) => r.path.replace(/\/(reimbursement|rejection)$/, ''));
    expect(new Set(paths).size).toBe(paths.length);
  });

  it('interleaves keys in proportion to their weights', () => {
    const cycle = new WeightedCycle([
      ['a', 3],
      ['b', 1],
    ] as const);
    const seen = Array.from({ length: 8 }, () => cycle.next());
    expect(seen.filter((k) => k === 'a')).toHaveLength(6);
    expect(seen.slice(0, 4).sort()).toEqual(['a', 'a', 'a', 'b']);
  });
});
