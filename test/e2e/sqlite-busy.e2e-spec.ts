import Database from 'better-sqlite3';
import { join } from 'node:path';
import { programmeBoard } from '../support/fixtures.js';
import { startTestLedger, type TestLedger } from '../support/test-ledger.js';

/**
 * Another process (a CLI import, a backup tool) holds the embedded store's
 * write lock past the busy timeout: the command is answered 503
 * `store_unavailable` with Retry-After, nothing is half-written, and the same
 * request succeeds once the lock is released.
 */
describe('the embedded store locked by another process', () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startTestLedger();
  });
  afterAll(async () => {
    await ledger.close();
  });

  it('answers 503 store_unavailable, then accepts the same command once the lock is gone', async () => {
    const other = new Database(join(ledger.dataDir, 'events.sqlite'));
    other.pragma('busy_timeout = 0');
    const head = () => (other.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    const before = head();
    other.exec('BEGIN IMMEDIATE');
    try {
      const refused = await ledger
        .http()
        .post('/v1/groups')
        .set({ 'content-type': 'application/json' })
        .send(programmeBoard());
      expect({ status: refused.status, code: refused.body.code }).toEqual({
        status: 503,
        code: 'store_unavailable',
      });
      expect(refused.body.details.store).toBe('sqlite');
      expect(refused.headers['retry-after']).toBe('1');
    } finally {
      other.exec('ROLLBACK');
    }
    expect(head()).toBe(before);
    await ledger
      .http()
      .post('/v1/groups')
      .set({ 'content-type': 'application/json' })
      .send(programmeBoard())
      .expect(201);
    expect(head()).toBe(before + 1);
    other.close();
  }, 60_000);
});
