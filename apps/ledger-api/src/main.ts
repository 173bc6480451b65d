import './v8-flags.js';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createLedgerApp } from './bootstrap.js';
import { ConfigurationError, loadConfig } from './config/ledger-config.js';
import { installGracefulShutdown } from './operations/shutdown.js';
import type { IssuedKey } from './security/api-key.store.js';
import { ISSUED_KEYS } from './security/security.providers.js';
import { ISSUED_SIGNING_KEY, type IssuedSigningKey } from './infrastructure/seal.providers.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createLedgerApp(config);
  installGracefulShutdown(app, config.shutdownTimeoutMs);
  await app.listen(config.port, config.host);
  const issued = app.get<IssuedKey[]>(ISSUED_KEYS);
  if (issued.length > 0) {
    // Printed once: only their hashes are stored. Set LEDGER_API_KEYS to bring your own.
    process.stdout.write(
      [
        '',
        'API keys for this ledger (shown once; only hashes are kept — save them now):',
        ...issued.map(({ role, key }) => `  ${role.padEnd(17)} ${key}`),
        `Use: curl -H 'Authorization: Bearer <key>' http://localhost:${config.port}/v1/governance`,
        '',
      ].join('\n') + '\n',
    );
  }
  const signing = app.get<IssuedSigningKey | null>(ISSUED_SIGNING_KEY);
  if (signing) {
    // Printed once, at the start that generated the key: publish it beside the digests.
    process.stdout.write(
      [
        '',
        `Digest signing key generated in ${signing.file} (mode 0600; keep it, and keep it off the data volume).`,
        `Its public key (key id ${signing.keyId}), for anyone checking a published digest:`,
        signing.publicKey.trim(),
        '',
      ].join('\n') + '\n',
    );
  }
  new Logger('Ledger').log(
    `Engagement Ledger listening on http://localhost:${config.port} (store: ${config.store}, data: ${config.dataDir})`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
