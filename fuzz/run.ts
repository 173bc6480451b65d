import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runFuzz, type FuzzReport } from './fuzz-driver.js';
import type { Role } from './hostile-requests.js';

/**
 * `npm run fuzz -- --requests 50000 [--seed N] [--concurrency 8]`: the built
 * ledger on a temporary data directory and a free port, every route of its
 * OpenAPI document fuzzed, then a table and one line of JSON. Exits 1 on any
 * 5xx, event appended by a refused request, error answer out of shape or
 * request left unanswered. `--first I --requests 1` replays request I of a
 * seed alone (after the same set-up).
 */

const MAIN = join(import.meta.dirname, '../apps/ledger-api/src/main.js');
const KEYS: Record<Role, string> = {
  'programme-office': 'fuzz-key-programme-office-000000',
  auditor: 'fuzz-key-auditor-0000000000000000',
  evaluator: 'fuzz-key-evaluator-00000000000000',
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '5000' },
      seed: { type: 'string' },
      first: { type: 'string', default: '0' },
      concurrency: { type: 'string', default: '8' },
      keep: { type: 'boolean', default: false },
    },
  });
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const seed =
    values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  if (
    !Number.isSafeInteger(requests) ||
    requests < 1 ||
    !Number.isSafeInteger(seed) ||
    !(concurrency >= 1)
  ) {
    console.error(
      'usage: npm run fuzz -- [--requests N] [--seed N] [--first I] [--concurrency N] [--keep]',
    );
    return 2;
  }
  console.log(`fuzz: seed ${seed} (reproduce with --seed ${seed}), ${requests} requests`);

  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-fuzz-'));
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LEDGER_DATA_DIR: dataDir,
      LEDGER_API_KEYS: Object.entries(KEYS)
        .map(([role, key]) => `${role}:${key}`)
        .join(','),
      // The fuzzer wants answers, not 429s; both limits have tests of their own.
      LEDGER_RATE_LIMIT: '0',
      LEDGER_AUTH_FAILURE_LIMIT: '0',
      LEDGER_LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilServing(url, () => child.exitCode !== null);
    const report = await runFuzz({
      baseUrl: url,
      keys: KEYS,
      seed,
      requests,
      first: Number(values.first),
      concurrency,
      onBatch: (done, progress) => {
        if (process.stderr.isTTY || done % 5_000 < 250) {
          process.stderr.write(
            `  ${done}/${requests} requests, ${progress.serverErrors} 5xx, ${progress.eventsFromRefusals} events from refusals, ${progress.requestsPerSecond} req/s\n`,
          );
        }
      },
    });
    if (child.exitCode !== null) throw new Error(`the ledger exited during the run:\n${output}`);
    printTable(report);
    for (const failure of report.failures.slice(0, 10)) {
      console.log(
        `  #${failure.index} ${failure.operation} → ${failure.status}: ${failure.problem}`,
      );
      console.log(
        `    ${failure.method} ${failure.path.slice(0, 160)} [${failure.mutations.join(', ')}]`,
      );
      if (failure.body) console.log(`    ${failure.body.slice(0, 200)}`);
    }
    if (report.serverErrors > 0) console.log(`\nledger output (tail):\n${output.slice(-4_000)}`);
    console.log(JSON.stringify({ ...report, failures: report.failures.slice(0, 20) }));
    const ok =
      report.serverErrors === 0 &&
      report.eventsFromRefusals === 0 &&
      report.badErrorBodies === 0 &&
      report.timeouts === 0;
    return ok ? 0 : 1;
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    if (!values.keep) rmSync(dataDir, { recursive: true, force: true });
    else console.log(`data kept in ${dataDir}`);
  }
}

async function waitUntilServing(url: string, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error('the ledger exited before serving');
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the ledger did not serve within 60 s');
}

function printTable(report: FuzzReport): void {
  const rows: Array<[string, string | number]> = [
    ['seed', report.seed],
    ['requests', report.requests],
    ['operations covered', `${report.operationsCovered} of ${report.operations}`],
    ...Object.entries(report.byStatusClass)
      .sort()
      .map(([name, count]): [string, number] => [`  ${name}`, count]),
    ['5xx (must be 0)', report.serverErrors],
    ['answers out of shape or unreadable (must be 0)', report.badErrorBodies],
    ['unanswered (must be 0)', report.timeouts],
    ['accepted commands', report.acceptedCommands],
    ['events appended', report.eventsAppended],
    ['events from refusals (must be 0)', report.eventsFromRefusals],
    ['requests/s', report.requestsPerSecond],
    ['duration', `${(report.durationMs / 1_000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log('');
  for (const [name, value] of rows) console.log(`${name.padEnd(width)}  ${value}`);
  console.log('');
}

process.exitCode = await main();
