import { ReportQueries } from '@app/projections';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ReadModels } from '../infrastructure/read-models.service.js';
import { READERS, Roles } from '../security/roles.js';
import { ApiError } from './errors/error-body.js';
import { QueryRoute } from './openapi/api-docs.decorators.js';
import { timePoint } from './time-query.js';

@ApiTags('reports')
@Roles(...READERS)
@Controller('v1/reports')
export class ReportsController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly reports: ReportQueries,
  ) {}

  @Get('recruitment-funnel')
  @QueryRoute(
    'Nominated → workshop → interest → appointed → active, by campaign or nominating organisation kind, with drop-off and withdrawal reasons',
  )
  async funnel(
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('by') by?: string,
  ) {
    if (by !== undefined && by !== 'campaign' && by !== 'organisation-kind') {
      throw new ApiError(400, 'invalid_by', 'by must be campaign or organisation-kind');
    }
    const at = timePoint({ asOf, knownAt });
    await this.readModels.atLeast(minPosition);
    return { asOf: at.asOf, byCampaign: this.reports.recruitmentFunnel(at, by ?? 'campaign') };
  }

  @Get('participation')
  @QueryRoute('Meetings held per group; attendance, apologies and hours per partner per month')
  async participation(
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const at = timePoint({ asOf, knownAt });
    await this.readModels.atLeast(minPosition);
    return { asOf: at.asOf, ...this.reports.participation(at) };
  }

  @Get('representation')
  @QueryRoute('Lay seats against the minimum per group, groups below minimum, borough coverage')
  async representation(
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const at = timePoint({ asOf, knownAt });
    await this.readModels.atLeast(minPosition);
    return { asOf: at.asOf, ...this.reports.representation(at) };
  }

  @Get('expenses')
  @QueryRoute('Expense claims with status, and totals in pence')
  async expenses(
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const at = timePoint({ asOf, knownAt });
    await this.readModels.atLeast(minPosition);
    return { asOf: at.asOf, ...this.reports.expenses(at) };
  }
}
