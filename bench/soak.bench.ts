import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request, type IncomingMessage } from 'node:http';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KEY, startLedger, type RunningLedger } from './http.bench.js';
import { cachedLedger } from './rebuild.bench.js';
import {
  COMMAND_ROUTES,
  READ_ROUTES,
  SoakWorld,
  type PlannedRequest,
  type ReadRoute,
} from './soak-mix.js';
import {
  doublingRates,
  halvingRates,
  LATE_MS,
  latencyFigures,
  maxOver,
  maxSteadyRate,
  promValue,
  rssSlopeMbPerMin,
  SOAK_TARGETS,
  windowHolds,
  type Step,
  type WindowFigures,
} from './soak-stats.js';

export interface SoakOptions {
  /** Events in the generated ledger the app starts on. */
  ledgerEvents: number;
  /** A ledger already generated (copied, left as it was); else one from the bench's cache. */
  eventsPath?: string;
  /** Generate the ledger anew rather than reuse the cached one (`--fresh-ledgers`). */
  freshLedger?: boolean;
  windowS: number;
  /** Windows of the steady phase at the base rate. */
  windows: number;
  /** Windows counted as warm-up for the RSS slope. */
  warmUpWindows: number;
  /** The base mix: commands and reads per second. */
  cmdPerS: number;
  readPerS: number;
  sseClients: number;
  /** Seconds per step of the rate searches (0 skips them). */
  stepS: number;
  /** The highest command rate a search tries. */
  maxStepCmdPerS: number;
  /** A directory for the app's CPU profile (`--cpu-prof`), if wanted. */
  cpuProfDir?: string;
  /** Each read route once, alone, on the idle app before the load: what a request costs. */
  routeCosts: boolean;
}

export const FULL_SOAK: SoakOptions = {
  ledgerEvents: 100_000,
  windowS: 30,
  windows: 10,
  warmUpWindows: 1,
  cmdPerS: 60,
  readPerS: 20,
  sseClients: 20,
  stepS: 20,
  maxStepCmdPerS: 1_920,
  routeCosts: true,
};

/** `npm run soak -- --quick`: about two minutes. */
export const QUICK_SOAK: SoakOptions = {
  ...FULL_SOAK,
  windowS: 10,
  windows: 3,
  stepS: 6,
  maxStepCmdPerS: 480,
  routeCosts: false,
};

/** Per route over the steady phase: the worst p99 first is where to look. */
export interface RouteFigures {
  route: string;
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Non-2xx replies by `status code`. */
  refusals: Record<string, number>;
}

export interface StepFigures extends WindowFigures {
  cmdPerS: number;
  readPerS: number;
  holds: boolean;
}

/** One read route requested alone on the idle app (before the load). */
export interface RouteCost {
  route: string;
  path: string;
  status: number;
  ms: number;
  bytes: number;
}

export interface SoakResult {
  options: SoakOptions;
  routeCosts: RouteCost[];
  ledgerEvents: number;
  startSeconds: number;
  windows: WindowFigures[];
  routes: RouteFigures[];
  mixedSteps: StepFigures[];
  cmdOnlySteps: StepFigures[];
  figures: Record<string, number | null>;
  notes: string[];
}

/** More requests in flight than this and an arrival is skipped (counted): the app is drowning. */
const MAX_IN_FLIGHT = 128;
/** A reply slower than this is an error (`timeout`), and the request is abandoned. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Keep-alive HTTP to the app: one request, its status, its `code` when refused. */
class Client {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  constructor(private readonly base: URL) {}

