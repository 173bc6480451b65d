import { applyDecorators, type Type } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';

const errorRef = { $ref: '#/components/schemas/ErrorBody' };

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

/** What a read route answers: its body, and a 404 with `notFound` for an id unknown at the time point. */
export function ReadAnswer(type: Type<unknown>, notFound?: string) {
  return applyDecorators(
    ApiOkResponse({
      type,
      description: 'As of `asOf`, as known at `knownAt` (both default to now)',
    }),
    ...(notFound
      ? [
          ApiResponse({
            status: 404,
            description: `\`${notFound}\`: unknown at that point (not yet begun by asOf, or not yet recorded at knownAt)`,
            schema: errorRef,
          }),
        ]
      : []),
  );
}
