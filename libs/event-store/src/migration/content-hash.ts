import { createHash } from 'node:crypto';
import type { EventStore } from '../event-store.port.js';
import { readAllEvents } from '../read-all.js';

/**
 * A hash of a ledger's content that two stores agree on exactly when they
 * hold the same events in the same order: stream, revision, id, type, data
 * and metadata of every event in `$all` order. Positions and recording
 * times are not content (they are the store's own).
 */
export async function contentHash(store: EventStore): Promise<{ events: number; hash: string }> {
  const hash = createHash('sha256');
  let events = 0;
  for await (const event of readAllEvents(store)) {
    hash.update(
      `${event.streamId}\n${event.revision}\n${event.id}\n${event.type}\n${JSON.stringify(event.data)}\n${JSON.stringify(event.metadata)}\n`,
    );
    events += 1;
  }
  return { events, hash: hash.digest('hex') };
}
