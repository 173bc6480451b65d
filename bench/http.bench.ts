import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const KEY = 'bench-key-programme-office-000000';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Commands under one level of concurrency (closed loop: each connection waits for its reply). */
export interface CommandRun {
  connections: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Concurrency levels of the command runs, the last the headline (the saturated one). */
export const COMMAND_CONNECTIONS = [16, 32, 64] as const;

export interface HttpResult {
  commandRuns: CommandRun[];
  commandsPerSecond: number;
  commandP99Ms: number;
  asOfPerSecond: number;
  asOfP99Ms: number;
  tenuresPerSecond: number;
  tenuresP99Ms: number;
  errors: number;
}

/** The built app (`npm start`'s entry point) under load on loopback only. */
export async function httpScenario(seconds: number): Promise<HttpResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-http-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, '../apps/ledger-api/src/main.js')],
    {
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        LEDGER_DATA_DIR: dir,
        LEDGER_RATE_LIMIT: '0',
        LEDGER_LOG_LEVEL: 'warn',
        LEDGER_API_KEYS: `programme-office:${KEY},auditor:bench-key-auditor-0000000000000,evaluator:bench-key-evaluator-00000000000`,
      },
      stdio: 'ignore',
    },
  );
  const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
  try {
    for (let i = 0; i < 200; i++) {
      if ((await fetch(`${base}/health`).catch(() => null))?.ok) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // A structure to query: 20 groups with seats.
    for (let g = 0; g < 20; g++) {
      await fetch(`${base}/v1/groups`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          groupId: `g${g}`,
          name: `Group ${g}`,
          kind: 'workstream',
          level: 'programme',
          cadence: 'monthly',
          laySeats: { min: 2, max: 50 },
          coChairConstituencies: ['lay'],
          occurredAt: '2013-10-01',
        }),
      });
    }
    for (let p = 0; p < 200; p++) {
      await fetch(`${base}/v1/partners/nominations`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          partnerId: `p${p}`,
          name: `Partner ${p}`,
          nominatedBy: { organisation: 'Healthwatch', organisationKind: 'healthwatch' },
          occurredAt: '2013-11-01',
        }),
      });
      await fetch(`${base}/v1/partners/p${p}/appointment`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ body: 'forum', occurredAt: '2013-12-01' }),
      });
      await fetch(`${base}/v1/groups/g${p % 20}/seats`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ partnerId: `p${p}`, constituency: 'lay', occurredAt: '2014-01-10' }),
      });
    }
    const run = (opts: autocannon.Options) =>
      new Promise<autocannon.Result>((resolve, reject) =>
        autocannon(
          { duration: seconds, connections: 64, pipelining: 1, ...opts },
          (error, result) => (error ? reject(error) : resolve(result)),
        ),
      );
    // The same command at rising concurrency: throughput levels off once the
    // ledger is saturated, and further clients only queue (latency grows).
    const commandRuns: CommandRun[] = [];
    let commandErrors = 0;
    for (const connections of COMMAND_CONNECTIONS) {
      const result = await run({
        connections,
        url: `${base}/v1/feedback`,
        method: 'POST',
        headers,
        body: JSON.stringify({
          channel: 'forum',
          kind: 'idea',
          summary: 'Evening GP access matters',
          groupId: null,
          raisedBy: null,
          occurredAt: '2014-03-10',
        }),
      });
      commandErrors += result.errors + result.non2xx;
      commandRuns.push({
        connections,
        perSecond: Math.round(result.requests.average),
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
      });
    }
    const saturated = commandRuns[commandRuns.length - 1]!;
    const asOf = await run({ url: `${base}/v1/governance?asOf=2014-06-01`, headers });
    const tenures = await run({ url: `${base}/v1/groups/g3/tenures`, headers });
    return {
      commandRuns,
      commandsPerSecond: saturated.perSecond,
      commandP99Ms: saturated.p99Ms,
      asOfPerSecond: Math.round(asOf.requests.average),
      asOfP99Ms: asOf.latency.p99,
      tenuresPerSecond: Math.round(tenures.requests.average),
      tenuresP99Ms: tenures.latency.p99,
      errors: commandErrors + asOf.errors + asOf.non2xx + tenures.errors + tenures.non2xx,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}
