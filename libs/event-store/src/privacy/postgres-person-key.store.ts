import { randomBytes } from 'node:crypto';
import type { LedgerPostgres } from '../postgres/ledger-postgres.js';
import { unavailable } from '../postgres/ledger-postgres.js';
import { PersonKeys } from './person-keys.js';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS person_keys (
     person_id  text PRIMARY KEY,
     key        bytea NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE TABLE IF NOT EXISTS destroyed_keys (
     person_id    text PRIMARY KEY,
     destroyed_at timestamptz NOT NULL DEFAULT now()
   )`,
];

/**
 * Per-person keys shared by every API replica of a cluster, in PostgreSQL.
 * Each replica keeps the keys it has loaded in memory (the cipher works
 * synchronously); an erasure on any replica deletes the row, records the
 * person as erased (so no replica ever creates a new key for them), runs
 * `VACUUM FULL` on the table (ADR 0012: what that does and does not remove)
 * and tells every replica to drop its copy over LISTEN/NOTIFY. A replica
 * that missed the notification (its listening connection was down) drops
 * it when its ErasureSaga sees the erasure in the log, which calls
 * `destroy` again (idempotent).
 */
export class PostgresPersonKeyStore extends PersonKeys {
  /** A loaded key, or null for a person whose key was destroyed. */
  private readonly cache = new Map<string, Buffer | null>();
  private listener: { unlisten(): Promise<void> } | null = null;

  private constructor(private readonly db: LedgerPostgres) {
    super();
  }

  static async open(db: LedgerPostgres): Promise<PostgresPersonKeyStore> {
    await db.ensure(SCHEMA);
    const store = new PostgresPersonKeyStore(db);
    try {
      store.listener = await db.sql.listen(db.channel('person_key_destroyed'), (personId) =>
        store.cache.set(personId, null),
      );
    } catch (error) {
      throw unavailable('listen for erasures', error);
    }
    return store;
  }

  prefetch(personIds: readonly string[], create: boolean): Promise<void> | undefined {
    const missing = [...new Set(personIds)].filter((id) => !this.cache.has(id));
    return missing.length === 0 ? undefined : this.load(missing, create);
  }

  private async load(ids: string[], create: boolean): Promise<void> {
    await this.db.run('load person keys', async () => {
      if (create) {
        await this.db.sql.begin(async (tx) => {
          for (const id of [...ids].sort()) {
            // Serialised with destroy(): a key is never created after the person's erasure.
            await tx`SELECT pg_advisory_xact_lock(hashtextextended(${`person-key:${id}`}, 0))`;
            await tx`
              INSERT INTO person_keys (person_id, key)
              SELECT ${id}, ${randomBytes(32)}
              WHERE NOT EXISTS (SELECT 1 FROM destroyed_keys WHERE person_id = ${id})
              ON CONFLICT (person_id) DO NOTHING`;
          }
        });
      }
      const keys = await this.db.sql<Array<{ person_id: string; key: Buffer }>>`
        SELECT person_id, key FROM person_keys WHERE person_id = ANY(${ids})`;
      const destroyed = await this.db.sql<Array<{ person_id: string }>>`
        SELECT person_id FROM destroyed_keys WHERE person_id = ANY(${ids})`;
      for (const row of keys) this.cache.set(row.person_id, Buffer.from(row.key));
      // Destroyed wins over a key read in the same breath (a concurrent erasure).
      for (const row of destroyed) this.cache.set(row.person_id, null);
    });
  }

  keyFor(personId: string): Buffer | null {
    const key = this.cache.get(personId);
    if (key === undefined) {
      throw new Error(`The key of ${personId} was not loaded: prefetch([...], true) first`);
    }
    return key;
  }

  /** Loaded by `prefetch`; a person with neither a key nor an erasure has no encrypted data. */
  existingKey(personId: string): Buffer | null {
    return this.cache.get(personId) ?? null;
  }

  async destroy(personId: string): Promise<void> {
    const deleted = await this.db.run('destroy a person key', () =>
      this.db.sql.begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(hashtextextended(${`person-key:${personId}`}, 0))`;
        const rows = await tx`DELETE FROM person_keys WHERE person_id = ${personId}`;
        await tx`INSERT INTO destroyed_keys (person_id) VALUES (${personId}) ON CONFLICT DO NOTHING`;
        await tx`SELECT pg_notify(${this.db.channel('person_key_destroyed')}, ${personId})`;
        return rows.count;
      }),
    );
    this.cache.set(personId, null);
    // Rewrite the table without the deleted row's bytes (only once: the other replicas'
    // sagas call destroy again and find nothing to delete).
    if (deleted > 0)
      await this.db.run('vacuum person keys', () => this.db.sql`VACUUM (FULL) person_keys`);
  }

  /**
   * Brings in the keys of an embedded ledger moving to a cluster (its
   * `keys.sqlite`, `PersonKeyStore.exportAll`), before any replica serves its
   * events: a key is copied unless the person already has one (the same key:
   * counted as there; another: a conflict, left as it is) or was erased; an
   * erasure (key null) destroys any key the person has here. Rerunnable.
   */
  async importKeys(
    entries: ReadonlyArray<{ personId: string; key: Buffer | null }>,
  ): Promise<{ copied: number; alreadyThere: number; erased: number; conflicts: string[] }> {
    const outcome = { copied: 0, alreadyThere: 0, erased: 0, conflicts: [] as string[] };
    for (const { personId, key } of entries) {
      if (key === null) {
        await this.destroy(personId);
        outcome.erased++;
        continue;
      }
      await this.db.run('import a person key', () =>
        this.db.sql.begin(async (tx) => {
          await tx`SELECT pg_advisory_xact_lock(hashtextextended(${`person-key:${personId}`}, 0))`;
          const inserted = await tx`
            INSERT INTO person_keys (person_id, key)
            SELECT ${personId}, ${key}
            WHERE NOT EXISTS (SELECT 1 FROM destroyed_keys WHERE person_id = ${personId})
            ON CONFLICT (person_id) DO NOTHING`;
          if (inserted.count > 0) {
            outcome.copied++;
            return;
          }
          const [row] = await tx<Array<{ key: Buffer }>>`
            SELECT key FROM person_keys WHERE person_id = ${personId}`;
          if (!row) outcome.erased++;
          else if (Buffer.from(row.key).equals(key)) outcome.alreadyThere++;
          else outcome.conflicts.push(personId);
        }),
      );
    }
    return outcome;
  }

  /** Was the person's key destroyed (by any replica)? */
  async isDestroyed(personId: string): Promise<boolean> {
    const rows = await this.db.run(
      'read erasures',
      () => this.db.sql`SELECT 1 FROM destroyed_keys WHERE person_id = ${personId}`,
    );
    return rows.length > 0;
  }

  async close(): Promise<void> {
    await this.listener?.unlisten().catch(() => undefined);
    this.listener = null;
  }
}
