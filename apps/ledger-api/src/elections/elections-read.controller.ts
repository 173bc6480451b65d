import { ElectionQueries } from '@app/projections';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiError } from '../http/errors/error-body.js';
import { ParseIdPipe } from '../http/ids.js';
import { QueryRoute } from '../http/openapi/api-docs.decorators.js';
import { answeredAt } from '../http/time-query.js';
import { ReadModels } from '../infrastructure/read-models.service.js';
import { READERS, Roles } from '../security/roles.js';
import { ElectionAtDto, GroupElectionsDto } from './election-read.dto.js';

/**
 * The election stream's read side: candidates, turnout (from the voters
 * marked), the tally (from the ballots, once closed), tie, re-run and
 * winner. Never who voted for whom: the read model cannot join the two.
 */
@ApiTags('elections')
@Roles(...READERS)
@Controller('v1')
export class ElectionsReadController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly elections: ElectionQueries,
  ) {}

  @Get('elections/:id')
  @QueryRoute(
    'One co-chair election as of a date, as known at a time: status, constituency, electorate size, candidates, turnout, tally per candidate (once closed), tie, re-run link, winner',
    { response: ElectionAtDto, notFound: ['election_not_found'] },
  )
  async one(
    @Param('id', ParseIdPipe) electionId: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const at = await this.readModels.timePointAfter({ asOf, knownAt }, minPosition);
    const election = this.elections.election(electionId, at);
    if (!election) {
      throw new ApiError(
        404,
        'election_not_found',
        `Election ${electionId} is not known at that point`,
        { electionId },
      );
    }
    return { ...answeredAt(at), ...election };
  }

  @Get('groups/:id/elections')
  @QueryRoute(
    'Every co-chair election of a group opened by asOf, as known at knownAt, in the order they opened, each a round with its result',
    { response: GroupElectionsDto, notFound: ['group_not_found'] },
  )
  async ofGroup(
    @Param('id', ParseIdPipe) groupId: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const at = await this.readModels.timePointAfter({ asOf, knownAt }, minPosition);
    if (!this.readModels.governance.groupAt(groupId, at)) {
      throw new ApiError(404, 'group_not_found', `Group ${groupId} is not known at that point`, {
        groupId,
      });
    }
    return { groupId, ...answeredAt(at), elections: this.elections.ofGroup(groupId, at) };
  }
}
