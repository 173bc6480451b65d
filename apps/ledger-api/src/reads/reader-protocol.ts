import { DomainError, type DomainErrorKind } from '@app/domain';
import { InvalidReadError } from '@app/projections';
import { ApiError } from '../http/errors/error-body.js';
import type { ReadJobName } from './read-jobs.js';

/** What a reader thread is started with. */
export interface ReaderData {
  /** The read store's file, opened read-only. */
  path: string;
  /** The projection runner's checkpoint row. */
  checkpointName: string;
}

/** One read for a reader thread. */
export interface ReadRequest {
  id: number;
  job: ReadJobName;
  args: unknown;
}

/** Its answer: an object already serialised as JSON, or a text (an export file). */
export type ReadResponse =
  | { id: number; ok: true; json: string }
  | { id: number; ok: true; text: string }
  | { id: number; ok: false; error: ReadFailure };

/** An error as it crosses the thread boundary: what the exception filter needs to answer it alike. */
export interface ReadFailure {
  name: string;
  message: string;
  stack?: string | undefined;
  code?: string | undefined;
  status?: number | undefined;
  kind?: string | undefined;
  details?: Record<string, unknown> | undefined;
}

/** In the reader: an error thrown by a read, as plain data. */
export function describeFailure(error: unknown): ReadFailure {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { code, status, kind, details } = error as Error & Partial<ReadFailure>;
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof status === 'number' ? { status } : {}),
    ...(typeof kind === 'string' ? { kind } : {}),
    ...(details && typeof details === 'object' ? { details: structuredClone(details) } : {}),
  };
}

/**
 * In the app: the error again, of the class the exception filter maps (a
 * 4xx with its code, a busy store as 503), so a read answers the same
 * whichever thread ran it. Anything else is a fault (500), logged with the
 * reader's stack.
 */
export function reviveFailure(failure: ReadFailure): Error {
  const details = failure.details ?? {};
  switch (failure.name) {
    case 'ApiError':
      return new ApiError(
        failure.status ?? 500,
        failure.code ?? 'internal_error',
        failure.message,
        details,
      );
    case 'InvalidReadError':
      return new InvalidReadError(failure.code ?? 'invalid_read', failure.message, details);
    case 'DomainError':
      return new DomainError(
        failure.code ?? 'rule',
        failure.message,
        (failure.kind ?? 'rule') as DomainErrorKind,
        details,
      );
    default: {
      const error = new Error(failure.message);
      error.name = failure.name;
      if (failure.code !== undefined) Object.assign(error, { code: failure.code });
      error.stack = `${failure.stack ?? `${failure.name}: ${failure.message}`}\n    (in a reader thread)`;
      return error;
    }
  }
}
