import type { EventStore, ReadAllOptions, RecordedEvent } from './event-store.port.js';
import { readAllEvents, readAllPages } from './read-all.js';

/** `$all` with gaps between positions (as EventStoreDB's byte offsets), reads counted. */
function storeAt(positions: bigint[]) {
  const events = positions.map(
    (position, i) => ({ id: `e${i}`, type: 'T', position }) as unknown as RecordedEvent,
  );
  const reads: ReadAllOptions[] = [];
  const store = {
    async readAll(options: ReadAllOptions = {}) {
      reads.push(options);
      const from = options.fromPosition ?? 'start';
      const rest = typeof from === 'bigint' ? events.filter((e) => e.position >= from) : events;
      return rest.slice(0, options.maxCount ?? rest.length);
    },
  } as unknown as EventStore;
  return { store, reads };
}

const positions = [3n, 10n, 11n, 40n, 41n, 97n, 120n];

describe('readAllPages', () => {
  it('gives every event once, in order, a page at a time, over gaps in positions', async () => {
    const { store, reads } = storeAt(positions);
    const pages: bigint[][] = [];
    for await (const page of readAllPages(store, { pageSize: 3 })) {
      pages.push(page.map((e) => e.position));
    }
    // Each read starts at the last position seen (inclusive) and skips it.
    expect(pages).toEqual([
      [3n, 10n, 11n],
      [40n, 41n],
      [97n, 120n],
    ]);
    expect(reads.map((r) => r.fromPosition)).toEqual(['start', 11n, 41n, 120n]);
  });

  it('starts after a given position', async () => {
    const { store } = storeAt(positions);
    const seen: bigint[] = [];
    for await (const page of readAllPages(store, { pageSize: 2, after: 40n })) {
      seen.push(...page.map((e) => e.position));
    }
    expect(seen).toEqual([41n, 97n, 120n]);
  });

  it('ends at once on an empty log', async () => {
    const { store, reads } = storeAt([]);
    const pages = [];
    for await (const page of readAllPages(store, { pageSize: 5 })) pages.push(page);
    expect(pages).toEqual([]);
    expect(reads).toHaveLength(1);
  });
});

describe('readAllEvents', () => {
  it('flattens the pages', async () => {
    const { store } = storeAt(positions);
    const seen: bigint[] = [];
    for await (const event of readAllEvents(store, 2)) seen.push(event.position);
    expect(seen).toEqual(positions);
  });
});
