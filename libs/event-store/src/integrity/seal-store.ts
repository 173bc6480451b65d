import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SIGNED_HEAD_VERSION, type SignedHead } from './ledger-seal.js';

/** What the sealer recorded for one event: enough to say which event, where, and what changed. */
export interface SealRecord {
  position: bigint;
  /** Events sealed up to and including this one. */
  count: number;
  /** The event's hash (ledger-event-v1) when sealed. */
  eventHash: string;
  /** Its `recordedAt` when sealed, ms since the epoch. */
  recordedAt: number;
  /** The seal chain after it. */
  seal: string;
}

/** Seal records in position order, for the verifier to compare the log with. */
export interface SealRecords {
  /** Up to `limit` records after `after` (`null`: from the first), in position order. */
  recordsAfter(after: bigint | null, limit: number): SealRecord[];
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS seal_records (
  position    INTEGER PRIMARY KEY,
  count       INTEGER NOT NULL,
  event_hash  TEXT    NOT NULL,
  recorded_at INTEGER NOT NULL,
  seal        TEXT    NOT NULL
);
CREATE TABLE IF NOT EXISTS signed_heads (
  id          INTEGER PRIMARY KEY,
  position    INTEGER,
  count       INTEGER NOT NULL,
  hash        TEXT    NOT NULL,
  recorded_at TEXT,
  sealed_at   TEXT    NOT NULL,
  key_id      TEXT    NOT NULL,
  signature   TEXT    NOT NULL
);
`;

type RecordTuple = [
  position: bigint,
  count: bigint,
  eventHash: string,
  recordedAt: bigint,
  seal: string,
];

interface HeadRow {
  position: bigint | null;
  count: bigint;
  hash: string;
  recorded_at: string | null;
  sealed_at: string;
  key_id: string;
  signature: string;
}

/**
 * Where the sealer keeps its work: one record per sealed event and every head
 * it signed (`seal.sqlite` in the data directory). None of it is trusted by
 * verification, which recomputes the chain from the log: the records only
 * locate a difference, and a head is evidence once it has left the machine.
 */
export class SealStore implements SealRecords {
  private readonly db: Database.Database;
  private readonly stmt: {
    after: Database.Statement<[bigint, number], RecordTuple>;
    last: Database.Statement<[], RecordTuple>;
    insert: Database.Statement<[bigint, number, string, number, string]>;
    insertHead: Database.Statement<
      [bigint | null, number, string, string | null, string, string, string]
    >;
    latestHead: Database.Statement<[], HeadRow>;
  };

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(SCHEMA);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.stmt = {
      after: this.db
        .prepare<[bigint, number], RecordTuple>(
          'SELECT position, count, event_hash, recorded_at, seal FROM seal_records WHERE position > ? ORDER BY position LIMIT ?',
        )
        .raw()
        .safeIntegers(),
      last: this.db
        .prepare<[], RecordTuple>(
          'SELECT position, count, event_hash, recorded_at, seal FROM seal_records ORDER BY position DESC LIMIT 1',
        )
        .raw()
        .safeIntegers(),
      insert: this.db.prepare(
        'INSERT INTO seal_records (position, count, event_hash, recorded_at, seal) VALUES (?, ?, ?, ?, ?)',
      ),
      insertHead: this.db.prepare(
        `INSERT INTO signed_heads (position, count, hash, recorded_at, sealed_at, key_id, signature)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      latestHead: this.db
        .prepare<[], HeadRow>('SELECT * FROM signed_heads ORDER BY id DESC LIMIT 1')
        .safeIntegers(),
    };
  }

  recordsAfter(after: bigint | null, limit: number): SealRecord[] {
    return this.stmt.after.all(after ?? -1n, limit).map(fromTuple);
  }

  /** The last record: where sealing resumes. */
  last(): SealRecord | null {
    const row = this.stmt.last.get();
    return row ? fromTuple(row) : null;
  }

  /**
   * Adds records after `expectedLast` (the last record's position when the
   * sealer started reading). `false`, writing nothing, if another sealer
   * (another process on the same data directory) got there first.
   */
  append(records: readonly SealRecord[], expectedLast: bigint | null): boolean {
    return this.db.transaction(() => {
      const last = this.stmt.last.get();
      if ((last ? last[0] : null) !== expectedLast) return false;
      for (const r of records) {
        this.stmt.insert.run(r.position, r.count, r.eventHash, r.recordedAt, r.seal);
      }
      return true;
    })();
  }

  saveHead(head: SignedHead): void {
    this.stmt.insertHead.run(
      head.position,
      head.count,
      head.hash,
      head.recordedAt ? head.recordedAt.toISOString() : null,
      head.sealedAt.toISOString(),
      head.keyId,
      head.signature,
    );
  }

  /** The last head signed, by any sealer on this data directory. */
  latestHead(): SignedHead | null {
    const row = this.stmt.latestHead.get();
    if (!row) return null;
    return {
      format: SIGNED_HEAD_VERSION,
      keyId: row.key_id,
      position: row.position,
      count: Number(row.count),
      hash: row.hash,
      recordedAt: row.recorded_at === null ? null : new Date(row.recorded_at),
      sealedAt: new Date(row.sealed_at),
      signature: row.signature,
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function fromTuple([position, count, eventHash, recordedAt, seal]: RecordTuple): SealRecord {
  return { position, count: Number(count), eventHash, recordedAt: Number(recordedAt), seal };
}
