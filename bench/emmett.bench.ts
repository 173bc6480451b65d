import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastJsonLine, runChild } from './child.js';
import type { LatencySummary } from './stats.js';

/** What emmett.worker.ts prints, as one line of JSON. */
export interface EmmettWorkerReport extends LatencySummary {
  writers: number;
  events: number;
  ok: number;
  /** Every event that did not land: failed appends, plus those never finished after a crash or timeout. */
  errors: number;
  /** `errors` by kind: the SQLite code, the error's class, or `unfinished`. Sums to `errors`. */
  errorKinds: Record<string, number>;
  seconds: number;
  /** From the worker: acknowledged appends per second; from emmettScenario: durable ones (`ok - lost`). */
  eventsPerSecond: number;
  /** Why the run stopped early, if it did. */
  crashed?: string;
  /** What a fresh node-sqlite3 connection to the store reports: Emmett sets journal_mode only. */
  journalMode?: string;
  synchronous?: number;
}

export interface EmmettResult extends EmmettWorkerReport {
  /** Events in Emmett's messages table once the worker has gone, counted here. */
  persisted: number;
  /** Appends Emmett acknowledged that are not in the table: `ok - persisted`, at least 0. */
  lost: number;
}

/**
 * Emmett's SQLite store under the append workload of append.bench.ts, in a
 * child process so that a crash or a hang costs only that run.
 */
export async function emmettScenario(options: {
  writers: number;
  events: number;
  streams: number;
  timeoutMs: number;
}): Promise<EmmettResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-emmett-'));
  const started = performance.now();
  try {
    const run = await runChild(
      join(import.meta.dirname, 'emmett.worker.js'),
      [options.writers, options.events, options.streams, join(dir, 'emmett.sqlite')].map(String),
      options.timeoutMs,
    );
    const persisted = countEvents(join(dir, 'emmett.sqlite'));
    const timeout = `timeout after ${options.timeoutMs} ms`;
    const report = lastJsonLine<EmmettWorkerReport>(run.stdout);
    if (report) {
      const lost = Math.max(0, report.ok - persisted);
      return {
        ...report,
        // Throughput counts durable events only, not acknowledgements that were lost.
        eventsPerSecond: report.seconds > 0 ? Math.round((report.ok - lost) / report.seconds) : 0,
        ...(run.timedOut && { crashed: timeout }),
        persisted,
        lost,
      };
    }
    // The worker died (or was killed) before it could say anything: nothing counts as landed.
    const reason = run.timedOut ? timeout : `worker exited with ${run.exit}`;
    return {
      writers: options.writers,
      events: options.events,
      ok: 0,
      errors: options.events,
      errorKinds: { unfinished: options.events },
      seconds: Math.round(performance.now() - started) / 1000,
      eventsPerSecond: 0,
      p50Ms: 0,
      p99Ms: 0,
      crashed: `${reason}${run.stderr ? `: ${run.stderr.trim().slice(-500)}` : ''}`,
      persisted,
      lost: 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Committed events only: a transaction the worker left open died with it. */
function countEvents(path: string): number {
  try {
    const db = new Database(path, { fileMustExist: true });
    try {
      const sql = "SELECT COUNT(*) AS n FROM emt_messages WHERE stream_id NOT LIKE 'warm-up-%'";
      return (db.prepare(sql).get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // no file or no schema: nothing landed
  }
}
