import {
  ProgrammeQueries,
  ResponseClockQueries,
  type ProgrammeView,
  type TimePoint,
} from '@app/projections';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiError } from '../http/errors/error-body.js';
import { ParseIdPipe } from '../http/ids.js';
import { QueryRoute } from '../http/openapi/api-docs.decorators.js';
import { answeredAt } from '../http/time-query.js';
import { ReadModels } from '../infrastructure/read-models.service.js';
import { READERS, Roles } from '../security/roles.js';
import { ProgrammeAtDto, ProgrammesDto } from './programme-read.dto.js';

/** The programme stream's read side: what each programme declared, as of a date. */
@ApiTags('programmes')
@Roles(...READERS)
@Controller('v1/programmes')
export class ProgrammesReadController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly programmes: ProgrammeQueries,
    private readonly clock: ResponseClockQueries,
  ) {}

  /** The programme with its response targets (the clock's read model holds them). */
  private withTargets(programme: ProgrammeView, at: TimePoint) {
    const targets = this.clock.targets(at, programme.programmeId);
    return {
      ...programme,
      responseTargets: targets.at(-1) ?? null,
      responseTargetsHistory: targets,
    };
  }

  @Get()
  @QueryRoute('Every programme launched by asOf, as known at knownAt, with what it declared', {
    response: ProgrammesDto,
  })
  async list(
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const at = await this.readModels.timePointAfter({ asOf, knownAt }, minPosition);
    return {
      ...answeredAt(at),
      programmes: this.programmes.list(at).map((p) => this.withTargets(p, at)),
    };
  }

  @Get(':id')
  @QueryRoute(
    'One programme as of a date, as known at a time: boroughs, role profiles (and the one in force), nomination requests, recruitment workshops, principles versions (and the one in force), withdrawal reasons, response targets (and those in force)',
    { response: ProgrammeAtDto, notFound: ['programme_not_found'] },
  )
  async one(
    @Param('id', ParseIdPipe) programmeId: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const at = await this.readModels.timePointAfter({ asOf, knownAt }, minPosition);
    const programme = this.programmes.programme(programmeId, at);
    if (!programme) {
      throw new ApiError(
        404,
        'programme_not_found',
        `Programme ${programmeId} is not known at that point`,
        { programmeId },
      );
    }
    return { ...answeredAt(at), ...this.withTargets(programme, at) };
  }
}
