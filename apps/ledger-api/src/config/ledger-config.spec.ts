import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError, loadConfig, parseDuration } from './ledger-config.js';

const cluster = {
  LEDGER_STORE: 'eventstoredb',
  EVENTSTORE_CONNECTION_STRING: 'esdb://a:2113,b:2113,c:2113?tls=false',
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
}

describe('configuration of shared state', () => {
  it('needs nothing but SQLite by default', () => {
    const config = loadConfig({});
    expect(config.postgresUrl).toBeNull();
    expect(config.pseudonymKey).toBeNull();
    expect(config.postgresSchema).toBe('ledger');
    expect(config.idempotencyRetentionMs).toBe(24 * 3_600_000);
  });

  it('refuses a cluster without PostgreSQL or a shared pseudonym key, naming both', () => {
    const problems = problemsOf(cluster);
    expect(problems.some((p) => p.includes('LEDGER_POSTGRES_URL'))).toBe(true);
    expect(problems.some((p) => p.includes('LEDGER_PSEUDONYM_KEY'))).toBe(true);
  });

  it('takes the pseudonym key inline or from a file, never both, at least 32 bytes', () => {
    const ok = loadConfig({
      ...cluster,
      LEDGER_POSTGRES_URL: 'postgres://ledger@db:5432/ledger',
      LEDGER_PSEUDONYM_KEY: 'k'.repeat(32),
    });
    expect(ok.pseudonymKey?.toString()).toBe('k'.repeat(32));
    expect(problemsOf({ LEDGER_PSEUDONYM_KEY: 'short' })[0]).toMatch(/at least 32 bytes/);
    const dir = mkdtempSync(join(tmpdir(), 'pseudonym-'));
    try {
      const file = join(dir, 'pseudonym.key');
      writeFileSync(file, Buffer.alloc(32, 7));
      expect(loadConfig({ LEDGER_PSEUDONYM_KEY_FILE: file }).pseudonymKey).toEqual(
        Buffer.alloc(32, 7),
      );
      expect(
        problemsOf({ LEDGER_PSEUDONYM_KEY_FILE: file, LEDGER_PSEUDONYM_KEY: 'k'.repeat(32) })[0],
      ).toMatch(/not both/);
      expect(problemsOf({ LEDGER_PSEUDONYM_KEY_FILE: join(dir, 'missing') })[0]).toMatch(
        /cannot be read/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks the PostgreSQL URL and schema', () => {
    expect(problemsOf({ LEDGER_POSTGRES_URL: 'mysql://x' })[0]).toMatch(/postgres:\/\//);
    expect(problemsOf({ LEDGER_POSTGRES_SCHEMA: 'Robert"; DROP' })[0]).toMatch(
      /LEDGER_POSTGRES_SCHEMA/,
    );
  });

  it('reads the idempotency retention as seconds or with a unit, at least a minute', () => {
    expect(parseDuration('86400')).toBe(86_400_000);
    expect(parseDuration('90m')).toBe(5_400_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('soon')).toBeNull();
    expect(loadConfig({ LEDGER_IDEMPOTENCY_RETENTION: '2h' }).idempotencyRetentionMs).toBe(
      7_200_000,
    );
    expect(problemsOf({ LEDGER_IDEMPOTENCY_RETENTION: '30s' })[0]).toMatch(/at least a minute/);
    expect(problemsOf({ LEDGER_IDEMPOTENCY_RETENTION: 'forever' })[0]).toMatch(
      /LEDGER_IDEMPOTENCY_RETENTION/,
    );
  });
});
describe('loadConfig: shutdown and readiness bounds', () => {
  it('defaults to a 10 s drain and a 30 s readiness lag bound', () => {
    const config = loadConfig({});
    expect(config.shutdownTimeoutMs).toBe(10_000);
    expect(config.readyMaxLagMs).toBe(30_000);
  });

  it('takes whole milliseconds', () => {
    const config = loadConfig({ LEDGER_SHUTDOWN_TIMEOUT_MS: '2500', LEDGER_READY_MAX_LAG_MS: '0' });
    expect(config.shutdownTimeoutMs).toBe(2_500);
    expect(config.readyMaxLagMs).toBe(0);
  });

  it.each([
    ['LEDGER_SHUTDOWN_TIMEOUT_MS', '0'],
    ['LEDGER_SHUTDOWN_TIMEOUT_MS', '1.5'],
    ['LEDGER_SHUTDOWN_TIMEOUT_MS', '600001'],
    ['LEDGER_SHUTDOWN_TIMEOUT_MS', 'ten seconds'],
    ['LEDGER_READY_MAX_LAG_MS', '-1'],
    ['LEDGER_READY_MAX_LAG_MS', 'soon'],
  ])('refuses to start with %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigurationError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});
