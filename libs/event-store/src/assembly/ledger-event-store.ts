import { createEventStore, type EventStoreConfig } from '../create-event-store.js';
import type { EventStore, RecordedEvent } from '../event-store.port.js';
import { HashChainingEventStore } from '../integrity/hash-chaining-event-store.js';
import { EncryptingEventStore } from '../privacy/encrypting-event-store.js';
import type { PersonKeys } from '../privacy/person-keys.js';
import { PersonalDataCipher } from '../privacy/personal-data-cipher.js';
import { UpcastingEventStore, type EventUpcast } from '../upcasting-event-store.js';
import { ObservedEventStore, type EventStoreObserver } from './observed-event-store.js';

/** Reads an event's data written at a schema version as the current shape (the domain's UpcasterRegistry). */
export interface SchemaUpcaster {
  upcast(
    type: string,
    version: number | undefined,
    data: unknown,
  ): { data: unknown; version: number };
}

export interface LedgerEventStoreOptions {
  /** The adapter to build on: an open one (as stored), or how to open it (sqlite or eventstoredb). */
  adapter: EventStore | EventStoreConfig;
  /** Per-person keys for the personal fields. */
  keys: PersonKeys;
  upcasters: SchemaUpcaster;
  /** Told about every append the adapter acknowledges or refuses (metrics). */
  observer?: EventStoreObserver;
}

export interface LedgerEventStore {
  /**
   * Events as stored (ciphertext, stored schema), for integrity checks;
   * appends through it are hash-chained.
   */
  stored: EventStore;
  /**
   * The store the application uses: personal fields encrypted with each
   * person's key on the way in and decrypted on the way out, every event
   * handed out in its current schema. Closing it closes the adapter.
   */
  store: EventStore;
}

/**
 * The one place the ledger's store is put together, for the API and the
 * CLI alike: `Upcasting(Encrypting(HashChaining(Observed(adapter))))`. The
 * hash chain sits directly on the adapter (below encryption), so it hashes
 * the bytes as stored (ADR 0004); the observer, below it, times what the
 * adapter does, a chained append's retries included.
 */
export function assembleLedgerEventStore(options: LedgerEventStoreOptions): LedgerEventStore {
  const adapter = isEventStore(options.adapter)
    ? options.adapter
    : createEventStore(options.adapter);
  const stored = new HashChainingEventStore(
    options.observer ? new ObservedEventStore(adapter, options.observer) : adapter,
  );
  const store = new UpcastingEventStore(
    new EncryptingEventStore(stored, new PersonalDataCipher(options.keys)),
    upcastWith(options.upcasters),
  );
  return { stored, store };
}

/** An event in its current schema, `metadata.schemaVersion` saying so (untouched if already current). */
export function upcastWith(upcasters: SchemaUpcaster): EventUpcast {
  return (event: RecordedEvent) => {
    const stored =
      typeof event.metadata.schemaVersion === 'number' ? event.metadata.schemaVersion : undefined;
    const { data, version } = upcasters.upcast(event.type, stored, event.data);
    return version === (stored ?? 1)
      ? event
      : { ...event, data, metadata: { ...event.metadata, schemaVersion: version } };
  };
}

function isEventStore(adapter: EventStore | EventStoreConfig): adapter is EventStore {
  return typeof (adapter as EventStore).appendToStream === 'function';
}
