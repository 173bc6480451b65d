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
  private readonly every: Database.Statement<[], { partner_id: string; name: string }>;

  constructor(db: Database.Database) {
    this.nameOf = db.prepare('SELECT name FROM gov_partners WHERE partner_id = ?');
    this.every = db.prepare('SELECT partner_id, name FROM gov_partners');
  }

  displayName(partnerId: string): string {
    return renderPersonName(partnerId, this.nameOf.get(partnerId)?.name);
  }

  /** Every stored name read at once, for an answer that names many people (one query, not one each). */
  all(): PersonNames {
    const stored = new Map(this.every.all().map((row) => [row.partner_id, row.name]));
    return { displayName: (partnerId) => renderPersonName(partnerId, stored.get(partnerId)) };
  }
}

/** Names for an answer naming many people: stored names read at once, any other rendering as it is. */
export const namesForMany = (names: PersonNames): PersonNames =>
  names instanceof StoredPersonNames ? names.all() : names;
