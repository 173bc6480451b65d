import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createLedgerApp } from '../../apps/ledger-api/src/bootstrap.js';
import { loadConfig } from '../../apps/ledger-api/src/config/ledger-config.js';

export interface TestLedger {
  app: NestFastifyApplication;
  dataDir: string;
  http: () => ReturnType<typeof request>;
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
    http: () => request(app.getHttpServer()),
    close,
    destroy: async () => {
      await close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
