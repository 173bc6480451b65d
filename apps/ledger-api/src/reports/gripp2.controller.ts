import { signedHeadToJson } from '@app/event-store';
import {
  ElectionQueries,
  gripp2Html,
  gripp2Markdown,
  gripp2Report,
  InfluenceQueries,
  InvolvementCostQueries,
  ProgrammeQueries,
  ReportQueries,
  ResponseClockQueries,
  type Gripp2Document,
} from '@app/projections';
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ReadModels } from '../infrastructure/read-models.service.js';
import { LedgerSeal } from '../infrastructure/seal.providers.js';
import { QueryRoute, type QueryRouteOptions } from '../http/openapi/api-docs.decorators.js';
import { ref } from '../http/openapi/schemas.js';
import { oneProgramme } from '../http/programme-query.js';
import { answeredAt } from '../http/time-query.js';
import { READERS, Roles } from '../security/roles.js';
import { reportPeriod } from './reports.controller.js';

interface Gripp2Query {
  asOf?: string;
  knownAt?: string;
  minPosition?: string;
  programmeId?: string;
  from?: string;
  to?: string;
}

const ROUTE: QueryRouteOptions = {
  invalid: ['invalid_range'],
  notFound: ['programme_not_found'],
  parameters: {
    programmeId: {
      description:
        'The programme reported on; required (422 `programme_required`) when the ledger runs several',
    },
    from: { description: 'Start of the period (feedback heard, time and money spent)' },
    to: { description: 'End of the period (a date alone: its end)' },
  },
};

/**
 * The GRIPP2 report of one programme, generated from the record: the items
 * the ledger holds the facts for filled with figures (each with the report
 * query that answers it and the events behind it), the rest left to the
 * evaluator; as JSON, Markdown or HTML. Counts only, so it is the same for
 * every role.
 */
@ApiTags('reports')
@Roles(...READERS)
@Controller('v1/reports')
export class Gripp2Controller {
  constructor(
    private readonly readModels: ReadModels,
    private readonly reports: ReportQueries,
    private readonly influence: InfluenceQueries,
    private readonly clock: ResponseClockQueries,
    private readonly involvement: InvolvementCostQueries,
    private readonly programmes: ProgrammeQueries,
    private readonly elections: ElectionQueries,
    private readonly seal: LedgerSeal,
  ) {}

  private async document(query: Gripp2Query): Promise<Gripp2Document> {
    const period = reportPeriod(query.from, query.to);
    const at = await this.readModels.timePointAfter(query, query.minPosition);
    const scope = oneProgramme(this.readModels.programmes, query.programmeId);
    // Computed synchronously, so nothing is applied in between: the position is the one read.
    const report = gripp2Report(
      {
        reports: this.reports,
        governance: this.readModels.governance,
        influence: this.influence,
        clock: this.clock,
        involvement: this.involvement,
        programmes: this.programmes,
        elections: this.elections,
      },
      at,
      scope,
      period,
    );
    const read = this.readModels.runner.checkpoint;
    // Sealed after the read: the digest covers every event the read models had applied.
    const head = await this.seal.digest();
    const signed = signedHeadToJson(head);
    return {
      ...answeredAt(at),
      readPosition: read === null ? null : Number(read),
      ...report,
      digest: {
        ...signed,
        publicKey: this.seal.signer.publicKeyPem,
        verifyQuery: `/v1/audit/verify?digest=${Buffer.from(JSON.stringify(signed)).toString('base64url')}`,
      },
    };
  }

  @Get('gripp2')
  @QueryRoute(
    'The GRIPP2 report of a programme (Staniszewska et al., BMJ 2017): the long form’s items, those the ledger holds the facts for (4b people involved, 4c stages, 4d level and nature, 5b quantitative impact, 6 economic assessment) filled with figures computed by the other reports’ queries, each with its report query, an audit-log query and the $all positions behind it; the others marked for the evaluator; the short form’s five items; the read position and the signed ledger digest it was computed against',
    { ...ROUTE, response: ref('Gripp2Report') },
  )
  async gripp2(
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('programmeId') programmeId?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ) {
    return this.document({ asOf, knownAt, minPosition, programmeId, from, to });
  }

  @Get('gripp2.md')
  @QueryRoute('The GRIPP2 report as Markdown, to paste into an evaluation report (an attachment)', {
    ...ROUTE,
    produces: ['text/markdown'],
    response: { type: 'string', description: 'Markdown (CommonMark with tables)' },
  })
  async markdown(
    @Res() reply: FastifyReply,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('programmeId') programmeId?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ): Promise<void> {
    const doc = await this.document({ asOf, knownAt, minPosition, programmeId, from, to });
    void reply
      .header('content-type', 'text/markdown; charset=utf-8')
      .header('content-disposition', `attachment; filename="${fileName(doc)}.md"`)
      .send(gripp2Markdown(doc));
  }

  @Get('gripp2.html')
  @QueryRoute('The GRIPP2 report as a standalone HTML page (no scripts, no outside resources)', {
    ...ROUTE,
    produces: ['text/html'],
    response: { type: 'string', description: 'An HTML document' },
  })
  async html(
    @Res() reply: FastifyReply,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('programmeId') programmeId?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ): Promise<void> {
    const doc = await this.document({ asOf, knownAt, minPosition, programmeId, from, to });
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-disposition', `inline; filename="${fileName(doc)}.html"`)
      .send(gripp2Html(doc));
  }
}

/** `gripp2-<programme>-<asOf date>`: programme ids are ids (letters, digits, dashes), safe in a header. */
const fileName = (doc: Gripp2Document) =>
  `gripp2-${(doc.programmeId ?? 'ledger').replace(/[^A-Za-z0-9._-]/g, '_')}-${doc.asOf.slice(0, 10)}`;
