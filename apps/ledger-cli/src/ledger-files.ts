import { ledgerUpcasters } from '@app/domain';
import {
  assembleLedgerEventStore,
  createEventStore,
  PersonKeyStore,
  SqliteEventStore,
  type EventStore,
} from '@app/event-store';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A usage or input problem: exit code 2 for usage, 1 for everything else. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

export const isConnectionString = (value: string) => /^esdb(\+discover)?:\/\//.test(value);

/** `<dir>/events.sqlite`, a path to an events file, or an esdb:// connection string: the store as stored. */
export function openRawStore(location: string, { create = false } = {}): EventStore {
  if (isConnectionString(location))
    return createEventStore({ store: 'eventstoredb', dataDir: '.', connectionString: location });
  // A directory (existing, or a new path not ending in .sqlite) is a data dir holding events.sqlite.
  const isDirectory = existsSync(location)
    ? statSync(location).isDirectory()
    : !location.endsWith('.sqlite');
  const file = isDirectory ? join(location, 'events.sqlite') : location;
  if (!create && !existsSync(file)) throw new CliError(`No event store at ${file}`);
  return new SqliteEventStore({ path: file });
}

/** The store as the app reads it (decrypted, upcast), for commands that show people and state. */
export function openLedger(dataDir: string): {
  store: EventStore;
  /** The same events as stored (ciphertext, stored schema), for their hashes. */
  stored: EventStore;
  close(): Promise<void>;
} {
  const raw = openRawStore(dataDir);
  const keys = new PersonKeyStore(join(dataDir, 'keys.sqlite'));
  const { store, stored } = assembleLedgerEventStore({
    adapter: raw,
    keys,
    upcasters: ledgerUpcasters(),
  });
  return {
    store,
    stored,
    close: async () => {
      await store.close();
      keys.close();
    },
  };
}
