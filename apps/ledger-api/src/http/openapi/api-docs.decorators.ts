import { applyDecorators, type Type } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
import { declaredQueryParameters } from '../query-parameters.js';
import { INSTANT_PATTERN, POSITION_PATTERN, type SchemaObject } from './schemas.js';

type Schema = NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string];

const errorRef = { $ref: '#/components/schemas/ErrorBody' };

const time = (meaning: string): QueryParameter => ({
  description: `${meaning}: a date (2014-03-01, the end of that day, UTC) or an ISO 8601 instant`,
  schema: { type: 'string', pattern: INSTANT_PATTERN, example: '2014-03-01' },
});

interface QueryParameter {
  description: string;
  schema: SchemaObject;
}

/**
 * What each query parameter name means across the API: one name, one
 * meaning and one schema. A route's parameters are its `@Query('name')`
 * arguments; a name not listed here is documented as a plain string.
 */
export const QUERY_PARAMETERS: Record<string, QueryParameter> = {
  asOf: time('Business time: the state as it stood then (default: now)'),
  knownAt: time('Record time: as the ledger knew it then (default: now)'),
  since: time('Only events that occurred at or after this'),
  minPosition: {
    description:
      "Answer once the read models include this $all position (a command answer's `position`); 503 `projection_behind` after 10 s",
    schema: { type: 'string', pattern: POSITION_PATTERN, example: '42' },
  },
  after: {
    description: 'Start after this $all position (exclusive)',
    schema: { type: 'string', pattern: POSITION_PATTERN },
  },
  groupId: { description: 'Only this group', schema: { type: 'string' } },
  partnerId: { description: 'Only this partner', schema: { type: 'string' } },
};

export interface QueryRouteOptions {
  /** The 200 body: a schema, or a response class with `@ApiProperty` fields. */
  response?: Schema | Type<unknown>;
  /** Media types of the 200 body (default JSON); errors are always JSON. */
  produces?: readonly string[];
  /** Query parameters the route cannot do without (the rest are optional). */
  required?: readonly string[];
  /** Per-route descriptions or schemas of parameters, over QUERY_PARAMETERS. */
  parameters?: Record<string, Partial<QueryParameter>>;
  /** 400 codes besides the time and position ones. */
  invalid?: readonly string[];
  /** 404 and its codes, when the route reads one thing by id. */
  notFound?: readonly string[];
}

/**
 * A query route and everything it can answer: its 200 body, its query
 * parameters (from its `@Query('name')` arguments: optional unless
 * `required`, schemas from QUERY_PARAMETERS), 400, 404 where it reads by id
 * and 503 (`projection_behind`; `readers_busy` and `reader_failed` from
 * reads/read-pool.ts). 401/403 come from the route's `@Roles`, 429
 * from the rate limit (http/openapi/openapi.ts).
 */
export function QueryRoute(summary: string, options: QueryRouteOptions = {}): MethodDecorator {
  return (target, key, descriptor) => {
    const names = declaredQueryParameters(target, key) ?? [];
    const produces = options.produces ?? ['application/json'];
    const ok = options.response ?? { type: 'object' };
    const invalid = [
      'invalid_time',
      'invalid_min_position',
      'unknown_parameter',
      ...(options.invalid ?? []),
    ];
    const decorators = [
      ApiOperation({ summary }),
      ...names.map((name) => {
        const known = QUERY_PARAMETERS[name];
        const own = options.parameters?.[name];
        return ApiQuery({
          name,
          required: options.required?.includes(name) ?? false,
          description: own?.description ?? known?.description,
          schema: own?.schema ?? known?.schema ?? { type: 'string' },
        });
      }),
      typeof ok === 'function'
        ? ApiResponse({
            status: 200,
            type: ok,
            description: 'As of `asOf`, as known at `knownAt` (both default to now)',
          })
        : ApiResponse({
            status: 200,
            description: 'OK',
            content: Object.fromEntries(produces.map((type) => [type, { schema: ok }])),
          }),
      ApiResponse({
        status: 400,
        description: `Invalid query (${invalid.map((code) => `\`${code}\``).join(', ')})`,
        content: { 'application/json': { schema: errorRef } },
      }),
      ...(options.notFound
        ? [
            ApiResponse({
              status: 404,
              description: `Not found (${options.notFound.map((code) => `\`${code}\``).join(', ')})`,
              content: { 'application/json': { schema: errorRef } },
            }),
          ]
        : []),
      ApiResponse({
        status: 503,
        description:
          '`projection_behind`: the read models did not reach minPosition in time; a heavy read (a report, an export, the influence or partner list) may also answer `readers_busy` (too many reads wait for a reader thread) or `reader_failed` (its reader thread stopped): try again',
        content: { 'application/json': { schema: errorRef } },
      }),
    ];
    applyDecorators(...decorators)(target, key, descriptor);
  };
}
