import { ledgerUpcasters } from '@app/domain';
import {
  assembleLedgerEventStore,
  generateSigningKeyPem,
  LedgerSealer,
  parseSigningKey,
  PersonKeyStore,
  SealSigner,
  SealStore,
  SqliteEventStore,
  verifyLedger,
  withHashChain,
  type ChainBreakReason,
  type LedgerVerification,
  type NewEvent,
  type SignedHead,
} from '@app/event-store';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The adversary has the data directory (not the signing key, except where
 * said): every stored column edited, rows deleted, truncated, reordered,
 * duplicated, forged appends, forged digests. Everything that changes the
 * sealed log is detected against a digest signed before, at the first wrong
 * position, with a reason.
 */

interface Row {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: number;
}

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-seal-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const KEY = new SealSigner(parseSigningKey(generateSigningKeyPem()));

const event = (type: string, data: Record<string, unknown>): NewEvent => ({
  id: randomUUID(),
  type,
  data: { occurredAt: '2014-01-10T00:00:00.000Z', ...data },
  metadata: { commandId: randomUUID(), actor: 'programme-office', schemaVersion: 1 },
});

let original: string;
let digest: SignedHead;
let rows: Row[];

/** A small real ledger, written as the app writes it, sealed and signed twice. */
async function buildLedger(dir: string): Promise<void> {
  const keys = new PersonKeyStore(join(dir, 'keys.sqlite'));
  const { store, stored } = assembleLedgerEventStore({
    adapter: new SqliteEventStore({ path: join(dir, 'events.sqlite') }),
    keys,
    upcasters: ledgerUpcasters(),
  });
  const seals = new SealStore(join(dir, 'seal.sqlite'));
  const sealer = new LedgerSealer(stored, seals, KEY);
  for (const [id, name] of [
    ['ann', 'Ann Example'],
    ['bob', 'Bob Example'],
    ['cat', 'Cat Example'],
  ] as const) {
    await store.appendToStream(`partner-${id}`, [
      event('PartnerNominated', { partnerId: id, name, email: `${id}@example.org` }),
    ]);
  }
  await store.appendToStream('group-board', [
    event('GroupEstablished', { groupId: 'board', laySeats: { min: 2, max: 4 } }),
    event('SeatAllocated', { seatId: 'lay-1', partnerId: 'ann' }),
  ]);
  await sealer.seal(); // the sealer runs after each commit batch
  await store.appendToStream('partner-ann', [event('PartnerAppointed', { body: 'board' })]);
  await store.appendToStream('group-board', [
    event('SeatAllocated', { seatId: 'lay-2', partnerId: 'bob' }),
  ]);
  await store.appendToStream('group-forum', [
    event('GroupEstablished', { groupId: 'forum' }),
    event('SeatAllocated', { seatId: 'forum-1', partnerId: 'cat' }),
  ]);
  await store.appendToStream('group-board', [
    event('MeetingHeld', { attended: ['ann', 'bob'], minutes: 120 }),
  ]);
  // The erasure shreds a key: nothing stored changes, so every seal still holds.
  keys.destroy('cat');
  digest = (await sealer.seal())!;
  // Life goes on after the digest was published.
  await store.appendToStream('group-board', [
    event('SeatVacated', { seatId: 'lay-2', reason: 'partner-withdrew' }),
  ]);
  await store.appendToStream('partner-bob', [event('PartnerWithdrew', { partnerId: 'bob' })]);
  await sealer.seal();
  seals.close();
  await store.close();
  keys.close();
}

beforeAll(async () => {
  const dir = tempDir();
  await buildLedger(dir);
  original = dir;
  rows = readRows(join(dir, 'events.sqlite'));
}, 120_000); // a real ledger on SQLite, sealed twice

function readRows(path: string): Row[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT * FROM events ORDER BY position').all() as Row[];
  } finally {
    db.close();
  }
}

