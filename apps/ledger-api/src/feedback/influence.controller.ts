import { FEEDBACK_CHANNELS } from '@app/domain';
import { INFLUENCE_PAGE, InfluenceQueries, type InfluenceStatus } from '@app/projections';
import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ReadModels } from '../infrastructure/read-models.service.js';
import type { AuthenticatedRequest } from '../security/auth.guard.js';
import { Pseudonyms } from '../security/pseudonyms.js';
import { READERS, Roles } from '../security/roles.js';
import { ApiError } from '../http/errors/error-body.js';
import { idFilter, ParseIdPipe } from '../http/ids.js';
import { QueryRoute } from '../http/openapi/api-docs.decorators.js';
import { ReadPool } from '../reads/read-pool.js';
import { ref } from '../http/openapi/schemas.js';
import { personNamesFor } from '../partners/partners-read.controller.js';
import { pageLimit, pageParameters } from '../http/paging.js';

const STATUSES: readonly InfluenceStatus[] = ['open', 'responded', 'closed'];

/** What became of lay feedback: heard → responses → decisions → reported back. */
@ApiTags('influence')
@Roles(...READERS)
@Controller('v1')
export class InfluenceController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly reads: ReadPool,
    private readonly influence: InfluenceQueries,
    private readonly pseudonyms: Pseudonyms,
  ) {}

  @Get('influence')
  @QueryRoute(
    "The influence ledger, with counts by status and outcome and summaries per group and per partner; filter by groupId, partnerId (raised by), status, channel. Items come a page at a time (`limit`, `cursor`; `next` is the next page's cursor); counts and summaries cover every item",
    {
      response: ref('Influence'),
      invalid: [
        'invalid_status',
        'invalid_channel',
        'invalid_id',
        'invalid_limit',
        'invalid_cursor',
      ],
      parameters: pageParameters('Items', INFLUENCE_PAGE),
    },
  )
  async list(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('groupId') groupId?: string,
    @Query('partnerId') partnerId?: string,
    @Query('status') status?: string,
    @Query('channel') channel?: string,
    @Query('programmeId') programmeId?: string,
    @Query('limit') limitParam?: string,
    @Query('cursor') cursor?: string,
  ) {
    const limit = pageLimit(limitParam, INFLUENCE_PAGE);
    if (status && !(STATUSES as readonly string[]).includes(status)) {
      throw new ApiError(400, 'invalid_status', `status must be one of ${STATUSES.join(', ')}`);
    }
    if (channel && !(FEEDBACK_CHANNELS as readonly string[]).includes(channel)) {
      throw new ApiError(
        400,
        'invalid_channel',
        `channel must be one of ${FEEDBACK_CHANNELS.join(', ')}`,
      );
    }
    const group = idFilter('groupId', groupId);
    const partner = idFilter('partnerId', partnerId);
    return this.reads.json(
      request,
      reply,
      'influence',
      { asOf, knownAt, minPosition },
      {
        programmeId,
        groupId: group ?? null,
        partnerId: partner ?? null,
        status: (status || null) as InfluenceStatus | null,
        channel: channel || null,
        page: { limit, cursor },
      },
    );
  }

  @Get('feedback/:id')
  @QueryRoute('One piece of feedback and what became of it', {
    response: ref('Feedback'),
    notFound: ['feedback_not_found'],
  })
  async one(
    @Req() request: AuthenticatedRequest,
    @Param('id', ParseIdPipe) feedbackId: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const at = await this.readModels.timePointAfter({ asOf, knownAt }, minPosition);
    const item = this.influence.get(feedbackId, at, personNamesFor(request, this.pseudonyms));
    if (!item)
      throw new ApiError(
        404,
        'feedback_not_found',
        `Feedback ${feedbackId} is not known at that point`,
        { feedbackId },
      );
    return item;
  }
}
