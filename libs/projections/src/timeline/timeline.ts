import { readAllPages, type EventStore, type RecordedEvent } from '@app/event-store';
import { describeEvent, eventMentions, type NameLookup } from './describe-event.js';

/** Events read at a time while scanning the log. */
const SCAN_PAGE = 2_000;

/** Which events a timeline shows; every field narrows it, none means all. */
export interface TimelineFilter {
  types?: ReadonlySet<string> | null;
  groupId?: string;
  partnerId?: string;
  /** `occurredAt` bounds, ms since the epoch, inclusive; events without one are left out. */
  since?: number;
  until?: number;
}

/** How a reader sees ids: names (pseudonyms for evaluators) and stream names. */
export interface TimelineView {
  names: NameLookup;
  /** The stream as shown; as stored when omitted. */
  stream?(streamId: string): string;
}

export interface TimelineLine {
  position: number;
  recordedAt: string;
  occurredAt: string | null;
  stream: string;
  type: string;
  line: string;
}

export interface TimelineQuery {
  /** Start after this position (exclusive); from the beginning when null or omitted. */
  after?: bigint | null;
  filter?: TimelineFilter;
  view: TimelineView;
}

/**
 * The timeline, in `$all` order: one plain-language line per matching event.
 * The CLI prints it all; the API pages it (`timelinePage`).
 */
export async function* timeline(
  store: EventStore,
  { after = null, filter = {}, view }: TimelineQuery,
): AsyncGenerator<TimelineLine> {
  for await (const page of readAllPages(store, { pageSize: SCAN_PAGE, after })) {
    for (const event of page) if (matchesTimeline(event, filter)) yield timelineLine(event, view);
  }
}

/**
 * At most `limit` lines. `more` is true when the log goes on past the last
 * line (its position is the cursor for the next page), whether or not any
 * later event matches: the page never scans beyond its limit to find out.
 */
export async function timelinePage(
  store: EventStore,
  { after = null, filter = {}, view, limit }: TimelineQuery & { limit: number },
): Promise<{ lines: TimelineLine[]; more: boolean }> {
  const lines: TimelineLine[] = [];
  for await (const page of readAllPages(store, { pageSize: SCAN_PAGE, after })) {
    for (const event of page) {
      if (lines.length === limit) return { lines, more: true };
      if (matchesTimeline(event, filter)) lines.push(timelineLine(event, view));
    }
  }
  return { lines, more: false };
}

export function matchesTimeline(event: RecordedEvent, filter: TimelineFilter): boolean {
  if (filter.types && !filter.types.has(event.type)) return false;
  if (!eventMentions(event, { groupId: filter.groupId, partnerId: filter.partnerId })) return false;
  const occurred = occurredAt(event);
  if (filter.since !== undefined && (occurred === null || Date.parse(occurred) < filter.since))
    return false;
  if (filter.until !== undefined && (occurred === null || Date.parse(occurred) > filter.until))
    return false;
  return true;
}

export function timelineLine(event: RecordedEvent, view: TimelineView): TimelineLine {
  return {
    position: Number(event.position),
    recordedAt: event.recordedAt.toISOString(),
    occurredAt: occurredAt(event),
    stream: view.stream ? view.stream(event.streamId) : event.streamId,
    type: event.type,
    line: describeEvent(event, view.names),
  };
}

function occurredAt(event: RecordedEvent): string | null {
  const value = (event.data as { occurredAt?: unknown } | null)?.occurredAt;
  return typeof value === 'string' ? value : null;
}
