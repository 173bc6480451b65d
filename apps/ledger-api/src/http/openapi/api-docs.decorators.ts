import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';

const errorRef = { $ref: '#/components/schemas/ErrorBody' };

const ERRORS = {
  400: 'Invalid input: `validation_failed` lists each field; also `invalid_json`, `invalid_id`, `invalid_if_match`',
  404: 'Something the command names does not exist',
  409: 'Conflict: `revision_conflict` (If-Match), an id already taken, or an Idempotency-Key in flight',
  422: 'A domain rule was broken; `code` says which',
} as const;

/** A command route: its request body, 201 body, headers and every error it can answer. */
export function CommandRoute(summary: string, body: string, codes: readonly string[] = []) {
  return applyDecorators(
    ApiOperation({
      summary,
      description:
        codes.length > 0
          ? `Domain error codes: ${codes.map((c) => `\`${c}\``).join(', ')}`
          : undefined,
    }),
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
    ...Object.entries(ERRORS).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, schema: errorRef }),
    ),
  );
}

/** A query route and its errors. */
export function QueryRoute(summary: string) {
  return applyDecorators(
    ApiOperation({ summary }),
    ApiResponse({
      status: 400,
      description: 'Invalid query (`invalid_time`, `invalid_min_position`)',
      schema: errorRef,
    }),
    ApiResponse({
      status: 503,
      description: '`projection_behind`: the read models did not reach minPosition in time',
      schema: errorRef,
    }),
  );
}
