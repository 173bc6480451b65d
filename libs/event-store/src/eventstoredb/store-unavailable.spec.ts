import {
  DeadlineExceededError,
  NotLeaderError,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { StoreUnavailableError } from '../errors.js';
import { asStoreUnavailable } from './eventstoredb-event-store.js';

const serviceError = (code: status, details: string, metadata = new Metadata()): ServiceError =>
  Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata });

const notLeader = () => {
  const metadata = new Metadata();
  metadata.set('leader-endpoint-host', 'esdb-node2');
  metadata.set('leader-endpoint-port', '2113');
  return new NotLeaderError(serviceError(status.NOT_FOUND, 'Leader info available', metadata));
};

describe('asStoreUnavailable: EventStoreDB client errors that mean "not reachable now"', () => {
  it.each([
    [
      'no connection',
      () => new UnavailableError(serviceError(status.UNAVAILABLE, 'No connection established')),
    ],
    [
      'deadline exceeded',
      () => new DeadlineExceededError(serviceError(status.DEADLINE_EXCEEDED, 'Deadline exceeded')),
    ],
    [
      'server operation timeout',
      () => new TimeoutError(serviceError(status.ABORTED, 'Operation timed out')),
    ],
    ['not the leader', notLeader],
    ['raw gRPC UNAVAILABLE', () => serviceError(status.UNAVAILABLE, 'Connection dropped')],
    ['gossip discovery failed', () => new Error('Failed to discover after 10 attempts.')],
  ])('maps %s to StoreUnavailableError (503, Retry-After)', (_what, make) => {
    const mapped = asStoreUnavailable(make(), 'read');
    expect(mapped).toBeInstanceOf(StoreUnavailableError);
    expect(mapped).toMatchObject({ code: 'store_unavailable', store: 'event-store' });
    expect(mapped!.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('says an append that ran out of time may have been written, and how to retry it', () => {
    const timedOut = asStoreUnavailable(
      new DeadlineExceededError(serviceError(status.DEADLINE_EXCEEDED, 'Deadline exceeded')),
      'append',
    );
    expect(timedOut!.message).toContain('may have been written');
    const refused = asStoreUnavailable(
      new UnavailableError(serviceError(status.UNAVAILABLE, 'No connection established')),
      'append',
    );
    expect(refused!.message).not.toContain('may have been written');
  });

  it.each([
    [
      'a wrong expected version',
      () =>
        new WrongExpectedVersionError(undefined, {
          streamName: 'group-board',
          expected: 3n,
          current: 4n,
        }),
    ],
    [
      'a missing stream',
      () => new StreamNotFoundError(serviceError(status.NOT_FOUND, 'Stream not found')),
    ],
    ['any other error', () => new Error('boom')],
  ])('leaves %s alone', (_what, make) => {
    expect(asStoreUnavailable(make(), 'append')).toBeNull();
  });
});
