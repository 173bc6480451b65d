import type { RecordedEvent } from '@app/event-store';
import type Database from 'better-sqlite3';
import { InMemoryEventStore } from '../../../../test/support/in-memory-event-store.js';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';
import { openReadStore } from './read-store.js';

/** Counts events per type; `extraColumn` changes its DDL, as a new version would. */
function counter(extraColumn = ''): Projection {
  let upsert: Database.Statement;
  return {
    name: 'counter',
    tables: ['counts'],
    schema: `CREATE TABLE IF NOT EXISTS counts (type TEXT PRIMARY KEY, n INTEGER NOT NULL${extraColumn})`,
    prepare(db) {
      upsert = db.prepare(
        'INSERT INTO counts (type, n) VALUES (?, 1) ON CONFLICT (type) DO UPDATE SET n = n + 1',
      );
    },
    apply(event: RecordedEvent) {
      upsert.run(event.type);
    },
  };
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
