import type { AuthenticatedRequest } from '../security/auth.guard.js';
import type { Pseudonyms } from '../security/pseudonyms.js';
import type { Viewer } from './read-jobs.js';

/**
 * Who the read is for, where that changes the body: evaluators read
 * pseudonyms (ADR 0010). `undefined` for the programme office's staff.
 */
export function viewerFor(
  request: AuthenticatedRequest,
  pseudonyms: Pseudonyms,
): Viewer | undefined {
  if (request.actor !== 'evaluator') return undefined;
  return {
    names: { displayName: (partnerId) => pseudonyms.of(partnerId) },
    pseudonymOf: (partnerId) => pseudonyms.of(partnerId),
    scrub: <T>(rows: T) => pseudonyms.scrub(rows) as T,
  };
}
