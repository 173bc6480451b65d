import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beginUnsyncedRebuild, openReadStore, truncateWal } from './read-store.js';

describe('the read store', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'read-store-'));
    path = join(dir, 'readmodels.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a rebuild without fsync behind a durable marker, and is durable again after', () => {
    const db = openReadStore(path);
    const finish = beginUnsyncedRebuild(db);
    expect(existsSync(`${path}.rebuilding`)).toBe(true);
    expect(db.pragma('synchronous', { simple: true })).toBe(0);
    db.exec('CREATE TABLE t (x INTEGER)');
    db.prepare('INSERT INTO t VALUES (1)').run();
    finish();
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(existsSync(`${path}.rebuilding`)).toBe(false);
    db.close();
    expect(openReadStore(path).prepare('SELECT x FROM t').get()).toEqual({ x: 1 });
  });

  it('discards a store whose rebuild never finished: it may be torn', () => {
    const db = openReadStore(path);
    db.exec("CREATE TABLE t (x INTEGER); INSERT INTO checkpoints VALUES ('ledger', 42)");
    db.close();
    writeFileSync(`${path}.rebuilding`, 'rebuild started\n');
    const reopened = openReadStore(path);
    expect(
      reopened.prepare("SELECT name FROM sqlite_master WHERE name = 't'").get(),
    ).toBeUndefined();
    expect(reopened.prepare('SELECT * FROM checkpoints').all()).toEqual([]);
    expect(existsSync(`${path}.rebuilding`)).toBe(false);
    reopened.close();
  });

  it('leaves an in-memory store as it is: there is no file to tear or mark', () => {
    const db = openReadStore(':memory:');
    const before = db.pragma('synchronous', { simple: true });
    const finish = beginUnsyncedRebuild(db);
    expect(db.pragma('synchronous', { simple: true })).toBe(before);
    finish();
    expect(db.pragma('synchronous', { simple: true })).toBe(before);
    db.close();
  });

  it('truncates the WAL once a reader lets it, without blocking the thread meanwhile', async () => {
    const db = openReadStore(path);
    db.exec('CREATE TABLE t (x TEXT)');
    db.prepare('INSERT INTO t VALUES (?)').run('a name to forget');
    // Another connection (as a reader thread's) holds a read transaction open.
    const reader = new Database(path, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM t').get();
    db.prepare('INSERT INTO t VALUES (?)').run('more');
    let turns = 0;
    const ticking = setInterval(() => (turns += 1), 1);
    const truncated = truncateWal(db, { intervalMs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    reader.exec('COMMIT');
    await expect(truncated).resolves.toBe(true);
    clearInterval(ticking);
    // The thread ran other work while the checkpoint waited (SQLite's busy wait would not).
    expect(turns).toBeGreaterThan(5);
    expect(statSync(`${path}-wal`).size).toBe(0);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    reader.close();
    db.close();
  });

  it('gives up after its timeout while reads keep the WAL', async () => {
    const db = openReadStore(path);
    db.exec('CREATE TABLE t (x TEXT)');
    const reader = new Database(path, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM t').get();
    db.prepare('INSERT INTO t VALUES (?)').run('x');
    await expect(truncateWal(db, { intervalMs: 5, timeoutMs: 30 })).resolves.toBe(false);
    reader.exec('COMMIT');
    reader.close();
    db.close();
  });
});
