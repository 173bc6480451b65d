import { SqliteEventStore } from '@app/event-store';
import { createLedgerProjections, openReadStore, ProjectionRunner } from '@app/projections';
import type { Projection } from '@app/projections';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A full rebuild of a copy of a ledger, timing each projection's `apply` and
 * `bulkReplay` on its own: `node dist/bench/rebuild-by-projection.bench.js
 * <ledger.sqlite> [--per-event name,name]` (`--per-event` drops the named
 * projections' `bulkReplay`, so they keep their rows per event as live
 * events do: the same build measured both ways).
 */
async function main(): Promise<void> {
  const [source, flag, names] = process.argv.slice(2);
  if (!source) throw new Error('usage: rebuild-by-projection.bench.js <ledger.sqlite>');
  const perEvent = new Set(flag === '--per-event' ? (names ?? '').split(',') : []);
  const dir = mkdtempSync(join(tmpdir(), 'ledger-rebuild-by-projection-'));
  try {
    const eventsPath = join(dir, 'events.sqlite');
    copyFileSync(source, eventsPath);
    const store = new SqliteEventStore({ path: eventsPath });
    const db = openReadStore(join(dir, 'readmodels.sqlite'));
    const ms = new Map<string, { apply: number; finish: number }>();
    const projections = createLedgerProjections().map((projection): Projection => {
      const spent = { apply: 0, finish: 0 };
      ms.set(projection.name, spent);
      const bulk = perEvent.has(projection.name) ? undefined : projection.bulkReplay;
      return {
        name: projection.name,
        schema: projection.schema,
        indexes: projection.indexes,
        tables: projection.tables,
        prepare: (d) => projection.prepare(d),
        apply: (event) => {
          const t = performance.now();
          projection.apply(event);
          spent.apply += performance.now() - t;
        },
        bulkReplay: bulk
          ? (phase) => {
              const t = performance.now();
              bulk.call(projection, phase);
              spent.finish += performance.now() - t;
            }
          : undefined,
      };
    });
    const started = performance.now();
    await new ProjectionRunner(store, db, projections).rebuild();
    const total = performance.now() - started;
    const rows = [...ms].sort((a, b) => b[1].apply + b[1].finish - (a[1].apply + a[1].finish));
    for (const [name, { apply, finish }] of rows)
      console.log(
        `${name.padEnd(16)} apply ${apply.toFixed(0).padStart(6)} ms  finish ${finish.toFixed(0).padStart(6)} ms`,
      );
    console.log(
      `total rebuild ${total.toFixed(0)} ms${perEvent.size ? ` (per event: ${[...perEvent].join(', ')})` : ''}`,
    );
    db.close();
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
