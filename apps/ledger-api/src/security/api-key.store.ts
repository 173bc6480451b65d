import Database from 'better-sqlite3';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ROLES, type Role } from './roles.js';

export const hashApiKey = (key: string) => createHash('sha256').update(key, 'utf8').digest();
const hash = hashApiKey;

export interface IssuedKey {
  role: Role;
  key: string;
}

/** A new random key for the role (256 bits). */
export function newApiKey(role: Role): string {
  return `el_${role.split('-')[0]}_${randomBytes(32).toString('base64url')}`;
}

/**
 * API keys, one or more per role, stored as SHA-256 hashes only (keys are
 * 256 random bits, so a fast hash is enough; no key can be read back).
 * Lookup compares hashes in constant time, synchronously, against the hashes
 * held in memory (the port). Embedded: ApiKeyStore (`api-keys.sqlite`);
 * cluster: PostgresApiKeyStore, shared by every replica.
 */
export abstract class ApiKeys {
  /**
   * At start: keys given by configuration replace any configured before;
   * without any, one key per role is generated if the store holds none.
   * Answers the keys generated now (printed once, never stored).
   */
  abstract start(configured: IssuedKey[] | null): Promise<IssuedKey[]>;

  /** The role of a presented key, or null. */
  abstract roleOf(presented: string): Role | null;

  abstract close(): Promise<void> | void;
}

/** The role of `presented` among stored hashes: every one compared, in constant time. */
export function matchRole(keys: ReadonlyArray<{ role: Role; hash: Buffer }>, presented: string) {
  const candidate = hash(presented);
  let found: Role | null = null;
  for (const { role, hash: stored } of keys) {
    if (timingSafeEqual(stored, candidate)) found = role;
  }
  return found;
}

export class ApiKeyStore extends ApiKeys {
  private readonly db: Database.Database;
  private keys: Array<{ role: Role; hash: Buffer }> = [];

  constructor(path: string) {
    super();
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS api_keys (
      hash       BLOB PRIMARY KEY,
      role       TEXT NOT NULL,
      source     TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) WITHOUT ROWID`);
    this.reload();
  }

  private reload(): void {
    this.keys = (
      this.db.prepare('SELECT role, hash FROM api_keys').all() as Array<{
        role: Role;
        hash: Buffer;
      }>
    ).map((row) => ({ role: row.role, hash: row.hash }));
  }

  start(configured: IssuedKey[] | null): Promise<IssuedKey[]> {
    if (configured) {
      this.useConfigured(configured);
      return Promise.resolve([]);
    }
    return Promise.resolve(this.isEmpty() ? this.generate() : []);
  }

  isEmpty(): boolean {
    return this.keys.length === 0;
  }

  /**
   * Keys given by configuration (`programme-office:<key>,auditor:<key>,…`) replace
   * any configured before, so rotating a secret in the orchestrator revokes the old key.
   */
  useConfigured(keys: IssuedKey[]): void {
    this.db.transaction(() => {
      this.db.prepare(`DELETE FROM api_keys WHERE source = 'config'`).run();
      const insert = this.db.prepare(
        `INSERT OR REPLACE INTO api_keys (hash, role, source, created_at) VALUES (?, ?, 'config', ?)`,
      );
      for (const { role, key } of keys) insert.run(hash(key), role, new Date().toISOString());
    })();
    this.reload();
  }

  /** One new key per role; returned once, stored only as hashes. */
  generate(): IssuedKey[] {
    const issued = ROLES.map((role) => ({ role, key: newApiKey(role) }));
    const insert = this.db.prepare(
      `INSERT INTO api_keys (hash, role, source, created_at) VALUES (?, ?, 'generated', ?)`,
    );
    this.db.transaction(() => {
      for (const { role, key } of issued) insert.run(hash(key), role, new Date().toISOString());
    })();
    this.reload();
    return issued;
  }

  /** The role of a presented key, or null. Every stored hash is compared, in constant time. */
  roleOf(presented: string): Role | null {
    return matchRole(this.keys, presented);
  }

  close(): void {
    this.db.close();
  }
}

/** Parses `LEDGER_API_KEYS=programme-office:<key>,auditor:<key>,evaluator:<key>`. */
export function parseApiKeys(value: string): IssuedKey[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const colon = entry.indexOf(':');
      const role = entry.slice(0, colon) as Role;
      const key = entry.slice(colon + 1);
      if (colon < 0 || !ROLES.includes(role)) {
        throw new Error(
          `LEDGER_API_KEYS entry '${entry.slice(0, 20)}…' must be <role>:<key> with role one of ${ROLES.join(', ')}`,
        );
      }
      if (key.length < 16)
        throw new Error(`LEDGER_API_KEYS: the ${role} key must be at least 16 characters`);
      return { role, key };
    });
}
