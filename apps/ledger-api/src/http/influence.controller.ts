import { InfluenceQueries, type InfluenceStatus } from '@app/projections';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ReadModels } from '../infrastructure/read-models.service.js';
import { READERS, Roles } from '../security/roles.js';
import { ApiError } from './errors/error-body.js';
import { ParseIdPipe } from './ids.js';
import { QueryRoute } from './openapi/api-docs.decorators.js';
import { timePoint } from './time-query.js';

const STATUSES = ['open', 'responded', 'closed'];

/** What became of lay feedback: heard → responses → decisions → reported back. */
@ApiTags('influence')
@Roles(...READERS)
@Controller('v1')
export class InfluenceController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly influence: InfluenceQueries,
  ) {}

  @Get('influence')
  @QueryRoute(
    'The influence ledger, with counts by status and outcome; filter by group, partner, status, channel',
  )
  async list(
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('groupId') groupId?: string,
    @Query('partnerId') partnerId?: string,
    @Query('status') status?: string,
    @Query('channel') channel?: string,
  ) {
    const at = timePoint({ asOf, knownAt });
    if (status !== undefined && status !== '' && !STATUSES.includes(status)) {
      throw new ApiError(400, 'invalid_status', `status must be one of ${STATUSES.join(', ')}`);
    }
    await this.readModels.atLeast(minPosition);
    const { items, counts } = this.influence.list(at, {
      ...(groupId ? { groupId } : {}),
      ...(partnerId ? { partnerId } : {}),
      ...(status ? { status: status as InfluenceStatus } : {}),
      ...(channel ? { channel } : {}),
    });
    return { asOf: at.asOf, knownAt: new Date(at.knownAt).toISOString(), counts, items };
  }

  @Get('feedback/:id')
  @QueryRoute('One piece of feedback and what became of it')
  async one(
    @Param('id', ParseIdPipe) feedbackId: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const at = timePoint({ asOf, knownAt });
    await this.readModels.atLeast(minPosition);
    const item = this.influence.get(feedbackId, at);
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
