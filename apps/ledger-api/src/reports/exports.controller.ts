import {
  EXPORT_COLUMNS,
  EXPORTS,
  exportRows,
  GovernanceQueries,
  InfluenceQueries,
  popoloMemberships,
  ReportQueries,
  ResponseClockQueries,
  toCsv,
  toNdjson,
  type ExportName,
  type ExportRows,
} from '@app/projections';
import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ReadModels } from '../infrastructure/read-models.service.js';
import type { AuthenticatedRequest } from '../security/auth.guard.js';
import { Pseudonyms } from '../security/pseudonyms.js';
import { READERS, Roles } from '../security/roles.js';
import { ApiError } from '../http/errors/error-body.js';
import { QueryRoute } from '../http/openapi/api-docs.decorators.js';
import { ref } from '../http/openapi/schemas.js';
import { personNamesFor } from '../partners/partners-read.controller.js';
import { oneProgramme } from '../http/programme-query.js';

/** `<export>.<csv|ndjson>`, for every export there is. */
const EXPORT_FILE = new RegExp(`^(${EXPORTS.join('|')})\\.(csv|ndjson)$`);

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
    private readonly clock: ResponseClockQueries,
    private readonly pseudonyms: Pseudonyms,
  ) {}

  @Get('memberships.popolo.json')
  @QueryRoute(
    'Memberships as Popolo JSON: persons, organizations (groups, with parent_id), memberships (member or co-chair) with start and end dates; asOf: those begun by then',
    { response: ref('PopoloMemberships') },
  )
  async popolo(
    @Req() request: AuthenticatedRequest,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('programmeId') programmeId?: string,
  ) {
    const at = await this.readModels.timePointAfter({ asOf, knownAt }, minPosition);
    const scope = oneProgramme(this.readModels.programmes, programmeId);
    // Without asOf: every membership ever held; with it, those begun by then.
    const body = popoloMemberships(
      this.governance,
      asOf ? at : at.knownAt,
      personNamesFor(request, this.pseudonyms),
      scope,
    );
    if (request.actor !== 'evaluator') return body;
    // The pseudonymising interceptor scrubs `partnerId`, `person_id` and names on the way
    // out; a Popolo person's `id` is the person too, so it gets the same pseudonym here.
    return {
      ...body,
      persons: body.persons.map((p) => ({ ...p, id: this.pseudonyms.of(p.partnerId) })),
    };
  }

  @Get(':name')
  @QueryRoute(
    'tenures, influence, funnel, participation, representation (periods below the lay minimum or over the maximum) or response-clock (one row per feedback item), as .csv (RFC 4180, text/csv) or .ndjson (application/x-ndjson), as of asOf, as known at knownAt',
    {
      produces: ['text/csv', 'application/x-ndjson'],
      response: { type: 'string', description: 'CSV (with a header row) or NDJSON rows' },
      notFound: ['export_not_found'],
    },
  )
  async export(
    @Param('name') name: string,
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('programmeId') programmeId?: string,
  ): Promise<void> {
    const match = EXPORT_FILE.exec(name);
    if (!match)
      throw new ApiError(
        404,
        'export_not_found',
        `No export ${name}: try ${EXPORTS.join(', ')} as .csv or .ndjson`,
      );
    const what = match[1] as ExportName;
    const format = match[2] as 'csv' | 'ndjson';
    const at = await this.readModels.timePointAfter({ asOf, knownAt }, minPosition);
    const scope = oneProgramme(this.readModels.programmes, programmeId);
    let rows = exportRows(
      what,
      {
        governance: this.governance,
        influence: this.influence,
        reports: this.reports,
        clock: this.clock,
      },
      at,
      personNamesFor(request, this.pseudonyms),
      scope,
    );
    if (request.actor === 'evaluator') rows = this.pseudonyms.scrub(rows) as ExportRows;
    void reply
      .header(
        'content-type',
        format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      )
      .header('content-disposition', `attachment; filename="${what}.${format}"`)
      .send(format === 'csv' ? toCsv(EXPORT_COLUMNS[what], rows) : toNdjson(rows));
  }
}
