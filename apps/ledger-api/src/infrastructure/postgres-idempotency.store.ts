import type { LedgerPostgres } from '@app/event-store';
import { createHmac, randomBytes } from 'node:crypto';
import { IdempotencyRecords, type StoredResponse } from './idempotency.store.js';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS idempotency_secret (
     one    boolean PRIMARY KEY DEFAULT true CHECK (one),
     secret bytea NOT NULL
   )`,
  `CREATE TABLE IF NOT EXISTS idempotency (
     key          text PRIMARY KEY,
     request_hash text NOT NULL,
     status       integer NOT NULL,
     body         text NOT NULL,
     created_at   bigint NOT NULL
   )`,
  `CREATE INDEX IF NOT EXISTS idempotency_created_at ON idempotency (created_at)`,
];

/**
 * Idempotency records shared by every replica of a cluster, in PostgreSQL:
 * a retry sent to another replica gets the first response. The fingerprint
 * secret is shared too (created once, by whichever replica starts first),
 * so every replica recognises the same request.
 */
export class PostgresIdempotencyStore extends IdempotencyRecords {
  private constructor(
    private readonly db: LedgerPostgres,
    private readonly secret: Buffer,
  ) {
    super();
  }

  static async open(db: LedgerPostgres): Promise<PostgresIdempotencyStore> {
    await db.ensure(SCHEMA);
    const secret = await db.run('read the idempotency secret', async () => {
      await db.sql`INSERT INTO idempotency_secret (secret) VALUES (${randomBytes(32)}) ON CONFLICT DO NOTHING`;
      const [row] = await db.sql<Array<{ secret: Buffer }>>`SELECT secret FROM idempotency_secret`;
      return Buffer.from(row!.secret);
    });
    return new PostgresIdempotencyStore(db, secret);
  }

  fingerprint(request: string): string {
    return createHmac('sha256', this.secret).update(request).digest('hex');
  }

  async get(key: string): Promise<StoredResponse | null> {
    const [row] = await this.db.run(
      'read an idempotency record',
      () =>
        this.db.sql<Array<{ request_hash: string; status: number; body: string }>>`
        SELECT request_hash, status, body FROM idempotency WHERE key = ${key}`,
    );
    return row
      ? { requestHash: row.request_hash, status: row.status, body: JSON.parse(row.body) as unknown }
      : null;
  }

  async put(key: string, response: StoredResponse): Promise<void> {
    await this.db.run(
      'keep an idempotency record',
      () =>
        this.db.sql`
        INSERT INTO idempotency (key, request_hash, status, body, created_at)
        VALUES (${key}, ${response.requestHash}, ${response.status},
                ${JSON.stringify(response.body)}, ${Date.now()})
        ON CONFLICT (key) DO NOTHING`,
    );
  }

  async prune(before: number): Promise<number> {
    const result = await this.db.run(
      'prune idempotency records',
      () => this.db.sql`DELETE FROM idempotency WHERE created_at < ${before}`,
    );
    return result.count;
  }

  /** The pool is shared: closed by whoever opened it. */
  close(): void {}
}
