import { Controller, Get, Param, Query } from '@nestjs/common';
import { ReadModels } from '../infrastructure/read-models.service.js';
import { ApiError } from '../http/errors/error-body.js';
import { ParseIdPipe } from '../http/ids.js';
import { QueryRoute } from '../http/openapi/api-docs.decorators.js';
import { ref } from '../http/openapi/schemas.js';
import { ApiTags } from '@nestjs/swagger';
import { parseInstant } from '../http/time-query.js';
import { READERS, Roles } from '../security/roles.js';

/** The group stream's read side: who sat on it, and when. */
@ApiTags('groups')
@Roles(...READERS)
@Controller('v1/groups')
export class GroupsReadController {
  constructor(private readonly readModels: ReadModels) {}

  /** Who sat on this group and when, as the record stood at `knownAt` (default: now). */
  @Get(':id/tenures')
  @QueryRoute('Who sat on this group, and when', {
    response: ref('GroupTenures'),
    notFound: ['group_not_found'],
  })
  async tenures(
    @Param('id', ParseIdPipe) groupId: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const asked = parseInstant('knownAt', knownAt); // a bad date is refused before any wait
    await this.readModels.atLeast(minPosition);
    const known = asked ?? Date.now(); // "now" once the read models include minPosition
    if (!this.readModels.governance.groupExists(groupId)) {
      throw new ApiError(404, 'group_not_found', `Group ${groupId} does not exist`, { groupId });
    }
    return {
      groupId,
      knownAt: new Date(known).toISOString(),
      tenures: this.readModels.governance.tenures(groupId, known),
    };
  }
}
