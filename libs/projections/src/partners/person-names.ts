import type Database from 'better-sqlite3';

/**
 * How a person is shown to a reader. Every partner query, report and export
 * renders people through one of these, so a reader-specific rendering
 * (pseudonyms for evaluators) is swapped in at one place.
 */
export interface PersonNames {
  displayName(partnerId: string): string;
}

/**
 * The single rendering of a person's display name from what the read store
 * holds: the name, `[erased]` once their key is destroyed (the governance
 * projection forgets it), and the id when the ledger has no name for them.
 */
export function renderPersonName(partnerId: string, storedName: string | null | undefined): string {
  return storedName ?? partnerId;
}

/** Names as stored in the read store (`gov_partners`). */
export class StoredPersonNames implements PersonNames {
  private readonly nameOf: Database.Statement<[string], { name: string }>;

  constructor(db: Database.Database) {
    this.nameOf = db.prepare('SELECT name FROM gov_partners WHERE partner_id = ?');
  }

  displayName(partnerId: string): string {
    return renderPersonName(partnerId, this.nameOf.get(partnerId)?.name);
  }
}
