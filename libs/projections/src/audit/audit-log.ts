import { eventHash, PREV_HASH, type EventStore, type RecordedEvent } from '@app/event-store';

/** Events read at a time while scanning the log. */
const SCAN_PAGE = 2_000;
/** Smallest scan page of a paged read: a sparse filter must not read the log ten events at a time. */
const MIN_SCAN_PAGE = 256;

/** The stream categories of the ledger (`<category>-<id>`). */
export const AUDIT_CATEGORIES = ['programme', 'partner', 'group', 'election', 'feedback'] as const;
export type AuditCategory = (typeof AUDIT_CATEGORIES)[number];

/** Which events the raw log shows; every field narrows it, none means all. */
export interface AuditFilter {
  /** One stream, by its full name (`group-programme-board`). */
  stream?: string;
  category?: AuditCategory;
  types?: ReadonlySet<string> | null;
  /** Bounds on `data.occurredAt`, ms since the epoch, inclusive; events without one are left out. */
  occurredFrom?: number;
  occurredTo?: number;
  /** Bounds on `recordedAt`, ms since the epoch, inclusive. */
  recordedFrom?: number;
  recordedTo?: number;
  /** Events of this programme: of its streams (`inProgramme`), else whose `data.programmeId` is it. */
  programmeId?: string;
  /** Whether a stream belongs to `programmeId` (see programmeStreams). */
  inProgramme?: (streamId: string) => boolean;
}

/**
 * The two sides of the ledger's store: `store` hands events out as the
 * reader sees them (the application store: personal fields decrypted or
 * `[erased]`, data in its current schema), `stored` as they are kept
 * (ciphertext, stored schema), which is what the hash chain is over. A
 * transfer that must re-append the exact bytes passes the stored side twice.
 */
export interface AuditSource {
  store: EventStore;
  stored: EventStore;
}

/** One event of the log, everything the hash chain covers and the chain itself. */
export interface AuditEvent {
  /** Position in `$all`. */
  position: number;
  stream: string;
  /** 0-based revision in its stream. */
  revision: number;
  id: string;
  type: string;
  /** Schema version of `data` as shown (after upcasting, the current one). */
  schemaVersion: number;
  /** Business time (`data.occurredAt`), or null for events without one. */
  occurredAt: string | null;
  /** When the ledger recorded the event. */
  recordedAt: string;
  data: unknown;
  /** The event's metadata: commandId, correlationId, causationId, actor, schemaVersion, prevHash. */
  metadata: Record<string, unknown>;
  /** SHA-256 of the event as stored (`ledger-event-v1`, ADR 0004). */
  hash: string;
  /** Hash of the previous event of the stream, as stored; null at revision 0. */
  prevHash: string | null;
}

export interface AuditQuery {
  /** First position to read (inclusive); from the start when null or omitted. */
  fromPosition?: bigint | null;
  filter?: AuditFilter;
}

export interface AuditPage {
  events: AuditEvent[];
  /** `fromPosition` of the next page: the position of the next matching event, or null at the end. */
  next: number | null;
}

/**
 * The raw log in `$all` order from `fromPosition`, filtered. The API's
 * `/v1/audit/events` and the CLI's `export-events` both read it here, so the
 * event shape has one definition.
 */
export async function* auditLog(
  source: AuditSource,
  { fromPosition = null, filter = {} }: AuditQuery,
  pageSize = SCAN_PAGE,
): AsyncGenerator<AuditEvent> {
  const pages = filter.stream
    ? streamPages(source, filter.stream, fromPosition, pageSize)
    : allPages(source, fromPosition, pageSize);
  for await (const page of pages) {
    for (const [shown, stored] of page) {
      if (matchesAudit(shown, filter)) yield auditEvent(shown, stored);
    }
  }
}

/**
 * At most `limit` events, and the cursor of the next page: the position of
 * the first matching event after them (so `next` is null exactly when
 * nothing more matches, and a cursor is always a real event's position).
 */
export async function auditPage(
  source: AuditSource,
  { limit, ...query }: AuditQuery & { limit: number },
): Promise<AuditPage> {
  const events: AuditEvent[] = [];
  const pageSize = Math.min(SCAN_PAGE, Math.max(MIN_SCAN_PAGE, limit + 1));
  for await (const event of auditLog(source, query, pageSize)) {
    if (events.length === limit) return { events, next: event.position };
    events.push(event);
  }
  return { events, next: null };
}

