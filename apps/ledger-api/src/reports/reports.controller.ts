import {
  EXPENSE_CLAIMS_PAGE,
  INVOLVEMENT_COST_PAGE,
  InvolvementCostQueries,
  REPORT_CURRENCY,
  ReportQueries,
  RESPONSE_CLOCK_PAGE,
  ResponseClockQueries,
  type ProgrammeScope,
  type TimePoint,
} from '@app/projections';
import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ReadModels } from '../infrastructure/read-models.service.js';
import type { AuthenticatedRequest } from '../security/auth.guard.js';
import { Pseudonyms } from '../security/pseudonyms.js';
import { READERS, Roles } from '../security/roles.js';
import { ApiError } from '../http/errors/error-body.js';
import { QueryRoute } from '../http/openapi/api-docs.decorators.js';
import { ref } from '../http/openapi/schemas.js';
import { personNamesFor } from '../partners/partners-read.controller.js';
import { parseInstant, answeredAt } from '../http/time-query.js';
import { perProgramme } from '../http/programme-query.js';
import { idFilter } from '../http/ids.js';
import { cursorKey, encodeCursor, keyedPage, pageLimit, pageParameters } from '../http/paging.js';

/** At most this many points in a representation series (twenty years of month ends). */
const MAX_SERIES_POINTS = 240;

@ApiTags('reports')
@Roles(...READERS)
@Controller('v1/reports')
export class ReportsController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly reports: ReportQueries,
    private readonly clock: ResponseClockQueries,
    private readonly pseudonyms: Pseudonyms,
    private readonly involvement: InvolvementCostQueries,
  ) {}

  /** An aggregate as of a time point, for one programme or per programme (never a union). */
  private async asOfPerProgramme<T extends object>(
    query: { asOf?: string; knownAt?: string; minPosition?: string; programmeId?: string },
    answer: (at: TimePoint, scope: ProgrammeScope | null) => T,
  ) {
    const { asOf, knownAt, minPosition, programmeId } = query;
    const at = await this.readModels.timePointAfter({ asOf, knownAt }, minPosition);
    return {
      ...answeredAt(at),
      ...perProgramme(this.readModels.programmes, programmeId, (scope) => answer(at, scope)),
    };
  }

  @Get('recruitment-funnel')
  @QueryRoute(
    'Nominated → workshop → interest → appointed (by body) → still active, by campaign and by nominating organisation kind, with drop-off and withdrawal reasons',
    { response: ref('RecruitmentFunnel'), invalid: ['invalid_by'] },
  )
  async funnel(
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('by') by?: string,
    @Query('programmeId') programmeId?: string,
  ) {
    if (by !== undefined && by !== '' && by !== 'campaign' && by !== 'organisation-kind') {
      throw new ApiError(400, 'invalid_by', 'by must be campaign or organisation-kind');
    }
    return this.asOfPerProgramme({ asOf, knownAt, minPosition, programmeId }, (at, scope) => ({
      byCampaign: this.reports.recruitmentFunnel(
        at,
        by === 'organisation-kind' ? 'organisation-kind' : 'campaign',
        scope,
      ),
      byOrganisationKind: this.reports.funnelByOrganisationKind(at, scope),
    }));
  }

  @Get('participation')
  @QueryRoute(
    'Meetings held and expected (from cadence) per group; per partner meetings while seated, attended, apologies, missed, and hours per month',
    { response: ref('Participation') },
  )
  async participation(
    @Req() request: AuthenticatedRequest,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('programmeId') programmeId?: string,
  ) {
    const names = personNamesFor(request, this.pseudonyms);
    return this.asOfPerProgramme({ asOf, knownAt, minPosition, programmeId }, (at, scope) =>
      this.reports.participation(at, names, scope),
    );
  }

  @Get('representation')
  @QueryRoute(
    'Lay seats against the minimum per group, groups below minimum, borough coverage — at asOf, or with from/to/interval=month at every month end',
    { response: ref('Representation'), invalid: ['invalid_interval', 'invalid_range'] },
  )
  async representation(
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
      const at = await this.readModels.timePointAfter({ asOf, knownAt }, minPosition);
      return {
        from: fromIso,
        to: toIso,
        interval: 'month',
        knownAt: new Date(at.knownAt).toISOString(),
        ...perProgramme(this.readModels.programmes, programmeId, (scope) => ({
          points: this.reports.representationSeries(fromIso, toIso, at.knownAt, scope),
        })),
      };
    }
    const at = await this.readModels.timePointAfter({ asOf, knownAt }, minPosition);
    return {
      knownAt: new Date(at.knownAt).toISOString(),
      ...perProgramme(this.readModels.programmes, programmeId, (scope) =>
        this.reports.representation(at, true, scope),
      ),
    };
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
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('programmeId') programmeId?: string,
    @Query('limit') limitParam?: string,
    @Query('cursor') cursor?: string,
  ) {
    const names = personNamesFor(request, this.pseudonyms);
    const limit = pageLimit(limitParam, EXPENSE_CLAIMS_PAGE);
    const after = cursorKey(cursor);
    return this.asOfPerProgramme({ asOf, knownAt, minPosition, programmeId }, (at, scope) => {
      // Sums cover every claim; only the claim list comes a page at a time.
      const { report, next } = this.reports.expensesPage(at, names, scope, { limit, after });
      return { ...report, next: next ? encodeCursor(next) : null };
    });
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
    return this.asOfPerProgramme({ asOf, knownAt, minPosition, programmeId }, (at, scope) => {
      // Summaries cover every item; only the item list comes a page at a time.
      const { clock, next } = this.clock.clockPage(at, scope, period, { limit, after });
      return { ...clock, next: next ? encodeCursor(next) : null };
    });
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
    const { from: fromIso, to: toIso } = reportPeriod(from, to);
    const partner = idFilter('partnerId', partnerId);
    const limit = pageLimit(limitParam, INVOLVEMENT_COST_PAGE);
    const names = personNamesFor(request, this.pseudonyms);
    const at = await this.readModels.timePointAfter({ asOf, knownAt }, minPosition);
    return {
      ...answeredAt(at),
      from: fromIso,
      to: toIso,
      currency: REPORT_CURRENCY,
      ...perProgramme(this.readModels.programmes, programmeId, (scope) => {
        // Totals cover every partner; only a page of partners is listed (and rendered).
        let next: string | null = null;
        const select = (ids: readonly string[]) => {
          const page = keyedPage(ids, (id) => [id], limit, cursor);
          next = page.next;
          return new Set(page.items);
        };
        const {
          from: _f,
          to: _t,
          currency: _c,
          ...report
        } = this.involvement.report(
          at,
          { from: fromIso, to: toIso, partnerId: partner ?? null, scope, select },
          names,
        );
        return { ...report, next };
      }),
    };
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
