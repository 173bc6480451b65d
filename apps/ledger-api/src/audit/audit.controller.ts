import { EVENT_STORE, verificationToJson, verifyLedger, type EventStore } from '@app/event-store';
import { auditLog, auditPage, programmeStreams, type AuditSource } from '@app/projections';
import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiProduces, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import type Database from 'better-sqlite3';
import { ReadModels } from '../infrastructure/read-models.service.js';
import { READ_DB, RAW_EVENT_STORE } from '../infrastructure/tokens.js';
import { programmeScopes } from '../http/programme-query.js';
import { AUDITORS, Roles } from '../security/roles.js';
import { ApiError } from '../http/errors/error-body.js';
import { QueryRoute } from '../http/openapi/api-docs.decorators.js';
import {
  auditFilterOf,
  AuditEventDto,
  AuditEventsPageDto,
  AuditEventsQueryDto,
  DEFAULT_AUDIT_PAGE,
} from './audit-events.dto.js';

const NDJSON = 'application/x-ndjson';
import { ref } from '../http/openapi/schemas.js';

const POSITION = /^(0|[1-9][0-9]{0,18})$/;
const DIGEST = /^[0-9a-f]{64}$/i;

@ApiTags('audit')
@Roles(...AUDITORS)
@Controller('v1/audit')
export class AuditController {
  /** The log as the application reads it (decrypted, upcast) beside the log as stored. */
  private readonly log: AuditSource;

  constructor(
    /** The store as stored (ciphertext, old schemas): the hashes are over those bytes. */
    @Inject(RAW_EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_STORE) events: EventStore,
    @Inject(READ_DB) private readonly readDb: Database.Database,
    private readonly readModels: ReadModels,
  ) {
    this.log = { store: events, stored: store };
  }

  /**
   * The raw event log, in `$all` order from `fromPosition` (inclusive):
   * every stored field and the hash chain, personal fields decrypted (or
   * `[erased]`), data in its current schema. JSON answers a page and the
   * cursor of the next; `Accept: application/x-ndjson` streams every
   * matching event, one per line, as it reads the log. Evaluators are refused
   * (ADR 0004): free text and ids in the raw log identify people.
   */
  @Get('events')
  // The 200 answer is declared last (outermost) so it is the one documented: JSON or NDJSON.
  @ApiResponse({
    status: 200,
    description: 'A page and its `next` cursor (JSON), or every matching event, one per line',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(AuditEventsPageDto) } },
      [NDJSON]: { schema: { $ref: getSchemaPath(AuditEventDto) } },
    },
  })
  @QueryRoute('The raw event log, with its hash chain (a page as JSON, or all of it as NDJSON)')
  @ApiExtraModels(AuditEventsPageDto, AuditEventDto)
  @ApiProduces('application/json', NDJSON)
  async events(@Query() query: AuditEventsQueryDto, @Res() reply: FastifyReply): Promise<void> {
    // Content negotiation, read off the request: an `accept` parameter would be invalid OpenAPI.
    const accept = reply.request.headers.accept;
    const fromPosition = query.fromPosition === undefined ? null : BigInt(query.fromPosition);
    const filter = auditFilterOf(query);
    if (query.programmeId !== undefined) {
      // A programme's events are those of its streams (404 for an unknown programme), as
      // the read models know them once they have caught up with the log.
      await this.readModels.caughtUp();
      const [scope] = programmeScopes(this.readModels.programmes, query.programmeId);
      if (scope) filter.inProgramme = programmeStreams(this.readDb, scope);
    }
    if (!accept?.toLowerCase().includes(NDJSON)) {
      const page = await auditPage(this.log, {
        fromPosition,
        filter,
        limit: query.limit ?? DEFAULT_AUDIT_PAGE,
      });
      void reply.send(page);
      return;
    }
    const log = auditLog(this.log, { fromPosition, filter });
    const limit = query.limit;
    async function* lines() {
      let sent = 0;
      for await (const event of log) {
        if (limit !== undefined && sent === limit) return;
        sent += 1;
        yield `${JSON.stringify(event)}\n`;
      }
    }
    void reply.header('content-type', `${NDJSON}; charset=utf-8`).send(Readable.from(lines()));
  }

  /**
   * Recomputes every stream's hash chain and the ledger digest from the log
   * (ADR 0004). With `position` and `digest` (a digest exported earlier) it
   * also checks the ledger still gives that digest at that position, which
   * catches removed or altered last events and truncation. Answers 200 either
   * way: `ok` says whether the log is intact, `firstBroken` where it is not.
   */
  @Get('verify')
  @QueryRoute('Verify the hash chains and the ledger digest', {
    response: ref('LedgerVerification'),
    invalid: ['invalid_digest'],
    parameters: {
      position: { description: 'Position of an earlier exported digest (with `digest`)' },
      digest: { description: 'An earlier exported digest (SHA-256, hex) at `position`' },
    },
  })
  async verify(@Query('position') position?: string, @Query('digest') digest?: string) {
    if ((position === undefined) !== (digest === undefined)) {
      throw new ApiError(400, 'invalid_digest', 'Give both position and digest, or neither');
    }
    if (position !== undefined && !POSITION.test(position)) {
      throw new ApiError(400, 'invalid_digest', 'position must be a non-negative integer', {
        position,
      });
    }
    if (digest !== undefined && !DIGEST.test(digest)) {
      throw new ApiError(400, 'invalid_digest', 'digest must be 64 hexadecimal characters', {
        digest,
      });
    }
    const result = await verifyLedger(
      this.store,
      position !== undefined && digest !== undefined
        ? { expectedDigest: { position: BigInt(position), digest } }
        : {},
    );
    return verificationToJson(result);
  }
}
