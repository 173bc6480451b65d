import type { RecordedEvent } from '@app/event-store';
import type Database from 'better-sqlite3';
import { installIndexes, installProjections } from '../core/projection.js';
import { openReadStore } from '../core/read-store.js';
import { createLedgerProjections } from '../ledger-projections.js';

/**
 * A fresh read store fed `events` as a rebuild feeds it (`bulkReplay` around
 * the replay, query indexes after it). With `abandonAfter`, the replay fails
 * after that many events (`abandon`), and the rest come as live events do.
 */
export function bulkRebuild(
  events: readonly RecordedEvent[],
  { abandonAfter }: { abandonAfter?: number } = {},
): Database.Database {
  const db = openReadStore(':memory:');
  const projections = createLedgerProjections();
  installProjections(db, projections, { indexes: false });
  for (const p of projections) p.bulkReplay?.('start');
  const cut = abandonAfter ?? events.length;
  db.transaction(() => {
    for (const event of events.slice(0, cut)) for (const p of projections) p.apply(event);
  })();
  if (abandonAfter === undefined) {
    db.transaction(() => {
      for (const p of projections) p.bulkReplay?.('finish');
    })();
  } else {
    for (const p of projections) p.bulkReplay?.('abandon');
  }
  installIndexes(db, projections);
  for (const event of events.slice(cut))
    db.transaction(() => {
      for (const p of projections) p.apply(event);
    })();
  return db;
}

/** Every row of the tables whose names start with `prefix`, table by table, in key order. */
export function keptRows(db: Database.Database, prefix: string): Record<string, unknown[]> {
  const tables = db
    .prepare<[string], { name: string }>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ORDER BY name`,
    )
    .all(`${prefix}%`);
  return Object.fromEntries(
    tables.map(({ name }) => [name, db.prepare(`SELECT * FROM ${name} ORDER BY 1, 2, 3`).all()]),
  );
}
