import { openReadStore } from './read-store.js';
import { SubscriberCheckpoint } from './subscriber-checkpoint.js';

const stored = (db: ReturnType<typeof openReadStore>, name: string) =>
  db
    .prepare<[string], { position: number }>('SELECT position FROM checkpoints WHERE name = ?')
    .get(name)?.position ?? null;

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('SubscriberCheckpoint', () => {
  it('releases waiters as it advances and writes the position once per turn', async () => {
    const db = openReadStore(':memory:');
    const checkpoint = new SubscriberCheckpoint(db, 'sagas');
    expect(checkpoint.position).toBeNull();
    const reached: number[] = [];
    void checkpoint.waitFor(2n).then(() => reached.push(2));
    void checkpoint.waitFor(5n).then(() => reached.push(5));

    checkpoint.advance(1n);
    checkpoint.advance(3n);
    await Promise.resolve();
    expect(reached).toEqual([2]);
    expect(stored(db, 'sagas')).toBeNull(); // not yet: lazily, at the end of the turn
    await nextTurn();
    expect(stored(db, 'sagas')).toBe(3);

    checkpoint.advance(5n);
    checkpoint.flush();
    expect(stored(db, 'sagas')).toBe(5);
    await Promise.resolve();
    expect(reached).toEqual([2, 5]);
    await expect(checkpoint.waitFor(4n)).resolves.toBeUndefined();
    db.close();
  });

  it('resumes from the position written, and leaves other checkpoints alone', () => {
    const db = openReadStore(':memory:');
    db.prepare("INSERT INTO checkpoints (name, position) VALUES ('ledger', 42)").run();
    const first = new SubscriberCheckpoint(db, 'sagas');
    first.advance(7n);
    first.flush();

    expect(new SubscriberCheckpoint(db, 'sagas').position).toBe(7n);
    expect(stored(db, 'ledger')).toBe(42);
    db.close();
  });
});
