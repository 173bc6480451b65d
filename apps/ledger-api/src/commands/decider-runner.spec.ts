import { DomainError, UpcasterRegistry, type Decider, type Message } from '@app/domain';
import { EventIdConflictError, WrongExpectedRevisionError } from '@app/event-store';
import { randomUUID } from 'node:crypto';
import { InMemoryEventStore } from '../../../../test/support/in-memory-event-store.js';
import type { CommandMetadata } from './command-metadata.js';
import { DeciderRunner } from './decider-runner.js';

type TallyCommand = Message<'Add', { n: number }>;
type TallyEvent = Message<'Added' | 'Removed', { n: number }>;

/** A tally that may never pass 10. */
const tally: Decider<TallyCommand, TallyEvent, number> = {
  initialState: () => 0,
  evolve: (total, event) => (event.type === 'Added' ? total + event.data.n : total - event.data.n),
  decide: (command, total) => {
    if (command.data.n === 0) return [];
    if (total + command.data.n > 10)
      throw new DomainError('over_ten', `${total} + ${command.data.n} > 10`);
    return [{ type: 'Added', data: { n: command.data.n } }];
  },
};

const metadata = (extra: Partial<CommandMetadata> = {}): CommandMetadata => ({
  commandId: randomUUID(),
  correlationId: randomUUID(),
  causationId: randomUUID(),
  actor: 'test',
  ...extra,
});

describe('DeciderRunner', () => {
  let store: InMemoryEventStore;
  let runner: DeciderRunner;
  let reads: number;
  const add = (n: number, meta = metadata()) =>
    runner.run({
      streamId: 'tally-1',
      decider: tally,
      command: { type: 'Add', data: { n } },
      metadata: meta,
    });
  /** Another process's append: this runner does not see it happen. */
  const elsewhere = (type: TallyEvent['type'], n: number) =>
    store.appendToStream('tally-1', [
      { id: randomUUID(), type, data: { n }, metadata: { commandId: randomUUID() } },
    ]);
  const totals = async () =>
    (await store.readStream('tally-1')).map(
      (event) => `${event.type} ${(event.data as { n: number }).n}`,
    );

  beforeEach(() => {
    store = new InMemoryEventStore();
    reads = 0;
    const readStream = store.readStream.bind(store);
    store.readStream = (...args) => {
      reads += 1;
      return readStream(...args);
    };
    runner = new DeciderRunner(store, new UpcasterRegistry());
  });

  it('appends to a stream it has never seen as a new stream, and keeps its view after appending', async () => {
    await add(2);
    await add(3);
    expect(reads).toBe(0);
    expect(await totals()).toEqual(['Added 2', 'Added 3']);
  });

  it('decides again on the stream as read when another writer appended since', async () => {
    await add(3);
    await elsewhere('Added', 5);
    // On memory 3 + 3 would pass; on the stream 8 + 3 does not.
    await expect(add(3)).rejects.toMatchObject({ code: 'over_ten' });
    expect(reads).toBe(1);
    expect(await totals()).toEqual(['Added 3', 'Added 5']);
  });

  it('never refuses on memory alone: a refusal is decided again on the stream as read', async () => {
    await add(8);
    await elsewhere('Removed', 5);
    // On memory 8 + 5 is over ten; on the stream 3 + 5 is not.
    await expect(add(5)).resolves.toMatchObject({ events: 1 });
    expect(await totals()).toEqual(['Added 8', 'Removed 5', 'Added 5']);
  });

  it('treats a stream another writer created as existing once the guess that it is new fails', async () => {
    await elsewhere('Added', 9);
    await expect(add(2)).rejects.toBeInstanceOf(DomainError);
    expect(reads).toBe(1);
  });

  it('answers a retried command from the stream without deciding it again, with or without memory', async () => {
    const meta = metadata();
    const first = await add(4, meta);
    await expect(add(4, meta)).resolves.toEqual({ ...first, events: 0 });
    const restarted = new DeciderRunner(store, new UpcasterRegistry());
    await expect(
      restarted.run({
        streamId: 'tally-1',
        decider: tally,
        command: { type: 'Add', data: { n: 4 } },
        metadata: meta,
      }),
    ).resolves.toEqual({ ...first, events: 0 });
    expect(await totals()).toEqual(['Added 4']);
  });

  it('answers "nothing to do" from the stream as read, not from memory', async () => {
    await add(1);
    await expect(add(0)).resolves.toEqual({
      revision: 0n,
      position: 1n,
      recordedAt: expect.any(Date),
      events: 0,
    });
    expect(reads).toBe(1);
  });

  it('reads the stream when the client pinned a revision, and refuses a stale one', async () => {
    await add(1);
    await elsewhere('Added', 1);
    await expect(add(1, metadata({ expectedRevision: 0n }))).rejects.toBeInstanceOf(
      WrongExpectedRevisionError,
    );
    await expect(add(1, metadata({ expectedRevision: 1n }))).resolves.toMatchObject({
      revision: 2n,
    });
    expect(reads).toBe(2);
  });

  it('answers a command retried after a restart from the stream it created, though the store refuses its ids as re-sent', async () => {
    // As the real stores do: an id already stored with other content (here a new correlation id) is a conflict, checked before the revision.
    const append = store.appendToStream.bind(store);
    store.appendToStream = async (streamId, events, options) => {
      for (const event of events) {
        const stored = store.all().find((e) => e.id === event.id);
        if (stored && JSON.stringify(stored.metadata) !== JSON.stringify(event.metadata))
          throw new EventIdConflictError(
            streamId,
            event.id,
            'id already stored with other content',
          );
      }
      return append(streamId, events, options);
    };
    const meta = metadata();
    const first = await add(4, meta);
    const restarted = new DeciderRunner(store, new UpcasterRegistry());
    await expect(
      restarted.run({
        streamId: 'tally-1',
        decider: tally,
        command: { type: 'Add', data: { n: 4 } },
        metadata: { ...meta, correlationId: randomUUID() },
      }),
    ).resolves.toEqual({ ...first, events: 0 });
    expect(await totals()).toEqual(['Added 4']);
  });

  it("still refuses ids stored by another command: a conflict on the stream as read is the caller's", async () => {
    const meta = metadata();
    await add(4, meta);
    const append = store.appendToStream.bind(store);
    store.appendToStream = async (streamId, events, options) => {
      if (streamId === 'tally-2') throw new EventIdConflictError(streamId, events[0]!.id, 'taken');
      return append(streamId, events, options);
    };
    await expect(
      runner.run({
        streamId: 'tally-2',
        decider: tally,
        command: { type: 'Add', data: { n: 1 } },
        metadata: metadata(),
      }),
    ).rejects.toBeInstanceOf(EventIdConflictError);
  });
});
