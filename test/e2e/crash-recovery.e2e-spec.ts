import { ledgerUpcasters } from '@app/domain';
import { jest } from '@jest/globals';
import { assembleLedgerEventStore, PersonKeyStore, SqliteEventStore } from '@app/event-store';
import { createLedgerProjections, openReadStore, ProjectionRunner } from '@app/projections';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { nomination, workstream } from '../support/fixtures.js';
import { spawnLedger, type LedgerProcess } from '../support/ledger-process.js';
import { bearer, TEST_API_KEYS, tempDataDir } from '../support/test-ledger.js';
import { dumpReadModels } from '../support/read-model-dump.js';

const BUILT = join(import.meta.dirname, '../../dist/apps/ledger-api/src/main.js');
const describeBuilt = existsSync(BUILT) ? describe : describe.skip;

/** Two app processes are started and killed: minutes on a loaded 2-core machine, never Jest's 5 s. */
const PROCESS_TIMEOUT_MS = 300_000;
jest.setTimeout(PROCESS_TIMEOUT_MS);

async function post(ledger: LedgerProcess, path: string, body: unknown) {
  const response = await fetch(`${ledger.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer() },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describeBuilt('kill -9 and restart (built app, `npm run build`)', () => {
  const dataDir = tempDataDir();
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }), PROCESS_TIMEOUT_MS);

  it(
    'keeps every acknowledged command, and the projections agree with a rebuild',
    async () => {
      const first = await spawnLedger({ LEDGER_DATA_DIR: dataDir, LEDGER_API_KEYS: TEST_API_KEYS });
      expect(
        (
          await post(
            first,
            '/v1/groups',
            workstream('forum', 'Lay Partners Forum', {
              parentGroupId: null,
              kind: 'forum',
              laySeats: { min: 0, max: 100 },
            }),
          )
        ).status,
      ).toBe(201);
      for (let i = 0; i < 60; i++) {
        expect(
          (await post(first, '/v1/partners/nominations', nomination(`p${i}`, `Partner ${i}`)))
            .status,
        ).toBe(201);
        expect(
          (
            await post(first, `/v1/partners/p${i}/appointment`, {
              body: 'forum',
              occurredAt: '2013-12-01',
            })
          ).status,
        ).toBe(201);
      }

      // Seats in flight when the process dies: only acknowledged ones are promised.
      const acknowledged: Array<{ seatId: string; position: number }> = [];
      let killing: Promise<void> | null = null;
      await Promise.allSettled(
        Array.from({ length: 60 }, async (_, i) => {
          const seatId = `forum-seat-${i}`;
          const response = await post(first, '/v1/groups/forum/seats', {
            seatId,
            partnerId: `p${i}`,
            constituency: 'lay',
            occurredAt: '2014-01-15',
          });
          if (response.status === 201)
            acknowledged.push({ seatId, position: response.body.position as number });
          if (acknowledged.length === 25 && !killing) killing = first.kill('SIGKILL');
        }),
      );
      await (killing ?? first.kill('SIGKILL'));
      expect(acknowledged.length).toBeGreaterThanOrEqual(25);

      const second = await spawnLedger({
        LEDGER_DATA_DIR: dataDir,
        LEDGER_API_KEYS: TEST_API_KEYS,
      });
      try {
        const health = (await (await fetch(`${second.url}/health`)).json()) as {
          details: { store: { head: number } };
        };
        const head = health.details.store.head;
        expect(head).toBeGreaterThanOrEqual(Math.max(...acknowledged.map((a) => a.position)));
        const governance = (await (
          await fetch(`${second.url}/v1/governance?minPosition=${head}`, { headers: bearer() })
        ).json()) as { groups: Array<{ groupId: string; seats: Array<{ seatId: string }> }> };
        const forum = governance.groups.find((g) => g.groupId === 'forum')!;
        const seated = new Set(forum.seats.map((s) => s.seatId));
        for (const { seatId } of acknowledged) expect(seated.has(seatId)).toBe(true);

        // The incrementally built read models equal a rebuild from the log.
        const live = openReadStore(join(dataDir, 'readmodels.sqlite'));
        // The log as the app reads it: personal fields decrypted with each person's key.
        const keys = new PersonKeyStore(join(dataDir, 'keys.sqlite'));
        const { store } = assembleLedgerEventStore({
          adapter: new SqliteEventStore({ path: join(dataDir, 'events.sqlite') }),
          keys,
          upcasters: ledgerUpcasters(),
        });
        const rebuilt = openReadStore(':memory:');
        const runner = new ProjectionRunner(store, rebuilt, createLedgerProjections());
        await runner.rebuild();
        expect(runner.checkpoint).toBe(BigInt(head));
        expect(dumpReadModels(live, 'gov_%')).toBe(dumpReadModels(rebuilt, 'gov_%'));
        live.close();
        rebuilt.close();
        await store.close();
        keys.close();
      } finally {
        await second.kill('SIGTERM');
      }
    },
    PROCESS_TIMEOUT_MS,
  );
});
