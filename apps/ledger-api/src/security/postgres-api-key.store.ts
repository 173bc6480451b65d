import type { LedgerPostgres } from '@app/event-store';
import { Logger } from '@nestjs/common';
import { ApiKeys, hashApiKey, matchRole, newApiKey, type IssuedKey } from './api-key.store.js';
import { ROLES, type Role } from './roles.js';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS api_keys (
     hash       bytea PRIMARY KEY,
     role       text NOT NULL,
     source     text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
];

/** How often a replica rereads the hashes (keys configured or revoked by another replica). */
export const API_KEY_REFRESH_MS = 5_000;

/**
 * API key hashes shared by every replica of a cluster, in PostgreSQL. Keys
 * are generated once for the whole cluster (the first replica to start, under
 * an advisory lock) or come from `LEDGER_API_KEYS`; each replica holds the
 * hashes in memory for constant-time lookups and rereads them every
 * API_KEY_REFRESH_MS, so a key configured or revoked on one replica holds on
 * every replica within that time.
 */
export class PostgresApiKeyStore extends ApiKeys {
  private readonly logger = new Logger('ApiKeys');
  private keys: Array<{ role: Role; hash: Buffer }> = [];
  private timer: NodeJS.Timeout | null = null;

  private constructor(private readonly db: LedgerPostgres) {
    super();
  }

  static async open(db: LedgerPostgres): Promise<PostgresApiKeyStore> {
    await db.ensure(SCHEMA);
    return new PostgresApiKeyStore(db);
  }

  async start(configured: IssuedKey[] | null): Promise<IssuedKey[]> {
    const issued = await this.db.run('issue API keys', () =>
      this.db.sql.begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(hashtextextended(${`api-keys:${this.db.schema}`}, 0))`;
        if (configured) {
          await tx`DELETE FROM api_keys WHERE source = 'config'`;
          for (const { role, key } of configured) {
            await tx`
              INSERT INTO api_keys (hash, role, source) VALUES (${hashApiKey(key)}, ${role}, 'config')
              ON CONFLICT (hash) DO UPDATE SET role = excluded.role, source = 'config'`;
          }
          return [];
        }
        const [{ count }] = await tx<
          [{ count: number }]
        >`SELECT count(*)::int AS count FROM api_keys`;
        if (count > 0) return [];
        const generated = ROLES.map((role) => ({ role, key: newApiKey(role) }));
        for (const { role, key } of generated) {
          await tx`INSERT INTO api_keys (hash, role, source) VALUES (${hashApiKey(key)}, ${role}, 'generated')`;
        }
        return generated;
      }),
    );
    await this.reload();
    this.timer = setInterval(() => {
      this.reload().catch((error: unknown) =>
        this.logger.warn(
          `rereading API keys failed (keeping the last ones read): ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }, API_KEY_REFRESH_MS);
    this.timer.unref();
    return issued;
  }

  private async reload(): Promise<void> {
    const rows = await this.db.run(
      'read API keys',
      () => this.db.sql<Array<{ role: Role; hash: Buffer }>>`SELECT role, hash FROM api_keys`,
    );
    this.keys = rows.map((row) => ({ role: row.role, hash: Buffer.from(row.hash) }));
  }

  roleOf(presented: string): Role | null {
    return matchRole(this.keys, presented);
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  onApplicationShutdown(): void {
    this.close();
  }
}
