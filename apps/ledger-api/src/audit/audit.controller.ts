import { verificationToJson, verifyLedger, type EventStore } from '@app/event-store';
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RAW_EVENT_STORE } from '../infrastructure/tokens.js';
import { AUDITORS, Roles } from '../security/roles.js';
import { ApiError } from '../http/errors/error-body.js';
import { QueryRoute } from '../http/openapi/api-docs.decorators.js';
import { ref } from '../http/openapi/schemas.js';

const POSITION = /^(0|[1-9][0-9]{0,18})$/;
const DIGEST = /^[0-9a-f]{64}$/i;

@ApiTags('audit')
@Roles(...AUDITORS)
@Controller('v1/audit')
export class AuditController {
  /** The store as stored (ciphertext, old schemas): the hashes are over those bytes. */
  constructor(@Inject(RAW_EVENT_STORE) private readonly store: EventStore) {}

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
