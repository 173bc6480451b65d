import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The disk's own limits with the store's settings (WAL, synchronous=FULL): one transaction per event, and 1,000 per transaction. */
export function sqliteLimits(events: number): {
  floor: number;
  ceiling: number;
  parseCeiling: number;
} {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-limits-'));
  try {
    const db = new Database(join(dir, 'limits.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE e (position INTEGER PRIMARY KEY, id TEXT UNIQUE, data TEXT)');
    const insert = db.prepare('INSERT INTO e (id, data) VALUES (?, ?)');
    const payload = () =>
      JSON.stringify({
        groupId: 'g-1',
        seatId: randomUUID(),
        partnerId: 'p-1',
        constituency: 'lay',
        occurredAt: '2014-01-10T00:00:00.000Z',
      });
    const floorCount = Math.max(200, Math.floor(events / 20));
    let t = performance.now();
    for (let i = 0; i < floorCount; i++)
      db.transaction(() => insert.run(randomUUID(), payload()))();
    const floor = floorCount / ((performance.now() - t) / 1000);
    t = performance.now();
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
    db.close();
    return {
      floor: Math.round(floor),
      ceiling: Math.round(ceiling),
      parseCeiling: Math.round(parseCeiling),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
