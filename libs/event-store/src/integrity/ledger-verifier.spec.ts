import type { EventStore, NewEvent, ReadAllOptions, RecordedEvent } from '../event-store.port.js';
import { chainAppend, eventHash, ledgerDigest } from './event-hash.js';
import { GENESIS_SEAL, sealLink } from './ledger-seal.js';
import { LedgerVerifier, verificationToJson, verifyLedger } from './ledger-verifier.js';

/** `$all` as a list: only what the verifier reads. */
function listStore(events: RecordedEvent[]): EventStore {
  const read = async ({ direction = 'forwards', fromPosition, maxCount }: ReadAllOptions = {}) => {
    const from = fromPosition ?? (direction === 'forwards' ? 'start' : 'end');
    const selected =
      direction === 'forwards'
        ? events.filter((e) => from === 'start' || (from !== 'end' && e.position >= from))
        : events
            .filter((e) => from === 'end' || (from !== 'start' && e.position <= from))
            .reverse();
    return selected.slice(0, maxCount ?? selected.length);
  };
  return {
    readAll: read,
    headPosition: async () => events.at(-1)?.position ?? null,
  } as Partial<EventStore> as EventStore;
}

let counter = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

/** A chained ledger: `layout` lists the stream of each event in `$all` order. */
function ledger(layout: string[]): RecordedEvent[] {
  const out: RecordedEvent[] = [];
  layout.forEach((streamId, i) => {
    const previous = out.filter((e) => e.streamId === streamId).at(-1) ?? null;
    const event: NewEvent = {
      id: uuid(),
      type: 'Happened',
      data: { i },
      metadata: { actor: 'office' },
    };
    const [chained] = chainAppend(streamId, previous, [event]);
    out.push({
      ...chained!,
      metadata: chained!.metadata!,
      streamId,
      revision: previous ? previous.revision + 1n : 0n,
      position: BigInt(i + 1),
      recordedAt: new Date(0),
    });
  });
  return out;
}

const LAYOUT = ['a', 'b', 'a', 'c', 'a', 'b', 'a', 'c', 'b'];
const at = (events: RecordedEvent[], stream: string, revision: bigint) =>
  events.findIndex((e) => e.streamId === stream && e.revision === revision);

