import { resolve } from 'node:path';

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
  /**
   * How long a shutdown (SIGTERM, SIGINT) lets requests in flight finish before
   * the connections left are closed and the process exits, ms.
   */
  shutdownTimeoutMs: number;
  /** `/health/ready` fails while the read models miss events older than this, ms. */
  readyMaxLagMs: number;
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
  const shutdownTimeoutMs = Number(env.LEDGER_SHUTDOWN_TIMEOUT_MS ?? 10_000);
  if (
    !Number.isInteger(shutdownTimeoutMs) ||
    shutdownTimeoutMs < 100 ||
    shutdownTimeoutMs > 600_000
  ) {
    problems.push(
      `LEDGER_SHUTDOWN_TIMEOUT_MS must be a whole number of milliseconds from 100 to 600000, got '${env.LEDGER_SHUTDOWN_TIMEOUT_MS}'`,
    );
  }
  const readyMaxLagMs = Number(env.LEDGER_READY_MAX_LAG_MS ?? 30_000);
  if (!Number.isInteger(readyMaxLagMs) || readyMaxLagMs < 0) {
    problems.push(
      `LEDGER_READY_MAX_LAG_MS must be a whole number of milliseconds, got '${env.LEDGER_READY_MAX_LAG_MS}'`,
    );
  }
  if (problems.length > 0) throw new ConfigurationError(problems);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: resolve(env.LEDGER_DATA_DIR ?? './data'),
    store: store as LedgerConfig['store'],
    eventStoreConnectionString: connectionString,
    bodyLimit,
    logLevel,
    rateLimitPerMinute,
    authFailureLimitPerMinute,
    corsOrigins,
    apiKeys: env.LEDGER_API_KEYS?.trim() || null,
    shutdownTimeoutMs,
    readyMaxLagMs,
  };
}

export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');