/** A copy of the data directory (events and seal records), the events file tampered with. */
function tampered(mutate: (db: Database.Database) => void = () => {}): string {
  const dir = tempDir();
  for (const file of ['events.sqlite', 'seal.sqlite']) {
    for (const suffix of ['', '-wal']) {
      const from = join(original, file + suffix);
      if (existsSync(from)) copyFileSync(from, join(dir, file + suffix));
    }
  }
  const db = new Database(join(dir, 'events.sqlite'));
  mutate(db);
  db.close();
  return dir;
}

async function verifyDir(
  dir: string,
  signedHead: SignedHead = digest,
  { records = true } = {},
): Promise<LedgerVerification> {
  const store = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
  const seals = records ? new SealStore(join(dir, 'seal.sqlite')) : null;
  try {
    return await verifyLedger(store, {
      signedHead,
      publicKey: KEY.publicKey,
      pageSize: 3,
      ...(seals ? { sealRecords: seals } : {}),
    });
  } finally {
    seals?.close();
    await store.close();
  }
}

const sealedRows = () => rows.filter((r) => BigInt(r.position) <= digest.position!);
/** An event with a successor in its stream, and one that is its stream's last, both sealed in the digest. */
const middle = () =>
  sealedRows().find((r) =>
    rows.some((s) => s.stream_id === r.stream_id && s.revision === r.revision + 1),
  )!;
const streamHead = () =>
  sealedRows().find(
    (r) => !rows.some((s) => s.stream_id === r.stream_id && s.revision > r.revision),
  )!;

const set = (column: string, value: unknown, position: number) => (db: Database.Database) =>
  db.prepare(`UPDATE events SET ${column} = ? WHERE position = ?`).run(value, position);

function expectBroken(
  result: LedgerVerification,
  position: number | bigint,
  reasons: ChainBreakReason[],
): void {
  expect(result.ok).toBe(false);
  expect(result.firstBroken?.position).toBe(BigInt(position));
  expect(reasons).toContain(result.firstBroken!.reason);
}

describe('a sealed ledger', () => {
  it('verifies against the digest signed earlier, after more appends and an erasure', async () => {
    expect(digest).toMatchObject({ count: 10 });
    expect(rows).toHaveLength(12);
    expect(rows.map((r) => r.data).join()).not.toContain('Ann Example');
    const result = await verifyDir(tampered());
    expect(result).toMatchObject({ ok: true, checkedEvents: 12, firstBroken: null });
    expect(result.seal).toMatchObject({ count: 12, unsealedEvents: 0 });
  });
});

