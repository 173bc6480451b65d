import { parseSigningKey } from '@app/event-store';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';

/** The default schema of the shared PostgreSQL tables. */
export const DEFAULT_POSTGRES_SCHEMA = 'ledger';
/** How long an Idempotency-Key's first response is kept by default: 24 h. */
export const DEFAULT_IDEMPOTENCY_RETENTION_MS = 24 * 3_600_000;

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
  /**
   * `LEDGER_POSTGRES_URL`: where a cluster's replicas share person keys, API key
   * hashes and idempotency records (required with `LEDGER_STORE=eventstoredb`).
   */
  postgresUrl: string | null;
  /** `LEDGER_POSTGRES_SCHEMA`: the schema holding those tables. */
  postgresSchema: string;
  /**
   * The pseudonym secret from `LEDGER_PSEUDONYM_KEY` (its UTF-8 bytes) or
   * `LEDGER_PSEUDONYM_KEY_FILE` (the file's bytes); null: `<dataDir>/pseudonym.key`,
   * generated on first start (embedded mode only).
   */
  pseudonymKey: Buffer | null;
  /** `LEDGER_IDEMPOTENCY_RETENTION`: how long an Idempotency-Key's first response is kept, ms. */
  idempotencyRetentionMs: number;
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
  /**
   * `LEDGER_READ_WORKERS`: reader threads answering the heavy reads (reports,
   * exports, GRIPP2, the influence and partner lists) off the thread that
   * commits commands; 0 answers them in process. Null (unset): one per core
   * beyond the first (at most 4) when the app runs from its build.
   */
  readWorkers: number | null;
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
  const postgresUrl = env.LEDGER_POSTGRES_URL?.trim() || null;
  if (postgresUrl && !/^postgres(ql)?:\/\//.test(postgresUrl)) {
    problems.push('LEDGER_POSTGRES_URL must start with postgres:// or postgresql://');
  }
  const postgresSchema = env.LEDGER_POSTGRES_SCHEMA?.trim() || DEFAULT_POSTGRES_SCHEMA;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(postgresSchema)) {
    problems.push(
      `LEDGER_POSTGRES_SCHEMA must be a lower-case identifier (letters, digits, _), got '${postgresSchema}'`,
    );
  }
  const pseudonymKey = readPseudonymKey(env, problems);
  if (store === 'eventstoredb') {
    if (!postgresUrl) {
      problems.push(
        'LEDGER_STORE=eventstoredb needs LEDGER_POSTGRES_URL (postgres://user:password@host:5432/db): ' +
          'the replicas share person keys, API key hashes and idempotency records there',
      );
    }
    if (!pseudonymKey && !env.LEDGER_PSEUDONYM_KEY && !env.LEDGER_PSEUDONYM_KEY_FILE) {
      problems.push(
        'LEDGER_STORE=eventstoredb needs LEDGER_PSEUDONYM_KEY (a secret of at least 32 characters) ' +
          'or LEDGER_PSEUDONYM_KEY_FILE, the same on every replica: pseudonyms are never generated per replica',
      );
    }
  }
  const idempotencyRetentionMs = parseDuration(env.LEDGER_IDEMPOTENCY_RETENTION ?? '24h');
  if (idempotencyRetentionMs === null || idempotencyRetentionMs < 60_000) {
    problems.push(
      `LEDGER_IDEMPOTENCY_RETENTION must be a duration of at least a minute (seconds, or 90m, 24h, 7d), got '${env.LEDGER_IDEMPOTENCY_RETENTION}'`,
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
  const readWorkersText = env.LEDGER_READ_WORKERS?.trim();
  const readWorkers = readWorkersText ? Number(readWorkersText) : null;
  if (
    readWorkers !== null &&
    (!Number.isInteger(readWorkers) || readWorkers < 0 || readWorkers > 16)
  ) {
    problems.push(
      `LEDGER_READ_WORKERS must be a whole number of reader threads from 0 (reads in process) to 16, got '${env.LEDGER_READ_WORKERS}'`,
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
    shutdownTimeoutMs,
    readyMaxLagMs,
    postgresUrl,
    postgresSchema,
    pseudonymKey,
    idempotencyRetentionMs: idempotencyRetentionMs!,
    signingKey,
    signingKeyFile,
    sealIntervalMs,
    readWorkers,
  };
}

/** `LEDGER_PSEUDONYM_KEY` or `LEDGER_PSEUDONYM_KEY_FILE` (not both), at least 32 bytes. */
function readPseudonymKey(env: NodeJS.ProcessEnv, problems: string[]): Buffer | null {
  const inline = env.LEDGER_PSEUDONYM_KEY;
  const file = env.LEDGER_PSEUDONYM_KEY_FILE?.trim();
  if (inline && file) {
    problems.push('Set LEDGER_PSEUDONYM_KEY or LEDGER_PSEUDONYM_KEY_FILE, not both');
    return null;
  }
  if (!inline && !file) return null;
  let key: Buffer;
  if (inline) key = Buffer.from(inline, 'utf8');
  else {
    try {
      key = readFileSync(file!);
    } catch (error) {
      problems.push(
        `LEDGER_PSEUDONYM_KEY_FILE '${file}' cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      );
      return null;
    }
  }
  if (key.length < 32) {
    problems.push(
      `${inline ? 'LEDGER_PSEUDONYM_KEY' : 'LEDGER_PSEUDONYM_KEY_FILE'} must hold at least 32 bytes (e.g. openssl rand -base64 32), got ${key.length}`,
    );
    return null;
  }
  return key;
}

/** `86400` (seconds), `90s`, `30m`, `24h` or `7d` → ms; null when unreadable. */
export function parseDuration(value: string): number | null {
  const match = /^\s*(\d+)\s*(s|m|h|d)?\s*$/.exec(value);
  if (!match) return null;
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 's']!;
  return Number(match[1]) * unit;
}

export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');
