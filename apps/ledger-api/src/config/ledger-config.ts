import { parseSigningKey } from '@app/event-store';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';

export interface LedgerConfig {
  port: number;
  host: string;
  dataDir: string;
  store: 'sqlite' | 'eventstoredb';
  eventStoreConnectionString: string | null;
  /** Largest accepted request body, bytes. */
  bodyLimit: number;
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  logLevel: string;
  /** Requests per minute per client (API key, else address); 0 turns the limit off. */
  rateLimitPerMinute: number;
  /** Failed authentications per minute per client address before it is locked out (429); 0: off. */
  authFailureLimitPerMinute: number;
  /** Origins allowed to call the API from a browser; empty: CORS off. */
  corsOrigins: string[];
  /** `LEDGER_API_KEYS`, when keys come from configuration. */
  apiKeys: string | null;
  /** `LEDGER_SIGNING_KEY`: the Ed25519 key signing the ledger's digests (PEM or base64 PKCS#8). */
  signingKey: string | null;
  /**
   * `LEDGER_SIGNING_KEY_FILE`: where the signing key is read from when
   * `signingKey` is not given, generated there (mode 0600) if absent. Never
   * inside the data directory; default `ledger-signing.key` beside it.
   */
  signingKeyFile: string;
  /** `LEDGER_SEAL_INTERVAL_MS`: how often new events are sealed and a head signed; 0: only on demand. */
  sealIntervalMs: number;
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigurationError';
  }
}

/** Reads and validates the environment once, at start-up; refuses to start on bad values. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LedgerConfig {
  const problems: string[] = [];
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    problems.push(`PORT must be an integer from 0 to 65535, got '${env.PORT}'`);
  }
  const store = env.LEDGER_STORE ?? 'sqlite';
  if (store !== 'sqlite' && store !== 'eventstoredb') {
    problems.push(`LEDGER_STORE must be 'sqlite' or 'eventstoredb', got '${store}'`);
  }
  const connectionString = env.EVENTSTORE_CONNECTION_STRING?.trim() || null;
  if (store === 'eventstoredb' && !connectionString) {
    problems.push(
      'LEDGER_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING (esdb://host:2113?tls=...)',
    );
  }
  if (connectionString && !/^esdb(\+discover)?:\/\//.test(connectionString)) {
    problems.push('EVENTSTORE_CONNECTION_STRING must start with esdb:// or esdb+discover://');
  }
  const bodyLimit = Number(env.LEDGER_BODY_LIMIT ?? 1_048_576);
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1_024) {
    problems.push(
      `LEDGER_BODY_LIMIT must be an integer ≥ 1024 bytes, got '${env.LEDGER_BODY_LIMIT}'`,
    );
  }
  const logLevel = env.LEDGER_LOG_LEVEL ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push(
      `LEDGER_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got '${logLevel}'`,
    );
  }
  const rateLimitPerMinute = Number(env.LEDGER_RATE_LIMIT ?? 1200);
  if (!Number.isInteger(rateLimitPerMinute) || rateLimitPerMinute < 0) {
    problems.push(
      `LEDGER_RATE_LIMIT must be a whole number of requests per minute (0: off), got '${env.LEDGER_RATE_LIMIT}'`,
    );
  }
  const authFailureLimitPerMinute = Number(env.LEDGER_AUTH_FAILURE_LIMIT ?? 20);
  if (!Number.isInteger(authFailureLimitPerMinute) || authFailureLimitPerMinute < 0) {
    problems.push(
      `LEDGER_AUTH_FAILURE_LIMIT must be a whole number of failed authentications per minute (0: off), got '${env.LEDGER_AUTH_FAILURE_LIMIT}'`,
    );
  }
  const corsOrigins = (env.LEDGER_CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  for (const origin of corsOrigins) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin))
      problems.push(
        `LEDGER_CORS_ORIGINS: '${origin}' is not an origin like https://evaluation.example.org`,
      );
  }
  const dataDir = resolve(env.LEDGER_DATA_DIR ?? './data');
  let signingKey = env.LEDGER_SIGNING_KEY?.trim() || null;
  let keyFileGiven = env.LEDGER_SIGNING_KEY_FILE?.trim() || null;
  // LEDGER_SIGNING_KEY may also name a key file (DESIGN.md): one that exists and is not a key.
  if (
    signingKey &&
    !signingKey.startsWith('-----BEGIN') &&
    existsSync(signingKey) &&
    !keyFileGiven
  ) {
    keyFileGiven = signingKey;
    signingKey = null;
  }
  const signingKeyFile = resolve(keyFileGiven || join(dirname(dataDir), 'ledger-signing.key'));
  if (signingKey && env.LEDGER_SIGNING_KEY_FILE?.trim()) {
    problems.push('Give LEDGER_SIGNING_KEY or LEDGER_SIGNING_KEY_FILE, not both');
  }
  if (signingKey) {
    try {
      parseSigningKey(signingKey);
    } catch (error) {
      problems.push(
        `LEDGER_SIGNING_KEY must be an Ed25519 private key, PEM or base64 PKCS#8: ${(error as Error).message}`,
      );
    }
  } else {
    const inside = relative(dataDir, signingKeyFile);
    if (inside === '' || (!inside.startsWith('..') && !isAbsolute(inside))) {
      problems.push(
        `LEDGER_SIGNING_KEY_FILE (${signingKeyFile}) must be outside the data directory (${dataDir}): whoever can rewrite the data must not hold the key`,
      );
    } else if (existsSync(signingKeyFile)) {
      try {
        parseSigningKey(readFileSync(signingKeyFile, 'utf8'));
      } catch (error) {
        problems.push(
          `LEDGER_SIGNING_KEY_FILE (${signingKeyFile}) does not hold an Ed25519 private key: ${(error as Error).message}`,
        );
      }
    }
  }
  const sealIntervalMs = Number(env.LEDGER_SEAL_INTERVAL_MS ?? 1_000);
  if (!Number.isInteger(sealIntervalMs) || sealIntervalMs < 0 || sealIntervalMs > 3_600_000) {
    problems.push(
      `LEDGER_SEAL_INTERVAL_MS must be a whole number of milliseconds from 0 (only on demand) to 3600000, got '${env.LEDGER_SEAL_INTERVAL_MS}'`,
    );
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir,
    store: store as LedgerConfig['store'],
    eventStoreConnectionString: connectionString,
    bodyLimit,
    logLevel,
    rateLimitPerMinute,
    authFailureLimitPerMinute,
    corsOrigins,
    apiKeys: env.LEDGER_API_KEYS?.trim() || null,
    signingKey,
    signingKeyFile,
    sealIntervalMs,
  };
}

export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');