  send(
    method: string,
    path: string,
    body?: unknown,
    key = KEY,
  ): Promise<{ status: number; code?: string; text?: string; bytes: number }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve) => {
      const req = request(
        {
          host: this.base.hostname,
          port: this.base.port,
          method,
          path,
          agent: this.agent,
          headers: {
            authorization: `Bearer ${key}`,
            ...(payload === undefined
              ? {}
              : {
                  'content-type': 'application/json',
                  'content-length': Buffer.byteLength(payload),
                }),
          },
        },
        (res: IncomingMessage) => {
          const status = res.statusCode ?? 0;
          const keep = status >= 300 || path === '/metrics';
          const chunks: Buffer[] = [];
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (keep) chunks.push(chunk);
          });
          res.on('end', () => {
            if (!keep) return resolve({ status, bytes });
            const text = Buffer.concat(chunks).toString();
            let code: string | undefined;
            try {
              code = (JSON.parse(text) as { code?: string }).code;
            } catch {
              code = undefined;
            }
            resolve({ status, code, text, bytes });
          });
          res.on('error', () => resolve({ status: 0, code: 'response_error', bytes }));
        },
      );
      const timer = setTimeout(() => {
        req.destroy();
        resolve({ status: 0, code: 'timeout', bytes: 0 });
      }, REQUEST_TIMEOUT_MS);
      req.on('close', () => clearTimeout(timer));
      req.on('error', (error: NodeJS.ErrnoException) =>
        resolve({ status: 0, code: error.code ?? 'transport_error', bytes: 0 }),
      );
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Clients on the live stream, counting the events they receive. */
function sseClients(base: URL, count: number): { events(): number; stop(): void } {
  let events = 0;
  const requests = Array.from({ length: count }, () => {
    const req = request({
      host: base.hostname,
      port: base.port,
      path: '/v1/events/live',
      headers: { authorization: `Bearer ${KEY}`, accept: 'text/event-stream' },
    });
    req.on('response', (res) => {
      res.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        for (let i = text.indexOf('\nid:'); i >= 0; i = text.indexOf('\nid:', i + 1)) events++;
        if (text.startsWith('id:')) events++;
      });
      res.on('error', () => undefined);
    });
    req.on('error', () => undefined);
    req.end();
    return req;
  });
  return {
    events: () => events,
    stop: () => requests.forEach((req) => req.destroy()),
  };
}

interface Collector {
  cmd: number[];
  read: number[];
  cmdOffered: number;
  readOffered: number;
  cmdOk: number;
  refusals: Record<string, number>;
  errors: number;
  late: number;
  skipped: number;
}
const collector = (): Collector => ({
  cmd: [],
  read: [],
  cmdOffered: 0,
  readOffered: 0,
  cmdOk: 0,
  refusals: {},
  errors: 0,
  late: 0,
  skipped: 0,
});

/**
 * Open-loop load: arrivals at a fixed rate whatever the replies, each
 * request's latency measured from the time the schedule gave it (so a
 * generator or app that falls behind shows in the figures, not hidden by
 * waiting). Windows close on the clock; the app's event-loop delay and RSS
 * are scraped at each window's end. Resolves once every reply is in.
 */
