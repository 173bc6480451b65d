import { DomainError } from '@app/domain';
import { InvalidReadError, openReadContext } from '@app/projections';
import { ledgerFixture } from '../../../../libs/projections/src/testing/ledger-fixture.js';
import { ApiError } from '../http/errors/error-body.js';
import { runReadJob } from './read-jobs.js';
import { describeFailure, reviveFailure } from './reader-protocol.js';

const heard = (feedbackId: string, occurredAt: string) => ({
  feedbackId,
  channel: 'forum',
  kind: 'concern',
  summary: `About ${feedbackId}`,
  groupId: null,
  raisedBy: null,
  occurredAt,
});
const everyItem = { groupId: null, partnerId: null, status: null, channel: null };

describe('a read job', () => {
  it('takes "now" when it runs, not when it was sent: what was recorded while it waited is in it', () => {
    const l = ledgerFixture();
    const q = openReadContext(l.db);
    l.record('FeedbackHeard', heard('fb-1', '2014-01-10'), '2014-01-10');
    // The read is sent ("now" not yet taken) ...
    const sent = new Date().toISOString();
    const args = { ...everyItem, page: { limit: 10 } };
    // ... and waits while a command records more.
    l.record('FeedbackHeard', heard('fb-2', '2014-01-11'), new Date(Date.now() + 5).toISOString());
    while (Date.now() <= Date.parse(sent) + 5) {
      // the clock moves past the late record
    }
    // A ledger without programmes answers one list (not one per programme).
    const read = (when: { knownAt?: string }) =>
      runReadJob(q, 'influence', { ...args, when }) as unknown as {
        knownAt: string;
        items: Array<{ feedbackId: string }>;
      };
    const answer = read({});
    expect(answer.items.map((i) => i.feedbackId)).toEqual(['fb-1', 'fb-2']);
    expect(answer.knownAt > sent).toBe(true);
    // Asked as known when it was sent, the later record is not in it.
    expect(read({ knownAt: sent }).items.map((i) => i.feedbackId)).toEqual(['fb-1']);
    l.db.close();
  });
});

describe('a read failure crossing threads', () => {
  const roundTrip = (error: unknown) => reviveFailure(structuredClone(describeFailure(error)));

  it('comes back as the class the exception filter maps, with its status, code and details', () => {
    const notFound = roundTrip(
      new ApiError(404, 'programme_not_found', 'Programme x does not exist', { programmeId: 'x' }),
    );
    expect(notFound).toBeInstanceOf(ApiError);
    expect(notFound).toMatchObject({
      status: 404,
      code: 'programme_not_found',
      message: 'Programme x does not exist',
      details: { programmeId: 'x' },
    });
    const invalid = roundTrip(new InvalidReadError('invalid_cursor', 'cursor is not one we gave'));
    expect(invalid).toBeInstanceOf(InvalidReadError);
    expect(invalid).toMatchObject({ code: 'invalid_cursor', details: {} });
    const conflict = roundTrip(new DomainError('seat_taken', 'taken', 'conflict', { seatId: 's' }));
    expect(conflict).toBeInstanceOf(DomainError);
    expect(conflict).toMatchObject({
      code: 'seat_taken',
      kind: 'conflict',
      details: { seatId: 's' },
    });
  });

  it("keeps a store error's name and code (a busy store is a 503), and a fault's stack", () => {
    const busy = Object.assign(new Error('database is locked'), {
      name: 'SqliteError',
      code: 'SQLITE_BUSY',
    });
    expect(roundTrip(busy)).toMatchObject({ name: 'SqliteError', code: 'SQLITE_BUSY' });
    const fault = roundTrip(new TypeError('x is undefined'));
    expect(fault).not.toBeInstanceOf(ApiError);
    expect(fault.stack).toContain('TypeError: x is undefined');
    expect(fault.stack).toContain('(in a reader thread)');
  });
});
