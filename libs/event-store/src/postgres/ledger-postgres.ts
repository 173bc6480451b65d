import postgres, { type Sql } from 'postgres';
import { StoreUnavailableError } from '../errors.js';

/** A schema name the ledger accepts: it is spliced into DDL and channel names. */
export const POSTGRES_SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

/** Error codes (Node, postgres.js and SQLSTATE) that mean "PostgreSQL cannot be reached", not "your query is wrong". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '53300', // too_many_connections
]);

export function isPostgresUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  // SQLSTATE class 08: connection exception.
  return UNREACHABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code);
}

export interface LedgerPostgresOptions {
  /** `postgres://user:password@host:5432/database` */
  url: string;
  /** Every table lives in this schema (created if missing): tests and tenants isolate by it. */
  schema: string;
  /** Pool size per process. */
  max?: number;
  /** Seconds to wait for a connection before a command is answered 503. */
  connectTimeoutSeconds?: number;
}

/**
 * The PostgreSQL a cluster of API replicas shares (person keys, API key
 * hashes, idempotency records). One pool per process; every table is in
 * `schema`, created idempotently at start under an advisory lock so that
 * replicas starting together do not race on the catalog. A failure to reach
 * the server becomes `StoreUnavailableError('postgres', …)` (503 with
 * Retry-After), never a 500.
 */
export class LedgerPostgres {
  readonly sql: Sql;
  readonly schema: string;

  private constructor(options: LedgerPostgresOptions) {
    if (!POSTGRES_SCHEMA_PATTERN.test(options.schema)) {
      throw new Error(
        `PostgreSQL schema '${options.schema}' must match ${POSTGRES_SCHEMA_PATTERN}`,
      );
    }
    this.schema = options.schema;
    this.sql = postgres(options.url, {
      max: options.max ?? 10,
      connect_timeout: options.connectTimeoutSeconds ?? 5,
      idle_timeout: 60,
      onnotice: () => {},
      connection: { application_name: 'engagement-ledger', search_path: options.schema },
    });
  }

  /** Connects and creates the schema; throws StoreUnavailableError if the server cannot be reached. */
  static async connect(options: LedgerPostgresOptions): Promise<LedgerPostgres> {
    const db = new LedgerPostgres(options);
    try {
      await db.ensure([]);
    } catch (error) {
      await db.close();
      throw error;
    }
    return db;
  }

  /** Runs DDL (CREATE … IF NOT EXISTS) once per schema at a time, in one transaction. */
  async ensure(statements: readonly string[]): Promise<void> {
    await this.run('create the schema', () =>
      this.sql.begin(async (tx) => {
        await tx`SELECT pg_advisory_xact_lock(hashtextextended(${`ledger-ddl:${this.schema}`}, 0))`;
        await tx.unsafe(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
        for (const statement of statements) await tx.unsafe(statement);
      }),
    );
  }

  /** Runs `work`, turning "cannot reach PostgreSQL" into StoreUnavailableError('postgres', …). */
  async run<T>(what: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw unavailable(what, error);
    }
  }

  /** Can PostgreSQL be reached? For readiness checks; StoreUnavailableError('postgres') if not. */
  async ping(): Promise<void> {
    await this.run('ping', () => this.sql`SELECT 1`);
  }

  /** A channel name for LISTEN/NOTIFY, scoped to the schema. */
  channel(name: string): string {
    return `${this.schema}_${name}`;
  }

  async close(): Promise<void> {
    await this.sql.end({ timeout: 5 });
  }
}

/** The error to throw for a failure of `what`: StoreUnavailableError when the server is out of reach. */
export function unavailable(what: string, error: unknown): unknown {
  if (error instanceof StoreUnavailableError || !isPostgresUnreachable(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError('postgres', `PostgreSQL unreachable (${what}): ${reason}`, 5, {
    cause: error,
  });
}
