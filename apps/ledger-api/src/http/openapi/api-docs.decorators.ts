import { applyDecorators } from '@nestjs/common';
import { ApiOperation, ApiResponse } from '@nestjs/swagger';

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
