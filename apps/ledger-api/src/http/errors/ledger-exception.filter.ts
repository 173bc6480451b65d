import { DomainError } from '@app/domain';
import {
  EventIdConflictError,
  InvalidEventError,
  StoreUnavailableError,
  WrongExpectedRevisionError,
} from '@app/event-store';
import { InvalidReadError, ProjectionBehindError } from '@app/projections';
import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiError, type ErrorBody } from './error-body.js';

const DOMAIN_STATUS = { rule: 422, not_found: 404, conflict: 409 } as const;

/**
 * SQLite errors that mean "the file cannot be written now", not a fault in
 * the request: another process (a CLI, a backup) holding the write lock past
 * the busy timeout, or a full disk. Nothing was written (the transaction
 * rolled back), so the client may send the same request again.
 */
const SQLITE_UNAVAILABLE: Array<[prefix: string, why: string, retryAfterSeconds: number]> = [
  ['SQLITE_BUSY', 'The embedded store is busy: another process holds its write lock', 1],
  ['SQLITE_LOCKED', 'The embedded store is locked by another connection', 1],
  ['SQLITE_FULL', 'The embedded store cannot write: the disk is full', 30],
];

function sqliteUnavailable(exception: unknown): StoreUnavailableError | null {
  // By name, not instanceof: the driver's error class may come from another realm
  // (a native module is loaded once per process, test contexts are many).
  if (typeof exception !== 'object' || exception === null) return null;
  const { name, code } = exception as { name?: unknown; code?: unknown };
  if (name !== 'SqliteError') return null;
  if (typeof code !== 'string') return null;
  const match = SQLITE_UNAVAILABLE.find(([prefix]) => code.startsWith(prefix));
  if (!match) return null;
  const [, why, retryAfterSeconds] = match;
  return new StoreUnavailableError(
    'sqlite',
    `${why}; nothing was written, try again`,
    retryAfterSeconds,
    {
      cause: exception,
    },
  );
}

/** Fastify's own errors (body parsing, limits) carry a code and a status. */
interface FastifyLikeError {
  code?: string;
  statusCode?: number;
  message?: string;
  details?: Record<string, unknown>;
}

/**
 * Maps every error to `{code, message, details}`. Bad input is always a 4xx
 * with a machine-readable code; only a genuine fault is a 500, whose body
 * says nothing about internals.
 */
@Catch()
export class LedgerExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(thrown: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const unavailable = sqliteUnavailable(thrown);
    if (unavailable) this.logger.warn(`${unavailable.message}: ${String(thrown)}`);
    const exception = unavailable ?? thrown;
    const [status, body] = this.toResponse(exception);
    if (exception instanceof StoreUnavailableError) {
      void reply.header('retry-after', String(exception.retryAfterSeconds));
    }
    if (status >= 500 && !(exception instanceof StoreUnavailableError)) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
    }
    void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(body);
  }

  private toResponse(exception: unknown): [number, ErrorBody] {
    if (exception instanceof ApiError) {
      return [exception.status, body(exception.code, exception.message, exception.details)];
    }
    if (exception instanceof InvalidReadError) {
      return [400, body(exception.code, exception.message, exception.details)];
    }
    if (exception instanceof StoreUnavailableError) {
      return [
        503,
        body(exception.code, exception.message, {
          store: exception.store,
          retryAfterSeconds: exception.retryAfterSeconds,
        }),
      ];
    }
    if (exception instanceof ProjectionBehindError) {
      return [503, body(exception.code, exception.message, exception.details)];
    }
    if (exception instanceof DomainError) {
      return [
        DOMAIN_STATUS[exception.kind],
        body(exception.code, exception.message, exception.details),
      ];
    }
    if (exception instanceof WrongExpectedRevisionError) {
      return [
        409,
        body(
          'revision_conflict',
          'The record changed since the revision given; read it again and retry',
          {
            stream: exception.streamId,
            expected: String(exception.expected),
            actual: String(exception.actual),
          },
        ),
      ];
    }
    if (exception instanceof EventIdConflictError) {
      return [409, body('event_id_conflict', exception.message, { stream: exception.streamId })];
    }
    if (exception instanceof InvalidEventError) {
      return [400, body('invalid_event', exception.message)];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // Nest wraps Fastify's own 4xx errors (body parsing, size limit); keep their codes.
      const cause = exception.cause as FastifyLikeError | undefined;
      if (cause && typeof cause.code === 'string' && cause.code.startsWith('FST_')) {
        return [status, body(fastifyCode(cause), exception.message)];
      }
      // A plugin's own error in the ledger's shape (the rate limiter's 429).
      if (
        cause &&
        typeof cause.code === 'string' &&
        typeof cause.details === 'object' &&
        cause.details !== null
      ) {
        return [status, body(cause.code, exception.message, cause.details)];
      }
      const response = exception.getResponse();
      if (typeof response === 'object' && response !== null && 'code' in response) {
        return [status, response as ErrorBody];
      }
      return [status, body(codeForStatus(status), exception.message)];
    }
    const fastify = exception as FastifyLikeError;
    if (
      typeof fastify?.statusCode === 'number' &&
      fastify.statusCode >= 400 &&
      fastify.statusCode < 500 &&
      typeof fastify.code === 'string' &&
      typeof fastify.details === 'object' &&
      fastify.details !== null
    ) {
      return [
        fastify.statusCode,
        body(fastify.code, fastify.message ?? 'Refused', fastify.details),
      ];
    }
    if (
      typeof fastify?.statusCode === 'number' &&
      fastify.statusCode >= 400 &&
      fastify.statusCode < 500
    ) {
      return [fastify.statusCode, body(fastifyCode(fastify), fastify.message ?? 'Bad request')];
    }
    return [500, body('internal_error', 'Something went wrong on our side; nothing was recorded')];
  }
}

function body(code: string, message: string, details: Record<string, unknown> = {}): ErrorBody {
  return { code, message, details };
}

function fastifyCode(error: FastifyLikeError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'invalid_json';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'payload_too_large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported_media_type';
    default:
      return codeForStatus(error.statusCode ?? 400);
  }
}

function codeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 409:
      return 'conflict';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 422:
      return 'unprocessable';
    case 429:
      return 'too_many_requests';
    case 503:
      return 'unavailable';
    default:
      return status >= 500 ? 'internal_error' : 'bad_request';
  }
}
