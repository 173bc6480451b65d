import { GovernanceQueries, InfluenceQueries, ReportQueries } from '@app/projections';
import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ReadModels } from '../infrastructure/read-models.service.js';
import type { AuthenticatedRequest } from '../security/auth.guard.js';
import { Pseudonyms } from '../security/pseudonyms.js';
import { READERS, Roles } from '../security/roles.js';
import { toCsv, toNdjson } from './csv.js';
import { ApiError } from './errors/error-body.js';
import { QueryRoute } from './openapi/api-docs.decorators.js';
import { timePoint } from './time-query.js';

type Rows = Array<Record<string, unknown>>;

const COLUMNS: Record<string, readonly string[]> = {
  tenures: [
    'groupId',
    'seatId',
    'role',
    'partnerId',
    'partnerName',
    'constituency',
    'from',
    'to',
    'endReason',
    'electionId',
  ],
  influence: [
    'feedbackId',
    'channel',
    'kind',
    'summary',
    'groupId',
    'raisedBy',
    'heardAt',
    'status',
    'outcomes',
    'decisions',
    'reportedBackAt',
    'daysToFirstResponse',
  ],
  funnel: [
    'campaign',
    'organisationKind',
    'nominated',
    'attendedWorkshop',
    'expressedInterest',
    'appointed',
    'active',
    'withdrawalReasons',
  ],
  participation: ['partnerId', 'partnerName', 'attended', 'apologies', 'hoursByMonth'],
};

/**
 * Exports for auditors and evaluators: CSV (RFC 4180) and NDJSON, and
 * memberships as Popolo JSON. Evaluators get pseudonyms here too: rows are
 * scrubbed before they are serialised.
 */
@ApiTags('exports')
@Roles(...READERS)
@Controller('v1/exports')
export class ExportsController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly governance: GovernanceQueries,
    private readonly influence: InfluenceQueries,
    private readonly reports: ReportQueries,
    private readonly pseudonyms: Pseudonyms,
  ) {}

  @Get('memberships.popolo.json')
  @QueryRoute(
    'Memberships as Popolo JSON: persons, organizations (groups), memberships with start and end dates',
  )
  async popolo(
    @Req() request: AuthenticatedRequest,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const at = timePoint({ knownAt });
    await this.readModels.atLeast(minPosition);
    const tenures = this.governance.allTenures(at.knownAt);
    const groups = this.governance.governance({
      asOf: '9999-12-31T23:59:59.999Z',
      knownAt: at.knownAt,
    });
    const people = new Map(tenures.map((t) => [t.partnerId, t.partnerName]));
    const body = {
      persons: [...people.entries()].map(([id, name]) => ({ id, name: name ?? id, partnerId: id })),
      organizations: groups.map((g) => ({
        id: g.groupId,
        name: g.name,
        classification: g.kind,
        parent_id: g.parentGroupId,
      })),
      memberships: tenures.map((t) => ({
        person_id: t.partnerId,
        organization_id: t.groupId,
        role: t.role === 'co-chair' ? `co-chair (${t.constituency})` : 'member',
        label: t.constituency,
        start_date: t.from.slice(0, 10),
        ...(t.to ? { end_date: t.to.slice(0, 10) } : {}),
      })),
    };
    return request.actor === 'evaluator' ? this.pseudonyms.scrub(body) : body;
  }

  @Get(':name')
  @QueryRoute('tenures, influence, funnel or participation, as .csv or .ndjson')
  @ApiProduces('text/csv', 'application/x-ndjson')
  async export(
    @Param('name') name: string,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ): Promise<void> {
    const match = /^(tenures|influence|funnel|participation)\.(csv|ndjson)$/.exec(name);
    if (!match)
      throw new ApiError(
        404,
        'export_not_found',
        `No export ${name}: try tenures, influence, funnel or participation as .csv or .ndjson`,
      );
    const [, what, format] = match as unknown as [string, keyof typeof COLUMNS, 'csv' | 'ndjson'];
    const at = timePoint({ asOf, knownAt });
    await this.readModels.atLeast(minPosition);
    let rows = this.rows(what, at);
    if (request.actor === 'evaluator') rows = this.pseudonyms.scrub(rows) as Rows;
    void reply
      .header(
        'content-type',
        format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      )
      .header('content-disposition', `attachment; filename="${what}.${format}"`)
      .send(format === 'csv' ? toCsv(COLUMNS[what]!, rows) : toNdjson(rows));
  }

  private rows(what: string, at: { asOf: string; knownAt: number }): Rows {
    switch (what) {
      case 'tenures':
        return this.governance.allTenures(at.knownAt) as unknown as Rows;
      case 'influence':
        return this.influence.list(at).items.map((item) => ({
          ...item,
          outcomes: item.responses.map((r) => r.outcome).join(';'),
          decisions: item.decisions.map((d) => `${d.groupId}/${d.decisionId}`).join(';'),
        }));
      case 'funnel':
        return this.reports.recruitmentFunnel(at).map((row) => ({
          campaign: row.campaign,
          organisationKind: row.organisationKind,
          ...Object.fromEntries(row.stages.map((s) => [s.stage, s.count])),
          withdrawalReasons: row.withdrawalReasons,
        }));
      default:
        return this.reports.participation(at).partners as unknown as Rows;
    }
  }
}
