import type Database from 'better-sqlite3';
import type { TimePoint } from '../governance/governance.queries.js';

export interface PartnerFact {
  position: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  detail: Record<string, unknown>;
}

export type PartnerStatus = 'nominated' | 'registered' | 'appointed' | 'withdrawn' | 'erased';

export interface PartnerSummary {
  partnerId: string;
  name: string | null;
  kind: 'lay' | 'professional';
  status: PartnerStatus;
  nominatedBy: { organisation: string; organisationKind: string } | null;
  campaign: string | null;
  appointments: Array<{ body: string; at: string }>;
  withdrawal: { reason: string; at: string } | null;
}

interface FactRow {
  position: number;
  partner_id: string;
  type: string;
  occurred_at: string;
  recorded_at: number;
  detail: string;
}

const toFact = (row: FactRow): PartnerFact => ({
  position: row.position,
  type: row.type,
  occurredAt: row.occurred_at,
  recordedAt: new Date(row.recorded_at).toISOString(),
  detail: JSON.parse(row.detail) as Record<string, unknown>,
});

/** Partners and their histories, as of a business date, as known at a time. */
export class PartnerQueries {
  private readonly factsOf: Database.Statement<[TimePoint & { id: string }], FactRow>;
  private readonly allFacts: Database.Statement<[TimePoint], FactRow>;
  private readonly nameOf: Database.Statement<[string], { name: string }>;

  constructor(db: Database.Database) {
    const at = 'occurred_at <= @asOf AND recorded_at <= @knownAt';
    this.factsOf = db.prepare(
      `SELECT * FROM pf_facts WHERE partner_id = @id AND ${at} ORDER BY occurred_at, position`,
    );
    this.allFacts = db.prepare(
      `SELECT * FROM pf_facts WHERE ${at} ORDER BY partner_id, occurred_at, position`,
    );
    this.nameOf = db.prepare('SELECT name FROM gov_partners WHERE partner_id = ?');
  }

  history(partnerId: string, at: TimePoint): PartnerFact[] {
    return this.factsOf.all({ ...at, id: partnerId }).map(toFact);
  }

  summary(partnerId: string, at: TimePoint): PartnerSummary | null {
    return summarise(
      partnerId,
      this.history(partnerId, at),
      this.nameOf.get(partnerId)?.name ?? null,
    );
  }

  list(at: TimePoint): PartnerSummary[] {
    const byPartner = new Map<string, PartnerFact[]>();
    for (const row of this.allFacts.all(at)) {
      const facts = byPartner.get(row.partner_id) ?? [];
      facts.push(toFact(row));
      byPartner.set(row.partner_id, facts);
    }
    return [...byPartner.entries()]
      .map(([id, facts]) => summarise(id, facts, this.nameOf.get(id)?.name ?? null))
      .filter((p): p is PartnerSummary => p !== null);
  }
}

export function summarise(
  partnerId: string,
  facts: PartnerFact[],
  name: string | null,
): PartnerSummary | null {
  const origin = facts.find((f) => f.type === 'PartnerNominated' || f.type === 'PartnerRegistered');
  if (!origin) return null;
  const withdrawal = facts.find((f) => f.type === 'PartnerWithdrew');
  const erased = facts.some((f) => f.type === 'PersonalDataErased');
  const appointments = facts
    .filter((f) => f.type === 'PartnerAppointed')
    .map((f) => ({ body: String(f.detail.body), at: f.occurredAt }));
  const nominatedBy = origin.detail.nominatedBy as PartnerSummary['nominatedBy'] | undefined;
  return {
    partnerId,
    name,
    kind: origin.type === 'PartnerNominated' ? 'lay' : 'professional',
    status: erased
      ? 'erased'
      : withdrawal
        ? 'withdrawn'
        : appointments.length > 0
          ? 'appointed'
          : origin.type === 'PartnerNominated'
            ? 'nominated'
            : 'registered',
    nominatedBy: nominatedBy ?? null,
    campaign: typeof origin.detail.campaign === 'string' ? origin.detail.campaign : null,
    appointments,
    withdrawal: withdrawal
      ? { reason: String(withdrawal.detail.reason), at: withdrawal.occurredAt }
      : null,
  };
}
