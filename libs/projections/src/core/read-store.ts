import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The local read store: every read model plus the checkpoint of the
 * subscription that feeds them, in one SQLite file. Read models and
 * checkpoint change in one transaction, so after a crash the models are
 * exactly as of the checkpoint and the subscription resumes from there.
 * It can always be rebuilt from the log, so commits need not wait for fsync
 * (synchronous=NORMAL in WAL keeps it consistent, just possibly behind).
 */
export function openReadStore(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // Erased personal data is overwritten in the file, not just unlinked from the b-tree.
  db.pragma('secure_delete = ON');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`CREATE TABLE IF NOT EXISTS checkpoints (
    name     TEXT PRIMARY KEY,
    position INTEGER
  ) WITHOUT ROWID`);
  return db;
}
