import { readAllPages, type EventStore, type RecordedEvent } from '@app/event-store';
import { describeEvent, eventMentions, type NameLookup } from './describe-event.js';
import type { TimelineSubject } from './timeline-index.projection.js';

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

/** The positions of each group's and partner's events, as far as the read models go. */
export interface TimelineIndex {
  /** Position of the last event the index includes; `null` when it includes none. */
  readonly checkpoint: bigint | null;
  /** Up to `limit` positions of the subject's events after `after` (exclusive), up to `upTo`. */
  positions(subject: TimelineSubject, after: bigint | null, upTo: bigint, limit: number): bigint[];
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
 *
 * With an `index` and a group or partner filter, the events up to the
 * index's checkpoint are those the index names (fetched by position, then
 * filtered as the scan filters them); only the events after the checkpoint,
 * not indexed yet, are scanned. The page is the scan's, line for line.
 */
export async function timelinePage(
  store: EventStore,
  {
    after = null,
    filter = {},
    view,
    limit,
    index,
  }: TimelineQuery & { limit: number; index?: TimelineIndex },
): Promise<{ lines: TimelineLine[]; more: boolean }> {
  const lines: TimelineLine[] = [];
  let from = after;
  const subject = subjectOf(filter);
  const upTo = index?.checkpoint ?? null;
  if (index && subject && upTo !== null && (after === null || after < upTo)) {
    let last: bigint | null = null;
    for (;;) {
      // One more than the page needs: finding it says the log goes on.
      const want = Math.min(SCAN_PAGE, limit - lines.length + 1);
      const positions = index.positions(subject, from, upTo, want);
      for (const event of positions.length > 0 ? await store.readAllAt(positions) : []) {
        if (lines.length === limit) return { lines, more: true };
        if (matchesTimeline(event, filter)) {
          lines.push(timelineLine(event, view));
          last = event.position;
        }
      }
      if (positions.length < want) break;
      from = positions[positions.length - 1]!;
    }
    // The event at the checkpoint is past the last line: the log goes on.
    if (lines.length === limit && last !== null && last < upTo) return { lines, more: true };
    from = upTo;
  }
  for await (const page of readAllPages(store, { pageSize: SCAN_PAGE, after: from })) {
    for (const event of page) {
      if (lines.length === limit) return { lines, more: true };
      if (matchesTimeline(event, filter)) lines.push(timelineLine(event, view));
    }
  }
  return { lines, more: false };
}

/** The index to read: the partner's when both are given (the filter still tests both). */
function subjectOf(filter: TimelineFilter): TimelineSubject | null {
  if (typeof filter.partnerId === 'string') return { kind: 'partner', id: filter.partnerId };
  if (typeof filter.groupId === 'string') return { kind: 'group', id: filter.groupId };
  return null;
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