export function matchesAudit(event: RecordedEvent, filter: AuditFilter): boolean {
  if (filter.stream !== undefined && event.streamId !== filter.stream) return false;
  if (filter.category !== undefined && !event.streamId.startsWith(`${filter.category}-`))
    return false;
  if (filter.types && !filter.types.has(event.type)) return false;
  const recorded = event.recordedAt.getTime();
  if (filter.recordedFrom !== undefined && recorded < filter.recordedFrom) return false;
  if (filter.recordedTo !== undefined && recorded > filter.recordedTo) return false;
  if (filter.occurredFrom !== undefined || filter.occurredTo !== undefined) {
    const occurred = occurredAtOf(event);
    const ms = occurred === null ? Number.NaN : Date.parse(occurred);
    if (Number.isNaN(ms)) return false;
    if (filter.occurredFrom !== undefined && ms < filter.occurredFrom) return false;
    if (filter.occurredTo !== undefined && ms > filter.occurredTo) return false;
  }
  if (filter.programmeId !== undefined) {
    const belongs = filter.inProgramme
      ? filter.inProgramme(event.streamId)
      : dataField(event, 'programmeId') === filter.programmeId;
    if (!belongs) return false;
  }
  return true;
}

/** The event as the log shows it: `shown` for what it says, `stored` for its hash. */
export function auditEvent(shown: RecordedEvent, stored: RecordedEvent): AuditEvent {
  const version = shown.metadata.schemaVersion;
  const prevHash = stored.metadata[PREV_HASH];
  return {
    position: Number(shown.position),
    stream: shown.streamId,
    revision: Number(shown.revision),
    id: shown.id,
    type: shown.type,
    schemaVersion: typeof version === 'number' ? version : 1,
    occurredAt: occurredAtOf(shown),
    recordedAt: shown.recordedAt.toISOString(),
    data: shown.data,
    metadata: shown.metadata,
    hash: eventHash(stored),
    prevHash: typeof prevHash === 'string' ? prevHash : null,
  };
}

type Paired = Array<[shown: RecordedEvent, stored: RecordedEvent]>;

/** `$all` from `from` (inclusive), each stored event beside its shown form. */
async function* allPages(
  source: AuditSource,
  from: bigint | null,
  pageSize: number,
): AsyncGenerator<Paired> {
  let first = true;
  let cursor = from;
  for (;;) {
    const at = cursor;
    const inclusive = first;
    const stored = (
      await source.stored.readAll({ fromPosition: at ?? 'start', maxCount: pageSize })
    ).filter((event) => at === null || (inclusive ? event.position >= at : event.position > at));
    if (stored.length === 0) return;
    yield await pairWith(source, stored, (start, count) =>
      source.store.readAll({ fromPosition: start, maxCount: count }),
    );
    // Positions need not be contiguous (EventStoreDB's are byte offsets): read on from the last one.
    cursor = stored[stored.length - 1]!.position;
    first = false;
  }
}

/** One stream, from the first of its events at or after `from`. */
async function* streamPages(
  source: AuditSource,
  streamId: string,
  from: bigint | null,
  pageSize: number,
): AsyncGenerator<Paired> {
  let revision = 0n;
  for (;;) {
    const page = await source.stored.readStream(streamId, {
      fromRevision: revision,
      maxCount: pageSize,
    });
    if (page.length === 0) return;
    const stored = page.filter((event) => from === null || event.position >= from);
    if (stored.length > 0) {
      yield await pairWith(source, stored, () =>
        source.store.readStream(streamId, {
          fromRevision: stored[0]!.revision,
          maxCount: stored.length,
        }),
      );
    }
    revision = page[page.length - 1]!.revision + 1n;
  }
}

/**
 * The shown form of each stored event, read from the application store over
 * the same range. The log is append-only, so both reads see the same events;
 * a mismatch means the two sides are not one store, and is an error.
 */
async function pairWith(
  source: AuditSource,
  stored: RecordedEvent[],
  readShown: (from: bigint, count: number) => Promise<RecordedEvent[]>,
): Promise<Paired> {
  if (source.store === source.stored) return stored.map((event) => [event, event]);
  const shown = await readShown(stored[0]!.position, stored.length);
  return stored.map((event, index) => {
    const seen = shown[index];
    if (seen?.id.toLowerCase() !== event.id.toLowerCase()) {
      throw new Error(
        `The application store and the stored log disagree at position ${event.position}`,
      );
    }
    return [seen, event];
  });
}

function dataField(event: RecordedEvent, name: string): unknown {
  const data = event.data;
  return data !== null && typeof data === 'object' ? (data as Record<string, unknown>)[name] : null;
}

function occurredAtOf(event: RecordedEvent): string | null {
  const value = dataField(event, 'occurredAt');
  return typeof value === 'string' ? value : null;
}
