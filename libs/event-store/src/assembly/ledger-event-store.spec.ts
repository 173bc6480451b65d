import { InMemoryEventStore } from '../../../../test/support/in-memory-event-store.js';
import { WrongExpectedRevisionError } from '../errors.js';
import { verifyLedger } from '../integrity/ledger-verifier.js';
import { PersonKeyStore } from '../privacy/person-key.store.js';
import { assembleLedgerEventStore, type SchemaUpcaster } from './ledger-event-store.js';
import type { AppendOutcome } from './observed-event-store.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** `Renamed` v1 stored `title`; v2 calls it `name`. */
const upcasters: SchemaUpcaster = {
  upcast: (type, version, data) =>
    type === 'Renamed' && (version ?? 1) === 1
      ? { data: { name: (data as { title: string }).title }, version: 2 }
      : { data, version: version ?? 1 },
};

describe('assembleLedgerEventStore', () => {
  let keys: PersonKeyStore;
  beforeEach(() => {
    keys = new PersonKeyStore(':memory:');
  });
  afterEach(() => keys.close());

  it('stores personal fields encrypted and chained, and hands them out decrypted', async () => {
    const adapter = new InMemoryEventStore();
    const { stored, store } = assembleLedgerEventStore({ adapter, keys, upcasters });
    const nominated = { partnerId: 'ann', name: 'Ann Lee', email: 'ann@example.org' };
    await store.appendToStream('partner-ann', [
      { id: id(1), type: 'PartnerNominated', data: nominated },
      { id: id(2), type: 'WorkshopAttended', data: { partnerId: 'ann' } },
    ]);

    const [asStored] = await adapter.readStream('partner-ann');
    expect((asStored!.data as { name: string }).name).not.toBe('Ann Lee');
    expect(asStored!.metadata.prevHash).toBeNull();
    expect((await stored.readStream('partner-ann'))[0]!.data).toEqual(asStored!.data);
    expect((await store.readStream('partner-ann'))[0]!.data).toEqual(nominated);
    // Chained once, on the bytes as stored: the log verifies.
    const verification = await verifyLedger(adapter);
    expect(verification).toMatchObject({ ok: true, checkedEvents: 2 });
  });

  it('hands events out in their current schema and stores them as written', async () => {
    const adapter = new InMemoryEventStore();
    const { store } = assembleLedgerEventStore({ adapter, keys, upcasters });
    await adapter.appendToStream('thing-1', [
      { id: id(3), type: 'Renamed', data: { title: 'Board' }, metadata: { schemaVersion: 1 } },
      { id: id(4), type: 'Other', data: { x: 1 } },
    ]);

    const [renamed, other] = await store.readStream('thing-1');
    expect(renamed).toMatchObject({ data: { name: 'Board' }, metadata: { schemaVersion: 2 } });
    expect(other!.data).toEqual({ x: 1 });
    expect((await adapter.readStream('thing-1'))[0]!.data).toEqual({ title: 'Board' });
  });

  it('tells the observer how each append ended and how many events it wrote', async () => {
    const outcomes: Array<[AppendOutcome, number]> = [];
    const { store } = assembleLedgerEventStore({
      adapter: new InMemoryEventStore(),
      keys,
      upcasters,
      observer: { appendStarted: () => (outcome, events) => outcomes.push([outcome, events]) },
    });
    const event = (n: number) => ({ id: id(n), type: 'WorkshopAttended', data: {} });
    await store.appendToStream('partner-bo', [event(5), event(6)], {
      expectedRevision: 'no_stream',
    });
    await expect(
      store.appendToStream('partner-bo', [event(7)], { expectedRevision: 'no_stream' }),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);

    expect(outcomes).toEqual([
      ['ok', 2],
      ['conflict', 1],
    ]);
  });
});
