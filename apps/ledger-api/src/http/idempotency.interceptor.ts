import {
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { defer, finalize, mergeMap, of, switchMap, type Observable } from 'rxjs';
import { IdempotencyRecords } from '../infrastructure/idempotency.store.js';
import { ApiError } from './errors/error-body.js';
import { idempotencyKeyOf } from './request-context.js';

/**
 * `Idempotency-Key` on a command: the first successful response is kept and
 * a retry with the same key and the same request gets it back, appending
 * nothing. The same key with a different request is refused (422); the same
 * key while the first request is still running is a conflict (409). Requests
 * are compared as canonical JSON: the order of an object's keys is not content.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly inFlight = new Set<string>();
  private readonly logger = new Logger('Idempotency');

  constructor(private readonly store: IdempotencyRecords) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { actor?: string }>();
    if (request.method !== 'POST') return next.handle();
    const key = idempotencyKeyOf(request);
    if (key === undefined) return next.handle();

    const scopedKey = `${request.actor ?? 'anonymous'}:${key}`;
    const fingerprint = (body: string) =>
      this.store.fingerprint(`${request.method} ${request.url}\n${body}`);
    const requestHash = fingerprint(canonicalJson(request.body ?? null));
    const reply = http.getResponse<FastifyReply>();
    return defer(() => this.store.get(scopedKey)).pipe(
      switchMap((stored) => {
        if (stored) {
          // Responses stored before canonical fingerprints match the body as sent then.
          const sameRequest =
            stored.requestHash === requestHash ||
            stored.requestHash === fingerprint(JSON.stringify(request.body ?? null));
          if (!sameRequest) {
            throw new ApiError(
              422,
              'idempotency_key_reused',
              'This Idempotency-Key was used for a different request',
              { key },
            );
          }
          void reply.status(stored.status).header('idempotent-replayed', 'true');
          return of(stored.body);
        }
        if (this.inFlight.has(scopedKey)) {
          throw new ApiError(
            409,
            'idempotency_key_in_flight',
            'A request with this Idempotency-Key is still running',
            { key },
          );
        }
        this.inFlight.add(scopedKey);
        return next.handle().pipe(
          // Kept before the response leaves (another replica may get the retry). If it
          // cannot be kept, the command still succeeded: a retry is recognised by its
          // command id in the stream (DeciderRunner), as after a crash.
          mergeMap(async (body: unknown) => {
            const status = reply.statusCode;
            if (status >= 200 && status < 300) {
              await this.store
                .put(scopedKey, { requestHash, status, body })
                .catch((error) =>
                  this.logger.warn(
                    `idempotency record not kept: ${error instanceof Error ? error.message : String(error)}`,
                  ),
                );
            }
            return body;
          }),
          finalize(() => this.inFlight.delete(scopedKey)),
        );
      }),
    );
  }
}

/**
 * JSON with every object's keys sorted, at every depth (arrays keep their
 * order): two bodies that differ only in key order give the same text.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.keys(inner)
            .sort()
            .map((k) => [k, (inner as Record<string, unknown>)[k]]),
        )
      : inner,
  );
}
