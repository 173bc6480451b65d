import { getSQLiteEventStore } from '@event-driven-io/emmett-sqlite';
import sqlite3 from 'sqlite3';
import type { EmmettWorkerReport } from './emmett.bench.js';
import { summarise, WARM_UP_APPENDS } from './stats.js';

/**
 * `node dist/bench/emmett.worker.js <writers> <events> <streams> <dbPath>`:
 * the workload of append.bench.ts against Emmett's SQLite store, with the
 * store's own defaults, printing one line of JSON (an EmmettWorkerReport) on
 * stdout. Run by emmett.bench.ts as a child process.
 */
const [writers, events, streams] = process.argv.slice(2, 5).map(Number) as [number, number, number];
const dbPath = process.argv[5] ?? '';
if (!(writers >= 1 && events >= 1 && streams >= 1) || !dbPath) {
  console.error('usage: emmett.worker.js <writers> <events> <streams> <dbPath>');
  process.exit(2);
}

// Emmett console.logs every failed transaction, which would break the one line on stdout.
console.log = () => {};

const latencies: number[] = [];
const errorKinds: Record<string, number> = {};
let ok = 0;
let failed = 0;
let started = performance.now();
let settings: Partial<EmmettWorkerReport> = {};

/** The SQLite code (SQLITE_BUSY, ...) where there is one, else the error's class. */
function kindOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : error.constructor.name.replace(/^_/, '');
  }
  return typeof error;
}

function report(extra: Partial<EmmettWorkerReport> = {}): EmmettWorkerReport {
  const seconds = (performance.now() - started) / 1000;
  const unfinished = events - ok - failed;
  return {
    writers,
    events,
    ok,
    errors: events - ok,
    errorKinds: unfinished > 0 ? { ...errorKinds, unfinished } : errorKinds,
    seconds: Math.round(seconds * 1000) / 1000,
    eventsPerSecond: Math.round(ok / seconds),
    ...summarise(latencies),
    ...settings,
    ...extra,
  };
}

/** Stops the run where it is; what never finished counts as an error. */
function stop(reason: string): never {
  process.stdout.write(`${JSON.stringify(report({ crashed: reason }))}\n`);
  process.exit(1);
}
process.on('uncaughtException', (error) => stop(`uncaught ${kindOf(error)}: ${error.message}`));
process.on('unhandledRejection', (error) => stop(`unhandled rejection ${kindOf(error)}`));
process.on('SIGTERM', () => stop('stopped by SIGTERM'));

/** The settings a fresh connection gets: Emmett sets journal_mode on each, never synchronous. */
async function inspect(path: string): Promise<Partial<EmmettWorkerReport>> {
  const db = new sqlite3.Database(path);
  const get = (sql: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) =>
      db.get(sql, (error: Error | null, row: Record<string, unknown>) =>
        error ? reject(error) : resolve(row),
      ),
    );
  try {
    return {
      journalMode: String((await get('PRAGMA journal_mode')).journal_mode),
      synchronous: Number((await get('PRAGMA synchronous')).synchronous),
    };
  } finally {
    await new Promise((resolve) => db.close(resolve));
  }
}

async function main(): Promise<void> {
  const store = getSQLiteEventStore({ fileName: dbPath });
  // Emmett creates its schema on first use; then the same untimed warm-up as our store gets
  // (WARM_UP_APPENDS, to streams of their own, not counted afterwards), one at a time.
  await store.readStream('partner-warmup');
  for (let i = 0; i < WARM_UP_APPENDS; i++) {
    await store.appendToStream(`warm-up-${i}`, [{ type: 'WarmUp', data: { i } }], {
      expectedStreamVersion: 0n,
    });
  }
  settings = await inspect(dbPath);
  const revisions = new Map<number, bigint>();
  let next = 0;
  started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (;;) {
        const n = next++;
        if (n >= events) return;
        // The same streams, in the same order, as append.bench.ts.
        const stream = writer + writers * (n % Math.max(1, Math.floor(streams / writers)));
        const t0 = performance.now();
        try {
          // 0n is Emmett SQLite's exact "no stream" check: its STREAM_DOES_NOT_EXIST checks nothing.
          const result = await store.appendToStream(
            `partner-${stream}`,
            [{ type: 'WorkshopAttended', data: { partnerId: String(stream), n } }],
            { expectedStreamVersion: revisions.get(stream) ?? 0n },
          );
          revisions.set(stream, result.nextExpectedStreamVersion);
          ok++;
        } catch (error) {
          failed++;
          const kind = kindOf(error);
          errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  process.stdout.write(`${JSON.stringify(report())}\n`);
  process.exit(0);
}

main().catch((error: unknown) =>
  stop(`${kindOf(error)}: ${error instanceof Error ? error.message : String(error)}`),
);
