import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryEventStore } from '../../../../test/support/in-memory-event-store.js';
import { createLedgerProjections } from '../ledger-projections.js';
import { ReplayService } from './replay.service.js';

let n = 0;
const event = (type: string, data: Record<string, unknown>) => ({
  id: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  type,
  data,
});

/** Three events; their content is beside the point here (no projection reads them). */
async function ledger(): Promise<InMemoryEventStore> {
  const store = new InMemoryEventStore();
  await store.appendToStream('note-1', [event('NoteTaken', {}), event('NoteTaken', {})]);
  await store.appendToStream('note-2', [event('NoteTaken', {})]);
  return store;
}

describe('ReplayService snapshots', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'ledger-replay-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('treats a deleted snapshot directory (erasure) as no snapshot, and recreates it as needed', async () => {
    const dir = join(root, 'snapshots');
    const replays = new ReplayService(await ledger(), createLedgerProjections, dir, 2);
    (await replays.replay(3n)).db.close();
    expect(readdirSync(dir)).not.toEqual([]);

    rmSync(dir, { recursive: true, force: true }); // what an erasure does
    const after = await replays.replay(3n);
    after.db.close();
    expect(after).toMatchObject({ position: 3n, fromSnapshot: null, events: 3 });
    expect(existsSync(dir)).toBe(true);
    expect(readdirSync(dir)).toEqual(['readmodels-3.sqlite']);

    const again = await replays.replay(3n);
    again.db.close();
    expect(again).toMatchObject({ position: 3n, fromSnapshot: 3n, events: 0 });
  });

  it('keeps no snapshot from a replay that was running when an erasure deleted the directory', async () => {
    const dir = join(root, 'snapshots');
    const store = await ledger();
    const readAll = store.readAll.bind(store);
    store.readAll = (options) => {
      rmSync(dir, { recursive: true, force: true }); // the erasure, mid-replay
      return readAll(options);
    };
    const replays = new ReplayService(store, createLedgerProjections, dir, 2);
    const replayed = await replays.replay(3n);
    replayed.db.close();
    expect(replayed).toMatchObject({ position: 3n, fromSnapshot: null, events: 3 });
    expect(existsSync(dir)).toBe(false);
  });
});
