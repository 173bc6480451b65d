import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, UnsafeStoreConfigurationError, type EventStore } from '@app/event-store';
import Database from 'better-sqlite3';
import { describeEventStoreContract, newEvent } from './event-store.contract.js';

const dirs: string[] = [];
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-store-'));
  dirs.push(dir);
  return join(dir, 'events.sqlite');
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describeEventStoreContract('sqlite', {
  create: async () => new SqliteEventStore({ path: tempFile() }),
  dispose: (store: EventStore) => store.close(),
});

describe('sqlite event store', () => {
  it('runs in WAL mode with synchronous=FULL', async () => {
    const path = tempFile();
    const store = new SqliteEventStore({ path });
    await store.appendToStream('partner-1', [newEvent()]);
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses to open where WAL cannot be had (an acknowledged append could be lost)', () => {
    expect(() => new SqliteEventStore({ path: ':memory:' })).toThrow(UnsafeStoreConfigurationError);
  });

  it('keeps every acknowledged append across a reopen', async () => {
    const path = tempFile();
    const store = new SqliteEventStore({ path });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.appendToStream(`group-${i % 5}`, [newEvent()])),
    );
    await store.close();
    const reopened = new SqliteEventStore({ path });
    expect(await reopened.headPosition()).toBe(
      results.reduce((max, r) => (r.position > max ? r.position : max), 0n),
    );
    expect(await reopened.readAll()).toHaveLength(50);
    await reopened.close();
  });

  it('group-commits concurrent appends into few transactions', async () => {
    const store = new SqliteEventStore({ path: tempFile() });
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        store.appendToStream(`partner-${i}`, [newEvent()], { expectedRevision: 'no_stream' }),
      ),
    );
    expect(store.stats.appends).toBe(200);
    expect(store.stats.commits).toBeLessThanOrEqual(2);
    expect(await store.readAll()).toHaveLength(200);
    await store.close();
  });

  it('wakes a subscription for events another process appended to the same file', async () => {
    const path = tempFile();
    const reader = new SqliteEventStore({ path, pollIntervalMs: 20 });
    const writer = new SqliteEventStore({ path });
    const seen: string[] = [];
    let done!: () => void;
    const arrived = new Promise<void>((resolve) => (done = resolve));
    const subscription = reader.subscribeToAll(
      (e) => {
        seen.push(e.type);
        done();
      },
      { after: null },
    );
    await writer.appendToStream('feedback-1', [newEvent('FeedbackHeard')]);
    await arrived;
    expect(seen).toEqual(['FeedbackHeard']);
    await subscription.stop();
    await Promise.all([reader.close(), writer.close()]);
  });

  it('refuses events that are not UUID-identified or not JSON', async () => {
    const store = new SqliteEventStore({ path: tempFile() });
    await expect(
      store.appendToStream('partner-1', [{ ...newEvent(), id: 'not-a-uuid' }]),
    ).rejects.toMatchObject({ code: 'invalid_event' });
    await expect(
      store.appendToStream('partner-1', [{ ...newEvent(), data: undefined }]),
    ).rejects.toMatchObject({ code: 'invalid_event' });
    expect(await store.headPosition()).toBeNull();
    await store.close();
  });
});
