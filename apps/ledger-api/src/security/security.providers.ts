import type { Provider } from '@nestjs/common';
import { join } from 'node:path';
import type { LedgerPostgres } from '@app/event-store';
import { LEDGER_CONFIG, type LedgerConfig } from '../config/ledger-config.js';
import { SHARED_POSTGRES } from '../infrastructure/tokens.js';
import { ApiKeys, ApiKeyStore, parseApiKeys, type IssuedKey } from './api-key.store.js';
import { PostgresApiKeyStore } from './postgres-api-key.store.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { PSEUDONYM_CATALOGUE, Pseudonyms, type PseudonymCatalogue } from './pseudonyms.js';

/** Keys generated at this start (first start, no keys configured): printed once by main, never stored. */
export const ISSUED_KEYS = Symbol('ISSUED_KEYS');

export const securityProviders: Provider[] = [
  {
    provide: ApiKeys,
    inject: [LEDGER_CONFIG, SHARED_POSTGRES],
    useFactory: (config: LedgerConfig, postgres: LedgerPostgres | null) =>
      postgres
        ? PostgresApiKeyStore.open(postgres)
        : new ApiKeyStore(join(config.dataDir, 'api-keys.sqlite')),
  },
  {
    provide: ISSUED_KEYS,
    inject: [LEDGER_CONFIG, ApiKeys],
    useFactory: (config: LedgerConfig, keys: ApiKeys): Promise<IssuedKey[]> =>
      keys.start(config.apiKeys ? parseApiKeys(config.apiKeys) : null),
  },
  {
    provide: AuthFailureLimiter,
    inject: [LEDGER_CONFIG],
    useFactory: (config: LedgerConfig) => new AuthFailureLimiter(config.authFailureLimitPerMinute),
  },
  {
    provide: Pseudonyms,
    inject: [LEDGER_CONFIG, { token: PSEUDONYM_CATALOGUE, optional: true }],
    // A cluster's replicas share the secret from configuration (required there);
    // embedded, it is generated once in the data directory unless configured.
    useFactory: (config: LedgerConfig, catalogue?: PseudonymCatalogue) =>
      config.pseudonymKey
        ? new Pseudonyms(config.pseudonymKey, catalogue)
        : Pseudonyms.fromKeyFile(join(config.dataDir, 'pseudonym.key'), catalogue),
  },
];
