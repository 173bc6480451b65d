import type { RecordedEvent } from '@app/event-store';
import type Database from 'better-sqlite3';
import { InMemoryEventStore } from '../../../../test/support/in-memory-event-store.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';
import { openReadStore } from './read-store.js';

const indexNames = (db: Database.Database) =>
  db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'counts' AND sql IS NOT NULL",
    )
    .all()
    .map((row) => row.name);

/**
 * Counts events per type; `extraColumn` changes its DDL, as a new version
 * would. `seen` records which query indexes existed while events were applied.
 */
function counter(extraColumn = '', index = 'counts_by_n ON counts (n)', seen: string[][] = []) {
  let upsert: Database.Statement;
  let db: Database.Database;
  return {
    name: 'counter',
    tables: ['counts'],
    schema: `CREATE TABLE IF NOT EXISTS counts (type TEXT PRIMARY KEY, n INTEGER NOT NULL${extraColumn})`,
    indexes: `CREATE INDEX IF NOT EXISTS ${index}`,
    prepare(target) {
      db = target;
      upsert = db.prepare(
        'INSERT INTO counts (type, n) VALUES (?, 1) ON CONFLICT (type) DO UPDATE SET n = n + 1',
      );
    },
    apply(event: RecordedEvent) {
      seen.push(indexNames(db));
      upsert.run(event.type);
    },
  } satisfies Projection;
}

