import { installIndexes, installProjections } from '../core/projection.js';
import { openReadStore } from '../core/read-store.js';
import { GovernanceQueries } from '../governance/governance.queries.js';
import { createLedgerProjections } from '../ledger-projections.js';
import { PartnerQueries } from '../partners/partner.queries.js';
import { facts, ledgerFixture, type LedgerFixture } from '../testing/ledger-fixture.js';
import { InvolvementCostQueries } from './involvement-cost.js';
import { ProgrammeScopes } from './programme-scope.js';
import { ReportQueries } from './reports.queries.js';

/**
 * Two programmes; backdated seats, a seat end recorded late, attendance of
 * people without a seat, role levels that change (a co-chair term begun and
 * ended), claims reimbursed and rejected, payments made and declined (one in
 * another currency), a meeting id held twice, and facts recorded out of
 * business-time order.
 */
function seed(l: LedgerFixture) {
  l.record('ProgrammeLaunched', facts.programme('2013-01-01', ['Brent']));
  l.record('ProgrammeLaunched', {
    programmeId: 'south',
    name: 'South',
    boroughs: ['Croydon'],
    occurredAt: '2013-02-01',
  });
  l.record('GroupEstablished', facts.group('board', '2013-01-02'));
  l.record('GroupEstablished', facts.group('forum', '2013-01-03', { cadence: 'quarterly' }));
  l.record('GroupEstablished', facts.group('south-board', '2013-02-02', { programmeId: 'south' }));
  for (const id of ['a', 'b', 'c', 'd'])
    l.record('PartnerNominated', facts.nominated(id, '2013-11-01'));
  l.record('PartnerNominated', facts.nominated('s', '2013-11-01', { programmeId: 'south' }));
  l.record('PartnerRegistered', {
    partnerId: 'p',
    name: 'Dr P',
    organisation: 'Ealing CCG',
    constituency: 'ccg',
    occurredAt: '2013-11-02',
  });
  const seat = (
    group: string,
    seatId: string,
    who: string,
    at: string,
    level?: string,
    recordedAt?: string,
  ) =>
    l.record(
      'SeatAllocated',
      { ...facts.seat(group, seatId, who, at), ...(level ? { roleLevel: level } : {}) },
      recordedAt,
    );
  const meeting = (
    group: string,
    meetingId: string,
    at: string,
    attendees: string[],
    apologies: string[] = [],
    durationMinutes = 50,
    recordedAt?: string,
  ) =>
    l.record(
      'MeetingHeld',
      { groupId: group, meetingId, attendees, apologies, durationMinutes, occurredAt: at },
      recordedAt,
    );
  seat('board', 's-a', 'a', '2014-01-01', 'lay-partner');
  seat('board', 's-b', 'b', '2014-01-01', 'lay-partner');
  seat('south-board', 's-s', 's', '2014-01-01', 'lay-partner');
  meeting('board', 'm1', '2014-01-15', ['a', 'c'], ['b'], 50);
  meeting('board', 'm2', '2014-02-15', ['a', 'b', 'p'], [], 95);
  meeting('forum', 'f1', '2014-02-20', ['c', 'd'], ['a'], 120);
  meeting('south-board', 'x1', '2014-02-21', ['s'], [], 70);
  meeting('board', 'm2', '2014-02-16', ['d'], [], 30); // the same meeting id again: not counted
  // A seat for c, backdated before m1 and recorded after m2.
  seat('board', 's-c', 'c', '2014-01-10', 'lay-partner', '2014-03-01');
  // b's seat ended in February, recorded in April (after m3).
  meeting('board', 'm3', '2014-03-15', ['a', 'c'], [], 140);
  l.record(
    'SeatVacated',
    {
      groupId: 'board',
      seatId: 's-b',
      partnerId: 'b',
      reason: 'resigned',
      occurredAt: '2014-02-20',
    },
    '2014-04-01',
  );
  l.record('CoChairAppointed', {
    groupId: 'board',
    partnerId: 'a',
    constituency: 'lay',
    seatId: 's-a',
    roleLevel: 'lay-co-chair',
    occurredAt: '2014-03-01',
  });
  meeting('board', 'm4', '2014-04-15', ['a', 'b', 'c'], [], 61);
  l.record('CoChairStoodDown', {
    groupId: 'board',
    partnerId: 'a',
    constituency: 'lay',
    reason: 'term-ended',
    occurredAt: '2014-04-20',
  });
  meeting('board', 'm5', '2014-05-15', ['a'], ['c'], 45);
  // A meeting recorded late, and a backdated co-chair term for c that covers it.
  meeting('forum', 'f2', '2014-05-20', ['c', 'd', 'a'], [], 100, '2014-07-01');
  l.record(
    'CoChairAppointed',
    {
      groupId: 'forum',
      partnerId: 'c',
      constituency: 'lay',
      seatId: 'none',
      roleLevel: 'lay-co-chair',
      occurredAt: '2014-05-01',
    },
    '2014-07-02',
  );
  const claim = (
    who: string,
    claimId: string,
    amountPence: number,
    at: string,
    incurredOn: string,
  ) =>
    l.record('ExpenseClaimed', {
      partnerId: who,
      claimId,
      amountPence,
      category: 'travel',
      incurredOn,
      occurredAt: at,
    });
  claim('a', 'c1', 1250, '2014-01-20', '2014-01-15');
  claim('b', 'c2', 800, '2014-02-16', '2014-02-15');
  claim('c', 'c3', 400, '2014-03-20', '2014-03-15');
  claim('s', 'c4', 999, '2014-02-22', '2014-02-21');
  l.record('ExpenseReimbursed', {
    partnerId: 'a',
    claimId: 'c1',
    amountPence: 1250,
    occurredAt: '2014-02-01',
  });
  l.record('ExpenseRejected', {
    partnerId: 'b',
    claimId: 'c2',
    reason: 'late',
    occurredAt: '2014-03-01',
  });
  // Reimbursed in part, recorded late; and a reimbursement backdated before its claim (not counted).
  l.record(
    'ExpenseReimbursed',
    { partnerId: 'c', claimId: 'c3', amountPence: 300, occurredAt: '2014-04-01' },
    '2014-06-01',
  );
  l.record('ExpenseReimbursed', {
    partnerId: 's',
    claimId: 'c4',
    amountPence: 999,
    occurredAt: '2014-02-01',
  });
  const payment = (
    type: string,
    who: string,
    paymentId: string,
    amountPence: number,
    at: string,
    extra = {},
  ) => l.record(type, { partnerId: who, paymentId, amountPence, occurredAt: at, ...extra });
  payment('InvolvementPaymentRecorded', 'a', 'ip-1', 15_000, '2014-03-15', {
    currency: 'GBP',
    roleLevel: 'lay-co-chair',
  });
  payment('InvolvementPaymentRecorded', 'a', 'ip-2', 7_500, '2014-05-15', { currency: 'GBP' });
  payment('InvolvementPaymentDeclined', 'b', 'ip-3', 7_500, '2014-02-15', { currency: 'GBP' });
  payment('InvolvementPaymentRecorded', 'c', 'ip-4', 5_000, '2014-03-16', { currency: 'EUR' });
  payment('InvolvementPaymentRecorded', 's', 'ip-5', 6_000, '2014-02-21', { currency: 'GBP' });
  l.record('PartnerWithdrew', {
    partnerId: 'b',
    reason: 'time-commitment',
    occurredAt: '2014-04-30',
  });
  // A seat for d on the forum, backdated before every forum meeting.
  seat('forum', 's-d', 'd', '2014-01-05', 'lay-partner', '2014-08-01');
}

