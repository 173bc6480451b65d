import { InMemoryEventStore } from '../../../../test/support/in-memory-event-store.js';
import { assembleLedgerEventStore, type SchemaUpcaster } from '../assembly/ledger-event-store.js';
import type { RecordedEvent } from '../event-store.port.js';
import { PersonKeyStore } from './person-key.store.js';
import { PersonKeys } from './person-keys.js';

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const upcasters: SchemaUpcaster = {
  upcast: (_type, version, data) => ({ data, version: version ?? 1 }),
};

/**
 * Keys that answer only what was prefetched, a tick later, as a store over
 * the network does: every path through the store stack must prefetch first.
 */
class RemoteKeys extends PersonKeys {
  readonly prefetched: Array<{ ids: string[]; create: boolean }> = [];
  private readonly loaded = new Set<string>();
  constructor(private readonly backing: PersonKeyStore) {
    super();
  }
  prefetch(personIds: readonly string[], create: boolean): Promise<void> {
    this.prefetched.push({ ids: [...personIds], create });
    return new Promise((resolve) =>
      setImmediate(() => {
        for (const personId of personIds) {
          if (create) this.backing.keyFor(personId);
          this.loaded.add(personId);
        }
        resolve();
      }),
    );
  }
  keyFor(personId: string): Buffer | null {
    if (!this.loaded.has(personId)) throw new Error(`${personId} not prefetched`);
    return this.backing.keyFor(personId);
  }
  existingKey(personId: string): Buffer | null {
    if (!this.loaded.has(personId)) throw new Error(`${personId} not prefetched`);
    return this.backing.existingKey(personId);
  }
  destroy(personId: string): void {
    this.backing.destroy(personId);
  }
  close(): void {}
}

describe('a key store over the network: keys are loaded before the cipher needs them', () => {
  it('on append (creating), on reads and on subscriptions (never creating)', async () => {
    const backing = new PersonKeyStore(':memory:');
    const writer = new RemoteKeys(backing);
    const adapter = new InMemoryEventStore();
    const { store } = assembleLedgerEventStore({ adapter, keys: writer, upcasters });
    const nominated = { partnerId: 'ann', name: 'Ann Lee', email: 'ann@example.org' };
    await store.appendToStream('partner-ann', [
      { id: id(1), type: 'PartnerNominated', data: nominated },
      { id: id(2), type: 'WorkshopAttended', data: { partnerId: 'ann' } },
    ]);
    expect(writer.prefetched).toEqual([{ ids: ['ann'], create: true }]);

    // Another replica: nothing loaded yet.
    const reader = new RemoteKeys(backing);
    const { store: other } = assembleLedgerEventStore({ adapter, keys: reader, upcasters });
    expect((await other.readStream('partner-ann'))[0]!.data).toEqual(nominated);
    expect((await other.readAll())[0]!.data).toEqual(nominated);
    const delivered: RecordedEvent[] = [];
    const subscription = other.subscribeToAll((event) => void delivered.push(event), {
      after: null,
    });
    while (delivered.length < 2) await new Promise((resolve) => setImmediate(resolve));
    await subscription.stop();
    expect(delivered[0]!.data).toEqual(nominated);
    expect(reader.prefetched.every(({ create }) => !create)).toBe(true);

    backing.destroy('ann');
    expect((await other.readStream('partner-ann'))[0]!.data).toMatchObject({ name: '[erased]' });
    backing.close();
  });
});
