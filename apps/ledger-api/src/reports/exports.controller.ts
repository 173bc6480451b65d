import { EXPORTS, type ExportName } from '@app/projections';
import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedRequest } from '../security/auth.guard.js';
import { READERS, Roles } from '../security/roles.js';
import { ApiError } from '../http/errors/error-body.js';
import { QueryRoute } from '../http/openapi/api-docs.decorators.js';
import { ref } from '../http/openapi/schemas.js';
import { ReadPool } from '../reads/read-pool.js';

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
  constructor(private readonly reads: ReadPool) {}

  @Get('memberships.popolo.json')
  @QueryRoute(
    'Memberships as Popolo JSON: persons, organizations (groups, with parent_id), memberships (member or co-chair) with start and end dates; asOf: those begun by then',
    { response: ref('PopoloMemberships') },
  )
  async popolo(
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
      'popolo',
      { asOf, knownAt, minPosition },
      { programmeId, everyMembership: !asOf },
    );
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
    const file = await this.reads.text(
      request,
      'export',
      { asOf, knownAt, minPosition },
      { programmeId, what, format },
    );
    void reply
      .header(
        'content-type',
        format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      )
      .header('content-disposition', `attachment; filename="${what}.${format}"`)
      .send(file);
  }
}
