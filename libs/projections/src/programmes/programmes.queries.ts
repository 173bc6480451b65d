import {
  DEFAULT_WITHDRAWAL_REASONS,
  type InvolvementRate,
  type WithdrawalReasonDefinition,
} from '@app/domain';
import type Database from 'better-sqlite3';
import type { TimePoint } from '../governance/governance.queries.js';

export interface RoleProfileView {
  meetingsPerMonth: number;
  hoursPerMonth: number;
  paid: boolean;
  expensesReimbursed: boolean;
  summary: string;
  /** The level the profile describes (`lay-partner` for profiles recorded before levels). */
  roleLevel: string;
  /** Integer pence per hour or per meeting; `null`: not on record. */
  involvementPayment: InvolvementRate | null;
  publishedAt: string;
  recordedAt: string;
}

export interface NominationRequestView {
  campaign: string;
  organisations: Array<{ name: string; kind: string }>;
  requestedAt: string;
  recordedAt: string;
}

export interface WorkshopView {
  workshopId: string;
  campaign: string;
  attendees: number;
  heldAt: string;
  recordedAt: string;
}

export interface PrinciplesView {
  version: number;
  statements: string[];
  adoptedBy: string;
  supersedes: number | null;
  adoptedAt: string;
  recordedAt: string;
}

/** A programme as of a business date, as known at a time. */
export interface ProgrammeView {
  programmeId: string;
  name: string;
  boroughs: string[];
  launchedAt: string;
  recordedAt: string;
  /** The profile in force: the latest published by `asOf`. */
  roleProfile: RoleProfileView | null;
  roleProfiles: RoleProfileView[];
  nominationRequests: NominationRequestView[];
  workshops: WorkshopView[];
  /** Every version adopted by `asOf`; the highest is in force. */
  principles: PrinciplesView[];
  principlesInForce: number | null;
  /** The vocabulary in force: the latest definition by `asOf`, or the default set. */
  withdrawalReasons: {
    reasons: WithdrawalReasonDefinition[];
    definedAt: string | null;
    isDefault: boolean;
  };
}

interface ProgrammeRow {
  programme_id: string;
  name: string;
  boroughs: string;
  launched_at: string;
  recorded_at: number;
}

type Keyed<T> = T & { programme_id: string; recorded_at: number };

const iso = (ms: number) => new Date(ms).toISOString();

/** Programmes and what each declared, read from the `prg_` tables. */
export class ProgrammeQueries {
  private readonly stmt: {
    programmes: Database.Statement<[TimePoint], ProgrammeRow>;
    roleProfiles: Database.Statement<
      [TimePoint],
      Keyed<{
        meetings_per_month: number;
        hours_per_month: number;
        paid: number;
        expenses_reimbursed: number;
        summary: string;
        published_at: string;
        role_level: string;
        involvement_payment: string | null;
      }>
    >;
    requests: Database.Statement<
      [TimePoint],
      Keyed<{ campaign: string; organisations: string; requested_at: string }>
    >;
    workshops: Database.Statement<
      [TimePoint],
      Keyed<{ workshop_id: string; campaign: string; attendees: number; held_at: string }>
    >;
    principles: Database.Statement<
      [TimePoint],
      Keyed<{
        version: number;
        statements: string;
        adopted_by: string;
        supersedes: number | null;
        adopted_at: string;
      }>
    >;
    reasons: Database.Statement<[TimePoint], Keyed<{ reasons: string; defined_at: string }>>;
  };

  constructor(db: Database.Database) {
    const at = (column: string) => `${column} <= @asOf AND recorded_at <= @knownAt`;
    this.stmt = {
      programmes: db.prepare(
        `SELECT * FROM prg_programmes WHERE ${at('launched_at')} ORDER BY launched_at, programme_id`,
      ),
      roleProfiles: db.prepare(
        `SELECT * FROM prg_role_profiles WHERE ${at('published_at')} ORDER BY published_at, position`,
      ),
      requests: db.prepare(
        `SELECT * FROM prg_nomination_requests WHERE ${at('requested_at')}
         ORDER BY requested_at, position`,
      ),
      workshops: db.prepare(
        `SELECT * FROM prg_workshops WHERE ${at('held_at')} ORDER BY held_at, position`,
      ),
      principles: db.prepare(
        `SELECT * FROM prg_principles WHERE ${at('adopted_at')} ORDER BY version, position`,
      ),
      reasons: db.prepare(
        `SELECT * FROM prg_withdrawal_reasons WHERE ${at('defined_at')} ORDER BY defined_at, position`,
      ),
    };
  }

