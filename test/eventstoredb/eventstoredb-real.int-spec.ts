import { EventStoreDbEventStore, type EventStore } from '@app/event-store';
import { describeEventStoreContract } from '../event-store/event-store.contract.js';
import { ESDB_LIMITS } from './eventstoredb-limits.js';

/**
 * The same contract against a real EventStoreDB server (23.10 or later), run by
 * `npm run test:eventstoredb` with EVENTSTORE_CONNECTION_STRING set, e.g.
 *   EVENTSTORE_CONNECTION_STRING='esdb://localhost:2113?tls=false' npm run test:eventstoredb
 * Every test uses streams of its own, so a shared, long-lived server is fine.
 */
const connectionString = process.env.EVENTSTORE_CONNECTION_STRING?.trim();

if (connectionString) {
  describeEventStoreContract(`eventstoredb (real server at ${redact(connectionString)})`, {
    create: async () => new EventStoreDbEventStore(connectionString),
    dispose: (store: EventStore) => store.close(),
    limits: ESDB_LIMITS,
  });
} else {
  describe.skip('event store contract: eventstoredb (real server) — skipped: set EVENTSTORE_CONNECTION_STRING to run it', () => {
    it('runs the event store contract against a real EventStoreDB', () => {
      expect(connectionString).toBeDefined();
    });
  });
}

describe('real-server target naming', () => {
  it('keeps credentials in the connection string out of test names', () => {
    expect(redact('esdb://admin:changeit@node1:2113,node2:2113?tls=true')).toBe(
      'esdb://***@node1:2113,node2:2113?tls=true',
    );
    expect(redact('esdb://localhost:2113?tls=false')).toBe('esdb://localhost:2113?tls=false');
  });
});

/** Keeps credentials in a connection string out of test names. */
function redact(value: string): string {
  return value.replace(/\/\/[^@/]*@/, '//***@');
}
