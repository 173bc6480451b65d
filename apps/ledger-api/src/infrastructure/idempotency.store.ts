import Database from 'better-sqlite3';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface StoredResponse {
  requestHash: string;
  status: number;
  body: unknown;
}

/**
 * First responses to requests that carried an Idempotency-Key (the port).
 * Only successful responses are kept: a refused request appended nothing, so
 * running it again is harmless. (If the process dies between the append and
 * saving the response, the command handler still recognises the retry by its
 * command id in the stream; see DeciderRunner.) Records older than the
 * retention window (`LEDGER_IDEMPOTENCY_RETENTION`) are pruned in the
 * background. Embedded: IdempotencyStore (SQLite, beside the event store);
 * cluster: PostgresIdempotencyStore, shared by every replica.
 */
export abstract class IdempotencyRecords {
  /**
   * A keyed fingerprint of a request. Keyed, because some request bodies come
   * from small sets (a ballot: a voter and a candidate) and a plain hash could
   * be reversed by trying them all. The key is shared by every replica.
   */
  abstract fingerprint(request: string): string;
  abstract get(key: string): Promise<StoredResponse | null>;
  abstract put(key: string, response: StoredResponse): Promise<void>;
  /** Deletes the records created before `before` (epoch ms); answers how many. */
  abstract prune(before: number): Promise<number>;
  abstract close(): Promise<void> | void;
}

/** Idempotency records in `idempotency.sqlite` in the data directory (embedded mode). */
export class IdempotencyStore extends IdempotencyRecords {
  private readonly db: Database.Database;
  private readonly getStmt: Database.Statement<
    [string],
    { request_hash: string; status: number; body: string }
  >;
  private readonly putStmt: Database.Statement<[string, string, number, string, number]>;

  private readonly secret: Buffer;

  constructor(path: string) {
    super();
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.exec('CREATE TABLE IF NOT EXISTS idempotency_secret (secret BLOB NOT NULL)');
    const row = this.db.prepare('SELECT secret FROM idempotency_secret').get() as
      { secret: Buffer } | undefined;
    this.secret = row?.secret ?? randomBytes(32);
    if (!row)
      this.db.prepare('INSERT INTO idempotency_secret (secret) VALUES (?)').run(this.secret);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS idempotency (
      key          TEXT PRIMARY KEY,
      request_hash TEXT NOT NULL,
      status       INTEGER NOT NULL,
      body         TEXT NOT NULL,
      created_at   INTEGER NOT NULL
    ) WITHOUT ROWID`);
    this.getStmt = this.db.prepare(
      'SELECT request_hash, status, body FROM idempotency WHERE key = ?',
    );
    this.putStmt = this.db.prepare(
      'INSERT OR IGNORE INTO idempotency (key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?)',
    );
  }

  fingerprint(request: string): string {
    return createHmac('sha256', this.secret).update(request).digest('hex');
  }

  get(key: string): Promise<StoredResponse | null> {
    const row = this.getStmt.get(key);
    return Promise.resolve(
      row
        ? {
            requestHash: row.request_hash,
            status: row.status,
            body: JSON.parse(row.body) as unknown,
          }
        : null,
    );
  }

  /** Written before it resolves (synchronously). */
  put(key: string, response: StoredResponse): Promise<void> {
    this.putStmt.run(
      key,
      response.requestHash,
      response.status,
      JSON.stringify(response.body),
      Date.now(),
    );
    return Promise.resolve();
  }

  prune(before: number): Promise<number> {
    const { changes } = this.db.prepare('DELETE FROM idempotency WHERE created_at < ?').run(before);
    return Promise.resolve(changes);
  }

  close(): void {
    this.db.close();
  }
}
