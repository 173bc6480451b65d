import { signedHeadToJson } from '@app/event-store';
import { gripp2Html, gripp2Markdown, type Gripp2Document } from '@app/projections';
import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { LedgerSeal } from '../infrastructure/seal.providers.js';
import { ReadPool } from '../reads/read-pool.js';
import { QueryRoute, type QueryRouteOptions } from '../http/openapi/api-docs.decorators.js';
import { ref } from '../http/openapi/schemas.js';
import type { AuthenticatedRequest } from '../security/auth.guard.js';
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
    private readonly reads: ReadPool,
    private readonly seal: LedgerSeal,
  ) {}

  /** The report as computed (by a reader thread, as JSON text, when there is one). */
  private async report(request: AuthenticatedRequest, query: Gripp2Query) {
    const period = reportPeriod(query.from, query.to);
    return this.reads.read(request, 'gripp2', query, { programmeId: query.programmeId, period });
  }

  /** Sealed after the read: the digest covers every event the read models had applied. */
  private async digest() {
    const head = await this.seal.digest();
    const signed = signedHeadToJson(head);
    return {
      ...signed,
      publicKey: this.seal.signer.publicKeyPem,
      verifyQuery: `/v1/audit/verify?digest=${Buffer.from(JSON.stringify(signed)).toString('base64url')}`,
    };
  }

  private async document(
    request: AuthenticatedRequest,
    query: Gripp2Query,
  ): Promise<Gripp2Document> {
    const answer = await this.report(request, query);
    const report =
      'value' in answer
        ? answer.value
        : (JSON.parse(answer.json) as Omit<Gripp2Document, 'digest'>);
    return { ...report, digest: await this.digest() };
  }

  @Get('gripp2')
  @QueryRoute(
    'The GRIPP2 report of a programme (Staniszewska et al., BMJ 2017): the long form’s items, those the ledger holds the facts for (4b people involved, 4c stages, 4d level and nature, 5b quantitative impact, 6 economic assessment) filled with figures computed by the other reports’ queries, each with its report query, an audit-log query and the $all positions behind it; the others marked for the evaluator; the short form’s five items; the read position and the signed ledger digest it was computed against',
    { ...ROUTE, response: ref('Gripp2Report') },
  )
  async gripp2(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('programmeId') programmeId?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ) {
    const answer = await this.report(request, {
      asOf,
      knownAt,
      minPosition,
      programmeId,
      from,
      to,
    });
    const digest = await this.digest();
    if ('value' in answer) return { ...answer.value, digest };
    // The reader's JSON object, the digest added as its last member.
    void reply.header('content-type', 'application/json; charset=utf-8');
    return `${answer.json.slice(0, -1)},"digest":${JSON.stringify(digest)}}`;
  }

  @Get('gripp2.md')
  @QueryRoute('The GRIPP2 report as Markdown, to paste into an evaluation report (an attachment)', {
    ...ROUTE,
    produces: ['text/markdown'],
    response: { type: 'string', description: 'Markdown (CommonMark with tables)' },
  })
  async markdown(
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('programmeId') programmeId?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ): Promise<void> {
    const doc = await this.document(request, { asOf, knownAt, minPosition, programmeId, from, to });
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
    @Req() request: AuthenticatedRequest,
    @Res() reply: FastifyReply,
    @Query('asOf') asOf?: string,
    @Query('knownAt') knownAt?: string,
    @Query('minPosition') minPosition?: string,
    @Query('programmeId') programmeId?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ): Promise<void> {
    const doc = await this.document(request, { asOf, knownAt, minPosition, programmeId, from, to });
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-disposition', `inline; filename="${fileName(doc)}.html"`)
      .send(gripp2Html(doc));
  }
}

/** `gripp2-<programme>-<asOf date>`: programme ids are ids (letters, digits, dashes), safe in a header. */
const fileName = (doc: Gripp2Document) =>
  `gripp2-${(doc.programmeId ?? 'ledger').replace(/[^A-Za-z0-9._-]/g, '_')}-${doc.asOf.slice(0, 10)}`;
