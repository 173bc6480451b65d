import { join } from 'node:path';
import type { EventStore } from './event-store.port.js';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';

export interface EventStoreConfig {
  /** `sqlite`: the embedded store (default); `eventstoredb`: an EventStoreDB node or cluster. */
  store: 'sqlite' | 'eventstoredb';
  /** Where the SQLite file lives: `<dataDir>/events.sqlite`. */
  dataDir: string;
  /** Required for `eventstoredb`, e.g. `esdb://node1:2113,node2:2113?tls=true`. */
  connectionString?: string;
}

/** The configured adapter: the choice of store is configuration only. */
export function createEventStore(config: EventStoreConfig): EventStore {
  switch (config.store) {
    case 'sqlite':
      return new SqliteEventStore({ path: join(config.dataDir, 'events.sqlite') });
    case 'eventstoredb': {
      const connectionString = config.connectionString?.trim();
      if (!connectionString) {
        throw new Error(
          "Event store 'eventstoredb' needs a connection string (e.g. esdb://localhost:2113?tls=false)",
        );
      }
      return new EventStoreDbEventStore(connectionString);
    }
    default:
      throw new Error(`Unknown event store '${String((config as { store: unknown }).store)}'`);
  }
}
