import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/internal';
import { getMetadataStorage } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { ApiError } from './errors/error-body.js';

type Handler = (...args: never[]) => unknown;

interface RouteArgument {
  index: number;
  data?: unknown;
}

/**
 * The query parameters a route method declares: its `@Query('name')`
 * arguments, read from Nest's own route metadata, or the validated fields of
 * the DTO it takes the whole query as (`@Query() dto`); `null` when it takes
 * the whole query untyped.
 */
export function declaredQueryParameters(
  controller: object,
  method: string | symbol,
): string[] | null {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller.constructor, method) ??
    {}) as Record<string, RouteArgument>;
  const queries = Object.entries(args)
    .filter(([key]) => key.startsWith(`${RouteParamtypes.QUERY}:`))
    .map(([, argument]) => argument)
    .sort((a, b) => a.index - b.index);
  const types = (Reflect.getMetadata('design:paramtypes', controller, method) ?? []) as unknown[];
  const names: string[] = [];
  for (const { data, index } of queries) {
    if (typeof data === 'string') {
      names.push(data);
      continue;
    }
    const dto = types[index];
    if (typeof dto !== 'function' || dto === Object) return null;
    const fields = getMetadataStorage()
      .getTargetValidationMetadatas(dto, '', true, false)
      .map((metadata) => metadata.propertyName);
    names.push(...new Set(fields));
  }
  return names;
}

/** The metadata key `@ApiExcludeController` sets (@nestjs/swagger does not export its constants). */
const API_EXCLUDE_CONTROLLER = 'swagger/apiExcludeController';

/** Controllers left out of the OpenAPI document (`@ApiExcludeController`) are not API routes. */
function outsideTheApi(context: ExecutionContext): boolean {
  const excluded = Reflect.getMetadata(API_EXCLUDE_CONTROLLER, context.getClass()) as
    boolean[] | undefined;
  return excluded?.[0] === true;
}

const allowedByHandler = new WeakMap<Handler, string[] | null>();

function allowedFor(context: ExecutionContext): string[] | null {
  const handler = context.getHandler() as Handler;
  let allowed = allowedByHandler.get(handler);
  if (allowed === undefined) {
    allowed = declaredQueryParameters(context.getClass().prototype as object, handler.name);
    allowedByHandler.set(handler, allowed);
  }
  return allowed;
}

/**
 * Read routes validate like write routes: a query parameter the route does
 * not declare is refused (400 `unknown_parameter`, naming it and the ones the
 * route takes), and so is one given twice (`repeated_parameter`). A route's
 * parameters are its `@Query('name')` arguments (in declaration order): a route added later is
 * covered by declaring them. A route taking the whole query (`@Query() dto`)
 * is left to its DTO (the validation pipe forbids unknown fields).
 */
@Injectable()
export class KnownQueryParametersInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    // Routes of the API document only: the page (`/`, outside it) keeps its own
    // address state, e.g. `?programmeId=`.
    if (outsideTheApi(context)) return next.handle();
    const query = context.switchToHttp().getRequest<FastifyRequest>().query as
      Record<string, unknown> | undefined;
    const given = Object.keys(query ?? {});
    if (given.length === 0) return next.handle();
    const allowed = allowedFor(context);
    if (allowed === null) return next.handle(); // the route's query DTO validates the whole query
    const unknown = given.filter((name) => !allowed.includes(name));
    if (unknown.length > 0) {
      const takes = allowed.length > 0 ? `; it takes ${allowed.join(', ')}` : '; it takes none';
      throw new ApiError(
        400,
        'unknown_parameter',
        `Unknown query parameter ${unknown.join(', ')}${takes}`,
        { parameters: unknown, allowed },
      );
    }
    const repeated = given.filter((name) => Array.isArray(query![name]));
    if (repeated.length > 0) {
      throw new ApiError(
        400,
        'repeated_parameter',
        `Query parameter ${repeated.join(', ')} given more than once`,
        { parameters: repeated },
      );
    }
    return next.handle();
  }
}
