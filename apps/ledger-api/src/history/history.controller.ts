import { EVENT_STORE, type EventStore } from '@app/event-store';
import {
  GovernanceQueries,
  ReplayService,
  TimelineIndexQueries,
  timelineLine,
  timelinePage,
  type TimelineLine,
  type TimelineView,
} from '@app/projections';
import type { AuthenticatedRequest } from '../security/auth.guard.js';
import { Pseudonyms } from '../security/pseudonyms.js';
import {
  Controller,
  Get,
  Headers,
  Inject,
  type MessageEvent,
  type OnModuleDestroy,
  Query,
  Req,
  Res,
  Sse,
} from '@nestjs/common';
import { LEDGER_EVENT_TYPES } from '@app/domain';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Observable, type Subscriber } from 'rxjs';
import { ReadModels } from '../infrastructure/read-models.service.js';
import { ApiError } from '../http/errors/error-body.js';
import { QueryRoute } from '../http/openapi/api-docs.decorators.js';
import { ref } from '../http/openapi/schemas.js';
import { parseInstant } from '../http/time-query.js';
import { READERS, Roles } from '../security/roles.js';
import { LiveFeed } from './live-feed.js';

const MAX_PAGE = 5_000;

function parsePosition(name: string, value: string | undefined): bigint | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,18}$/.test(value))
    throw new ApiError(400, 'invalid_position', `${name} must be a non-negative integer position`);
  return BigInt(value);
}

