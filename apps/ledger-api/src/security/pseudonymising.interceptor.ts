import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import type { AuthenticatedRequest } from './auth.guard.js';
import { Pseudonyms } from './pseudonyms.js';

/**
 * Evaluators see pseudonyms: every JSON body answered to the evaluator role
 * passes through `Pseudonyms.scrub` (person ids and names replaced, contact
 * details and notes removed). Streams and text exports pseudonymise at the
 * source (see HistoryController, ExportsController).
 */
@Injectable()
export class PseudonymisingInterceptor implements NestInterceptor {
  constructor(private readonly pseudonyms: Pseudonyms) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (request.actor !== 'evaluator') return next.handle();
    return next
      .handle()
      .pipe(
        map((body: unknown) => (typeof body === 'string' ? body : this.pseudonyms.scrub(body))),
      );
  }
}
