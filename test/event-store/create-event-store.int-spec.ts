import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreDbEventStore, SqliteEventStore, createEventStore } from '@app/event-store';
import { newEvent } from './event-store.contract.js';

describe('createEventStore', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-config-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('opens the embedded store at <dataDir>/events.sqlite', async () => {
    const store = createEventStore({ store: 'sqlite', dataDir });
    expect(store).toBeInstanceOf(SqliteEventStore);
    await store.appendToStream('programme-1', [newEvent()]);
    await store.close();
    expect(existsSync(join(dataDir, 'events.sqlite'))).toBe(true);
  });

  it('connects to EventStoreDB with the connection string (lazily: nothing is dialled yet)', async () => {
    const store = createEventStore({
      store: 'eventstoredb',
      dataDir,
      connectionString: 'esdb://127.0.0.1:2113?tls=false',
    });
    expect(store).toBeInstanceOf(EventStoreDbEventStore);
    await store.close();
    expect(existsSync(join(dataDir, 'events.sqlite'))).toBe(false);
  });

  it('refuses eventstoredb without a connection string, saying what is missing', () => {
    expect(() => createEventStore({ store: 'eventstoredb', dataDir })).toThrow(
      /eventstoredb.*connection string/i,
    );
    expect(() =>
      createEventStore({ store: 'eventstoredb', dataDir, connectionString: ' ' }),
    ).toThrow(/connection string/);
  });
});
