import type { Provider } from '@nestjs/common';
import { join } from 'node:path';
import { LEDGER_CONFIG, type LedgerConfig } from '../config/ledger-config.js';
import { ApiKeyStore, parseApiKeys, type IssuedKey } from './api-key.store.js';
import { AuthFailureLimiter } from './auth-failure-limiter.js';
import { PSEUDONYM_CATALOGUE, Pseudonyms, type PseudonymCatalogue } from './pseudonyms.js';

/** Keys generated at this start (first start, no keys configured): printed once by main, never stored. */
export const ISSUED_KEYS = Symbol('ISSUED_KEYS');

export const securityProviders: Provider[] = [
  {
    provide: ApiKeyStore,
    inject: [LEDGER_CONFIG],
    useFactory: (config: LedgerConfig) => new ApiKeyStore(join(config.dataDir, 'api-keys.sqlite')),
  },
  {
    provide: ISSUED_KEYS,
    inject: [LEDGER_CONFIG, ApiKeyStore],
    useFactory: (config: LedgerConfig, keys: ApiKeyStore): IssuedKey[] => {
      if (config.apiKeys) {
        keys.useConfigured(parseApiKeys(config.apiKeys));
        return [];
      }
      return keys.isEmpty() ? keys.generate() : [];
    },
  },
  {
    provide: AuthFailureLimiter,
    inject: [LEDGER_CONFIG],
    useFactory: (config: LedgerConfig) => new AuthFailureLimiter(config.authFailureLimitPerMinute),
  },
  {
    provide: Pseudonyms,
    inject: [LEDGER_CONFIG, { token: PSEUDONYM_CATALOGUE, optional: true }],
    useFactory: (config: LedgerConfig, catalogue?: PseudonymCatalogue) =>
      Pseudonyms.fromKeyFile(join(config.dataDir, 'pseudonym.key'), catalogue),
  },
];
