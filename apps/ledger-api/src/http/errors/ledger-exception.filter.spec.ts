import { runInNewContext } from 'node:vm';
import { StoreUnavailableError } from '@app/event-store';
import { InvalidReadError, ProjectionBehindError } from '@app/projections';
import { ForbiddenException, type ArgumentsHost } from '@nestjs/common';
import { LedgerExceptionFilter } from './ledger-exception.filter.js';

/** The status and body the filter sends for an exception. */
function respond(exception: unknown): { status: number; body: unknown } {
  const sent = { status: 0, body: undefined as unknown, headers: {} as Record<string, string> };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    header(name: string, value: string) {
      sent.headers[name] = value;
      return reply;
    },
    send(body: unknown) {
      sent.body = body;
      return reply;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
  new LedgerExceptionFilter().catch(exception, host);
  return { status: sent.status, body: sent.body };
}

function headersOf(exception: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  const reply = {
    status: () => reply,
    header(name: string, value: string) {
      headers[name] = value;
      return reply;
    },
    send: () => reply,
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
  new LedgerExceptionFilter().catch(exception, host);
  return headers;
}

describe('LedgerExceptionFilter', () => {
  it('answers 503 projection_behind when the read models did not reach minPosition', () => {
    expect(respond(new ProjectionBehindError('120', 99n))).toEqual({
      status: 503,
      body: {
        code: 'projection_behind',
        message: 'The read models have not reached minPosition yet',
        details: { minPosition: '120', checkpoint: 99 },
      },
    });
  });

  it('answers 503 store_unavailable with Retry-After when a store cannot be reached', () => {
    const unavailable = new StoreUnavailableError(
      'event-store',
      'The event store cannot be reached',
      7,
    );
    expect(respond(unavailable)).toEqual({
      status: 503,
      body: {
        code: 'store_unavailable',
        message: 'The event store cannot be reached',
        details: { store: 'event-store', retryAfterSeconds: 7 },
      },
    });
    expect(headersOf(unavailable)['retry-after']).toBe('7');
  });

  it('answers 503 store_unavailable when SQLite is busy or the disk is full, never 500', () => {
    const sqliteError = (code: string) =>
      Object.assign(new Error('database is locked'), { name: 'SqliteError', code });
    for (const [code, retryAfter] of [
      ['SQLITE_BUSY', '1'],
      ['SQLITE_BUSY_SNAPSHOT', '1'],
      ['SQLITE_LOCKED', '1'],
      ['SQLITE_FULL', '30'],
    ] as const) {
      const { status, body } = respond(sqliteError(code)) as {
        status: number;
        body: { code: string; details: { store: string } };
      };
      expect({ code, status, body: body.code, store: body.details.store }).toEqual({
        code,
        status: 503,
        body: 'store_unavailable',
        store: 'sqlite',
      });
      expect(headersOf(sqliteError(code))['retry-after']).toBe(retryAfter);
    }
    // The driver's error class may come from another realm (a native module is loaded once per process).
    const foreign = runInNewContext(
      "Object.assign(new Error('database is locked'), { name: 'SqliteError', code: 'SQLITE_BUSY' })",
    ) as unknown;
    expect(foreign instanceof Error).toBe(false);
    expect(respond(foreign).status).toBe(503);
    // Any other SQLite error is a genuine fault.
    expect(respond(sqliteError('SQLITE_CORRUPT')).status).toBe(500);
  });

  it('answers 400 with the code of a malformed read parameter', () => {
    expect(
      respond(new InvalidReadError('invalid_time', 'asOf must be a date', { parameter: 'asOf' })),
    ).toEqual({
      status: 400,
      body: {
        code: 'invalid_time',
        message: 'asOf must be a date',
        details: { parameter: 'asOf' },
      },
    });
  });

  it("keeps the guard's refusal body as thrown", () => {
    const body = {
      code: 'forbidden',
      message: 'The evaluator role may not use this route',
      details: { role: 'evaluator' },
    };
    expect(respond(new ForbiddenException(body))).toEqual({ status: 403, body });
  });
});