@ApiTags('history')
@Roles(...READERS)
@Controller('v1')
export class HistoryController implements OnModuleDestroy {
  /** Open live streams: ended on shutdown, so a listening client never holds the process up. */
  private readonly liveStreams = new Set<Subscriber<MessageEvent>>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModels: ReadModels,
    private readonly governance: GovernanceQueries,
    private readonly replays: ReplayService,
    private readonly pseudonyms: Pseudonyms,
    private readonly feed: LiveFeed,
    private readonly timelineIndex: TimelineIndexQueries,
  ) {}

  /** Names as this reader may see them: evaluators get pseudonyms for people, feedback and elections. */
  private viewFor(request: AuthenticatedRequest): TimelineView {
    const names = this.governance.names();
    if (request.actor !== 'evaluator') return { names, stream: (id) => id };
    return {
      names: { partner: (id) => this.pseudonyms.of(id), group: names.group },
      stream: (id) => this.pseudonyms.stream(id),
    };
  }

  /**
   * Events as NDJSON, one plain-language line each, in `$all` order from
   * `after` (exclusive). Filters: groupId, partnerId, type (comma list),
   * since/until (occurredAt). `X-Next-After` carries the cursor for the next page.
   */
  @Get('timeline')
  @QueryRoute('The timeline: events in order with a plain-language line each (NDJSON)', {
    produces: ['application/x-ndjson'],
    response: { type: 'string', description: 'One JSON object a line' },
    invalid: ['invalid_position', 'invalid_limit', 'unknown_event_type'],
    parameters: {
      limit: {
        description: `Lines a page, 1 to ${MAX_PAGE} (default 500)`,
        schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE },
      },
      type: {
        description: `Only these event types (comma list) of: ${LEDGER_EVENT_TYPES.join(', ')}`,
      },
      until: { description: 'Only events that occurred at or before this (a date or an instant)' },
    },
  })
  async timeline(
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
    @Query('after') afterParam?: string,
    @Query('limit') limitParam?: string,
    @Query('groupId') groupId?: string,
    @Query('partnerId') partnerId?: string,
    @Query('type') typeParam?: string,
    @Query('since') sinceParam?: string,
    @Query('until') untilParam?: string,
  ): Promise<void> {
    const after = parsePosition('after', afterParam) ?? null;
    const limit = limitParam === undefined ? 500 : Number(limitParam);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
      throw new ApiError(400, 'invalid_limit', `limit must be an integer from 1 to ${MAX_PAGE}`);
    }
    const types = eventTypes(typeParam);
    const since = parseInstant('since', sinceParam);
    const until = parseInstant('until', untilParam);
    const { lines, more } = await timelinePage(this.store, {
      after,
      limit,
      filter: { types, groupId, partnerId, since, until },
      view: this.viewFor(request),
      // A group's or partner's page reads its events' positions from the read models.
      index: this.timelineIndex,
    });
    // Lines quote free text (summaries, reasons): evaluators get known names and ids in it redacted.
    const shown =
      request.actor === 'evaluator'
        ? lines.map((line) => this.pseudonyms.scrub(line) as TimelineLine)
        : lines;
    void reply
      .header('content-type', 'application/x-ndjson; charset=utf-8')
      .header(
        'x-next-after',
        more && lines.length > 0 ? String(lines[lines.length - 1]!.position) : '',
      )
      .send(shown.map((line) => JSON.stringify(line)).join('\n') + (shown.length > 0 ? '\n' : ''));
  }

  /** Live events as Server-Sent Events, from `Last-Event-ID` (a position) or from now. */
  @Sse('events/live')
  @QueryRoute('Live events (Server-Sent Events); reconnect with Last-Event-ID to resume', {
    produces: ['text/event-stream'],
    response: {
      type: 'string',
      description: 'Server-Sent Events: id (position), event (type), data',
    },
    invalid: ['invalid_position'],
  })
  live(
    @Req() request: AuthenticatedRequest,
    @Headers('last-event-id') lastEventId?: string,
    @Query('after') afterParam?: string,
  ): Observable<MessageEvent> {
    const resume =
      parsePosition('Last-Event-ID', lastEventId) ?? parsePosition('after', afterParam);
    const kind = request.actor === 'evaluator' ? 'evaluator' : 'office';
    return new Observable<MessageEvent>((subscriber) => {
      this.liveStreams.add(subscriber);
      const leave = this.feed.join(
        resume,
        (live) => {
          // Serialised once per kind of view, not once per client. Evaluators'
          // lines are scrubbed here as the interceptor would scrub an object.
          const data = live.once(kind, () => {
            const line = timelineLine(live.event, this.viewFor(request));
            return JSON.stringify(kind === 'evaluator' ? this.pseudonyms.scrub(line) : line);
          });
          subscriber.next({ id: String(live.event.position), type: live.event.type, data });
        },
        (error) => subscriber.error(error),
      );
      return () => {
        this.liveStreams.delete(subscriber);
        leave();
      };
    });
  }

  /** Shutdown ends every live stream cleanly; clients reconnect with `Last-Event-ID`. */
  onModuleDestroy(): void {
    for (const subscriber of [...this.liveStreams]) subscriber.complete();
  }

  /**
   * The whole state at a point in the log: every read model replayed up to
   * `until` (a position, or a time: what the ledger had recorded by then).
   */
  @Get('replay')
  @QueryRoute(
    'The state of the ledger at a position or time (replayed from the log, with snapshots)',
    {
      response: ref('Replay'),
      required: ['until'],
      invalid: ['invalid_until'],
      parameters: {
        until: {
          description: 'A position in $all, or a time (what the ledger had recorded by then)',
        },
      },
    },
  )
  async replay(@Query('until') untilParam?: string) {
    if (untilParam === undefined || untilParam === '') {
      throw new ApiError(400, 'invalid_until', 'until is required: a position or an ISO 8601 time');
    }
    const replayed = await this.replays.governanceAt(
      /^\d{1,18}$/.test(untilParam)
        ? BigInt(untilParam)
        : new Date(parseInstant('until', untilParam)!),
    );
    return {
      until: untilParam,
      position: replayed.position === null ? null : Number(replayed.position),
      recordedAt: replayed.recordedAt?.toISOString() ?? null,
      fromSnapshot: replayed.fromSnapshot === null ? null : Number(replayed.fromSnapshot),
      groups: replayed.groups,
    };
  }
}

/** `type=A,B`: known event types only, so a misspelt filter is an error, not an empty page. */
function eventTypes(param: string | undefined): Set<string> | null {
  if (!param) return null;
  const types = param.split(',').map((type) => type.trim());
  const unknown = types.filter((type) => !LEDGER_EVENT_TYPES.includes(type));
  if (unknown.length > 0)
    throw new ApiError(
      400,
      'unknown_event_type',
      `Unknown event type${unknown.length > 1 ? 's' : ''} ${unknown.slice(0, 10).join(', ').slice(0, 300)}`,
      {
        unknown: unknown.slice(0, 10).map((type) => type.slice(0, 100)),
        validTypes: LEDGER_EVENT_TYPES,
      },
    );
  return new Set(types);
}