  /** Every programme launched by `asOf` and known at `knownAt`. */
  list(at: TimePoint): ProgrammeView[] {
    const roleProfiles = byProgramme(this.stmt.roleProfiles.all(at), (r): RoleProfileView => ({
      meetingsPerMonth: r.meetings_per_month,
      hoursPerMonth: r.hours_per_month,
      paid: r.paid === 1,
      expensesReimbursed: r.expenses_reimbursed === 1,
      summary: r.summary,
      roleLevel: r.role_level,
      involvementPayment:
        r.involvement_payment === null
          ? null
          : (JSON.parse(r.involvement_payment) as InvolvementRate),
      publishedAt: r.published_at,
      recordedAt: iso(r.recorded_at),
    }));
    const requests = byProgramme(this.stmt.requests.all(at), (r): NominationRequestView => ({
      campaign: r.campaign,
      organisations: JSON.parse(r.organisations) as NominationRequestView['organisations'],
      requestedAt: r.requested_at,
      recordedAt: iso(r.recorded_at),
    }));
    const workshops = byProgramme(this.stmt.workshops.all(at), (r): WorkshopView => ({
      workshopId: r.workshop_id,
      campaign: r.campaign,
      attendees: r.attendees,
      heldAt: r.held_at,
      recordedAt: iso(r.recorded_at),
    }));
    const principles = byProgramme(this.stmt.principles.all(at), (r): PrinciplesView => ({
      version: r.version,
      statements: JSON.parse(r.statements) as string[],
      adoptedBy: r.adopted_by,
      supersedes: r.supersedes,
      adoptedAt: r.adopted_at,
      recordedAt: iso(r.recorded_at),
    }));
    const reasons = byProgramme(this.stmt.reasons.all(at), (r) => ({
      reasons: JSON.parse(r.reasons) as WithdrawalReasonDefinition[],
      definedAt: r.defined_at,
    }));
    return this.stmt.programmes.all(at).map((row) => {
      const id = row.programme_id;
      const profiles = roleProfiles.get(id) ?? [];
      const adopted = principles.get(id) ?? [];
      const vocabulary = (reasons.get(id) ?? []).at(-1);
      return {
        programmeId: id,
        name: row.name,
        boroughs: JSON.parse(row.boroughs) as string[],
        launchedAt: row.launched_at,
        recordedAt: iso(row.recorded_at),
        roleProfile: profiles.at(-1) ?? null,
        roleProfiles: profiles,
        nominationRequests: requests.get(id) ?? [],
        workshops: workshops.get(id) ?? [],
        principles: adopted,
        principlesInForce: adopted.at(-1)?.version ?? null,
        withdrawalReasons: vocabulary
          ? { ...vocabulary, isDefault: false }
          : {
              reasons: DEFAULT_WITHDRAWAL_REASONS.map((r) => ({ ...r })),
              definedAt: null,
              isDefault: true,
            },
      };
    });
  }

  /** One programme, or `null` if it had not launched by `asOf` or was not known at `knownAt`. */
  programme(programmeId: string, at: TimePoint): ProgrammeView | null {
    return this.list(at).find((p) => p.programmeId === programmeId) ?? null;
  }
}

function byProgramme<R extends { programme_id: string }, V>(
  rows: R[],
  view: (row: R) => V,
): Map<string, V[]> {
  const map = new Map<string, V[]>();
  for (const row of rows) {
    const list = map.get(row.programme_id) ?? [];
    list.push(view(row));
    map.set(row.programme_id, list);
  }
  return map;
}
