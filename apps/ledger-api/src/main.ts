import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createLedgerApp } from './bootstrap.js';
import { ConfigurationError, loadConfig } from './config/ledger-config.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createLedgerApp(config);
  await app.listen(config.port, config.host);
  new Logger('Ledger').log(
    `Engagement Ledger listening on http://localhost:${config.port} (store: ${config.store}, data: ${config.dataDir})`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