describe('ProjectionRunner', () => {
  let store: InMemoryEventStore;
  let db: Database.Database;
  const counts = () => db.prepare('SELECT type, n FROM counts ORDER BY type').all();

  beforeEach(async () => {
    store = new InMemoryEventStore();
    for (const type of ['A', 'B', 'A']) {
      await store.appendToStream('s-1', [{ id: crypto.randomUUID(), type, data: {} }]);
    }
    db = openReadStore(':memory:');
  });
  afterEach(() => db.close());

  it('rebuilds in pages and records how far it got', async () => {
    const runner = new ProjectionRunner(store, db, [counter()]);
    await runner.rebuild();
    expect(runner.checkpoint).toBe(await store.headPosition());
    expect(counts()).toEqual([
      { type: 'A', n: 2 },
      { type: 'B', n: 1 },
    ]);
  });

  describe('over a long log (read 1,000 at a time, committed every 10,000)', () => {
    const total = 25_002; // with the 3 of beforeEach: 25,005 events
    beforeEach(async () => {
      for (let i = 0; i < total; i += 5_001) {
        const batch = Array.from({ length: 5_001 }, (_, j) => ({
          id: crypto.randomUUID(),
          type: (i + j) % 2 ? 'B' : 'A',
          data: {},
        }));
        await store.appendToStream(`long-${i}`, batch);
      }
    });
    const positions = async () => (await store.readAll()).map((event) => event.position);

    it('applies every event once and reports progress at each commit', async () => {
      const runner = new ProjectionRunner(store, db, [counter()]);
      const progress: bigint[] = [];
      await runner.rebuild((position) => progress.push(position));
      const all = await positions();
      expect(all).toHaveLength(25_008);
      // Commits once at least 10,000 events are applied since the last (pages overlap by one).
      const counts = progress.map((position) => all.indexOf(position) + 1);
      expect(counts).toHaveLength(3);
      expect(counts[0]).toBeGreaterThanOrEqual(10_000);
      expect(counts[1]! - counts[0]!).toBeGreaterThanOrEqual(10_000);
      expect(counts[2]).toBe(25_008);
      expect(runner.checkpoint).toBe(all[25_007]);
      const applied = db.prepare<[], { n: number }>('SELECT sum(n) AS n FROM counts').get();
      expect(applied?.n).toBe(25_008);
    });

    it('keeps what was committed when an event fails, with its checkpoint', async () => {
      const failing = counter();
      let applied = 0;
      const apply = failing.apply.bind(failing);
      failing.apply = (event) => {
        if (++applied === 15_000) throw new Error('projection bug');
        apply(event);
      };
      const runner = new ProjectionRunner(store, db, [failing]);
      await expect(runner.rebuild()).rejects.toThrow('projection bug');
      expect(db.inTransaction).toBe(false);
      // The models hold exactly the events up to the checkpoint: the first commit's.
      const committed = (await positions()).indexOf(runner.checkpoint!) + 1;
      expect(committed).toBeGreaterThanOrEqual(10_000);
      expect(committed).toBeLessThan(15_000);
      const row = db.prepare<[], { n: number }>('SELECT sum(n) AS n FROM counts').get();
      expect(row?.n).toBe(committed);
      const stored = db
        .prepare<[], { position: number }>("SELECT position FROM checkpoints WHERE name = 'ledger'")
        .get();
      expect(BigInt(stored!.position)).toBe(runner.checkpoint);
    });
  });

  it('creates query indexes after the last event of a rebuild, and at once when live', async () => {
    const seen: string[][] = [];
    await new ProjectionRunner(store, db, [counter('', undefined, seen)]).rebuild();
    expect(seen).toEqual([[], [], []]);
    expect(indexNames(db)).toEqual(['counts_by_n']);

    const live: string[][] = [];
    const runner = new ProjectionRunner(store, db, [counter('', undefined, live)]);
    await store.appendToStream('s-1', [{ id: crypto.randomUUID(), type: 'B', data: {} }]);
    runner.start();
    await runner.waitFor((await store.headPosition())!);
    await runner.stop();
    expect(live).toEqual([['counts_by_n']]);
  });

  it('treats another set of query indexes as another shape', async () => {
    await new ProjectionRunner(store, db, [counter()]).rebuild();
    const reindexed = new ProjectionRunner(store, db, [
      counter('', 'counts_by_type ON counts (type, n)'),
    ]);
    expect(reindexed.schemaReplaced).toBe(true);
    await reindexed.rebuild();
    expect(indexNames(db)).toEqual(['counts_by_type']);
  });

  it('keeps read models built by the same projections', async () => {
    await new ProjectionRunner(store, db, [counter()]).rebuild();
    const again = new ProjectionRunner(store, db, [counter()]);
    expect(again.schemaReplaced).toBe(false);
    expect(again.checkpoint).toBe(await store.headPosition());
    expect(counts()).toHaveLength(2);
  });

  it('drops read models of another shape with their checkpoint, so the log is replayed', async () => {
    await new ProjectionRunner(store, db, [counter()]).rebuild();
    const upgraded = new ProjectionRunner(store, db, [counter(', since TEXT')]);
    expect(upgraded.schemaReplaced).toBe(true);
    expect(upgraded.checkpoint).toBeNull();
    expect(counts()).toEqual([]);
    await upgraded.rebuild();
    expect(counts()).toEqual([
      { type: 'A', n: 2 },
      { type: 'B', n: 1 },
    ]);
  });

  it('treats read models built before schemas were recorded as another shape', async () => {
    await new ProjectionRunner(store, db, [counter()]).rebuild();
    db.exec('DROP TABLE projection_schemas');
    expect(new ProjectionRunner(store, db, [counter()]).schemaReplaced).toBe(true);
  });

  it('waits on positions, never on time', async () => {
    const runner = new ProjectionRunner(store, db, [counter()]);
    const reached = runner.waitFor((await store.headPosition())!);
    runner.start();
    await reached;
    expect(counts()).toHaveLength(2);
    await runner.stop();
  });

  it('applies live events in batches and, when a batch fails, reads again from the checkpoint', async () => {
    let failOnce = true;
    const flaky: Projection = {
      ...counter(),
      apply(event) {
        if (event.type === 'C' && failOnce) {
          failOnce = false;
          throw new Error('disk said no');
        }
        inner.apply(event);
      },
      prepare(db) {
        inner.prepare(db);
      },
    };
    const inner = counter();
    const errors: unknown[] = [];
    const runner = new ProjectionRunner(store, db, [flaky], {
      onError: (error) => errors.push(error),
    });
    runner.start();
    await runner.waitFor((await store.headPosition())!);
    for (const type of ['C', 'C', 'B']) {
      await store.appendToStream('s-2', [{ id: crypto.randomUUID(), type, data: {} }]);
    }
    await runner.waitFor((await store.headPosition())!);
    await runner.stop();
    expect(errors).toHaveLength(1);
    // The failed batch was rolled back whole and applied again: nothing lost, nothing twice.
    expect(counts()).toEqual([
      { type: 'A', n: 2 },
      { type: 'B', n: 2 },
      { type: 'C', n: 2 },
    ]);
  });
});
