import { EXPENSE_CLAIMS_PAGE, INVOLVEMENT_COST_PAGE, RESPONSE_CLOCK_PAGE } from '@app/projections';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ReadPool } from '../reads/read-pool.js';
import type { AuthenticatedRequest } from '../security/auth.guard.js';
import { READERS, Roles } from '../security/roles.js';
import { ApiError } from '../http/errors/error-body.js';
import { QueryRoute } from '../http/openapi/api-docs.decorators.js';
import { ref } from '../http/openapi/schemas.js';
import { parseInstant } from '../http/time-query.js';
import { idFilter } from '../http/ids.js';
import { cursorKey, pageLimit, pageParameters } from '../http/paging.js';

/** At most this many points in a representation series (twenty years of month ends). */
const MAX_SERIES_POINTS = 240;

@ApiTags('reports')
@Roles(...READERS)
@Controller('v1/reports')
export class ReportsController {
  constructor(private readonly reads: ReadPool) {}

  @Get('recruitment-funnel')
  @QueryRoute(
    'Nominated → workshop → interest → appointed (by body) → still active, by campaign and by nominating organisation kind, with drop-off and withdrawal reasons',
    { response: ref('RecruitmentFunnel'), invalid: ['invalid_by'] },
  )
  async funnel(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('by') by?: string,
    @Query('programmeId') programmeId?: string,
  ) {
    if (by !== undefined && by !== '' && by !== 'campaign' && by !== 'organisation-kind') {
      throw new ApiError(400, 'invalid_by', 'by must be campaign or organisation-kind');
    }
    return this.reads.json(
      request,
      reply,
      'funnel',
      { asOf, knownAt, minPosition },
      { programmeId, by: by === 'organisation-kind' ? 'organisation-kind' : 'campaign' },
    );
  }

  @Get('participation')
  @QueryRoute(
    'Meetings held and expected (from cadence) per group; per partner meetings while seated, attended, apologies, missed, and hours per month',
    { response: ref('Participation') },
  )
  async participation(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('programmeId') programmeId?: string,
  ) {
    return this.reads.json(
      request,
      reply,
      'participation',
      { asOf, knownAt, minPosition },
      { programmeId },
    );
  }

  @Get('representation')
  @QueryRoute(
    'Lay seats against the minimum per group, groups below minimum, borough coverage — at asOf, or with from/to/interval=month at every month end',
    { response: ref('Representation'), invalid: ['invalid_interval', 'invalid_range'] },
  )
  async representation(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('interval') interval?: string,
    @Query('programmeId') programmeId?: string,
  ) {
    const series = Boolean(from || to || interval);
    if (series) {
      if (interval !== undefined && interval !== '' && interval !== 'month')
        throw new ApiError(400, 'invalid_interval', 'interval must be month');
      const start = parseInstant('from', from);
      const end = parseInstant('to', to);
      if (start === undefined || end === undefined)
        throw new ApiError(400, 'invalid_range', 'a series needs both from and to');
      if (start > end) throw new ApiError(400, 'invalid_range', 'from must not be after to');
      const fromIso = new Date(start).toISOString();
      const toIso = new Date(end).toISOString();
      // Month ends are at most ~12 a year: refuse ranges that would be huge before computing them.
      if ((end - start) / (31 * 86_400_000) > MAX_SERIES_POINTS + 1)
        throw new ApiError(
          400,
          'invalid_range',
          `a series has at most ${MAX_SERIES_POINTS} month ends`,
        );
      return this.reads.json(
        request,
        reply,
        'representationSeries',
        { asOf, knownAt, minPosition },
        { programmeId, from: fromIso, to: toIso },
      );
    }
    return this.reads.json(
      request,
      reply,
      'representation',
      { asOf, knownAt, minPosition },
      { programmeId },
    );
  }

