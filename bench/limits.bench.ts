import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const payload = () =>
  JSON.stringify({
    groupId: 'g-1',
    seatId: randomUUID(),
    partnerId: 'p-1',
    constituency: 'lay',
    occurredAt: '2014-01-10T00:00:00.000Z',
  });

/** A fresh file with the store's settings (WAL, synchronous=FULL) and a table of events. */
function withLimitsTable<T>(
  run: (db: Database.Database, insert: Database.Statement<[string, string]>) => T,
): T {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-limits-'));
  try {
    const db = new Database(join(dir, 'limits.sqlite'));
    try {
      // The event store's settings (ADR 0001), so the floor is the same disk under the same WAL.
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('wal_autocheckpoint = 4000');
      db.pragma('journal_size_limit = 67108864');
      db.exec('CREATE TABLE e (position INTEGER PRIMARY KEY, id TEXT UNIQUE, data TEXT)');
      return run(db, db.prepare('INSERT INTO e (id, data) VALUES (?, ?)'));
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The disk's floor: one event per transaction, each waiting for its fsync. */
export function sqliteFloor(events: number, warmUp: number): number {
  return withLimitsTable((db, insert) => {
    for (let i = 0; i < warmUp; i++) db.transaction(() => insert.run(randomUUID(), payload()))();
    const started = performance.now();
    for (let i = 0; i < events; i++) db.transaction(() => insert.run(randomUUID(), payload()))();
    return Math.round(events / ((performance.now() - started) / 1000));
  });
}

/** The disk's ceiling (1,000 events per transaction) and reading + parsing them back. */
export function sqliteCeilings(events: number): { ceiling: number; parseCeiling: number } {
  return withLimitsTable((db, insert) => {
    let t = performance.now();
    const batch = db.transaction((n: number) => {
      for (let i = 0; i < n; i++) insert.run(randomUUID(), payload());
    });
    for (let done = 0; done < events; done += 1_000) batch(1_000);
    const ceiling = events / ((performance.now() - t) / 1000);
    // Reading the events back and parsing them: the most a rebuild can do.
    t = performance.now();
    let parsed = 0;
    for (const row of db.prepare('SELECT data FROM e').iterate() as IterableIterator<{
      data: string;
    }>) {
      JSON.parse(row.data);
      parsed += 1;
    }
    const parseCeiling = parsed / ((performance.now() - t) / 1000);
    return { ceiling: Math.round(ceiling), parseCeiling: Math.round(parseCeiling) };
  });
}
