import {
  LedgerPostgres,
  PersonKeyStore,
  PostgresPersonKeyStore,
  StoreUnavailableError,
} from '@app/event-store';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { PostgresIdempotencyStore } from '../../apps/ledger-api/src/infrastructure/postgres-idempotency.store.js';
import { PostgresApiKeyStore } from '../../apps/ledger-api/src/security/postgres-api-key.store.js';
import { freePort } from '../support/ledger-process.js';
import {
  dropSchema,
  freshSchema,
  postgresReachable,
  TEST_POSTGRES_URL,
} from '../support/postgres.js';

/** Two pools on one PostgreSQL, as two replicas hold them; a busy machine gets a minute per test. */
jest.setTimeout(60_000);

const reachable = await postgresReachable(
  'shared stores on PostgreSQL (test/replicas/postgres-stores)',
);
const describePg = reachable ? describe : describe.skip;

/** Resolves once `check` holds, polling; rejects at the deadline. */
async function eventually(check: () => boolean | Promise<boolean>, deadlineMs = 10_000) {
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describePg('what replicas share, in PostgreSQL', () => {
  const schema = freshSchema('stores');
  let one: LedgerPostgres;
  let two: LedgerPostgres;

  beforeAll(async () => {
    // Two "replicas" creating the schema at once: the DDL lock keeps them from racing.
    [one, two] = await Promise.all([
      LedgerPostgres.connect({ url: TEST_POSTGRES_URL, schema }),
      LedgerPostgres.connect({ url: TEST_POSTGRES_URL, schema }),
    ]);
  });
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await dropSchema(schema);
  });

  it('person keys: one key per person for every replica; an erasure reaches the other and is never undone', async () => {
    const [a, b] = await Promise.all([
      PostgresPersonKeyStore.open(one),
      PostgresPersonKeyStore.open(two),
    ]);
    try {
      // Both create the key at once: one key results, the same on both.
      await Promise.all([a.prefetch(['ann'], true), b.prefetch(['ann'], true)]);
      expect(a.keyFor('ann')).toEqual(b.keyFor('ann'));
      expect(a.keyFor('ann')).toHaveLength(32);

      // Loaded for reading only: no key is made for someone who never had one.
      await b.prefetch(['nobody'], false);
      expect(b.existingKey('nobody')).toBeNull();
      const made = await one.sql`SELECT 1 FROM person_keys WHERE person_id = 'nobody'`;
      expect(made).toHaveLength(0);

      await a.destroy('ann');
      expect(a.keyFor('ann')).toBeNull();
      // The other replica drops its copy when notified.
      await eventually(() => b.existingKey('ann') === null);
      expect(await b.isDestroyed('ann')).toBe(true);
      expect(await one.sql`SELECT 1 FROM person_keys WHERE person_id = 'ann'`).toHaveLength(0);

      // A replica that never saw the key never recreates it.
      const late = await PostgresPersonKeyStore.open(two);
      await late.prefetch(['ann'], true);
      expect(late.keyFor('ann')).toBeNull();
      await late.close();
      // Destroying again (another replica's ErasureSaga) is harmless.
      await b.destroy('ann');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('an erasure leaves no copy of the key in the table file (VACUUM FULL; superuser only: reads the file)', async () => {
    const [{ superuser }] = await one.sql<[{ superuser: boolean }]>`
      SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user`;
    if (!superuser) {
      process.stderr.write('# skipped the table-file check: the test role is not a superuser\n');
      return;
    }
    const store = await PostgresPersonKeyStore.open(one);
    const tableFile = async () => {
      await one.sql`CHECKPOINT`;
      const [{ bytes }] = await one.sql<[{ bytes: Buffer }]>`
        SELECT pg_read_binary_file(pg_relation_filepath('person_keys')) AS bytes`;
      return Buffer.from(bytes);
    };
    try {
      await store.prefetch(['shredded'], true);
      const key = store.keyFor('shredded')!;
      expect((await tableFile()).includes(key)).toBe(true);
      await store.destroy('shredded');
      expect((await tableFile()).includes(key)).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('moving an embedded ledger to a cluster: its keys and erasures are copied, rerunnably (ledger migrate-keys)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-keys-'));
    const embedded = new PersonKeyStore(join(dir, 'keys.sqlite'));
    const annKey = embedded.keyFor('moved-ann')!;
    embedded.keyFor('moved-bob');
    embedded.destroy('moved-bob');
    const cluster = await PostgresPersonKeyStore.open(one);
    try {
      await cluster.prefetch(['moved-bob'], true); // a replica served bob before the move
      expect(await cluster.importKeys(embedded.exportAll())).toEqual({
        copied: 1,
        alreadyThere: 0,
        erased: 1,
        conflicts: [],
      });
      const reader = await PostgresPersonKeyStore.open(two);
      await reader.prefetch(['moved-ann', 'moved-bob'], false);
      expect(reader.existingKey('moved-ann')).toEqual(annKey);
      expect(reader.existingKey('moved-bob')).toBeNull();
      await reader.close();

      const CLI = join(import.meta.dirname, '../../dist/apps/ledger-cli/src/main.js');
      if (existsSync(CLI)) {
        const run = spawnSync(
          process.execPath,
          [
            CLI,
            'migrate-keys',
            '--from',
            dir,
            '--to',
            TEST_POSTGRES_URL,
            '--schema',
            schema,
            '--json',
          ],
          { encoding: 'utf8', timeout: 60_000 },
        );
        expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
        expect(JSON.parse(run.stdout)).toMatchObject({ copied: 0, alreadyThere: 1, conflicts: [] });
      }
    } finally {
      await cluster.close();
      embedded.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('idempotency records: a response kept by one replica is found by the other, with the same fingerprint; old ones are pruned', async () => {
    const [a, b] = await Promise.all([
      PostgresIdempotencyStore.open(one),
      PostgresIdempotencyStore.open(two),
    ]);
    expect(a.fingerprint('POST /v1/groups\n{}')).toBe(b.fingerprint('POST /v1/groups\n{}'));
    const response = {
      requestHash: a.fingerprint('x'),
      status: 201,
      body: { id: 'g', revision: 0 },
    };
    await a.put('programme-office:k1', response);
    expect(await b.get('programme-office:k1')).toEqual(response);
    // The first response stays the first.
    await b.put('programme-office:k1', { ...response, status: 200 });
    expect((await a.get('programme-office:k1'))?.status).toBe(201);

    await one.sql`UPDATE idempotency SET created_at = created_at - 86400000 WHERE key = 'programme-office:k1'`;
    await a.put('programme-office:k2', response);
    expect(await b.prune(Date.now() - 3_600_000)).toBe(1);
    expect(await a.get('programme-office:k1')).toBeNull();
    expect(await a.get('programme-office:k2')).toEqual(response);
  });

  it('API keys: generated once for the cluster, by whichever replica starts first; configured keys join them', async () => {
    const [a, b] = await Promise.all([
      PostgresApiKeyStore.open(one),
      PostgresApiKeyStore.open(two),
    ]);
    try {
      const [issuedA, issuedB] = await Promise.all([a.start(null), b.start(null)]);
      const issued = [...issuedA, ...issuedB];
      expect(issued).toHaveLength(3);
      for (const { role, key } of issued) {
        expect(a.roleOf(key)).toBe(role);
        expect(b.roleOf(key)).toBe(role);
      }
      expect(b.roleOf('el_programme_not-a-key')).toBeNull();

      const configured = await PostgresApiKeyStore.open(two);
      expect(
        await configured.start([{ role: 'auditor', key: 'configured-auditor-key-0123456789' }]),
      ).toEqual([]);
      expect(configured.roleOf('configured-auditor-key-0123456789')).toBe('auditor');
      expect(configured.roleOf(issued[0]!.key)).toBe(issued[0]!.role);
      configured.close();
    } finally {
      a.close();
      b.close();
    }
  });

  it('an unreachable PostgreSQL is StoreUnavailableError("postgres"), not a crash', async () => {
    const port = await freePort();
    const error = await LedgerPostgres.connect({
      url: `postgres://postgres@127.0.0.1:${port}/test`,
      schema: 'nowhere',
      connectTimeoutSeconds: 2,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as StoreUnavailableError).store).toBe('postgres');

    // A pool that lost its server mid-way answers the same.
    const gone = await LedgerPostgres.connect({ url: TEST_POSTGRES_URL, schema });
    const records = await PostgresIdempotencyStore.open(gone);
    await gone.close();
    await expect(records.get('programme-office:k')).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});
