import postgres from 'postgres';
import { randomBytes } from 'node:crypto';

/** Where the tests find PostgreSQL: `LEDGER_TEST_POSTGRES_URL`, else the development/CI server. */
export const TEST_POSTGRES_URL =
  process.env.LEDGER_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Is PostgreSQL reachable? Asked once per test file, before `describe`
 * (top-level await). When it is not, says so loudly: the suite is skipped,
 * not passed.
 */
export async function postgresReachable(suite: string): Promise<boolean> {
  const sql = postgres(TEST_POSTGRES_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    return true;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      [
        '',
        '#'.repeat(78),
        `# SKIPPED: ${suite}`,
        `# PostgreSQL is not reachable at ${TEST_POSTGRES_URL.replace(/:[^:@/]*@/, ':***@')} (${reason}).`,
        '# Start it (Debian: apt-get install postgresql) or set LEDGER_TEST_POSTGRES_URL.',
        '#'.repeat(78),
        '',
      ].join('\n'),
    );
    return false;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => undefined);
  }
}

/** A schema name no other run uses (tests isolate by schema). */
export function freshSchema(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

export async function dropSchema(schema: string): Promise<void> {
  const sql = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
