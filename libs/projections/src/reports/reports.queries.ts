import type Database from 'better-sqlite3';
import type { GovernanceQueries, TimePoint } from '../governance/governance.queries.js';
import type { PartnerQueries } from '../partners/partner.queries.js';

const STAGES = [
  'nominated',
  'attendedWorkshop',
  'expressedInterest',
  'appointed',
  'active',
] as const;

export interface FunnelRow {
  campaign: string;
  organisationKind: string | null;
  stages: Array<{ stage: (typeof STAGES)[number]; count: number; dropOff: number }>;
  withdrawalReasons: Record<string, number>;
}

/** Recruitment, participation, representation and expenses, all as of a date and as known at a time. */
export class ReportQueries {
  private readonly meetings: Database.Statement<
    [TimePoint],
    { group_id: string; meeting_id: string; duration_minutes: number; held_at: string }
  >;
  private readonly attendance: Database.Statement<
    [TimePoint],
    {
      group_id: string;
      meeting_id: string;
      partner_id: string;
      presence: string;
      duration_minutes: number;
      held_at: string;
    }
  >;

  constructor(
    db: Database.Database,
    private readonly partners: PartnerQueries,
    private readonly governance: GovernanceQueries,
  ) {
    const at = 'held_at <= @asOf AND recorded_at <= @knownAt';
    this.meetings = db.prepare(`SELECT * FROM pf_meetings WHERE ${at} ORDER BY group_id, held_at`);
    this.attendance = db.prepare(`SELECT a.*, m.duration_minutes, m.held_at FROM pf_attendance a
      JOIN pf_meetings m ON m.group_id = a.group_id AND m.meeting_id = a.meeting_id WHERE ${at}`);
  }

  /** Nominated → attended a workshop → expressed interest → appointed → still active, by campaign (and organisation kind). */
  recruitmentFunnel(at: TimePoint, by: 'campaign' | 'organisation-kind' = 'campaign'): FunnelRow[] {
    const rows = new Map<
      string,
      { campaign: string; kind: string | null; counts: number[]; reasons: Record<string, number> }
    >();
    for (const partner of this.partners.list(at).filter((p) => p.kind === 'lay')) {
      const history = this.partners.history(partner.partnerId, at);
      const campaign = partner.campaign ?? '(none)';
      const kind =
        by === 'organisation-kind' ? (partner.nominatedBy?.organisationKind ?? null) : null;
      const key = `${campaign}\u0000${kind ?? ''}`;
      const row = rows.get(key) ?? { campaign, kind, counts: [0, 0, 0, 0, 0], reasons: {} };
      const reached = [
        true,
        history.some((f) => f.type === 'WorkshopAttended'),
        history.some((f) => f.type === 'InterestExpressed'),
        partner.appointments.length > 0,
        partner.appointments.length > 0 && partner.withdrawal === null,
      ];
      reached.forEach((yes, i) => (row.counts[i]! += yes ? 1 : 0));
      if (partner.withdrawal)
        row.reasons[partner.withdrawal.reason] = (row.reasons[partner.withdrawal.reason] ?? 0) + 1;
      rows.set(key, row);
    }
    return [...rows.values()]
      .sort(
        (a, b) =>
          a.campaign.localeCompare(b.campaign) || (a.kind ?? '').localeCompare(b.kind ?? ''),
      )
      .map((row) => ({
        campaign: row.campaign,
        organisationKind: row.kind,
        stages: STAGES.map((stage, i) => ({
          stage,
          count: row.counts[i]!,
          dropOff: i === 0 ? 0 : row.counts[i - 1]! - row.counts[i]!,
        })),
        withdrawalReasons: row.reasons,
      }));
  }

  /** Meetings held per group; per partner attended, apologies, and hours per month. */
  participation(at: TimePoint) {
    const groups = new Map<string, { groupId: string; meetingsHeld: number; hours: number }>();
    for (const meeting of this.meetings.all(at)) {
      const group = groups.get(meeting.group_id) ?? {
        groupId: meeting.group_id,
        meetingsHeld: 0,
        hours: 0,
      };
      group.meetingsHeld += 1;
      group.hours += meeting.duration_minutes / 60;
      groups.set(meeting.group_id, group);
    }
    const names = this.governance.names();
    const people = new Map<
      string,
      {
        partnerId: string;
        attended: number;
        apologies: number;
        hoursByMonth: Record<string, number>;
      }
    >();
    for (const row of this.attendance.all(at)) {
      const person = people.get(row.partner_id) ?? {
        partnerId: row.partner_id,
        attended: 0,
        apologies: 0,
        hoursByMonth: {},
      };
      if (row.presence === 'attended') {
        person.attended += 1;
        const month = row.held_at.slice(0, 7);
        person.hoursByMonth[month] =
          Math.round(((person.hoursByMonth[month] ?? 0) + row.duration_minutes / 60) * 100) / 100;
      } else person.apologies += 1;
      people.set(row.partner_id, person);
    }
    return {
      groups: [...groups.values()].map((g) => ({
        ...g,
        name: names.group(g.groupId),
        hours: Math.round(g.hours * 100) / 100,
      })),
      partners: [...people.values()].map((p) => ({
        ...p,
        partnerName: names.partner(p.partnerId),
      })),
    };
  }

  /** Lay seats against the minimum for every group; groups below it; borough coverage. */
  representation(at: TimePoint) {
    const groups = this.governance.governance(at);
    const boroughs = new Set(
      groups.filter((g) => g.borough && g.laySeats.filled > 0).map((g) => g.borough!),
    );
    return {
      groups: groups.map((g) => ({
        groupId: g.groupId,
        name: g.name,
        borough: g.borough,
        ...g.laySeats,
      })),
      belowMinimum: groups.filter((g) => g.laySeats.belowMinimum).map((g) => g.groupId),
      boroughsCovered: [...boroughs].sort(),
    };
  }

  /** Claims per partner with status and totals in pence. */
  expenses(at: TimePoint) {
    const claims = new Map<
      string,
      {
        partnerId: string;
        claimId: string;
        amountPence: number;
        category: string;
        claimedAt: string;
        status: string;
        settledAt: string | null;
      }
    >();
    for (const partner of this.partners.list(at)) {
      for (const fact of this.partners.history(partner.partnerId, at)) {
        const claimId = String(fact.detail.claimId ?? '');
        if (fact.type === 'ExpenseClaimed') {
          claims.set(claimId, {
            partnerId: partner.partnerId,
            claimId,
            amountPence: Number(fact.detail.amountPence),
            category: String(fact.detail.category),
            claimedAt: fact.occurredAt,
            status: 'claimed',
            settledAt: null,
          });
        } else if (fact.type === 'ExpenseReimbursed' || fact.type === 'ExpenseRejected') {
          const claim = claims.get(claimId);
          if (claim)
            Object.assign(claim, {
              status: fact.type === 'ExpenseReimbursed' ? 'reimbursed' : 'rejected',
              settledAt: fact.occurredAt,
            });
        }
      }
    }
    const list = [...claims.values()];
    const total = (status: string) =>
      list.filter((c) => c.status === status).reduce((sum, c) => sum + c.amountPence, 0);
    return {
      claims: list,
      totals: {
        claimedPence: list.reduce((s, c) => s + c.amountPence, 0),
        reimbursedPence: total('reimbursed'),
        rejectedPence: total('rejected'),
        outstandingPence: total('claimed'),
      },
    };
  }
}
