import { ledgerUpcasters } from '@app/domain';
import {
  assembleLedgerEventStore,
  createEventStore,
  parseSigningKey,
  PersonKeyStore,
  SealSigner,
  SealStore,
  SqliteEventStore,
  type EventStore,
} from '@app/event-store';
import { Option } from 'commander';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

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

/** A data directory's seal store (`seal.sqlite`), or `null` for a store without one. */
export function openSealStore(location: string, { create = false } = {}): SealStore | null {
  if (isConnectionString(location)) return null;
  const dir = existsSync(location) && statSync(location).isDirectory() ? location : null;
  if (!dir) return null;
  const file = join(dir, 'seal.sqlite');
  return create || existsSync(file) ? new SealStore(file) : null;
}

export const signingKeyOption = () =>
  new Option(
    '--signing-key-file <file>',
    'the ledger’s Ed25519 signing key (default: LEDGER_SIGNING_KEY, else LEDGER_SIGNING_KEY_FILE, else ledger-signing.key beside the data directory)',
  );

/** The ledger's signing key as the API finds it, or `null` when there is none (never generated here). */
export function loadSigner(dataDir: string, file?: string): SealSigner | null {
  const configured = process.env.LEDGER_SIGNING_KEY?.trim();
  if (!file && configured) {
    // The key itself, or the path of a key file.
    return !configured.startsWith('-----BEGIN') && existsSync(configured)
      ? signerFrom(readFileSync(configured, 'utf8'), configured)
      : signerFrom(configured, 'LEDGER_SIGNING_KEY');
  }
  const path =
    file ??
    (process.env.LEDGER_SIGNING_KEY_FILE?.trim() ||
      join(dirname(resolve(dataDir)), 'ledger-signing.key'));
  if (!existsSync(path)) {
    if (file) throw new CliError(`No signing key at ${file}`, 2);
    return null;
  }
  return signerFrom(readFileSync(path, 'utf8'), path);
}

function signerFrom(text: string, where: string): SealSigner {
  try {
    return new SealSigner(parseSigningKey(text));
  } catch (error) {
    throw new CliError(`${where}: ${(error as Error).message}`, 2);
  }
}
