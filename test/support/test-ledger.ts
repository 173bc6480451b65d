import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createLedgerApp } from '../../apps/ledger-api/src/bootstrap.js';
import { loadConfig } from '../../apps/ledger-api/src/config/ledger-config.js';
import type { Role } from '../../apps/ledger-api/src/security/roles.js';

/** API keys every test ledger is configured with (LEDGER_API_KEYS). */
export const TEST_KEYS: Record<Role, string> = {
  'programme-office': 'test-key-programme-office-0000',
  auditor: 'test-key-auditor-000000000000',
  evaluator: 'test-key-evaluator-0000000000',
};
export const TEST_API_KEYS = Object.entries(TEST_KEYS)
  .map(([role, key]) => `${role}:${key}`)
  .join(',');
/** The Ed25519 key every test ledger signs its digests with (LEDGER_SIGNING_KEY, base64 PKCS#8). */
export const TEST_SIGNING_KEY = 'MC4CAQAwBQYDK2VwBCIEIIJIlz/EnkAXUln8sfFoAKc6jjukuIV4Fho9Q3GfXCbT';
export const bearer = (role: Role = 'programme-office') => ({
  authorization: `Bearer ${TEST_KEYS[role]}`,
});

/** supertest with the role's key already on every request. */
export interface AuthedHttp {
  get(path: string): request.Test;
  post(path: string): request.Test;
}

export interface TestLedger {
  app: NestFastifyApplication;
  dataDir: string;
  /** Requests as `role` (default: the programme office). */
  http: (role?: Role) => AuthedHttp;
  /** Requests without any key. */
  anonymous: () => ReturnType<typeof request>;
  /** Closes the app; the data directory stays for a restart. */
  close(): Promise<void>;
  /** Closes the app and removes its data. */
  destroy(): Promise<void>;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
}

/** The real app on an embedded store in a temporary directory, served in-process. */
export async function startTestLedger(
  dataDir = tempDataDir(),
  env: Record<string, string> = {},
): Promise<TestLedger> {
  const config = loadConfig({
    LEDGER_DATA_DIR: dataDir,
    PORT: '0',
    LEDGER_RATE_LIMIT: '0',
    LEDGER_AUTH_FAILURE_LIMIT: '0',
    LEDGER_API_KEYS: TEST_API_KEYS,
    ...(env.LEDGER_SIGNING_KEY_FILE ? {} : { LEDGER_SIGNING_KEY: TEST_SIGNING_KEY }),
    // Reads run in process from the TypeScript sources unless asked: `LEDGER_READ_WORKERS=1 npm
    // run test:e2e` runs every e2e spec against the reader threads of the build (reads/read-pool.ts).
    ...(process.env.LEDGER_READ_WORKERS
      ? { LEDGER_READ_WORKERS: process.env.LEDGER_READ_WORKERS }
      : {}),
    ...env,
  });
  const app = await createLedgerApp(config, { logger: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
  };
  return {
    app,
    dataDir,
    http: (role = 'programme-office') => {
      const agent = request(app.getHttpServer());
      return {
        get: (path) => agent.get(path).set(bearer(role)),
        post: (path) => agent.post(path).set(bearer(role)),
      };
    },
    anonymous: () => request(app.getHttpServer()),
    close,
    destroy: async () => {
      await close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
