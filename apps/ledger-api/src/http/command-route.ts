import { commandDeclaration, errorKindStatus, type CommandType } from '@app/domain';
import {
  applyDecorators,
  HttpCode,
  Injectable,
  Post,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';
import type { CommandResult } from '../commands/command-metadata.js';

const errorRef = { $ref: '#/components/schemas/ErrorBody' };

/** What every command route can answer besides its domain codes. */
const EDGE_ERRORS: Record<number, string> = {
  400: 'Invalid input: `validation_failed` lists each field; also `invalid_json`, `invalid_id`, `invalid_if_match`',
  409: 'Conflict: `revision_conflict` (If-Match) or an Idempotency-Key in flight',
  422: '`idempotency_key_reused`: this Idempotency-Key was used for a different request',
};

const codeList = (codes: readonly string[]) => codes.map((code) => `\`${code}\``).join(', ');

/** The error responses of one command: its declared codes by status, beside the edge's own. */
function errorResponses(command: CommandType) {
  const byStatus = new Map<number, string[]>();
  for (const { code, kind } of commandDeclaration(command).codes) {
    const status = errorKindStatus[kind];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const statuses = [...new Set([...Object.keys(EDGE_ERRORS).map(Number), ...byStatus.keys()])];
  return statuses
    .sort((a, b) => a - b)
    .map((status) => {
      const codes = byStatus.get(status);
      const domain = codes ? `Refused by the domain: ${codeList(codes)}` : undefined;
      const description = [domain, EDGE_ERRORS[status]].filter(Boolean).join('. ');
      return ApiResponse({ status, description, schema: errorRef });
    });
}

/**
 * A write route, declared by the command it sends: `POST path` answering 201
 * with `{id, revision, position, recordedAt}` (and an ETag of the revision), its request
 * body, the Idempotency-Key and If-Match headers, and every error the
 * command declares (libs/domain `<stream>.commands.ts`). The method only maps
 * the DTO to the command and returns the command's result.
 */
export function CommandRoute(path: string, command: CommandType, summary: string, body: string) {
  return applyDecorators(
    Post(path),
    HttpCode(201),
    UseInterceptors(CommandAcceptedInterceptor),
    ApiOperation({ summary, operationId: command }),
    ApiBody({ schema: { $ref: `#/components/schemas/${body}` } }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'A retry with the same key returns the first response and appends nothing',
    }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'The revision last read; 409 if the record changed since',
    }),
    ApiResponse({
      status: 201,
      description: 'Recorded',
      schema: { $ref: '#/components/schemas/CommandAccepted' },
    }),
    ...errorResponses(command),
  );
}

/** A command's answer: the result plus any ids the route generated (e.g. `seatId`). */
export type CommandAnswer = CommandResult & Record<string, unknown>;

export interface CreatedBody {
  id: string;
  /** The stream's revision after the command: send it back as If-Match. */
  revision: number;
  /** `$all` position of the command's last event: pass as `minPosition` to read your write. */
  position: number;
  /** When the ledger recorded the write (ISO 8601, ms): pass as `knownAt` to see it. */
  recordedAt: string;
}

/** Turns a command's result into the 201 body and sets the ETag to the new revision. */
@Injectable()
export class CommandAcceptedInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler<CommandAnswer>): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map(({ id, streamId: _streamId, revision, position, recordedAt, ...generated }) => {
        void reply.header('etag', `"${revision}"`);
        const body: CreatedBody = {
          id,
          revision: Number(revision),
          position: Number(position),
          recordedAt: recordedAt.toISOString(),
        };
        return { ...body, ...generated };
      }),
    );
  }
}