describe('participation and involvement cost: kept per event and folded agree', () => {
  let l: LedgerFixture;
  let cost: InvolvementCostQueries;
  beforeEach(() => {
    l = ledgerFixture();
    cost = new InvolvementCostQueries(l.db, l.partners);
    seed(l);
  });

  const scopes = () => [null, ...l.scopes.scopes()];

  it('answers "now" from the kept sums exactly as folding every fact does, per programme too', () => {
    const now = l.at('2100-01-01');
    for (const scope of scopes()) {
      expect(l.reports.participation(now, undefined, scope)).toEqual(
        l.reports.participation(now, undefined, scope, 'facts'),
      );
      expect(cost.report(now, { scope })).toEqual(cost.report(now, { scope }, undefined, 'facts'));
      for (const partnerId of ['a', 'c', 's', 'nobody'])
        expect(cost.report(now, { scope, partnerId })).toEqual(
          cost.report(now, { scope, partnerId }, undefined, 'facts'),
        );
    }
    // The kept rows hold what was asked of them.
    const all = l.reports.participation(now);
    expect(all.groups.find((g) => g.groupId === 'board')).toMatchObject({
      meetingsHeld: 5,
      hours: 6.52,
    });
    const c = all.partners.find((p) => p.partnerId === 'c')!;
    expect(c.byGroup).toEqual([
      { groupId: 'board', meetingsWhileSeated: 5, attended: 3, apologies: 1, missed: 1 },
      { groupId: 'forum', meetingsWhileSeated: 0, attended: 2, apologies: 0, missed: 0 },
    ]);
    const b = all.partners.find((p) => p.partnerId === 'b')!;
    expect(b.byGroup).toEqual([
      { groupId: 'board', meetingsWhileSeated: 2, attended: 2, apologies: 1, missed: 0 },
    ]);
    const d = all.partners.find((p) => p.partnerId === 'd')!;
    expect(d.byGroup).toEqual([
      // Named by the second record of meeting m2: counted with the first.
      { groupId: 'board', meetingsWhileSeated: 0, attended: 1, apologies: 0, missed: 0 },
      { groupId: 'forum', meetingsWhileSeated: 2, attended: 2, apologies: 0, missed: 0 },
    ]);
    const report = cost.report(now);
    expect(report.otherCurrencies).toHaveLength(1);
    const a = report.partners.find((p) => p.partnerId === 'a')!;
    expect(a.byMonth.find((r) => r.month === '2014-04')).toMatchObject({
      roleLevel: 'lay-co-chair',
    });
    // After the co-chair term, the seat's level again (and none on the forum, where a has no seat).
    expect(a.byMonth).toContainEqual(
      expect.objectContaining({ month: '2014-05', roleLevel: 'lay-partner', meetingsAttended: 1 }),
    );
    expect(a.byMonth).toContainEqual(
      expect.objectContaining({ month: '2014-05', roleLevel: null, meetingsAttended: 1 }),
    );
    expect(report.partners.find((p) => p.partnerId === 'c')!.byMonth).toContainEqual(
      expect.objectContaining({ month: '2014-05', roleLevel: 'lay-co-chair', meetingsAttended: 1 }),
    );
  });

  it('folds at any other time point, and the kept sums survive the same events applied again', () => {
    const past = [
      l.at('2014-02-28'),
      l.at('2100-01-01', '2014-03-31'),
      l.at('2014-05-31', '2014-06-30'),
    ];
    for (const at of past) {
      for (const scope of scopes()) {
        expect(l.reports.participation(at, undefined, scope)).toEqual(
          l.reports.participation(at, undefined, scope, 'facts'),
        );
        expect(cost.report(at, { scope })).toEqual(cost.report(at, { scope }, undefined, 'facts'));
      }
    }
    // Before b's vacancy was recorded, b was still seated at m3 (and missed it).
    const known = l.reports.participation(l.at('2100-01-01', '2014-03-31'));
    expect(known.partners.find((p) => p.partnerId === 'b')!.missed).toBe(1);
    const now = l.at('2100-01-01');
    const before = [l.reports.participation(now), cost.report(now)];
    l.replayAll();
    expect([l.reports.participation(now), cost.report(now)]).toEqual(before);
    expect(l.reports.participation(now)).toEqual(
      l.reports.participation(now, undefined, null, 'facts'),
    );
  });

  it('answers a period by folding, as before', () => {
    const now = l.at('2100-01-01');
    const period = { from: '2014-02-01T00:00:00.000Z', to: '2014-03-31T23:59:59.999Z' };
    expect(cost.report(now, period)).toEqual(cost.report(now, period, undefined, 'facts'));
    expect(cost.report(now, period).totals.meetingsAttended).toBeLessThan(
      cost.report(now).totals.meetingsAttended,
    );
  });

  it('lists only the partners selected (a page), with totals over every partner', () => {
    const now = l.at('2100-01-01');
    const whole = cost.report(now);
    const page = cost.report(now, { select: (ids) => new Set(ids.slice(1, 2)) });
    expect(page.partners).toEqual(whole.partners.slice(1, 2));
    expect({ ...page, partners: [] }).toEqual({ ...whole, partners: [] });
    expect(page.totals.partners).toBe(whole.partners.length);
  });

  it('a rebuild folds the sums once, after the last event, to the rows kept per event', () => {
    const db = openReadStore(':memory:');
    const projections = createLedgerProjections();
    installProjections(db, projections, { indexes: false });
    for (const p of projections) p.bulkReplay?.('start');
    db.transaction(() => {
      for (const event of l.events) for (const p of projections) p.apply(event);
    })();
    db.transaction(() => {
      for (const p of projections) p.bulkReplay?.('finish');
    })();
    installIndexes(db, projections);
    const rows = (from: typeof db, sql: string) =>
      from.prepare<[], Record<string, unknown>>(sql).all();
    for (const sql of [
      'SELECT * FROM rep_part_groups ORDER BY group_id',
      'SELECT * FROM rep_part_pairs ORDER BY group_id, partner_id',
      'SELECT * FROM rep_cost_attendance ORDER BY partner_id, position',
      'SELECT partner_id, position, type, occurred_at FROM rep_cost_facts ORDER BY 1, 2',
      'SELECT * FROM rep_tally_horizon',
    ])
      expect(rows(db, sql)).toEqual(rows(l.db, sql));
    // A partner's claims and other payments, whatever order they were counted in.
    const costs = (from: typeof db) =>
      rows(from, 'SELECT * FROM rep_cost_partners ORDER BY partner_id').map((row) => ({
        ...row,
        claims: (JSON.parse(String(row.claims)) as Array<[string, unknown]>).sort(([a], [b]) =>
          a.localeCompare(b),
        ),
        other: (JSON.parse(String(row.other)) as Array<{ position: number }>).sort(
          (a, b) => a.position - b.position,
        ),
      }));
    expect(costs(db)).toEqual(costs(l.db));
    // And the reports over it, kept and folded, are those of the per-event store.
    const partners = new PartnerQueries(db);
    const reports = new ReportQueries(db, partners, new GovernanceQueries(db));
    const rebuilt = new InvolvementCostQueries(db, partners);
    const now = l.at('2100-01-01');
    for (const scope of [null, ...new ProgrammeScopes(db).scopes()]) {
      expect(reports.participation(now, undefined, scope)).toEqual(
        l.reports.participation(now, undefined, scope, 'facts'),
      );
      expect(rebuilt.report(now, { scope })).toEqual(
        cost.report(now, { scope }, undefined, 'facts'),
      );
    }
    // Events after the rebuild add to the folded sums as they would have.
    const later = {
      groupId: 'board',
      meetingId: 'm9',
      attendees: ['a', 'b'],
      apologies: ['c'],
      durationMinutes: 75,
      occurredAt: '2014-09-15T10:00:00.000Z',
    };
    const event = l.record('MeetingHeld', later);
    db.transaction(() => {
      for (const p of projections) p.apply(event);
    })();
    expect(reports.participation(now)).toEqual(l.reports.participation(now));
    expect(rebuilt.report(now)).toEqual(cost.report(now));
  });
});
