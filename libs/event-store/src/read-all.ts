import type { EventStore, RecordedEvent } from './event-store.port.js';

/**
 * `$all` in order, a page at a time, from the start or after `after`. Each
 * page is read from the last position inclusive and that event skipped:
 * positions need not be contiguous (EventStoreDB's are byte offsets).
 */
export async function* readAllPages(
  store: EventStore,
  { pageSize, after = null }: { pageSize: number; after?: bigint | null },
): AsyncGenerator<RecordedEvent[]> {
  let last = after;
  for (;;) {
    const from: bigint | null = last;
    const page: RecordedEvent[] = (
      await store.readAll({ fromPosition: from ?? 'start', maxCount: pageSize })
    ).filter((event) => from === null || event.position > from);
    if (page.length === 0) return;
    yield page;
    last = page[page.length - 1]!.position;
  }
}

/** Every event of `$all`, in order, read a page at a time. */
export async function* readAllEvents(
  store: EventStore,
  pageSize = 2_000,
): AsyncGenerator<RecordedEvent> {
  for await (const page of readAllPages(store, { pageSize })) yield* page;
}