  @Get('expenses')
  @QueryRoute(
    'Expense claims with status (claimed, reimbursed, rejected) and days to settle, a page at a time in claim order; totals in pence, by partner and month, over every claim',
    {
      response: ref('Expenses'),
      invalid: ['invalid_limit', 'invalid_cursor'],
      parameters: pageParameters('Claims', EXPENSE_CLAIMS_PAGE),
    },
  )
  async expenses(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('programmeId') programmeId?: string,
    @Query('limit') limitParam?: string,
    @Query('cursor') cursor?: string,
  ) {
    const limit = pageLimit(limitParam, EXPENSE_CLAIMS_PAGE);
    const after = cursorKey(cursor);
    return this.reads.json(
      request,
      reply,
      'expenses',
      { asOf, knownAt, minPosition },
      { programmeId, page: { limit }, after },
    );
  }

  @Get('response-clock')
  @QueryRoute(
    'The response clock: per feedback item the days from heard to first response, to the first decision citing it and to reporting back, against the programme’s targets (open past target flagged); per programme, for feedback heard from/to, the medians per step and the share within target, by source and by outcome — each figure with the feedback ids and event positions behind it',
    {
      response: ref('ResponseClock'),
      invalid: ['invalid_range', 'invalid_limit', 'invalid_cursor'],
      parameters: pageParameters('Items', RESPONSE_CLOCK_PAGE),
    },
  )
  async responseClock(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('programmeId') programmeId?: string,
    @Query('limit') limitParam?: string,
    @Query('cursor') cursor?: string,
  ) {
    const period = reportPeriod(from, to);
    const limit = pageLimit(limitParam, RESPONSE_CLOCK_PAGE);
    const after = cursorKey(cursor);
    return this.reads.json(
      request,
      reply,
      'responseClock',
      { asOf, knownAt, minPosition },
      { programmeId, period, page: { limit }, after },
    );
  }

  @Get('involvement-cost')
  @QueryRoute(
    'The cost and value of involvement (GRIPP2 item 6): per partner, hours attended (meetings), expenses, involvement payments made and declined, by month and role level; totals by month and role level; withdrawn partners against those who stayed, and by withdrawal reason. Money in integer pence (GBP); every partner row lists the $all positions of the events behind it. Partners come a page at a time (`limit`, `cursor`, `next`); totals, the rows by month and role level, and withdrawals cover every partner',
    {
      response: ref('InvolvementCost'),
      invalid: ['invalid_range', 'invalid_id', 'invalid_limit', 'invalid_cursor'],
      parameters: pageParameters('Partners', INVOLVEMENT_COST_PAGE),
    },
  )
  async involvementCost(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('programmeId') programmeId?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('partnerId') partnerId?: string,
    @Query('limit') limitParam?: string,
    @Query('cursor') cursor?: string,
  ) {
    const period = reportPeriod(from, to);
    const partner = idFilter('partnerId', partnerId);
    const limit = pageLimit(limitParam, INVOLVEMENT_COST_PAGE);
    // The cursor is checked here, so a bad one is a 400 before any wait.
    if (cursor) cursorKey(cursor);
    return this.reads.json(
      request,
      reply,
      'involvementCost',
      { asOf, knownAt, minPosition },
      { programmeId, period, partnerId: partner ?? null, page: { limit, cursor } },
    );
  }
}

/**
 * The period a report counts (feedback heard, activity done) in: `from` a date alone is the
 * start of that day, `to` a date alone its end (as every read takes a date).
 */
export function reportPeriod(
  from: string | undefined,
  to: string | undefined,
): { from: string | null; to: string | null } {
  let start = parseInstant('from', from);
  const end = parseInstant('to', to);
  if (start !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(from!)) start -= 86_400_000 - 1;
  if (start !== undefined && end !== undefined && start > end)
    throw new ApiError(400, 'invalid_range', 'from must not be after to', { from, to });
  return {
    from: start === undefined ? null : new Date(start).toISOString(),
    to: end === undefined ? null : new Date(end).toISOString(),
  };
}
