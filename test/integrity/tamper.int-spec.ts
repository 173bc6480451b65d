import {
  EncryptingEventStore,
  HashChainingEventStore,
  PersonalDataCipher,
  PersonKeyStore,
  SqliteEventStore,
  verifyLedger,
  withHashChain,
  type EventStore,
  type LedgerDigest,
  type LedgerVerification,
  type NewEvent,
} from '@app/event-store';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '../event-store/event-store.contract.js';

interface Row {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-tamper-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const event = (type: string, data: Record<string, unknown>): NewEvent => ({
  id: randomUUID(),
  type,
  data: { occurredAt: '2014-01-10T00:00:00.000Z', ...data },
  metadata: { commandId: randomUUID(), actor: 'programme-office', schemaVersion: 1 },
});

/**
 * A ledger written the way the app writes it: encryption of personal fields
 * above the hash chain, the chain directly on the SQLite adapter.
 */
async function buildLedger(dir: string): Promise<{ path: string; keys: string }> {
  const path = join(dir, 'events.sqlite');
  const keysPath = join(dir, 'keys.sqlite');
  const keys = new PersonKeyStore(keysPath);
  const store = new EncryptingEventStore(
    withHashChain(new SqliteEventStore({ path })),
    new PersonalDataCipher(keys),
  );
  const nominate = (partnerId: string, name: string) =>
    event('PartnerNominated', { partnerId, name, email: `${partnerId}@example.org` });
  await store.appendToStream('programme-nwl', [event('ProgrammeLaunched', { name: 'WSIC' })], {
    expectedRevision: 'no_stream',
  });
  await store.appendToStream('group-board', [
    event('GroupEstablished', { groupId: 'board', laySeats: { min: 2, max: 4 } }),
  ]);
  for (const [id, name] of [
    ['ann', 'Ann Example'],
    ['bob', 'Bob Example'],
    ['cat', 'Cat Example'],
  ] as const) {
    await store.appendToStream(`partner-${id}`, [nominate(id, name)], {
      expectedRevision: 'no_stream',
    });
    await store.appendToStream(`partner-${id}`, [event('PartnerAppointed', { body: 'forum' })], {
      expectedRevision: 0n,
    });
  }
  await store.appendToStream('programme-nwl', [event('RoleProfilePublished', { hours: 8 })]);
  // Several events in one append, each chained to the one before.
  await store.appendToStream(
    'group-forum',
    [
      event('GroupEstablished', { groupId: 'forum' }),
      event('SeatAllocated', { seatId: 'forum-1', partnerId: 'cat' }),
      event('SeatAllocated', { seatId: 'forum-2', partnerId: 'bob' }),
    ],
    { expectedRevision: 'no_stream' },
  );
  // Concurrent appends to several streams share one SQLite transaction.
  await Promise.all([
    store.appendToStream('group-board', [
      event('SeatAllocated', { seatId: 'lay-1', partnerId: 'ann' }),
    ]),
    store.appendToStream('group-board', [
      event('SeatAllocated', { seatId: 'lay-2', partnerId: 'bob' }),
    ]),
    store.appendToStream('partner-bob', [
      event('PartnerWithdrew', {
        partnerId: 'bob',
        reason: 'time-commitment',
        note: 'Moving away',
      }),
    ]),
  ]);
  await store.appendToStream('group-board', [
    event('SeatVacated', { seatId: 'lay-2', reason: 'partner-withdrew' }),
  ]);
  await store.appendToStream('group-board', [
    event('SeatAllocated', { seatId: 'lay-3', partnerId: 'cat' }),
  ]);
  await store.appendToStream('group-board', [
    event('MeetingHeld', { attended: ['ann', 'cat'], minutes: 120 }),
  ]);
  await store.appendToStream('group-forum', [
    event('MeetingHeld', { attended: ['cat'], minutes: 90 }),
  ]);
  await store.appendToStream('programme-nwl', [
    event('PrinciplesAdopted', { principles: ['I am heard'] }),
  ]);
  await store.close();
  keys.close();
  return { path, keys: keysPath };
}

let original: string;
let keysPath: string;
let exported: LedgerVerification;
let rows: Row[];
let digest: LedgerDigest;

/** A fresh copy of the built ledger, tampered with by `mutate` directly in SQLite. */
function tamperedCopy(mutate: (db: Database.Database) => void = () => {}): string {
  const path = join(tempDir(), 'events.sqlite');
  copyFileSync(original, path);
  if (existsSync(`${original}-wal`)) copyFileSync(`${original}-wal`, `${path}-wal`);
  const db = new Database(path);
  mutate(db);
  db.close();
  return path;
}

async function verifyFile(
  path: string,
  expectedDigest?: LedgerDigest,
): Promise<LedgerVerification> {
  const store = new SqliteEventStore({ path });
  try {
    return await verifyLedger(
      store,
      expectedDigest ? { expectedDigest, pageSize: 7 } : { pageSize: 7 },
    );
  } finally {
    await store.close();
  }
}

function readRows(path: string): Row[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT * FROM events ORDER BY position').all() as Row[];
  } finally {
    db.close();
  }
}

