/**
 * How a command can be refused, independent of transport:
 * `rule` — a domain rule was broken (HTTP 422);
 * `not_found` — the command names something that does not exist (404);
 * `conflict` — it clashes with what exists, e.g. an id taken (409).
 */
import type { ConflictCode, NotFoundCode, RuleCode } from '../commands.js';

export type DomainErrorKind = 'rule' | 'not_found' | 'conflict';

export class DomainError extends Error {
  constructor(
    /** Machine-readable, stable: clients switch on it. */
    readonly code: string,
    message: string,
    readonly kind: DomainErrorKind = 'rule',
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

// Only codes declared in a `<stream>.commands.ts`, and only of their own kind.
export const rule = (code: RuleCode, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, message, 'rule', details);
export const notFound = (code: NotFoundCode, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, message, 'not_found', details);
export const conflict = (code: ConflictCode, message: string, details?: Record<string, unknown>) =>
  new DomainError(code, message, 'conflict', details);
