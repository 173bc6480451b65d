import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PersonKeyStore } from './person-key.store.js';

describe('PersonKeyStore', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'person-keys-'));
    path = join(dir, 'keys.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the keys new people need when prefetched for an append, durably, before keyFor is asked', async () => {
    const keys = new PersonKeyStore(path);
    const asked = [keys.prefetch(['ann', 'bob'], true), keys.prefetch(['ann', 'cy'], true)];
    expect(asked.every((wait) => wait instanceof Promise)).toBe(true);
    await Promise.all(asked);
    const made = ['ann', 'bob', 'cy'].map((id) => keys.keyFor(id));
    expect(made.every((key) => key instanceof Buffer && key.length === 32)).toBe(true);
    expect(new Set(made.map((key) => key!.toString('hex'))).size).toBe(3);
    keys.close();
    const reopened = new PersonKeyStore(path);
    expect(['ann', 'bob', 'cy'].map((id) => reopened.existingKey(id))).toEqual(made);
    reopened.close();
  });

  it('has nothing to wait for when every key exists, or for reads', async () => {
    const keys = new PersonKeyStore(path);
    await keys.prefetch(['ann'], true);
    expect(keys.prefetch(['ann'], true)).toBeUndefined();
    expect(keys.prefetch(['new-person'], false)).toBeUndefined();
    expect(keys.existingKey('new-person')).toBeNull();
    keys.close();
  });

  it('never creates a key again for a person erased, even one erased while the creation waited', async () => {
    const keys = new PersonKeyStore(path);
    await keys.prefetch(['ann'], true);
    keys.destroy('ann');
    expect(keys.prefetch(['ann'], true)).toBeUndefined();
    expect(keys.keyFor('ann')).toBeNull();
    const waiting = keys.prefetch(['bob'], true);
    keys.destroy('bob');
    await waiting;
    expect(keys.keyFor('bob')).toBeNull();
    keys.close();
    const reopened = new PersonKeyStore(path);
    expect(reopened.existingKey('bob')).toBeNull();
    expect(reopened.isDestroyed('bob')).toBe(true);
    reopened.close();
  });

  it('creates the keys still waiting when closed', () => {
    const keys = new PersonKeyStore(path);
    void keys.prefetch(['ann'], true);
    keys.close();
    const reopened = new PersonKeyStore(path);
    expect(reopened.existingKey('ann')).toBeInstanceOf(Buffer);
    reopened.close();
  });
});