describe('ledger verifier', () => {
  it('verifies an intact ledger and gives the digest of its heads', async () => {
    const events = ledger(LAYOUT);
    const result = await new LedgerVerifier(listStore(events), { pageSize: 2 }).verify();
    const heads = ['a', 'b', 'c'].map((s) => events.filter((e) => e.streamId === s).at(-1)!);
    expect(result).toEqual({
      ok: true,
      checkedEvents: 9,
      position: 9n,
      digest: ledgerDigest(
        9n,
        heads.map((e) => ({ streamId: e.streamId, revision: e.revision, hash: eventHash(e) })),
      ),
      firstBroken: null,
      seal: {
        hash: events.reduce((seal, e) => sealLink(seal, e, eventHash(e)), GENESIS_SEAL),
        count: 9,
        sealedThrough: null,
        unsealedEvents: 9,
      },
    });
    const again = await verifyLedger(listStore(events), {
      expectedDigest: { position: 9n, digest: result.digest },
    });
    expect(again.ok).toBe(true);
  });

  it('verifies an empty ledger', async () => {
    expect(await verifyLedger(listStore([]))).toEqual({
      ok: true,
      checkedEvents: 0,
      position: null,
      digest: ledgerDigest(null, []),
      firstBroken: null,
      seal: { hash: GENESIS_SEAL, count: 0, sealedThrough: null, unsealedEvents: 0 },
    });
  });

  it('names an event whose content changed', async () => {
    const events = ledger(LAYOUT);
    const i = at(events, 'a', 1n);
    events[i] = { ...events[i]!, data: { i: 99 } };
    const { ok, firstBroken } = await verifyLedger(listStore(events));
    expect(ok).toBe(false);
    expect(firstBroken).toMatchObject({
      stream: 'a',
      revision: 1n,
      position: 3n,
      reason: 'hash_mismatch',
    });
  });

  it('names an event whose prevHash changed', async () => {
    const events = ledger(LAYOUT);
    const i = at(events, 'a', 2n);
    events[i] = { ...events[i]!, metadata: { ...events[i]!.metadata, prevHash: 'f'.repeat(64) } };
    expect((await verifyLedger(listStore(events))).firstBroken).toMatchObject({
      stream: 'a',
      revision: 2n,
      position: 5n,
      reason: 'prev_hash_mismatch',
    });
  });

  it('refuses an event without a chain', async () => {
    const events = ledger(LAYOUT);
    const i = at(events, 'c', 0n);
    const { prevHash: _gone, ...metadata } = events[i]!.metadata;
    events[i] = { ...events[i]!, metadata };
    expect((await verifyLedger(listStore(events))).firstBroken).toMatchObject({
      stream: 'c',
      revision: 0n,
      position: 4n,
      reason: 'missing_chain',
    });
  });

  it('names a gap in a stream’s revisions and events out of order', async () => {
    const gap = ledger(LAYOUT).filter((e) => !(e.streamId === 'b' && e.revision === 1n));
    expect((await verifyLedger(listStore(gap))).firstBroken).toMatchObject({
      stream: 'b',
      revision: 2n,
      position: 9n,
      reason: 'revision_gap',
    });
    const events = ledger(LAYOUT);
    // a@1 (position 3) and a@2 (position 5) trade places in $all.
    const moved = events.map((e) =>
      e.position === 3n
        ? { ...events[4]!, position: 3n }
        : e.position === 5n
          ? { ...events[2]!, position: 5n }
          : e,
    );
    expect((await verifyLedger(listStore(moved))).firstBroken).toMatchObject({
      stream: 'a',
      revision: 2n,
      position: 3n,
      reason: 'revision_out_of_order',
    });
  });

  it('refuses positions that do not increase', async () => {
    const events = ledger(LAYOUT);
    events[5] = { ...events[5]!, position: 5n };
    expect((await verifyLedger(listStore(events))).firstBroken).toMatchObject({
      position: 5n,
      reason: 'position_out_of_order',
    });
  });

  it('checks an exported digest: intact, altered head, forged, truncated', async () => {
    const events = ledger(LAYOUT);
    const exported = await verifyLedger(listStore(events.slice(0, 6)));
    const expectedDigest = { position: 6n, digest: exported.digest };
    // The ledger grew since: the digest at 6 still holds.
    expect((await verifyLedger(listStore(events), { expectedDigest })).ok).toBe(true);

    // b@1 (position 6) was the head of b at position 6: only the digest shows its change.
    const altered = events.map((e) => (e.position === 6n ? { ...e, data: { i: -1 } } : e));
    const chainOnly = await verifyLedger(listStore(altered.slice(0, 6)));
    expect(chainOnly.ok).toBe(true);
    expect(
      (await verifyLedger(listStore(altered.slice(0, 6)), { expectedDigest })).firstBroken,
    ).toMatchObject({ stream: null, revision: null, position: 6n, reason: 'digest_mismatch' });

    const forged = { position: 6n, digest: '0'.repeat(64) };
    expect(
      (await verifyLedger(listStore(events), { expectedDigest: forged })).firstBroken,
    ).toMatchObject({
      position: 6n,
      reason: 'digest_mismatch',
    });
    expect(
      (await verifyLedger(listStore(events.slice(0, 4)), { expectedDigest })).firstBroken,
    ).toMatchObject({ position: 6n, reason: 'truncated' });
  });

  it('answers JSON with positions and revisions as numbers', async () => {
    const events = ledger(LAYOUT);
    events[0] = { ...events[0]!, type: 'Other' };
    const json = verificationToJson(await verifyLedger(listStore(events)));
    expect(json).toMatchObject({
      ok: false,
      checkedEvents: 9,
      position: 9,
      firstBroken: { stream: 'a', revision: 0, position: 1, reason: 'hash_mismatch' },
    });
    expect(() => JSON.stringify(json)).not.toThrow();
  });
});
