import {
  contentHash,
  EventStoreDbEventStore,
  migrate,
  SqliteEventStore,
  type EventStore,
} from '@app/event-store';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EsdbDouble } from '../eventstoredb/double/esdb-double.js';

const dir = mkdtempSync(join(tmpdir(), 'ledger-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A ledger of `streams × perStream` NWL-shaped events, each stream's events
 * appended together (as a busy group's meetings would be imported), written
 * fast through group commit.
 */
async function generate(store: EventStore, streams: number, perStream: number): Promise<void> {
  const kinds = ['partner', 'group', 'feedback'] as const;
  const chunk = 500;
  for (let start = 0; start < streams; start += chunk) {
    await Promise.all(
      Array.from({ length: Math.min(chunk, streams - start) }, (_, i) => {
        const s = start + i;
        return store.appendToStream(
          `${kinds[s % 3]}-${s}`,
          Array.from({ length: perStream }, (_, n) => ({
            id: randomUUID(),
            type: n === 0 ? 'GroupEstablished' : 'MeetingHeld',
            data: {
              n,
              groupId: `g-${s}`,
              attendees: [`p-${s}`, `p-${s + 1}`],
              occurredAt: '2014-01-10T00:00:00.000Z',
            },
            metadata: { actor: 'generator', schemaVersion: 1, correlationId: randomUUID() },
          })),
        );
      }),
    );
  }
}

/**
 * Events in the round trip: eight batches each way over 200 streams, small enough for a
 * loaded 2-core machine. `MIGRATION_TEST_EVENTS=100000` runs the size this test had before
 * (118 s alone; over 180 s beside other work, so out of `npm test`).
 */
const roundTripEvents = Number(process.env.MIGRATION_TEST_EVENTS ?? 4_000);
const perStream = 20;

describe('migration: SQLite → EventStoreDB (wire double) → SQLite', () => {
  let double: EsdbDouble;
  beforeAll(async () => {
    double = await EsdbDouble.start();
  }, 60_000);
  afterAll(() => double.stop(), 60_000);

  it(
    `round-trips a generated ledger of ${roundTripEvents} events with identical content hashes`,
    async () => {
      const source = new SqliteEventStore({ path: join(dir, 'source.sqlite') });
      await generate(source, Math.ceil(roundTripEvents / perStream), perStream);
      const events = Math.ceil(roundTripEvents / perStream) * perStream;
      const esdb = new EventStoreDbEventStore(double.connectionString);
      const toEsdb = await migrate(source, esdb, { batch: 500 });
      expect(toEsdb).toMatchObject({ copied: events, skipped: 0, ok: true });
      const back = new SqliteEventStore({ path: join(dir, 'back.sqlite') });
      const toSqlite = await migrate(esdb, back, { batch: 500 });
      expect(toSqlite).toMatchObject({ copied: events, ok: true });
      expect(toSqlite.target.hash).toBe(toEsdb.source.hash);
      expect((await contentHash(back)).events).toBe(events);
      await Promise.all([source.close(), esdb.close(), back.close()]);
    },
    Math.max(120_000, roundTripEvents * 3),
  );

  it('resumes after an interruption without duplicating or reordering anything', async () => {
    const source = new SqliteEventStore({ path: join(dir, 'resume-source.sqlite') });
    await generate(source, 50, 20);
    const target = new SqliteEventStore({ path: join(dir, 'resume-target.sqlite') });
    const first = await migrate(source, target, { batch: 7, limit: 333 });
    expect(first.ok).toBe(false);
    expect(first.copied).toBeGreaterThanOrEqual(333);
    const second = await migrate(source, target, { batch: 7 });
    expect(second).toMatchObject({ skipped: first.copied, ok: true });
    expect(second.copied + first.copied).toBe(1_000);
    const third = await migrate(source, target);
    expect(third).toMatchObject({ copied: 0, skipped: 1_000, ok: true });
    await Promise.all([source.close(), target.close()]);
  }, 60_000);

  it('reports a mismatch when the target already holds other content', async () => {
    const source = new SqliteEventStore({ path: join(dir, 'a.sqlite') });
    const target = new SqliteEventStore({ path: join(dir, 'b.sqlite') });
    await generate(source, 3, 2);
    await target.appendToStream('group-99', [
      { id: randomUUID(), type: 'GroupEstablished', data: {} },
    ]);
    const result = await migrate(source, target);
    expect(result.ok).toBe(false);
    expect(result.target.events).toBe(result.source.events + 1);
    await Promise.all([source.close(), target.close()]);
  }, 30_000);
});
