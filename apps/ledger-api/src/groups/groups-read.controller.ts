import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ReadModels } from '../infrastructure/read-models.service.js';
import { ApiError } from '../http/errors/error-body.js';
import { ParseIdPipe } from '../http/ids.js';
import { QueryRoute } from '../http/openapi/api-docs.decorators.js';
import { answeredAt } from '../http/time-query.js';
import { READERS, Roles } from '../security/roles.js';
import { keyedPage, pageLimit, pageParameters } from '../http/paging.js';
import { GroupAtDto, GroupsDto, GroupTenuresDto } from './group-read.dto.js';

/** Terms a page when the reader names no limit, and at most. */
const TENURE_PAGE = { default: 500, max: 5_000 } as const;

const notFound = (groupId: string) =>
  new ApiError(404, 'group_not_found', `Group ${groupId} is not known at that point`, { groupId });

/** The group stream's read side: what each group is, who sat on it, and when. */
@ApiTags('groups')
@Roles(...READERS)
@Controller('v1/groups')
export class GroupsReadController {
  constructor(private readonly readModels: ReadModels) {}

  @Get()
  @QueryRoute(
    'Every group established by asOf, as known at knownAt (dissolved ones too): facts, seats, co-chairs, lay seats filled against the range',
    { response: GroupsDto },
  )
  async list(
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const at = await this.readModels.timePointAfter({ asOf, knownAt }, minPosition);
    return { ...answeredAt(at), groups: this.readModels.governance.groupsAt(at) };
  }

  @Get(':id')
  @QueryRoute(
    'One group as of a date, as known at a time: kind, level, parent, borough, cadence, lay seat range and filled, co-chair constituencies, seats, co-chairs, establishment and dissolution',
    { response: GroupAtDto, notFound: ['group_not_found'] },
  )
  async one(
    @Param('id', ParseIdPipe) groupId: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const at = await this.readModels.timePointAfter({ asOf, knownAt }, minPosition);
    const group = this.readModels.governance.groupAt(groupId, at);
    if (!group) throw notFound(groupId);
    return { ...answeredAt(at), ...group };
  }

  /**
   * Every term begun by `asOf`, as the record stood at `knownAt` (both
   * default to now). A term that ended after `asOf`, or whose end was not
   * yet recorded at `knownAt`, reads as open: the group as it stood then.
   */
  @Get(':id/tenures')
  @QueryRoute(
    "Who sat on this group and when: every seat and co-chair term begun by asOf, as known at knownAt; an end after asOf reads as open. Terms in order of start, seat and role, a page at a time (`limit`, `cursor`; `next` is the next page's cursor)",
    {
      response: GroupTenuresDto,
      notFound: ['group_not_found'],
      invalid: ['invalid_limit', 'invalid_cursor'],
      parameters: pageParameters('Terms', TENURE_PAGE),
    },
  )
  async tenures(
    @Param('id', ParseIdPipe) groupId: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('limit') limitParam?: string,
    @Query('cursor') cursor?: string,
  ) {
    const limit = pageLimit(limitParam, TENURE_PAGE);
    const at = await this.readModels.timePointAfter({ asOf, knownAt }, minPosition);
    if (!this.readModels.governance.groupAt(groupId, at)) throw notFound(groupId);
    const { items, next } = keyedPage(
      this.readModels.governance.tenuresAt(groupId, at),
      (t) => [t.from, t.seatId, t.role, t.partnerId, t.recordedAt],
      limit,
      cursor,
    );
    return { groupId, ...answeredAt(at), tenures: items, next };
  }
}
