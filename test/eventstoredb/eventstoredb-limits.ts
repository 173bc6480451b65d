import type { EventStoreFactory } from '../event-store/event-store.contract.js';

/**
 * The contract guarantee EventStoreDB cannot give, with the reason; every
 * EventStoreDB target (wire double, real server) declares it. See
 * docs/adr/0002-eventstoredb-adapter-and-wire-double.md.
 */
export const ESDB_LIMITS: EventStoreFactory['limits'] = {
  'event-ids-unique-across-streams':
    'EventStoreDB scopes event-id idempotence to one stream and keeps no global id index, ' +
    'so the same id appended to another stream is stored there',
};
