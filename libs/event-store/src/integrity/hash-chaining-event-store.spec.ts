import { randomUUID } from 'node:crypto';
import { InMemoryEventStore } from '../../../../test/support/in-memory-event-store.js';
import { WrongExpectedRevisionError } from '../errors.js';
import type { NewEvent } from '../event-store.port.js';
import { eventHash } from './event-hash.js';
import { HashChainingEventStore } from './hash-chaining-event-store.js';

const event = (n: number): NewEvent => ({
  id: randomUUID(),
  type: 'Counted',
  data: { n, nested: { list: [n, `${n}`] } },
  metadata: { commandId: `c-${n}` },
});

describe('HashChainingEventStore', () => {
  let adapter: InMemoryEventStore;
  let reads: number;
  beforeEach(() => {
    adapter = new InMemoryEventStore();
    reads = 0;
    const readStream = adapter.readStream.bind(adapter);
    adapter.readStream = (...args) => {
      reads += 1;
      return readStream(...args);
    };
  });

  /** Every event's prevHash is the hash of the event before it in its stream, as stored. */
  const expectChained = async (streamId: string) => {
    const stored = await adapter.readStream(streamId);
    stored.forEach((recorded, i) => {
      expect(recorded.metadata.prevHash).toBe(i === 0 ? null : eventHash(stored[i - 1]!));
    });
    return stored.length;
  };

  it('chains an append at the revision it last appended to without reading its predecessor back', async () => {
    const store = new HashChainingEventStore(adapter);
    let revision = (
      await store.appendToStream('s-1', [event(0)], { expectedRevision: 'no_stream' })
    ).nextExpectedRevision;
    for (let n = 1; n < 6; n++) {
      const events = n % 2 === 0 ? [event(n)] : [event(n), event(n + 100)];
      revision = (await store.appendToStream('s-1', events, { expectedRevision: revision }))
        .nextExpectedRevision;
    }
    expect(reads).toBe(0);
    expect(await expectChained('s-1')).toBe(9);
  });

  it('reads the predecessor once another writer has moved the stream on, and still refuses a stale revision', async () => {
    const mine = new HashChainingEventStore(adapter);
    const theirs = new HashChainingEventStore(adapter);
    await mine.appendToStream('s-1', [event(0)], { expectedRevision: 'no_stream' });
    await theirs.appendToStream('s-1', [event(1)], { expectedRevision: 0n });
    await expect(
      mine.appendToStream('s-1', [event(2)], { expectedRevision: 0n }),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await mine.appendToStream('s-1', [event(3)], { expectedRevision: 1n });
    await mine.appendToStream('s-1', [event(4)], { expectedRevision: 'any' });
    expect(await expectChained('s-1')).toBe(4);
  });
});
