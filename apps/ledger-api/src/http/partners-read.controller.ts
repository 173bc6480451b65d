import { GovernanceQueries, PartnerQueries } from '@app/projections';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ReadModels } from '../infrastructure/read-models.service.js';
import { READERS, Roles } from '../security/roles.js';
import { ApiError } from './errors/error-body.js';
import { ParseIdPipe } from './ids.js';
import { QueryRoute } from './openapi/api-docs.decorators.js';
import { timePoint } from './time-query.js';

/** Partners as of a date: who they are in the programme, what they held, and everything that happened to them. */
@ApiTags('partners')
@Roles(...READERS)
@Controller('v1/partners')
export class PartnersReadController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly partners: PartnerQueries,
    private readonly governance: GovernanceQueries,
  ) {}

  @Get()
  @QueryRoute(
    'Every partner with status as of a date (nominated, registered, appointed, withdrawn, erased)',
  )
  async list(
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const at = timePoint({ asOf, knownAt });
    await this.readModels.atLeast(minPosition);
    return { asOf: at.asOf, partners: this.partners.list(at) };
  }

  @Get(':id')
  @QueryRoute('One partner as of a date')
  async one(
    @Param('id', ParseIdPipe) partnerId: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const at = timePoint({ asOf, knownAt });
    await this.readModels.atLeast(minPosition);
    const partner = this.partners.summary(partnerId, at);
    if (!partner)
      throw new ApiError(
        404,
        'partner_not_found',
        `Partner ${partnerId} is not known at that point`,
        { partnerId },
      );
    return partner;
  }

  @Get(':id/tenures')
  @QueryRoute('Every seat and co-chair term a partner held, on any group')
  async tenures(
    @Param('id', ParseIdPipe) partnerId: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const at = timePoint({ knownAt });
    await this.readModels.atLeast(minPosition);
    if (!this.partners.summary(partnerId, at))
      throw new ApiError(404, 'partner_not_found', `Partner ${partnerId} does not exist`, {
        partnerId,
      });
    return { partnerId, tenures: this.governance.tenuresOfPartner(partnerId, at.knownAt) };
  }

  @Get(':id/history')
  @QueryRoute('Everything that happened to a partner, in business-time order')
  async history(
    @Param('id', ParseIdPipe) partnerId: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const at = timePoint({ asOf, knownAt });
    await this.readModels.atLeast(minPosition);
    const history = this.partners.history(partnerId, at);
    if (history.length === 0)
      throw new ApiError(
        404,
        'partner_not_found',
        `Partner ${partnerId} is not known at that point`,
        { partnerId },
      );
    return { partnerId, history };
  }
}
