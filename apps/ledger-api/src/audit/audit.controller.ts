import {
  EVENT_STORE,
  InvalidSignedHeadError,
  parsePublicKey,
  parseSignedHead,
  signedHeadToJson,
  verificationToJson,
  type EventStore,
  type SignedHead,
} from '@app/event-store';
import type { KeyObject } from 'node:crypto';
import { auditLog, auditPage, programmeStreams, type AuditSource } from '@app/projections';
import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiExtraModels, ApiProduces, ApiResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import type Database from 'better-sqlite3';
import { ReadModels } from '../infrastructure/read-models.service.js';
import { READ_DB, RAW_EVENT_STORE } from '../infrastructure/tokens.js';
import { programmeScopes } from '../http/programme-query.js';
import { AUDITORS, READERS, Roles } from '../security/roles.js';
import { LedgerSeal } from '../infrastructure/seal.providers.js';
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
    private readonly seal: LedgerSeal,
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
   * The latest signed head of the whole-ledger seal, after sealing every
   * event committed so far: the digest to publish (ADR 0004). Open to every
   * role: it names no stream and no person, only a position, a count, a hash
   * and times, and publishing it is its purpose.
   */
  @Get('digest')
  @Roles(...READERS)
  @QueryRoute('The latest signed digest of the whole ledger (Ed25519), with the public key', {
    response: ref('SignedDigest'),
  })
  async digest() {
    const head = await this.seal.digest();
    return { ...signedHeadToJson(head), publicKey: this.seal.signer.publicKeyPem };
  }

  /** The key the ledger signs its digests with, to check them offline. */
  @Get('public-key')
  @Roles(...READERS)
  @QueryRoute('The public key the ledger signs its digests with', {
    response: ref('SigningPublicKey'),
  })
  publicKey() {
    return {
      algorithm: 'Ed25519',
      keyId: this.seal.signer.keyId,
      publicKey: this.seal.signer.publicKeyPem,
    };
  }

  /**
   * Recomputes every stream's hash chain, the ledger digest and the
   * whole-ledger seal from the log, comparing each event with what the sealer
   * recorded (ADR 0004). Three ways:
   *   - no parameters: incrementally, reading only the events appended since
   *     the last verification that found the log intact (`full=true` reads
   *     it all again);
   *   - `digest` alone: a signed digest (its JSON, or that JSON in
   *     base64url), checked against the ledger's public key (or `publicKey`):
   *     the log up to its position must seal to its hash and count, and no
   *     later event may be recorded before it;
   *   - `position` and `digest` (64 hex): an unsigned ledger digest exported
   *     earlier.
   * Answers 200 either way: `ok` says whether the log is intact,
   * `firstBroken` where it is not.
   */
  @Get('verify')
  @QueryRoute('Verify the hash chains and the whole-ledger seal, optionally against a digest', {
    response: ref('LedgerVerification'),
    invalid: ['invalid_digest'],
    parameters: {
      position: { description: 'Position of an earlier unsigned ledger digest (with `digest`)' },
      digest: {
        description:
          'A signed digest (as `GET /v1/audit/digest` answers it: its JSON, or that JSON in base64url), or with `position` an unsigned ledger digest (64 hex)',
      },
      publicKey: {
        description:
          'Check the signed digest with this Ed25519 public key (PEM, or SPKI DER in base64) instead of the ledger’s own',
      },
      full: {
        description: '`true`: read the whole log again rather than from the last verified point',
        schema: { type: 'string', enum: ['true', 'false'] },
      },
    },
  })
  async verify(
    @Query('position') position?: string,
    @Query('digest') digest?: string,
    @Query('publicKey') publicKey?: string,
    @Query('full') full?: string,
  ) {
    if (full !== undefined && full !== 'true' && full !== 'false') {
      throw new ApiError(400, 'invalid_digest', 'full must be true or false', { full });
    }
    if (position !== undefined && digest === undefined) {
      throw new ApiError(400, 'invalid_digest', 'Give both position and digest, or neither');
    }
    if (publicKey !== undefined && (digest === undefined || position !== undefined)) {
      throw new ApiError(400, 'invalid_digest', 'publicKey goes with a signed digest');
    }
    if (position !== undefined && !POSITION.test(position)) {
      throw new ApiError(400, 'invalid_digest', 'position must be a non-negative integer', {
        position,
      });
    }
    if (position !== undefined && digest !== undefined) {
      if (!DIGEST.test(digest)) {
        throw new ApiError(400, 'invalid_digest', 'digest must be 64 hexadecimal characters', {
          digest,
        });
      }
      const result = await this.seal.verifier.verify({
        expectedDigest: { position: BigInt(position), digest },
      });
      return {
        ...verificationToJson(result),
        incremental: false,
        readEvents: result.checkedEvents,
      };
    }
    if (digest !== undefined) {
      const signedHead = this.signedHead(digest);
      const key =
        publicKey === undefined ? this.seal.signer.publicKey : this.publicKeyOf(publicKey);
      const result = await this.seal.verifier.verify({ signedHead, publicKey: key });
      return {
        ...verificationToJson(result),
        incremental: false,
        readEvents: result.checkedEvents,
      };
    }
    // Seal first, so that what is verified is compared with its seal records.
    await this.seal.sealBeforeVerifying();
    if (full === 'true') {
      const result = await this.seal.verifier.verify();
      return {
        ...verificationToJson(result),
        incremental: false,
        readEvents: result.checkedEvents,
      };
    }
    const result = await this.seal.verifier.verifyIncrementally();
    return {
      ...verificationToJson(result),
      incremental: result.readEvents < result.checkedEvents,
      readEvents: result.readEvents,
    };
  }

  private signedHead(text: string): SignedHead {
    try {
      return parseSignedHead(text);
    } catch (error) {
      if (error instanceof InvalidSignedHeadError)
        throw new ApiError(400, 'invalid_digest', error.message);
      throw error;
    }
  }

  private publicKeyOf(text: string): KeyObject {
    try {
      return parsePublicKey(text);
    } catch (error) {
      throw new ApiError(
        400,
        'invalid_digest',
        `publicKey must be an Ed25519 public key (PEM, or SPKI DER in base64): ${(error as Error).message}`,
      );
    }
  }
}
