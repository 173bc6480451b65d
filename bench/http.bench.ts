import autocannon from 'autocannon';
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const KEY = 'bench-key-programme-office-000000';
export const AUDITOR_KEY = 'bench-key-auditor-0000000000000';
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export interface RunningLedger {
  base: string;
  pid: number;
  /** From spawning the process until `/health` answers (a start-up rebuild included). */
  startSeconds: number;
  /** The process's peak RSS so far (Linux's VmHWM), or null where /proc is missing. */
  peakRssMb(): number | null;
  stop(): Promise<void>;
}

/**
 * The built app (`npm start`'s entry point) on `dataDir`, on loopback only;
 * `nodeArgs` go to its Node (e.g. `--cpu-prof`).
 */
export async function startLedger(
  dataDir: string,
  nodeArgs: string[] = [],
): Promise<RunningLedger> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, join(import.meta.dirname, '../apps/ledger-api/src/main.js')],
    {
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        LEDGER_DATA_DIR: dataDir,
        LEDGER_RATE_LIMIT: '0',
        LEDGER_LOG_LEVEL: 'warn',
        LEDGER_API_KEYS: `programme-office:${KEY},auditor:${AUDITOR_KEY},evaluator:bench-key-evaluator-00000000000`,
      },
      stdio: 'ignore',
    },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // SIGTERM lets the app finish what it serves; one drowning in work gets SIGKILL after 10 s.
  const stop = async () => {
    child.kill('SIGTERM');
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(kill);
  };
  for (let i = 0; ; i++) {
    if ((await fetch(`${base}/health`).catch(() => null))?.ok) break;
    if (child.exitCode !== null || i >= 12_000) {
      await stop();
      throw new Error(`the ledger did not start on ${dataDir} (exit ${child.exitCode})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const startSeconds = (performance.now() - started) / 1000;
  const status = `/proc/${child.pid}/status`;
  return {
    base,
    pid: child.pid!,
    startSeconds,
    peakRssMb: () => {
      if (!existsSync(status)) return null;
      const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(status, 'utf8'))?.[1];
      return kb ? Math.round(Number(kb) / 1024) : null;
    },
    stop,
  };
}

const load = (opts: autocannon.Options) =>
  new Promise<autocannon.Result>((resolve, reject) =>
    autocannon({ pipelining: 1, ...opts }, (error, result) =>
      error ? reject(error) : resolve(result),
    ),
  );

/** One run under a fixed number of connections (closed loop: each waits for its reply). */
export interface LoadRun {
  connections: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

const summary = (connections: number, result: autocannon.Result): LoadRun => ({
  connections,
  perSecond: Math.round(result.requests.average),
  p50Ms: result.latency.p50,
  p99Ms: result.latency.p99,
  errors: result.errors + result.non2xx,
});

/** Concurrency levels of the command runs, the last the headline (the saturated one). */
export const COMMAND_CONNECTIONS = [16, 32, 64] as const;
/** A quick run's connection counts: the one the ratio is taken at and the saturating one. */
export const QUICK_COMMAND_CONNECTIONS = [16, 64] as const;

/**
 * Durable commands (POST /v1/feedback) at rising concurrency, each level on a
 * fresh ledger with 20 groups and 200 seated partners (so no run inherits
 * another's events), after 2 s of the same load untimed: throughput levels
 * off once the ledger is saturated, and further clients only queue.
 */
export async function httpCommandScenario(seconds: number, quick = false): Promise<LoadRun[]> {
  const runs: LoadRun[] = [];
  for (const connections of quick ? QUICK_COMMAND_CONNECTIONS : COMMAND_CONNECTIONS) {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-http-'));
    const ledger = await startLedger(dir);
    try {
      await seedStructure(ledger.base);
      const feedback = (duration: number) =>
        load({
          url: `${ledger.base}/v1/feedback`,
          method: 'POST',
          headers,
          duration,
          connections,
          body: JSON.stringify({
            channel: 'forum',
            kind: 'idea',
            summary: 'Evening GP access matters',
            groupId: null,
            raisedBy: null,
            occurredAt: '2014-03-10',
          }),
        });
      await feedback(2); // untimed: the JIT and the WAL's first checkpoint, as for appends
      runs.push(summary(connections, await feedback(seconds)));
    } finally {
      await ledger.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return runs;
}

/** 20 groups and 200 partners, each nominated, appointed and seated. */
async function seedStructure(base: string): Promise<void> {
  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  for (let g = 0; g < 20; g++) {
    await post('/v1/groups', {
      groupId: `g${g}`,
      name: `Group ${g}`,
      kind: 'workstream',
      level: 'programme',
      cadence: 'monthly',
      laySeats: { min: 2, max: 50 },
      coChairConstituencies: ['lay'],
      occurredAt: '2013-10-01',
    });
  }
  for (let p = 0; p < 200; p++) {
    await post('/v1/partners/nominations', {
      partnerId: `p${p}`,
      name: `Partner ${p}`,
      nominatedBy: { organisation: 'Healthwatch', organisationKind: 'healthwatch' },
      occurredAt: '2013-11-01',
    });
    await post(`/v1/partners/p${p}/appointment`, { body: 'forum', occurredAt: '2013-12-01' });
    await post(`/v1/groups/g${p % 20}/seats`, {
      partnerId: `p${p}`,
      constituency: 'lay',
      occurredAt: '2014-01-10',
    });
  }
}

export interface LedgerQueryResult {
  /** Start-up of the app on the copied log, its rebuild of every read model included. */
  startSeconds: number;
  /** Peak RSS of the app: start-up rebuild, then every query run. */
  peakRssMb: number | null;
  asOf: LoadRun[];
  tenures: LoadRun[];
}

/**
 * Queries over HTTP against the generated ledger at `eventsPath` (copied
 * into a fresh data directory, so the app rebuilds its read models at
 * start): the structure as of a date, the date varying from request to
 * request over the ledger's ten years, and a group's tenures, the group
 * varying too. One connection gives a query's own latency; 16 the
 * throughput.
 */
export async function httpLedgerScenario(
  eventsPath: string,
  seconds: number,
): Promise<LedgerQueryResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-http-queries-'));
  copyFileSync(eventsPath, join(dir, 'events.sqlite'));
  const ledger = await startLedger(dir);
  try {
    const runs = async (path: (i: number) => string) => {
      const results: LoadRun[] = [];
      for (const connections of [1, 16]) {
        let i = 0;
        const result = await load({
          url: ledger.base,
          headers,
          duration: seconds,
          connections,
          requests: [{ setupRequest: (request) => ({ ...request, path: path(i++) }) }],
        });
        results.push(summary(connections, result));
      }
      return results;
    };
    const day = (i: number) =>
      new Date(Date.UTC(2013, 9, 1) + ((i * 37) % 3_650) * 86_400_000).toISOString().slice(0, 10);
    const asOf = await runs((i) => `/v1/governance?asOf=${day(i)}`);
    const tenures = await runs((i) => `/v1/groups/g${(i * 7) % 200}/tenures`);
    return { startSeconds: ledger.startSeconds, peakRssMb: ledger.peakRssMb(), asOf, tenures };
  } finally {
    await ledger.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const FEEDBACK_BODY = JSON.stringify({
  channel: 'forum',
  kind: 'idea',
  summary: 'Evening GP access matters',
  groupId: null,
  raisedBy: null,
  occurredAt: '2014-03-10',
});

/**
 * POST /v1/feedback at `connections` against the bare baseline (bench/bare-server.ts:
 * Fastify, the same validation, decider and SqliteEventStore append, nothing else),
 * in a process of its own on a fresh data directory, as the app runs in the run before.
 */
export async function httpBareScenario(seconds: number, connections: number): Promise<LoadRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-bare-'));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, 'bare-server.js'), dir, String(port)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on(
        'data',
        (chunk: Buffer) => chunk.toString().includes('listening') && resolve(),
      );
      child.once('exit', (code) => reject(new Error(`the bare server exited (${code})`)));
    });
    const feedback = (duration: number) =>
      load({
        url: `http://127.0.0.1:${port}/v1/feedback`,
        method: 'POST',
        headers,
        duration,
        connections,
        body: FEEDBACK_BODY,
      });
    await feedback(2);
    return summary(connections, await feedback(seconds));
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A closed-loop run of the soak's command mix: every command kind, by weight. */
export interface CommandMixRun extends LoadRun {
  /** Commands sent, by kind. */
  kinds: Record<string, number>;
  /** Non-2xx replies by `status code`. */
  refusals: Record<string, number>;
}

/**
 * Every command kind (the soak's weighted mix, bench/soak-mix.ts) at
 * `connections` in a closed loop, on a fresh ledger with the soak's setup,
 * after 2 s untimed. Each connection sends its next command when the reply
 * to its last one is in; commands that need an earlier one's result (a seat
 * to vacate) draw only on confirmed results.
 */
export async function httpCommandMixScenario(
  seconds: number,
  connections: number,
): Promise<CommandMixRun> {
  const { SoakWorld } = await import('./soak-mix.js');
  const dir = mkdtempSync(join(tmpdir(), 'ledger-http-mix-'));
  const ledger = await startLedger(dir);
  try {
    const world = new SoakWorld(`m${Date.now().toString(36)}`);
    const post = (path: string, body: unknown) =>
      fetch(`${ledger.base}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    for (const phase of world.setupPhases()) {
      await Promise.all(
        phase().map(async (planned) =>
          planned.settle((await post(planned.path, planned.body)).status),
        ),
      );
    }
    const run = async (ms: number, record: boolean) => {
      const latencies: number[] = [];
      const kinds: Record<string, number> = {};
      const refusals: Record<string, number> = {};
      let errors = 0;
      const end = performance.now() + ms;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: connections }, async () => {
          while (performance.now() < end) {
            const planned = world.nextCommand();
            const t = performance.now();
            const response = await post(planned.path, planned.body).catch(() => null);
            const status = response?.status ?? 0;
            const body = response ? await response.text() : '';
            latencies.push(performance.now() - t);
            planned.settle(status);
            kinds[planned.kind] = (kinds[planned.kind] ?? 0) + 1;
            if (status < 200 || status >= 300) {
              let code = '?';
              try {
                code = (JSON.parse(body) as { code?: string }).code ?? '?';
              } catch {
                // not JSON: the status says enough
              }
              refusals[`${status} ${code}`] = (refusals[`${status} ${code}`] ?? 0) + 1;
              if (status === 0 || status >= 500) errors++;
            }
          }
        }),
      );
      const elapsed = (performance.now() - started) / 1000;
      if (!record) return undefined;
      const sorted = latencies.sort((a, b) => a - b);
      const at = (p: number) =>
        Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! * 100) /
        100;
      return {
        connections,
        perSecond: Math.round(latencies.length / elapsed),
        p50Ms: at(0.5),
        p99Ms: at(0.99),
        errors,
        kinds,
        refusals,
      };
    };
    await run(2_000, false);
    return (await run(seconds * 1000, true))!;
  } finally {
    await ledger.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
