import { Controller, Get, Query } from '@nestjs/common';
import { ReadModels } from '../infrastructure/read-models.service.js';
import { QueryRoute } from '../http/openapi/api-docs.decorators.js';
import { ref } from '../http/openapi/schemas.js';
import { ApiTags } from '@nestjs/swagger';
import { READERS, Roles } from '../security/roles.js';
import { perProgramme } from '../http/programme-query.js';
import { answeredAt } from '../http/time-query.js';

@ApiTags('governance')
@Roles(...READERS)
@Controller('v1/governance')
export class GovernanceController {
  constructor(private readonly readModels: ReadModels) {}

  /**
   * The whole structure: groups, seats, lay seats against the minimum, as it
   * stood on `asOf` (business time) as the record stood at `knownAt`.
   */
  @Get()
  @QueryRoute('The whole governance structure as of a date', { response: ref('Governance') })
  async governance(
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('programmeId') programmeId?: string,
  ) {
    const at = await this.readModels.timePointAfter({ asOf, knownAt }, minPosition);
    const checkpoint = this.readModels.runner.checkpoint;
    return {
      ...answeredAt(at),
      position: checkpoint === null ? null : Number(checkpoint),
      ...perProgramme(this.readModels.programmes, programmeId, (scope) => ({
        groups: this.readModels.governance.governance(at, scope),
      })),
    };
  }
}
