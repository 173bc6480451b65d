import { PARTNER_KINDS } from '@app/domain';
import {
  GovernanceQueries,
  PartnerQueries,
  type PartnerStatus,
  type PersonNames,
  type TimePoint,
} from '@app/projections';
import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ReadModels } from '../infrastructure/read-models.service.js';
import type { AuthenticatedRequest } from '../security/auth.guard.js';
import { Pseudonyms } from '../security/pseudonyms.js';
import { READERS, Roles } from '../security/roles.js';
import { ReadPool } from '../reads/read-pool.js';
import { viewerFor } from '../reads/viewer.js';
import { ApiError } from '../http/errors/error-body.js';
import { ParseIdPipe } from '../http/ids.js';
import { QueryRoute } from '../http/openapi/api-docs.decorators.js';
import { ref } from '../http/openapi/schemas.js';
import { answeredAt } from '../http/time-query.js';
import { pageLimit, pageParameters } from '../http/paging.js';

/** Partners a page when the reader names no limit, and at most. */
const PARTNER_PAGE = { default: 500, max: 5_000 } as const;

const STATUSES: readonly PartnerStatus[] = [
  'nominated',
  'registered',
  'appointed',
  'withdrawn',
  'erased',
];

/**
 * How people are named for this reader, where a name ends up in text (a
 * history line, a CSV cell): evaluators get pseudonyms. `undefined` keeps
 * the query layer's stored names. JSON bodies are scrubbed again on the way
 * out by the pseudonymising interceptor.
 */
export function personNamesFor(
  request: AuthenticatedRequest,
  pseudonyms: Pseudonyms,
): PersonNames | undefined {
  return viewerFor(request, pseudonyms)?.names;
}

const notFound = (partnerId: string) =>
  new ApiError(404, 'partner_not_found', `Partner ${partnerId} is not known at that point`, {
    partnerId,
  });

/** Partners as of a date: who they are in the programme, what they held, and everything that happened to them. */
@ApiTags('partners')
@Roles(...READERS)
@Controller('v1/partners')
export class PartnersReadController {
  constructor(
    private readonly readModels: ReadModels,
    private readonly reads: ReadPool,
    private readonly partners: PartnerQueries,
    private readonly governance: GovernanceQueries,
    private readonly pseudonyms: Pseudonyms,
  ) {}

  @Get()
  @QueryRoute(
    "Partners with status as of a date (nominated, registered, appointed, withdrawn, erased), in id order, a page at a time (`limit`, `cursor`; `next` is the next page's cursor); filter by kind, status and programmeId",
    {
      response: ref('PartnerList'),
      invalid: ['invalid_kind', 'invalid_status', 'invalid_limit'],
      parameters: pageParameters('Partners', PARTNER_PAGE),
    },
  )
  async list(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('kind') kind?: string,
    @Query('status') status?: string,
    @Query('programmeId') programmeId?: string,
    @Query('limit') limitParam?: string,
    @Query('cursor') cursor?: string,
  ) {
    const limit = pageLimit(limitParam, PARTNER_PAGE);
    if (kind && !(PARTNER_KINDS as readonly string[]).includes(kind))
      throw new ApiError(400, 'invalid_kind', `kind must be one of ${PARTNER_KINDS.join(', ')}`);
    if (status && !(STATUSES as readonly string[]).includes(status))
      throw new ApiError(400, 'invalid_status', `status must be one of ${STATUSES.join(', ')}`);
    return this.reads.json(
      request,
      reply,
      'partners',
      { asOf, knownAt, minPosition },
      {
        programmeId,
        kind: kind || null,
        status: (status || null) as PartnerStatus | null,
        page: { limit, cursor },
      },
    );
  }

  @Get(':id')
  @QueryRoute(
    'One partner as of a date: kind, status, nomination, campaign, workshops, interest, appointments, training, withdrawal, seats and co-chair roles held',
    { response: ref('Partner'), notFound: ['partner_not_found'] },
  )
  async one(
    @Req() request: AuthenticatedRequest,
    @Param('id', ParseIdPipe) partnerId: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const at = await this.readModels.timePointAfter({ asOf, knownAt }, minPosition);
    const partner = this.partners.summary(partnerId, at, personNamesFor(request, this.pseudonyms));
    if (!partner) throw notFound(partnerId);
    return partner;
  }

  @Get(':id/tenures')
  @QueryRoute(
    'Every seat and co-chair term a partner held on any group, begun by asOf, as known at knownAt',
    { response: ref('PartnerTenures'), notFound: ['partner_not_found'] },
  )
  async tenures(
    @Param('id', ParseIdPipe) partnerId: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const at = await this.readModels.timePointAfter({ asOf, knownAt }, minPosition);
    if (this.partners.facts(partnerId, at).length === 0) throw notFound(partnerId);
    return { partnerId, asOf: at.asOf, tenures: this.tenuresAt(partnerId, at) };
  }

  @Get(':id/history')
  @QueryRoute(
    'Everything that happened to a partner, in business-time order, with a plain-language line each',
    { response: ref('PartnerHistory'), notFound: ['partner_not_found'] },
  )
  async history(
    @Req() request: AuthenticatedRequest,
    @Param('id', ParseIdPipe) partnerId: string,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
  ) {
    const at = await this.readModels.timePointAfter({ asOf, knownAt }, minPosition);
    if (this.partners.facts(partnerId, at).length === 0) throw notFound(partnerId);
    const names = personNamesFor(request, this.pseudonyms);
    return {
      partnerId,
      ...answeredAt(at),
      history: names
        ? this.partners.history(partnerId, at, names)
        : this.partners.history(partnerId, at),
    };
  }

  /** Terms begun by `asOf`; an end after `asOf` (or not yet known at `knownAt`) is still open. */
  private tenuresAt(partnerId: string, at: TimePoint) {
    return this.governance
      .tenuresOfPartner(partnerId, at.knownAt)
      .filter((t) => t.from <= at.asOf)
      .map((t) => {
        const ended = t.to !== null && t.to <= at.asOf;
        return {
          ...t,
          to: ended ? t.to : null,
          endReason: ended ? t.endReason : null,
          endRecordedAt: ended ? t.endRecordedAt : null,
        };
      });
  }
}
