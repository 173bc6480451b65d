import fc from 'fast-check';
import { createHash } from 'node:crypto';
import {
  chainAppend,
  chainMetadata,
  eventHash,
  ledgerDigest,
  type HashableEvent,
  type StreamHead,
} from './event-hash.js';

const base: HashableEvent = {
  streamId: 'group-programme-board',
  revision: 3n,
  id: '0b8f6c1e-2d4a-4c3b-9e5f-1a2b3c4d5e6f',
  type: 'SeatAllocated',
  data: { seatId: 'lay-1', partnerId: 'ann', occurredAt: '2014-01-10T00:00:00.000Z' },
  metadata: {
    commandId: 'c-1',
    actor: 'programme-office',
    schemaVersion: 1,
    prevHash: 'ab'.repeat(32),
  },
};

describe('event hash', () => {
  it('is SHA-256 over the documented length-prefixed fields', () => {
    const field = (s: string) => `${Buffer.byteLength(s)}:${s}\n`;
    const bytes =
      'ledger-event-v1\n' +
      field(base.streamId) +
      field('3') +
      field(base.id) +
      field(base.type) +
      field(JSON.stringify(base.data)) +
      field(JSON.stringify(base.metadata));
    expect(eventHash(base)).toBe(createHash('sha256').update(bytes, 'utf8').digest('hex'));
    expect(eventHash(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is deterministic, also across a JSON round trip (the stored text read back)', () => {
    expect(eventHash({ ...base })).toBe(eventHash(base));
    expect(eventHash({ ...base, id: base.id.toUpperCase() })).toBe(eventHash(base));
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (data, extra) => {
        const event = { ...base, data, metadata: { ...base.metadata, extra } };
        const stored = {
          ...event,
          data: JSON.parse(JSON.stringify(data)) as unknown,
          metadata: JSON.parse(JSON.stringify(event.metadata)) as Record<string, unknown>,
        };
        expect(eventHash(stored)).toBe(eventHash(event));
      }),
      { numRuns: 200 },
    );
  });

  it.each<[string, Partial<HashableEvent>]>([
    ['stream id', { streamId: 'group-programme-boarD' }],
    ['revision', { revision: 4n }],
    ['event id', { id: '0b8f6c1e-2d4a-4c3b-9e5f-1a2b3c4d5e60' }],
    ['type', { type: 'SeatVacated' }],
    ['data', { data: { ...(base.data as object), seatId: 'lay-2' } }],
    ['nested data', { data: { ...(base.data as object), extra: { list: [1] } } }],
    ['metadata', { metadata: { ...base.metadata, actor: 'auditor' } }],
    ['prevHash', { metadata: { ...base.metadata, prevHash: 'cd'.repeat(32) } }],
    ['prevHash null', { metadata: { ...base.metadata, prevHash: null } }],
  ])('changes with the %s', (_field, change) => {
    expect(eventHash({ ...base, ...change })).not.toBe(eventHash(base));
  });

  it('changes with any change of the data text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        expect(eventHash({ ...base, data: a })).not.toBe(eventHash({ ...base, data: b }));
      }),
      { numRuns: 200 },
    );
  });

  it('cannot be confused by moving bytes from one field to the next', () => {
    expect(eventHash({ ...base, streamId: 'group-a', type: 'bSeat' })).not.toBe(
      eventHash({ ...base, streamId: 'group-ab', type: 'Seat' }),
    );
  });
});

describe('chainMetadata and chainAppend', () => {
  it('chains to nothing at revision 0 and to the previous event’s hash after', () => {
    expect(chainMetadata(null)).toEqual({ prevHash: null });
    expect(chainMetadata(base)).toEqual({ prevHash: eventHash(base) });
  });

  it('chains each event of one append to the one before it', () => {
    const events = ['A', 'B', 'C'].map((type, i) => ({
      id: `00000000-0000-4000-8000-00000000000${i}`,
      type,
      data: { i },
      metadata: { actor: 'x', prevHash: 'forged' },
    }));
    const chained = chainAppend(base.streamId, base, events);
    expect(chained[0]!.metadata!.prevHash).toBe(eventHash(base));
    expect(chained[1]!.metadata!.prevHash).toBe(
      eventHash({ ...chained[0]!, streamId: base.streamId, revision: 4n }),
    );
    expect(chained[2]!.metadata!.prevHash).toBe(
      eventHash({ ...chained[1]!, streamId: base.streamId, revision: 5n }),
    );
    expect(chained.map((e) => e.metadata!.actor)).toEqual(['x', 'x', 'x']);
    expect(events[0]!.metadata.prevHash).toBe('forged'); // the input is not mutated
    expect(chainAppend('partner-ann', null, events)[0]!.metadata!.prevHash).toBeNull();
  });
});

describe('ledger digest', () => {
  const heads: StreamHead[] = [
    { streamId: 'group-a', revision: 2n, hash: 'a'.repeat(64) },
    { streamId: 'partner-b', revision: 0n, hash: 'b'.repeat(64) },
    { streamId: 'group-é', revision: 5n, hash: 'c'.repeat(64) },
  ];
  const digest = ledgerDigest(9n, heads);

  it('does not depend on the order heads are given in', () => {
    expect(ledgerDigest(9n, [...heads].reverse())).toBe(digest);
  });

  it('changes with the position and with any head', () => {
    expect(ledgerDigest(10n, heads)).not.toBe(digest);
    expect(ledgerDigest(null, [])).not.toBe(ledgerDigest(0n, []));
    heads.forEach((head, i) => {
      const change = (h: StreamHead) => ledgerDigest(9n, heads.with(i, h));
      expect(change({ ...head, revision: head.revision + 1n })).not.toBe(digest);
      expect(change({ ...head, hash: 'd'.repeat(64) })).not.toBe(digest);
      expect(change({ ...head, streamId: `${head.streamId}x` })).not.toBe(digest);
      expect(ledgerDigest(9n, heads.toSpliced(i, 1))).not.toBe(digest);
    });
    expect(
      ledgerDigest(9n, [...heads, { streamId: 'x-1', revision: 0n, hash: 'e'.repeat(64) }]),
    ).not.toBe(digest);
  });
});
