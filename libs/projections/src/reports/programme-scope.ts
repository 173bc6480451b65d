import type Database from 'better-sqlite3';

/** A programme of the ledger, in the order its launch was recorded. */
export interface ProgrammeRef {
  programmeId: string;
  name: string;
}

/**
 * What belongs to one programme: its groups and partners. A group or partner
 * with no programme on record (recorded when the ledger had none, or before
 * groups and partners named one) belongs to the ledger's first programme, the
 * first whose launch was recorded (ADR 0003). Feedback belongs to the
 * programme of its group, else of the partner who raised it, else of a group
 * whose decision cites it, else to the first programme.
 */
export class ProgrammeScope {
  constructor(
    readonly programmeId: string,
    readonly name: string,
    private readonly groups: ReadonlySet<string>,
    private readonly partners: ReadonlySet<string>,
    private readonly first: boolean,
    private readonly placedGroups: ReadonlySet<string>,
    private readonly placedPartners: ReadonlySet<string>,
  ) {}

  hasGroup(groupId: string): boolean {
    return this.groups.has(groupId) || (this.first && !this.placedGroups.has(groupId));
  }

  hasPartner(partnerId: string): boolean {
    return this.partners.has(partnerId) || (this.first && !this.placedPartners.has(partnerId));
  }

  holdsFeedback(item: {
    groupId: string | null;
    raisedBy: string | null;
    decisions: ReadonlyArray<{ groupId: string }>;
  }): boolean {
    if (item.groupId !== null) return this.hasGroup(item.groupId);
    if (item.raisedBy !== null) return this.hasPartner(item.raisedBy);
    if (item.decisions.length > 0) return item.decisions.some((d) => this.hasGroup(d.groupId));
    return this.first;
  }
}

/** The programmes of the ledger and what belongs to each, from the read models. */
export class ProgrammeScopes {
  private readonly stmt: {
    programmes: Database.Statement<[], { programme_id: string; name: string }>;
    groups: Database.Statement<[], { group_id: string; programme_id: string | null }>;
    partners: Database.Statement<[], { partner_id: string; programme_id: string | null }>;
  };

  constructor(db: Database.Database) {
    this.stmt = {
      programmes: db.prepare(
        'SELECT programme_id, name FROM rep_programmes ORDER BY position, programme_id',
      ),
      groups: db.prepare('SELECT group_id, programme_id FROM gov_groups'),
      partners: db.prepare('SELECT partner_id, programme_id FROM gov_partners'),
    };
  }

  /** Every programme launched, first recorded first. */
  programmes(): ProgrammeRef[] {
    return this.stmt.programmes
      .all()
      .map((row) => ({ programmeId: row.programme_id, name: row.name }));
  }

  /** The scope of each programme given (all when `ids` is omitted), in launch order. */
  scopes(ids?: readonly string[]): ProgrammeScope[] {
    const programmes = this.programmes();
    const wanted = ids ? programmes.filter((p) => ids.includes(p.programmeId)) : programmes;
    if (wanted.length === 0) return [];
    const firstId = programmes[0]!.programmeId;
    const groupsOf = members(this.stmt.groups.all().map((r) => [r.group_id, r.programme_id]));
    const partnersOf = members(this.stmt.partners.all().map((r) => [r.partner_id, r.programme_id]));
    return wanted.map(
      (p) =>
        new ProgrammeScope(
          p.programmeId,
          p.name,
          groupsOf.by.get(p.programmeId) ?? new Set(),
          partnersOf.by.get(p.programmeId) ?? new Set(),
          p.programmeId === firstId,
          groupsOf.placed,
          partnersOf.placed,
        ),
    );
  }
}

function members(rows: Array<[string, string | null]>) {
  const by = new Map<string, Set<string>>();
  const placed = new Set<string>();
  for (const [id, programmeId] of rows) {
    if (programmeId === null) continue;
    placed.add(id);
    by.set(programmeId, (by.get(programmeId) ?? new Set()).add(id));
  }
  return { by, placed };
}