const isHead = (row: Row) =>
  !rows.some((r) => r.stream_id === row.stream_id && r.revision === row.revision + 1);
const nextInStream = (row: Row) =>
  rows.find((r) => r.stream_id === row.stream_id && r.revision === row.revision + 1)!;
const rowAt = (stream: string, revision: number) =>
  rows.find((r) => r.stream_id === stream && r.revision === revision)!;
const placeOf = (row: Row) => ({
  stream: row.stream_id,
  revision: BigInt(row.revision),
  position: BigInt(row.position),
});

beforeAll(async () => {
  const built = await buildLedger(tempDir());
  original = built.path;
  keysPath = built.keys;
  rows = readRows(original);
  exported = await verifyFile(original);
  digest = { position: exported.position!, digest: exported.digest };
}, 120_000);

describe('a hash-chained ledger on SQLite', () => {
  it('verifies, every event chained and personal data hashed as ciphertext', () => {
    expect(exported).toMatchObject({ ok: true, checkedEvents: rows.length, firstBroken: null });
    expect(rows.length).toBe(20);
    expect(exported.position).toBe(BigInt(rows.at(-1)!.position));
    for (const row of rows) {
      const { prevHash } = JSON.parse(row.metadata) as { prevHash?: unknown };
      if (row.revision === 0) expect(prevHash).toBeNull();
      else expect(prevHash).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(rows.map((r) => r.data).join()).not.toContain('Ann Example');
  });

  it('verifies an untouched copy with the same digest, and against the exported digest', async () => {
    const result = await verifyFile(tamperedCopy(), digest);
    expect(result).toEqual(exported);
  });

  it('still verifies with the same digest after erasure destroys a person’s key', async () => {
    const keys = new PersonKeyStore(keysPath);
    keys.destroy('ann');
    keys.close();
    expect(await verifyFile(tamperedCopy(), digest)).toEqual(exported);
  });

  it('keeps growing: a digest exported earlier still holds after more appends', async () => {
    const path = tamperedCopy();
    const store = withHashChain(new SqliteEventStore({ path }));
    await store.appendToStream('group-board', [event('SeatVacated', { seatId: 'lay-1' })]);
    await store.appendToStream('partner-dee', [event('PartnerRegistered', { partnerId: 'dee' })]);
    await store.close();
    const result = await verifyFile(path, digest);
    expect(result).toMatchObject({ ok: true, checkedEvents: rows.length + 2 });
    expect(result.digest).not.toBe(exported.digest);
  });
});

describe('tampering with the SQLite file is detected, at the right place', () => {
  const update =
    (field: 'data' | 'metadata' | 'type' | 'event_id', value: unknown, position: number) =>
    (db: Database.Database) =>
      db
        .prepare(
          field === 'data' || field === 'metadata'
            ? `UPDATE events SET ${field} = CAST(? AS TEXT) WHERE position = ?`
            : `UPDATE events SET ${field} = ? WHERE position = ?`,
        )
        .run(value, position);

  const FIELDS = [
    'data',
    'data-bit',
    'metadata-actor',
    'metadata-bit',
    'type',
    'event_id',
  ] as const;
  interface Edit {
    row: Row;
    field: (typeof FIELDS)[number];
    at: number;
    bit: number;
    text: string;
  }

  /** A random edit of one field of one row: a rewritten value or one flipped bit. */
  const edit = (candidates: () => Row[]): fc.Arbitrary<Edit> =>
    fc.record({
      row: fc.nat().map((i) => candidates()[i % candidates().length]!),
      field: fc.constantFrom(...FIELDS),
      at: fc.nat(),
      bit: fc.integer({ min: 0, max: 7 }),
      text: fc.string({ minLength: 1, maxLength: 12 }),
    });

  function apply({ row, field, at, bit, text }: Edit): (db: Database.Database) => unknown {
    switch (field) {
      case 'data': {
        const data = JSON.parse(row.data) as Record<string, unknown>;
        const key = Object.keys(data)[at % Object.keys(data).length]!;
        const value = JSON.stringify(data[key]) === JSON.stringify(text) ? `${text}!` : text;
        return update('data', JSON.stringify({ ...data, [key]: value }), row.position);
      }
      case 'data-bit':
      case 'metadata-bit': {
        const column = field === 'data-bit' ? 'data' : 'metadata';
        const bytes = Buffer.from(row[column], 'utf8');
        bytes[at % bytes.length]! ^= 1 << bit;
        return update(column, bytes, row.position);
      }
      case 'metadata-actor': {
        const metadata = JSON.parse(row.metadata) as Record<string, unknown>;
        return update(
          'metadata',
          JSON.stringify({ ...metadata, actor: `${text}-x` }),
          row.position,
        );
      }
      case 'type':
        return update('type', `${row.type}${text}`, row.position);
      case 'event_id':
        return update('event_id', randomUUID(), row.position);
      default:
        throw new Error(`unknown field ${String(field)}`);
    }
  }

  it('random edits of an event with a successor in its stream: names that event (50 runs)', async () => {
    const withSuccessor = () => rows.filter((row) => !isHead(row));
    await fc.assert(
      fc.asyncProperty(edit(withSuccessor), async (change) => {
        const result = await verifyFile(tamperedCopy(apply(change)));
        expect(result.ok).toBe(false);
        expect(result.checkedEvents).toBe(rows.length);
        expect(result.firstBroken).toMatchObject(placeOf(change.row));
        const expectedReasons =
          change.field === 'metadata-bit'
            ? ['hash_mismatch', 'prev_hash_mismatch', 'missing_chain', 'unreadable']
            : change.field === 'data-bit'
              ? ['hash_mismatch', 'unreadable']
              : ['hash_mismatch'];
        expect(expectedReasons).toContain(result.firstBroken!.reason);
      }),
      { numRuns: 50 },
    );
  }, 180_000); // a copy of the ledger file verified per run

  it('random edits of a stream’s last event: invisible to the chain, caught by the exported digest (30 runs)', async () => {
    const heads = () => rows.filter(isHead);
    await fc.assert(
      fc.asyncProperty(
        edit(heads).filter((c) => !c.field.endsWith('-bit')),
        async (change) => {
          const path = tamperedCopy(apply(change));
          expect((await verifyFile(path)).ok).toBe(true);
          expect((await verifyFile(path, digest)).firstBroken).toEqual({
            stream: null,
            revision: null,
            position: digest.position,
            reason: 'digest_mismatch',
            detail: expect.any(String),
          });
        },
      ),
      { numRuns: 30 },
    );
  }, 180_000);

  it('an unreadable event (no longer JSON) is placed exactly', async () => {
    const row = rowAt('group-board', 2);
    const result = await verifyFile(
      tamperedCopy(update('data', `${row.data.slice(0, -1)}`, row.position)),
    );
    expect(result.firstBroken).toMatchObject({ ...placeOf(row), reason: 'unreadable' });
    expect(result.checkedEvents).toBe(rows.length);
  });

  it('a mutated prevHash', async () => {
    const row = rowAt('group-board', 3);
    const metadata = JSON.parse(row.metadata) as Record<string, string>;
    const forged = {
      ...metadata,
      prevHash: metadata.prevHash!.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')),
    };
    const result = await verifyFile(
      tamperedCopy(update('metadata', JSON.stringify(forged), row.position)),
    );
    expect(result.firstBroken).toMatchObject({ ...placeOf(row), reason: 'prev_hash_mismatch' });
  });

  it('an event deleted in the middle of a stream: the gap is named at the event after it', async () => {
    const row = rowAt('group-board', 2);
    const path = tamperedCopy((db) =>
      db.prepare('DELETE FROM events WHERE position = ?').run(row.position),
    );
    const result = await verifyFile(path);
    expect(result.checkedEvents).toBe(rows.length - 1);
    expect(result.firstBroken).toMatchObject({
      ...placeOf(nextInStream(row)),
      reason: 'revision_gap',
    });
    expect(result.firstBroken!.detail).toContain('revision 2 missing');
  });

  it('an event deleted at the end of its stream: only the exported digest shows it', async () => {
    const row = rows.find((r) => isHead(r) && r.position < rows.at(-1)!.position)!;
    const path = tamperedCopy((db) =>
      db.prepare('DELETE FROM events WHERE position = ?').run(row.position),
    );
    expect(await verifyFile(path)).toMatchObject({ ok: true, checkedEvents: rows.length - 1 });
    expect((await verifyFile(path, digest)).firstBroken).toMatchObject({
      stream: null,
      position: digest.position,
      reason: 'digest_mismatch',
    });
  });

  it('two events of a stream swap their data', async () => {
    const first = rowAt('group-board', 1);
    const later = rowAt('group-board', 3);
    const swap = (a: Row, b: Row) => (db: Database.Database) => {
      update('data', b.data, a.position)(db);
      update('data', a.data, b.position)(db);
    };
    const result = await verifyFile(tamperedCopy(swap(first, later)));
    expect(result.firstBroken).toMatchObject({ ...placeOf(first), reason: 'hash_mismatch' });
    // Neighbours swapped: the fewest-edits explanation may name the second of them.
    const next = rowAt('group-board', 2);
    const adjacent = await verifyFile(tamperedCopy(swap(first, next)));
    expect(adjacent.ok).toBe(false);
    expect(adjacent.firstBroken!.stream).toBe('group-board');
    expect([1n, 2n]).toContain(adjacent.firstBroken!.revision);
  });

  it('two events of a stream swap their positions', async () => {
    const first = rowAt('group-board', 1);
    const later = rowAt('group-board', 4);
    const path = tamperedCopy((db) => {
      const move = db.prepare('UPDATE events SET position = ? WHERE position = ?');
      move.run(-1, first.position);
      move.run(first.position, later.position);
      move.run(later.position, -1);
    });
    const result = await verifyFile(path);
    expect(result.firstBroken).toMatchObject({
      stream: 'group-board',
      revision: 4n,
      position: BigInt(first.position),
      reason: 'revision_out_of_order',
    });
  });

  it('an event moved to another stream', async () => {
    const row = rowAt('group-forum', 1);
    const path = tamperedCopy((db) =>
      db
        .prepare('UPDATE events SET stream_id = ?, revision = 99 WHERE position = ?')
        .run('group-board', row.position),
    );
    const result = await verifyFile(path);
    expect(result.firstBroken).toMatchObject({
      stream: 'group-board',
      revision: 99n,
      position: BigInt(row.position),
    });
  });

  it('truncation (the last rows deleted) is caught against the exported digest', async () => {
    const last = rows.at(-1)!.position;
    const path = tamperedCopy((db) =>
      db.prepare('DELETE FROM events WHERE position > ?').run(last - 3),
    );
    expect((await verifyFile(path)).ok).toBe(true);
    const result = await verifyFile(path, digest);
    expect(result).toMatchObject({
      ok: false,
      checkedEvents: rows.length - 3,
      position: BigInt(last - 3),
    });
    expect(result.firstBroken).toMatchObject({
      stream: null,
      position: digest.position,
      reason: 'truncated',
    });

    // Truncated, then written past the old head again: the digest no longer matches.
    const store = withHashChain(new SqliteEventStore({ path }));
    for (let i = 0; i < 4; i++)
      await store.appendToStream(`partner-new-${i}`, [event('PartnerRegistered', {})]);
    await store.close();
    expect((await verifyFile(path, digest)).firstBroken).toMatchObject({
      reason: 'digest_mismatch',
    });
  });

  it('a forged digest is rejected', async () => {
    const path = tamperedCopy();
    const forged = {
      position: digest.position,
      digest: digest.digest.replace(/^./, (c) => (c === '0' ? '1' : '0')),
    };
    expect((await verifyFile(path, forged)).firstBroken).toMatchObject({
      reason: 'digest_mismatch',
    });
    const elsewhere = { position: digest.position - 1n, digest: digest.digest };
    expect((await verifyFile(path, elsewhere)).firstBroken).toMatchObject({
      position: digest.position - 1n,
      reason: 'digest_mismatch',
    });
  });

  it('an event appended by a writer that does not chain', async () => {
    const path = tamperedCopy();
    const bare = new SqliteEventStore({ path });
    await bare.appendToStream('group-board', [event('SeatAllocated', { seatId: 'x' })]);
    await bare.close();
    expect((await verifyFile(path)).firstBroken).toMatchObject({
      stream: 'group-board',
      revision: BigInt(rows.filter((r) => r.stream_id === 'group-board').length),
      reason: 'missing_chain',
    });
  });
});

// The chaining wrapper keeps every guarantee of the store, and what it writes verifies.
describeEventStoreContract('sqlite + hash chain', {
  create: async () =>
    new HashChainingEventStore(new SqliteEventStore({ path: join(tempDir(), 'events.sqlite') })),
  dispose: async (store: EventStore) => {
    const verification = await verifyLedger(store);
    expect(verification.firstBroken).toBeNull();
    await store.close();
  },
});
