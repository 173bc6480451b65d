import {
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { catchError, map, throwError, type Observable } from 'rxjs';
import { ApiError } from '../http/errors/error-body.js';
import type { AuthenticatedRequest } from './auth.guard.js';
import { Pseudonyms, type PseudonymKind } from './pseudonyms.js';

/** Path parameters by the collection they follow: `/v1/partners/:id` takes a partner. */
const PATH_KINDS: Record<string, { kind: PseudonymKind; notFound: string; noun: string }> = {
  partners: { kind: 'partner', notFound: 'partner_not_found', noun: 'Partner' },
  feedback: { kind: 'feedback', notFound: 'feedback_not_found', noun: 'Feedback' },
  elections: { kind: 'election', notFound: 'election_not_found', noun: 'Election' },
};
/** Query parameters that filter by a pseudonymised id. */
const QUERY_KINDS: Record<string, PseudonymKind> = {
  partnerId: 'partner',
  feedbackId: 'feedback',
  electionId: 'election',
};
/** What a filter that names no pseudonym the ledger issued becomes: a valid id nothing has. */
const NO_SUCH_ID = '0-no-such-pseudonym';

/** What the interceptor turned back into ids for this request (id → pseudonym). */
type PseudonymisedRequest = AuthenticatedRequest & { pseudonymised?: Map<string, string> };

/**
 * Evaluators see pseudonyms, and use them.
 *
 * - In: pseudonyms in path parameters (`/v1/partners/P-…`, `/v1/feedback/F-…`,
 *   `/v1/elections/E-…`) and id filters (`?partnerId=P-…`) become the ids
 *   behind them. Raw ids are not accepted from evaluators: a path parameter
 *   that is not a pseudonym the ledger issued is 404, a filter matches
 *   nothing, whether or not the id exists (else a guessed id, say
 *   `dr-ccg-chair`, would turn into its pseudonym).
 * - Out: every JSON body passes through `Pseudonyms.scrub` (person ids, the
 *   ids of seats, claims, elections, meetings, decisions, feedback, responses
 *   and workshops, and names replaced; contact details and notes removed);
 *   error bodies too, their message included. Streams and text exports
 *   pseudonymise at the source (HistoryController, ExportsController).
 */
@Injectable()
export class PseudonymisingInterceptor implements NestInterceptor {
  constructor(private readonly pseudonyms: Pseudonyms) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<PseudonymisedRequest>();
    if (request.actor !== 'evaluator') return next.handle();
    const replaced = new Map<string, string>();
    request.pseudonymised = replaced;
    this.resolveParameters(request, replaced);
    return next.handle().pipe(
      map((body: unknown) =>
        typeof body === 'string' ? body : this.pseudonyms.scrub(body, replaced),
      ),
      catchError((error: unknown) => throwError(() => this.scrubError(error, replaced))),
    );
  }

  private resolveParameters(request: PseudonymisedRequest, replaced: Map<string, string>): void {
    const params = (request.params ?? {}) as Record<string, string>;
    const route = request.routeOptions?.url ?? '';
    for (const [name, value] of Object.entries(params)) {
      const collection = new RegExp(`/([^/]+)/:${name}(?:/|$)`).exec(route)?.[1];
      const target = collection ? PATH_KINDS[collection] : undefined;
      if (!target || typeof value !== 'string') continue;
      const id = this.pseudonyms.resolve(target.kind, value);
      if (id === undefined) {
        throw new ApiError(
          404,
          target.notFound,
          `${target.noun} ${value} is not known (evaluators name it by the pseudonym they read)`,
          { [`${target.kind}Id`]: value },
        );
      }
      params[name] = id;
      replaced.set(id, value);
    }
    const query = (request.query ?? {}) as Record<string, unknown>;
    for (const [name, kind] of Object.entries(QUERY_KINDS)) {
      const value = query[name];
      if (typeof value !== 'string' || value === '') continue;
      const id = this.pseudonyms.resolve(kind, value);
      query[name] = id ?? NO_SUCH_ID;
      if (id !== undefined) replaced.set(id, value);
    }
  }

  /** An error as evaluators may read it: ids in its details and message pseudonymised. */
  private scrubError(error: unknown, replaced: Map<string, string>): unknown {
    if (!(error instanceof Error)) return error;
    const withDetails = error as Error & { details?: unknown };
    if (withDetails.details !== null && typeof withDetails.details === 'object') {
      Object.defineProperty(withDetails, 'details', {
        value: this.pseudonyms.scrub(withDetails.details, replaced, { echoes: true }),
      });
    }
    if (replaced.size > 0) error.message = this.pseudonyms.scrubText(error.message, replaced);
    return error;
  }
}
