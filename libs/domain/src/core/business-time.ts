import type { RuleCode } from '../commands.js';
import { rule } from './domain-error.js';

/**
 * Business dates (`occurredAt`) may be backdated, never in the future, and
 * never before what they depend on. Dates compare as instants.
 */
export function assertNotInFuture(occurredAt: string, now: string): void {
  if (Date.parse(occurredAt) > Date.parse(now)) {
    throw rule('occurred_in_future', `occurredAt ${occurredAt} is in the future`, {
      occurredAt,
      now,
    });
  }
}

export function assertNotBefore(
  occurredAt: string,
  dependency: string,
  code: RuleCode,
  what: string,
  /** Names the fact depended on in `details`, e.g. `{ candidateId }`. */
  fact: Record<string, unknown> = {},
): void {
  if (Date.parse(occurredAt) < Date.parse(dependency)) {
    throw rule(code, `occurredAt ${occurredAt} is before ${what} (${dependency})`, {
      ...fact,
      occurredAt,
      dependsOn: dependency,
    });
  }
}