async function openLoop(options: {
  client: Client;
  ledger?: RunningLedger;
  world: SoakWorld;
  cmdPerS: number;
  readPerS: number;
  seconds: number;
  windowS: number;
  scrape: () => Promise<{ eventLoopP99Ms: number | null; rssMb: number | null }>;
  sseEvents: () => number;
  startedAt: number;
  idle?: () => Promise<void>;
  close?: () => Promise<void>;
  probe: () => Promise<number>;
  routes?: Map<string, { latencies: number[]; refusals: Record<string, number> }>;
}): Promise<WindowFigures[]> {
  const { client, world, cmdPerS, readPerS, seconds, windowS } = options;
  const windowMs = windowS * 1000;
  const count = Math.max(1, Math.round(seconds / windowS));
  const windows = Array.from({ length: count }, collector);
  const probes: number[][] = Array.from({ length: count }, () => []);
  const scrapes: Array<{ eventLoopP99Ms: number | null; rssMb: number | null; sse: number }> = [];
  const start = performance.now();
  const end = start + count * windowMs;
  const pending = new Set<Promise<void>>();
  let inFlight = 0;

  const dispatch = (planned: PlannedRequest, scheduled: number, isCmd: boolean) => {
    const w = windows[Math.min(count - 1, Math.floor((scheduled - start) / windowMs))]!;
    if (isCmd) w.cmdOffered++;
    else w.readOffered++;
    if (inFlight >= MAX_IN_FLIGHT) {
      w.skipped++;
      return;
    }
    if (performance.now() - scheduled > LATE_MS) w.late++;
    inFlight++;
    const done = client.send(planned.method, planned.path, planned.body).then((reply) => {
      inFlight--;
      const ms = performance.now() - scheduled;
      planned.settle(reply.status);
      (isCmd ? w.cmd : w.read).push(ms);
      const route = options.routes?.get(planned.route) ?? { latencies: [], refusals: {} };
      options.routes?.set(planned.route, route);
      route.latencies.push(ms);
      if (reply.status >= 200 && reply.status < 300) {
        if (isCmd) w.cmdOk++;
        return;
      }
      const key = `${reply.status} ${reply.code ?? '?'}`;
      route.refusals[key] = (route.refusals[key] ?? 0) + 1;
      if (reply.status === 0 || reply.status >= 500) w.errors++;
      else w.refusals[key] = (w.refusals[key] ?? 0) + 1;
    });
    pending.add(done);
    void done.finally(() => pending.delete(done));
  };

  let probing = true;
  const probeLoop = (async () => {
    while (probing) {
      const at = performance.now();
      const ms = await options.probe();
      const index = Math.floor((at - start) / windowMs);
      if (index < count) probes[index]!.push(ms);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  await new Promise<void>((resolve) => {
    let nextCmd = start;
    let nextRead = start + (readPerS > 0 ? 500 / readPerS : 0);
    let nextWindow = start + windowMs;
    const tick = () => {
      const now = performance.now();
      while (cmdPerS > 0 && nextCmd <= now && nextCmd < end) {
        dispatch(world.nextCommand(), nextCmd, true);
        nextCmd += 1000 / cmdPerS;
      }
      while (readPerS > 0 && nextRead <= now && nextRead < end) {
        dispatch(world.nextRead(), nextRead, false);
        nextRead += 1000 / readPerS;
      }
      if (now >= nextWindow && nextWindow < end - 1) {
        nextWindow += windowMs;
        const sse = options.sseEvents();
        void options.scrape().then((s) => scrapes.push({ ...s, sse }));
      }
      if (now >= end && scrapes.length >= count - 1) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 2);
  });
  // The last window's scrape, then every reply (each times out after REQUEST_TIMEOUT_MS).
  const sse = options.sseEvents();
  scrapes.push({ ...(await options.scrape()), sse });
  await Promise.all([...pending]);
  probing = false;
  await probeLoop;
  let sseBefore = 0;
  return windows.map((w, i) => {
    const cmd = latencyFigures(w.cmd);
    const read = latencyFigures(w.read);
    const s = scrapes[i] ?? { eventLoopP99Ms: null, rssMb: null, sse: sseBefore };
    const sseEvents = s.sse - sseBefore;
    sseBefore = s.sse;
    return {
      endS: Math.round((start - options.startedAt + (i + 1) * windowMs) / 100) / 10,
      seconds: windowS,
      cmdOffered: w.cmdOffered,
      readOffered: w.readOffered,
      cmdDone: w.cmd.length,
      readDone: w.read.length,
      cmdP50Ms: cmd.p50,
      cmdP99Ms: cmd.p99,
      readP50Ms: read.p50,
      readP99Ms: read.p99,
      cmdOk: w.cmdOk,
      refusals: w.refusals,
      errors: w.errors + (w.cmdOffered + w.readOffered - w.skipped - w.cmd.length - w.read.length),
      late: w.late,
      skipped: w.skipped,
      eventLoopP99Ms: s.eventLoopP99Ms,
      probeP99Ms: latencyFigures(probes[i]!).p99,
      rssMb: s.rssMb,
      sseEvents,
    };
  });
}

const fmt = (n: number | null) => (n === null ? '–' : String(n));

/** The per-window table, as printed while the soak runs. */
export function windowTable(rows: Array<WindowFigures & { label?: string }>): string {
  const header = [
    'window',
    'cmd/s',
    'read/s',
    'cmd p50',
    'cmd p99',
    'read p50',
    'read p99',
    'loop p99',
    'probe p99',
    'RSS MB',
    'errors',
    'refused',
    'late',
    'skipped',
    'SSE ev.',
  ];
  const lines = rows.map((w) => [
    w.label ?? `${w.endS - w.seconds}–${w.endS} s`,
    String(Math.round(w.cmdOffered / w.seconds)),
    String(Math.round(w.readOffered / w.seconds)),
    `${w.cmdP50Ms} ms`,
    `${w.cmdP99Ms} ms`,
    `${w.readP50Ms} ms`,
    `${w.readP99Ms} ms`,
    w.eventLoopP99Ms === null ? '–' : `${w.eventLoopP99Ms} ms`,
    `${w.probeP99Ms} ms`,
    fmt(w.rssMb),
    String(w.errors),
    String(Object.values(w.refusals).reduce((a, b) => a + b, 0)),
    String(w.late),
    String(w.skipped),
    String(w.sseEvents),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [line(header), ...lines.map(line)].join('\n');
}

/**
 * The soak: the built app started on a generated ledger, the setup's
 * structure created, then a steady open-loop mix of every command and read
 * route with live SSE clients, measured per window; then two rising rate
 * searches, the mix (reads at a third of the commands) and commands alone.
 */
export async function soakScenario(
  options: SoakOptions,
  log: (line: string) => void = () => undefined,
): Promise<SoakResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-soak-'));
  const notes: string[] = [];
  let session: Session | undefined;
  try {
    const eventsPath = join(dir, 'events.sqlite');
    let ledgerEvents = options.ledgerEvents;
    if (options.eventsPath) copyFileSync(options.eventsPath, eventsPath);
    else ledgerEvents = cachedLedger(eventsPath, options.ledgerEvents, options.freshLedger).events;
    session = await openSession(dir, options, 'steady');
    log(`app started on ${ledgerEvents} events in ${session.ledger.startSeconds.toFixed(1)} s`);
    const startSeconds = session.ledger.startSeconds;
    const c = session.client;
    const world = new SoakWorld(`s${Date.now().toString(36)}`);
    for (const phase of world.setupPhases()) {
      await Promise.all(
        phase().map(async (planned) => {
          const reply = await c.send(planned.method, planned.path, planned.body);
          planned.settle(reply.status);
          if (reply.status >= 300)
            throw new Error(`setup ${planned.route}: ${reply.status} ${reply.text ?? ''}`);
        }),
      );
    }
    // Untimed: the seal's first digest catches up with every event the ledger holds, once.
    await c.send('GET', '/v1/audit/digest');
    const routeCosts: RouteCost[] = [];
    if (options.routeCosts) {
      for (const route of Object.keys(READ_ROUTES) as ReadRoute[]) {
        const planned = world.read(route);
        const t = performance.now();
        const reply = await c.send('GET', planned.path);
        routeCosts.push({
          route: planned.route,
          path: planned.path,
          status: reply.status,
          ms: Math.round(performance.now() - t),
          bytes: reply.bytes,
        });
      }
      routeCosts.sort((a, b) => b.ms - a.ms);
      log(routeCostTable(routeCosts));
    }
    await session.scrape(); // resets the app's event-loop histogram: the first window starts clean
    const startedAt = performance.now();
    const routes = new Map<string, { latencies: number[]; refusals: Record<string, number> }>();
    log(
      `steady: ${options.cmdPerS} commands/s + ${options.readPerS} reads/s + ${options.sseClients} SSE clients, ${options.windows} × ${options.windowS} s`,
    );
    const windows = await openLoop({
      ...session,
      world,
      cmdPerS: options.cmdPerS,
      readPerS: options.readPerS,
      seconds: options.windows * options.windowS,
      windowS: options.windowS,
      startedAt,
      routes,
    });
    log(windowTable(windows));

    // Each search on the app restarted on the same (grown) ledger: requests abandoned
    // by an earlier overload are otherwise still being served.
    // `rates` in order; a rising search stops at the first step that fails, a falling one
    // (below a base rate that failed) at the first that holds.
    const search = async (
      label: string,
      readShare: number,
      rates: number[],
      direction: 'rising' | 'falling' = 'rising',
    ): Promise<StepFigures[]> => {
      const steps: StepFigures[] = [];
      if (options.stepS <= 0 || rates.length === 0) return steps;
      await session?.close();
      session = undefined;
      const s = await openSession(dir, options, label);
      session = s;
      for (const rate of rates) {
        await s.idle();
        await s.scrape();
        const readPerS = Math.round(rate * readShare);
        const [w] = await openLoop({
          ...s,
          world,
          cmdPerS: rate,
          readPerS,
          seconds: options.stepS,
          windowS: options.stepS,
          startedAt,
        });
        const step = { ...w!, cmdPerS: rate, readPerS, holds: windowHolds(w!) };
        steps.push(step);
        log(
          windowTable([
            { ...step, label: `${rate}+${readPerS}/s ${step.holds ? 'holds' : 'FAILS'}` },
          ]),
        );
        if (step.holds === (direction === 'falling')) break;
      }
      return steps;
    };
    // The steady phase is the mixed search's first step (the base rate, reads at a
    // third): it holds if every window held, and the search goes on from twice the rate.
    const worst = windows.reduce((a, b) => (b.cmdP99Ms > a.cmdP99Ms ? b : a));
    const steadyStep: StepFigures = {
      ...worst,
      cmdPerS: options.cmdPerS,
      readPerS: options.readPerS,
      holds: windows.every((w) => windowHolds(w)),
    };
    // Above the base rate while it holds; below it (halving) when it does not, so a
    // missed target still says what rate the app does hold.
    const readShare = options.readPerS / options.cmdPerS;
    const mixedSteps = [
      steadyStep,
      ...(steadyStep.holds
        ? await search(
            'mixed',
            readShare,
            doublingRates(options.cmdPerS * 2, options.maxStepCmdPerS),
          )
        : await search('mixed', readShare, halvingRates(options.cmdPerS, 3), 'falling')),
    ];
    const cmdOnlySteps = await search(
      'commands',
      0,
      doublingRates(options.cmdPerS, options.maxStepCmdPerS),
    );
    if (cmdOnlySteps[0]?.holds === false)
      cmdOnlySteps.push(
        ...(await search('commands', 0, halvingRates(options.cmdPerS, 3), 'falling')),
      );

    const routeFigures: RouteFigures[] = [...routes.entries()]
      .map(([route, r]) => {
        const { p50, p99 } = latencyFigures(r.latencies);
        return {
          route,
          count: r.latencies.length,
          p50Ms: p50,
          p99Ms: p99,
          maxMs: Math.round(Math.max(0, ...r.latencies) * 100) / 100,
          refusals: r.refusals,
        };
      })
      .sort((a, b) => b.p99Ms - a.p99Ms);
    const missing = [
      ...Object.values(COMMAND_ROUTES).map((c) => c.route),
      ...Object.keys(READ_ROUTES),
    ].filter((route) => !routes.has(route));
    if (missing.length > 0)
      notes.push(`Routes the steady phase never reached: ${missing.join(', ')}.`);
    const total = (pick: (w: WindowFigures) => number) =>
      windows.reduce((sum, w) => sum + pick(w), 0);
    const refused = total((w) => Object.values(w.refusals).reduce((a, b) => a + b, 0));
    const figures: Record<string, number | null> = {
      soak_cmd_p99_ms_max_window: maxOver(windows, (w) => w.cmdP99Ms),
      soak_read_p99_ms_max_window: maxOver(windows, (w) => w.readP99Ms),
      // A window whose scrape timed out (the loop stalled past 10 s) counts its probe instead.
      soak_event_loop_p99_ms: maxOver(windows, (w) => w.eventLoopP99Ms ?? w.probeP99Ms),
      soak_probe_p99_ms_max_window: maxOver(windows, (w) => w.probeP99Ms),
      soak_rss_slope_mb_per_min: rssSlopeMbPerMin(windows, options.warmUpWindows),
      soak_max_steady_cmd_per_s: maxSteadyRate(mixedSteps as Step[]),
      soak_cmd_only_max_per_s: options.stepS > 0 ? maxSteadyRate(cmdOnlySteps as Step[]) : null,
      soak_errors: total((w) => w.errors),
      soak_refused: refused,
      soak_commands: total((w) => w.cmdDone),
      soak_commands_ok: total((w) => w.cmdOk),
      soak_reads: total((w) => w.readDone),
      soak_late: total((w) => w.late),
      soak_skipped: total((w) => w.skipped),
      soak_sse_events: total((w) => w.sseEvents),
      soak_window_s: options.windowS,
      soak_windows: windows.length,
      soak_ledger_events: ledgerEvents,
      soak_rss_mb_last_window: windows[windows.length - 1]?.rssMb ?? null,
      soak_slowest_read_alone_ms: options.routeCosts ? (routeCosts[0]?.ms ?? null) : null,
    };
    notes.push(
      `Soak: ${ledgerEvents.toLocaleString('en-GB')} events generated, the built app started on them (${startSeconds.toFixed(1)} s), ` +
        `${options.cmdPerS} commands/s + ${options.readPerS} reads/s open loop + ${options.sseClients} SSE clients, ${windows.length} windows of ${options.windowS} s; ` +
        `every command route (${Object.keys(COMMAND_ROUTES).length}) and read route (${Object.keys(READ_ROUTES).length}) in the mix. ` +
        `Latency from each request's scheduled time. Targets per window: command p99 ≤ ${SOAK_TARGETS.cmdP99Ms} ms, read p99 ≤ ${SOAK_TARGETS.readP99Ms} ms, ` +
        `event-loop p99 ≤ ${SOAK_TARGETS.eventLoopP99Ms} ms (prom-client, 10 ms resolution); RSS slope ≤ ${SOAK_TARGETS.rssSlopeMbPerMin} MB/min after ${options.warmUpWindows} warm-up window(s). ` +
        `Rate searches: the steady phase is the mix's first step; then ${options.stepS} s steps doubling (reads at the same share; then commands alone from ${options.cmdPerS}/s, on the app restarted), the highest step at which the latency targets held with no errors or skips.`,
    );
    return {
      options,
      routeCosts,
      ledgerEvents,
      startSeconds,
      windows,
      routes: routeFigures,
      mixedSteps,
      cmdOnlySteps,
      figures,
      notes,
    };
  } finally {
    await session?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Session {
  ledger: RunningLedger;
  client: Client;
  scrape(): Promise<{ eventLoopP99Ms: number | null; rssMb: number | null }>;
  sseEvents(): number;
  /** One GET /health/live on the scrape's connection: its latency in ms. */
  probe(): Promise<number>;
  /** Until the app answers /health/live quickly three times running (60 s at most). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** The app on `dir`, a client for the load, one for scrapes, and the SSE clients. */
async function openSession(dir: string, options: SoakOptions, label: string): Promise<Session> {
  const ledger = await startLedger(
    dir,
    options.cpuProfDir
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${options.cpuProfDir}`,
          `--cpu-prof-name=${label}.cpuprofile`,
        ]
      : [],
  );
  const base = new URL(ledger.base);
  const client = new Client(base);
  // Its own connection, so a scrape never queues behind the load's.
  const metrics = new Client(base);
  const sse = sseClients(base, options.sseClients);
  return {
    ledger,
    client,
    sseEvents: sse.events,
    scrape: async () => {
      const reply = await metrics.send('GET', '/metrics');
      const text = reply.text ?? '';
      const lag = promValue(text, 'ledger_nodejs_eventloop_lag_p99_seconds');
      const rss =
        promValue(text, 'ledger_process_resident_memory_bytes') ?? procRssBytes(ledger.pid);
      return {
        eventLoopP99Ms: lag === null ? null : Math.round(lag * 10_000) / 10,
        rssMb: rss === null ? null : Math.round(rss / 2 ** 20),
      };
    },
    probe: async () => {
      const t = performance.now();
      await metrics.send('GET', '/health/live');
      return performance.now() - t;
    },
    idle: async () => {
      const until = performance.now() + 60_000;
      let fast = 0;
      while (fast < 3 && performance.now() < until) {
        const t = performance.now();
        await metrics.send('GET', '/health/live');
        fast = performance.now() - t < 20 ? fast + 1 : 0;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: async () => {
      sse.stop();
      client.close();
      metrics.close();
      await ledger.stop();
    },
  };
}

function procRssBytes(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : null;
  } catch {
    return null;
  }
}

/** Each read route alone on the idle app: slowest first. */
export function routeCostTable(costs: readonly RouteCost[]): string {
  const width = Math.max(...costs.map((c) => c.route.length));
  return [
    'each read route alone, on the idle app:',
    ...costs.map(
      (c) =>
        `${c.route.padEnd(width)}  ${String(c.ms).padStart(6)} ms  ${String(Math.round(c.bytes / 1024)).padStart(7)} KB  ${c.status}`,
    ),
  ].join('\n');
}

/** The per-route table: worst p99 first. */
export function routeTable(routes: readonly RouteFigures[]): string {
  const lines = routes.map((r) => [
    r.route,
    String(r.count),
    `${r.p50Ms} ms`,
    `${r.p99Ms} ms`,
    `${r.maxMs} ms`,
    Object.entries(r.refusals)
      .map(([k, v]) => `${v}× ${k}`)
      .join(', '),
  ]);
  const header = ['route', 'n', 'p50', 'p99', 'max', 'non-2xx'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), ...lines.map(line)].join('\n');
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  // `--windows 20 --window-s 30 --step-s 0 --sse 0 --cpu-prof-dir /tmp/prof` override the preset.
  const arg = (name: string) => {
    const index = process.argv.indexOf(`--${name}`);
    return index > 0 ? process.argv[index + 1] : undefined;
  };
  const number = (name: string, fallback: number) => {
    const value = arg(name);
    return value === undefined ? fallback : Number(value);
  };
  const preset = quick ? QUICK_SOAK : FULL_SOAK;
  const options: SoakOptions = {
    ...preset,
    windows: number('windows', preset.windows),
    windowS: number('window-s', preset.windowS),
    stepS: number('step-s', preset.stepS),
    cmdPerS: number('cmd-per-s', preset.cmdPerS),
    readPerS: number('read-per-s', preset.readPerS),
    ledgerEvents: number('events', preset.ledgerEvents),
    sseClients: number('sse', preset.sseClients),
    ...(arg('cpu-prof-dir') ? { cpuProfDir: arg('cpu-prof-dir') } : {}),
    ...(process.argv.includes('--route-costs') ? { routeCosts: true } : {}),
    ...(process.argv.includes('--fresh-ledgers') ? { freshLedger: true } : {}),
  };
  const result = await soakScenario(options, (line) => console.log(line));
  console.log(routeTable(result.routes));
  console.table(result.figures);
  const dir = join(import.meta.dirname, '../../bench/results');
  mkdirSync(dir, { recursive: true });
  const report = {
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGb: Math.round(totalmem() / 2 ** 30),
    },
    settings: { quick, ...options },
    recordedAt: new Date().toISOString(),
    notes: result.notes,
    figures: result.figures,
    soak: {
      routeCosts: result.routeCosts,
      windows: result.windows,
      routes: result.routes,
      mixedSteps: result.mixedSteps,
      cmdOnlySteps: result.cmdOnlySteps,
    },
  };
  writeFileSync(join(dir, 'soak.json'), `${JSON.stringify(report, null, 2)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
