import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PersonKeys } from './person-keys.js';

/**
 * One AES-256 key per person, kept outside the event log. Destroying a key
 * is the erasure: the log stays immutable and the person's data in it
 * becomes unreadable. `secure_delete` overwrites deleted content in the
 * file, and the WAL is checkpointed and truncated so no copy lingers there.
 * The embedded default; a cluster shares PostgresPersonKeyStore instead.
 */
export class PersonKeyStore extends PersonKeys {
  private readonly db: Database.Database;
  private readonly getStmt: Database.Statement<[string], { key: Buffer }>;
  private readonly insertStmt: Database.Statement<[string, Buffer, string]>;
  private readonly destroyedStmt: Database.Statement<[string], { person_id: string }>;
  private readonly cache = new Map<string, Buffer | null>();
  /** New people's keys waiting to be created, in one transaction at the next turn of the event loop. */
  private queued: { personIds: string[]; created: Promise<void> } | null = null;
  /** Person id → the creation it waits for. */
  private readonly creating = new Map<string, Promise<void>>();

  constructor(path: string) {
    super();
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('secure_delete = ON');
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS person_keys (
        person_id  TEXT PRIMARY KEY,
        key        BLOB NOT NULL,
        created_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS destroyed_keys (
        person_id    TEXT PRIMARY KEY,
        destroyed_at TEXT NOT NULL
      ) WITHOUT ROWID;`);
    this.getStmt = this.db.prepare('SELECT key FROM person_keys WHERE person_id = ?');
    this.insertStmt = this.db.prepare(
      'INSERT OR IGNORE INTO person_keys (person_id, key, created_at) VALUES (?, ?, ?)',
    );
    this.destroyedStmt = this.db.prepare(
      'SELECT person_id FROM destroyed_keys WHERE person_id = ?',
    );
  }

  /**
   * Reads need nothing loaded first. Keys an append will create are created
   * here, every new person asking in the same turn of the event loop in one
   * transaction and one fsync (a key is durable before any event sealed
   * with it); `keyFor` then answers from memory.
   */
  prefetch(personIds: readonly string[], create: boolean): Promise<void> | undefined {
    if (!create) return undefined;
    const waits = new Set<Promise<void>>();
    for (const personId of personIds) {
      if (this.cache.has(personId)) continue;
      const pending = this.creating.get(personId);
      if (pending) {
        waits.add(pending);
        continue;
      }
      const key = this.getStmt.get(personId)?.key;
      if (key) this.cache.set(personId, key);
      else if (this.destroyedStmt.get(personId)) this.cache.set(personId, null);
      else waits.add(this.queueCreation(personId));
    }
    if (waits.size === 0) return undefined;
    return Promise.all(waits).then(() => undefined);
  }

  private queueCreation(personId: string): Promise<void> {
    if (!this.queued) {
      const personIds: string[] = [];
      const created = new Promise<void>((resolve, reject) => {
        setImmediate(() => {
          try {
            this.createQueued();
            resolve();
          } catch (error) {
            reject(error);
          }
        });
      });
      this.queued = { personIds, created };
    }
    this.queued.personIds.push(personId);
    this.creating.set(personId, this.queued.created);
    return this.queued.created;
  }

  /** Creates the queued keys in one transaction (a person erased meanwhile gets none). */
  private createQueued(): void {
    const queued = this.queued;
    if (!queued) return;
    this.queued = null;
    try {
      const created = this.db.transaction((personIds: string[]) => {
        const now = new Date().toISOString();
        return personIds.map((personId) => {
          if (this.destroyedStmt.get(personId)) return null;
          this.insertStmt.run(personId, randomBytes(32), now);
          return this.getStmt.get(personId)!.key;
        });
      })(queued.personIds);
      queued.personIds.forEach((personId, i) => this.cache.set(personId, created[i]!));
    } finally {
      for (const personId of queued.personIds) this.creating.delete(personId);
    }
  }

  /** The person's key, created on first use; null once destroyed (never recreated). */
  keyFor(personId: string): Buffer | null {
    const cached = this.cache.get(personId);
    if (cached !== undefined) return cached;
    let key = this.getStmt.get(personId)?.key ?? null;
    if (!key && !this.destroyedStmt.get(personId)) {
      this.insertStmt.run(personId, randomBytes(32), new Date().toISOString());
      key = this.getStmt.get(personId)!.key;
    }
    this.cache.set(personId, key);
    return key;
  }

  /** The key if it exists; never creates one (for reading). */
  existingKey(personId: string): Buffer | null {
    const cached = this.cache.get(personId);
    if (cached !== undefined) return cached;
    const key = this.getStmt.get(personId)?.key ?? null;
    if (key || this.destroyedStmt.get(personId)) this.cache.set(personId, key);
    return key;
  }

  /** Crypto-shredding: the key is gone from the file and the WAL; idempotent. */
  destroy(personId: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM person_keys WHERE person_id = ?').run(personId);
      this.db
        .prepare('INSERT OR IGNORE INTO destroyed_keys (person_id, destroyed_at) VALUES (?, ?)')
        .run(personId, new Date().toISOString());
    })();
    this.cache.set(personId, null);
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** Every key, and every person whose key was destroyed (key null): for moving them elsewhere. */
  exportAll(): Array<{ personId: string; key: Buffer | null }> {
    const keys = this.db
      .prepare('SELECT person_id, key FROM person_keys ORDER BY person_id')
      .all() as Array<{
      person_id: string;
      key: Buffer;
    }>;
    const destroyed = this.db
      .prepare('SELECT person_id FROM destroyed_keys ORDER BY person_id')
      .all() as Array<{ person_id: string }>;
    return [
      ...keys.map((row) => ({ personId: row.person_id, key: row.key })),
      ...destroyed.map((row) => ({ personId: row.person_id, key: null })),
    ];
  }

  isDestroyed(personId: string): boolean {
    return this.destroyedStmt.get(personId) !== undefined;
  }

  close(): void {
    if (this.queued) this.createQueued();
    this.db.close();
  }
}