describe('every stored column, edited directly in SQLite, is detected at its position', () => {
  const CONTENT: ChainBreakReason[] = ['hash_mismatch', 'seal_mismatch'];
  const edits: Array<
    [string, (row: Row) => (db: Database.Database) => unknown, ChainBreakReason[]]
  > = [
    ['data', (r) => set('data', r.data.replace(/"[^"]*"}$/, '"forged"}'), r.position), CONTENT],
    [
      'data (a ciphertext field)',
      (r) => set('data', r.data.replace(/(enc:v1:[^"]{8})/, '$1x'), r.position),
      CONTENT,
    ],
    [
      'metadata (actor)',
      (r) => set('metadata', r.metadata.replace('programme-office', 'someone-else'), r.position),
      CONTENT,
    ],
    [
      'metadata (schema version)',
      (r) =>
        set('metadata', r.metadata.replace('"schemaVersion":1', '"schemaVersion":2'), r.position),
      CONTENT,
    ],
    ['type', (r) => set('type', `${r.type}X`, r.position), CONTENT],
    ['event_id', (r) => set('event_id', randomUUID(), r.position), CONTENT],
    [
      'stream_id',
      (r) => set('stream_id', 'group-elsewhere', r.position),
      ['seal_mismatch', 'revision_gap', 'prev_hash_mismatch'],
    ],
    [
      'revision',
      (r) => set('revision', r.revision + 50, r.position),
      ['seal_mismatch', 'revision_gap', 'revision_out_of_order'],
    ],
    [
      'recorded_at (to 2100)',
      (r) => set('recorded_at', Date.parse('2100-01-01'), r.position),
      ['recorded_at_changed'],
    ],
    [
      'recorded_at (one millisecond)',
      (r) => set('recorded_at', r.recorded_at - 1, r.position),
      ['recorded_at_changed'],
    ],
    [
      'position (moved past the end)',
      (r) => set('position', 1_000, r.position),
      ['sealed_event_missing'],
    ],
  ];

  for (const [column, edit, reasons] of edits) {
    for (const [which, pick] of [
      ['an event with a successor in its stream', middle],
      ['the last event of its stream', streamHead],
    ] as const) {
      it(`${column}: ${which}`, async () => {
        const row = pick();
        const dir = tampered(edit(row));
        expect(readRows(join(dir, 'events.sqlite'))).not.toEqual(rows);
        expectBroken(await verifyDir(dir), row.position, reasons);
        // Without the seal records the signed digest alone still detects it.
        expect((await verifyDir(dir, digest, { records: false })).ok).toBe(false);
      });
    }
  }
});

describe('deletions, reordering, duplicates and forged appends', () => {
  it('a deleted event: missing at its position', async () => {
    const row = middle();
    const dir = tampered((db) =>
      db.prepare('DELETE FROM events WHERE position = ?').run(row.position),
    );
    expectBroken(await verifyDir(dir), row.position, ['sealed_event_missing']);
  });

  it('truncation: at the first position lost; against the digest alone, truncated', async () => {
    const from = Number(digest.position) - 2;
    const dir = tampered((db) => db.prepare('DELETE FROM events WHERE position >= ?').run(from));
    expectBroken(await verifyDir(dir), from, ['sealed_event_missing']);
    expectBroken(await verifyDir(dir, digest, { records: false }), digest.position!, ['truncated']);
  });

  const swap = (a: Row, b: Row) => (db: Database.Database) => {
    const move = db.prepare('UPDATE events SET position = ? WHERE position = ?');
    move.run(-1, a.position);
    move.run(a.position, b.position);
    move.run(b.position, -1);
  };

  it('two events of one stream swap positions: at the first of them', async () => {
    const board = sealedRows().filter((r) => r.stream_id === 'group-board');
    const dir = tampered(swap(board[0]!, board[1]!));
    expectBroken(await verifyDir(dir), board[0]!.position, ['revision_out_of_order']);
  });

  it('two events of different streams swap positions: at the first of them', async () => {
    const [a, b] = sealedRows().filter((r) => r.stream_id.startsWith('partner-'));
    const dir = tampered(swap(a!, b!));
    expectBroken(await verifyDir(dir), a!.position, ['seal_mismatch']);
    // Invisible to the per-stream chains: only the seal sees the order of the whole log.
    const chainsOnly = await verifyLedger(
      new SqliteEventStore({ path: join(dir, 'events.sqlite') }),
    );
    expect(chainsOnly.ok).toBe(true);
  });

  /** The unique constraints dropped, as an adversary rewriting the file may. */
  const unconstrained = (db: Database.Database) =>
    db.exec(`CREATE TABLE copy AS SELECT * FROM events; DROP TABLE events;
      CREATE TABLE events (position INTEGER PRIMARY KEY, event_id TEXT NOT NULL, stream_id TEXT NOT NULL,
        revision INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL,
        recorded_at INTEGER NOT NULL);
      INSERT INTO events SELECT * FROM copy; DROP TABLE copy;`);
  const duplicate = (row: Row, at: number) => (db: Database.Database) =>
    db
      .prepare(
        'INSERT INTO events SELECT ?, event_id, stream_id, revision, type, data, metadata, recorded_at FROM events WHERE position = ?',
      )
      .run(at, row.position);

  it('a duplicated event inside the sealed log: at the copy', async () => {
    const row = middle();
    const dir = tampered((db) => {
      unconstrained(db);
      // Make room after the row: every later event one position on.
      db.prepare('UPDATE events SET position = -position - 1 WHERE position > ?').run(row.position);
      db.prepare('UPDATE events SET position = -position WHERE position < 0').run();
      duplicate(row, row.position + 1)(db);
    });
    expectBroken(await verifyDir(dir), row.position + 1, [
      'revision_out_of_order',
      'seal_mismatch',
    ]);
  });

  it('a duplicated event appended at the end: at the copy', async () => {
    const row = middle();
    const end = rows.at(-1)!.position + 1;
    const dir = tampered((db) => {
      unconstrained(db);
      duplicate(row, end)(db);
    });
    // Its recordedAt, copied, is also before the digest's: `backdated` names the same place.
    expectBroken(await verifyDir(dir), end, ['revision_out_of_order', 'backdated']);
  });

  it('a forged event with a valid prevHash appended without the key', async () => {
    const forge = async (dir: string) => {
      const store = withHashChain(new SqliteEventStore({ path: join(dir, 'events.sqlite') }));
      await store.appendToStream('group-board', [
        event('SeatAllocated', { seatId: 'lay-9', partnerId: 'mallory', occurredAt: '2014-01-11' }),
      ]);
      await store.close();
      return rows.at(-1)!.position + 1;
    };
    // Backdated, to change what the record said "as known at" a past date: detected.
    const backdated = tampered();
    const position = await forge(backdated);
    const db = new Database(join(backdated, 'events.sqlite'));
    set('recorded_at', Date.parse('2014-01-11'), position)(db);
    db.close();
    expectBroken(await verifyDir(backdated), position, ['backdated']);

    // Recorded now: it changes nothing the digest covers, and shows as not sealed.
    const now = tampered();
    await forge(now);
    const result = await verifyDir(now);
    expect(result).toMatchObject({ ok: true, checkedEvents: rows.length + 1 });
    expect(result.seal.unsealedEvents).toBe(1);
  });
});

describe('forged and re-signed digests', () => {
  it('a digest altered or signed without the key fails its signature', async () => {
    const dir = tampered();
    for (const forged of [
      { ...digest, count: digest.count - 1 },
      { ...digest, hash: '0'.repeat(64) },
      { ...digest, position: digest.position! - 1n },
      new SealSigner(parseSigningKey(generateSigningKeyPem())).sign(digest),
      {
        ...new SealSigner(parseSigningKey(generateSigningKeyPem())).sign(digest),
        keyId: KEY.keyId,
      },
    ]) {
      const result = await verifyDir(dir, forged);
      expect(result.firstBroken).toMatchObject({ reason: 'signature_invalid' });
    }
  });

  it('with the key, a rewritten log re-sealed and re-signed is still caught by the earlier digest', async () => {
    // A rewrite the per-stream chains cannot see (recordedAt, backdating a seat) ...
    const row = middle();
    const dir = tampered(set('recorded_at', Date.parse('2013-01-01'), row.position));
    // ... and the adversary has the key: throws the seal records away, seals the rewritten log afresh.
    rmSync(join(dir, 'seal.sqlite'), { force: true });
    rmSync(join(dir, 'seal.sqlite-wal'), { force: true });
    const store = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
    const seals = new SealStore(join(dir, 'seal.sqlite'));
    const resigned = (await new LedgerSealer(store, seals, KEY).seal())!;
    seals.close();
    await store.close();

    expect((await verifyDir(dir, resigned)).ok).toBe(true);
    const against = await verifyDir(dir, digest);
    // The records are the adversary's now: located to the digest only.
    expectBroken(against, digest.position!, ['digest_mismatch']);
  });

  it('with the key, a rewrite re-signed over the ledger’s own records is located exactly', async () => {
    const row = middle();
    const dir = tampered(set('recorded_at', Date.parse('2100-01-01'), row.position));
    const store = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
    const seals = new SealStore(join(dir, 'seal.sqlite'));
    await new LedgerSealer(store, seals, KEY).seal();
    seals.close();
    await store.close();
    expectBroken(await verifyDir(dir), row.position, ['recorded_at_changed']);
  });
});
