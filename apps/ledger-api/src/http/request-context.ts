import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { CommandMetadata } from '../commands/command-metadata.js';
import { deterministicUuid } from '../commands/deterministic-id.js';
import { ApiError } from './errors/error-body.js';

const UUIDISH = /^[A-Za-z0-9._:-]{1,128}$/;

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Parses `If-Match: <revision>` (quoted or not). */
export function parseIfMatch(value: string | undefined): bigint | undefined {
  if (value === undefined || value === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(-?\d{1,18})"?\s*$/.exec(value);
  if (!match || BigInt(match[1]!) < -1n) {
    throw new ApiError(
      400,
      'invalid_if_match',
      'If-Match must be a stream revision, e.g. If-Match: 3',
      {
        header: 'If-Match',
      },
    );
  }
  return BigInt(match[1]!);
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The validated `Idempotency-Key` header, if any. */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = header(request, 'idempotency-key');
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new ApiError(
      400,
      'invalid_idempotency_key',
      'Idempotency-Key must be 1–255 visible ASCII characters',
    );
  }
  return key;
}

/**
 * An id for something a command creates. Under an Idempotency-Key it derives
 * from the key, so a retry after a crash targets the same stream.
 */
export function newId(metadata: CommandMetadata, kind: string): string {
  return metadata.idempotencyKey === undefined
    ? randomUUID()
    : deterministicUuid(`${metadata.actor}:${metadata.idempotencyKey}:${kind}`);
}

/**
 * Command metadata from the request: a fresh command id, the caller's
 * correlation id (X-Correlation-Id) or a new one, the acting role, and the
 * If-Match revision.
 */
export const CommandMeta = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): CommandMetadata => {
    const request = ctx.switchToHttp().getRequest<FastifyRequest & { actor?: string }>();
    const idempotencyKey = idempotencyKeyOf(request);
    const actor = request.actor ?? 'programme-office';
    // Under an Idempotency-Key the command id is derived from it: a retried command is recognisable in its stream.
    const commandId =
      idempotencyKey === undefined
        ? randomUUID()
        : deterministicUuid(`${actor}:${idempotencyKey}:command`);
    const correlation = header(request, 'x-correlation-id');
    if (correlation !== undefined && !UUIDISH.test(correlation)) {
      throw new ApiError(
        400,
        'invalid_correlation_id',
        'X-Correlation-Id must be 1–128 of [A-Za-z0-9._:-]',
      );
    }
    const expectedRevision = parseIfMatch(header(request, 'if-match'));
    return {
      commandId,
      // The request id: the caller's X-Correlation-Id, or a new UUID. Logs and events share it.
      correlationId: request.id,
      causationId: commandId,
      actor,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      ...(expectedRevision === undefined ? {} : { expectedRevision }),
    };
  },
);
