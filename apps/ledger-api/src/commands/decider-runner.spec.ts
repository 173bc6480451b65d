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
  /** Where each read of the stream started: 'start' for a whole read. */
  let readFrom: Array<bigint | string>;
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
    readFrom = [];
    const readStream = store.readStream.bind(store);
    store.readStream = (...args) => {
      reads += 1;
      readFrom.push(args[1]?.fromRevision ?? 'start');
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

  it('reads only the events after its view when another writer appended, however long the stream', async () => {
    for (let n = 0; n < 5; n++) await add(1);
    await elsewhere('Removed', 2);
    await expect(add(4)).resolves.toMatchObject({ revision: 6n, events: 1 });
    expect(readFrom).toEqual([4n]);
    expect(await totals()).toEqual([...Array(5).fill('Added 1'), 'Removed 2', 'Added 4']);
  });

  it('lets a refusal on memory stand once the store shows nothing after the view, without reading the stream whole', async () => {
    await add(6);
    await add(3);
    await expect(add(5)).rejects.toMatchObject({ code: 'over_ten' });
    expect(readFrom).toEqual([1n]);
  });

  it('reads the stream whole when it is not the history its view was folded from', async () => {
    await add(6);
    // The store lost the stream and another writer wrote a new one in its place.
    const kept = store.all().find((event) => event.streamId === 'tally-1')!;
    const readStream = store.readStream.bind(store);
    store.readStream = async (streamId, options) =>
      (await readStream(streamId, options)).map((event) =>
        event.id === kept.id ? { ...event, position: event.position + 100n } : event,
      );
    await expect(add(5)).rejects.toMatchObject({ code: 'over_ten' });
    expect(readFrom).toEqual([0n, 'start']);
    await store.appendToStream('tally-1', [
      { id: randomUUID(), type: 'Removed', data: { n: 6 }, metadata: {} },
    ]);
    await expect(add(9)).resolves.toMatchObject({ events: 1 });
  });

  describe('with a state evolved in place', () => {
    type Box = { total: number };
    const boxed: Decider<TallyCommand, TallyEvent, Box> = {
      initialState: () => ({ total: 0 }),
      evolve: (box, event) => {
        box.total += event.type === 'Added' ? event.data.n : -event.data.n;
        return box;
      },
      decide: (command, box) => {
        if (box.total + command.data.n > 10)
          throw new DomainError('over_ten', `${box.total} + ${command.data.n} > 10`);
        return [{ type: 'Added', data: { n: command.data.n } }];
      },
    };
    const put = (n: number) =>
      runner.run({
        streamId: 'tally-1',
        decider: boxed,
        command: { type: 'Add', data: { n } },
        metadata: metadata(),
      });

    it('applies another writer’s events once, however often its view is brought up to date', async () => {
      await put(2);
      await elsewhere('Added', 3);
      await expect(put(6)).rejects.toMatchObject({ code: 'over_ten' }); // 5 + 6
      await elsewhere('Removed', 1);
      await expect(runner.load('tally-1', boxed)).resolves.toEqual({ total: 4 });
      await expect(put(6)).resolves.toMatchObject({ events: 1 }); // 4 + 6
      await expect(put(1)).rejects.toMatchObject({ code: 'over_ten' }); // 10 + 1
      await expect(runner.load('tally-1', boxed)).resolves.toEqual({ total: 10 });
    });

    it('answers load from the kept view after reading at most the view’s last event and one more', async () => {
      await put(2);
      await put(3);
      readFrom = [];
      await expect(runner.load('tally-1', boxed)).resolves.toEqual({ total: 5 });
      expect(readFrom).toEqual([1n]);
      await elsewhere('Added', 1);
      await expect(runner.load('tally-1', boxed)).resolves.toEqual({ total: 6 });
      expect(readFrom).toEqual([1n, 1n, 'start']);
    });

    it('keeps what load read, so the first command on that stream decides without reading', async () => {
      await elsewhere('Added', 4);
      await expect(runner.load('tally-1', boxed)).resolves.toEqual({ total: 4 });
      readFrom = [];
      await expect(put(6)).resolves.toMatchObject({ revision: 1n });
      expect(readFrom).toEqual([]);
    });
  });
});
