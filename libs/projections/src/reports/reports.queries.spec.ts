import { bulkRebuild, keptRows } from '../testing/bulk-rebuild.js';
import { facts, ledgerFixture, type LedgerFixture } from '../testing/ledger-fixture.js';
import { expectedMeetings, monthEnds } from './reports.queries.js';

const recruit = (
  l: LedgerFixture,
  id: string,
  steps: {
    workshop?: boolean;
    interest?: boolean;
    appointed?: string;
    withdrew?: [string, string];
  },
  extra: Record<string, unknown> = {},
) => {
  l.record('PartnerNominated', facts.nominated(id, '2013-11-01', extra));
  if (steps.workshop)
    l.record('WorkshopAttended', { partnerId: id, workshopId: 'w1', occurredAt: '2013-11-10' });
  if (steps.interest) l.record('InterestExpressed', { partnerId: id, occurredAt: '2013-11-12' });
  if (steps.appointed)
    l.record('PartnerAppointed', {
      partnerId: id,
      body: steps.appointed,
      occurredAt: '2013-12-01',
    });
  if (steps.withdrew)
    l.record('PartnerWithdrew', {
      partnerId: id,
      reason: steps.withdrew[0],
      occurredAt: steps.withdrew[1],
    });
};

describe('reports (queries over the read models)', () => {
  let l: LedgerFixture;
  beforeEach(() => {
    l = ledgerFixture();
  });

  describe('recruitment funnel', () => {
    beforeEach(() => {
      recruit(l, 'a', { workshop: true, interest: true, appointed: 'advisory-group' });
      recruit(l, 'b', {
        workshop: true,
        interest: true,
        appointed: 'advisory-group',
        withdrew: ['no-remuneration', '2014-03-01'],
      });
      recruit(l, 'c', { workshop: true, interest: true, appointed: 'forum' });
      recruit(l, 'd', { workshop: true, interest: true });
      recruit(l, 'e', { workshop: true, withdrew: ['time-commitment', '2013-11-20'] });
      recruit(
        l,
        'f',
        {},
        {
          campaign: 'refresh-2014',
          nominatedBy: { organisation: 'Brent CCG', organisationKind: 'ccg' },
        },
      );
      l.record('PartnerRegistered', {
        partnerId: 'pro',
        name: 'Pro',
        organisation: 'LA',
        constituency: 'local-authority',
        occurredAt: '2013-11-01',
      });
    });

    it('counts each stage with drop-off, appointments by body and withdrawal reasons', () => {
      const [design, refresh] = l.reports.recruitmentFunnel(l.at('2014-06-01'));
      expect(design).toEqual({
        campaign: 'design-2013',
        organisationKind: null,
        stages: [
          { stage: 'nominated', count: 5, dropOff: 0 },
          { stage: 'attendedWorkshop', count: 5, dropOff: 0 },
          { stage: 'expressedInterest', count: 4, dropOff: 1 },
          { stage: 'appointed', count: 3, dropOff: 1 },
          { stage: 'active', count: 2, dropOff: 1 },
        ],
        appointedByBody: { 'advisory-group': 2, forum: 1 },
        withdrawalReasons: { 'time-commitment': 1, 'no-remuneration': 1 },
      });
      expect(refresh!.stages[0]).toEqual({ stage: 'nominated', count: 1, dropOff: 0 });
    });

    it('is still active at asOf: a later withdrawal does not count yet', () => {
      const [design] = l.reports.recruitmentFunnel(l.at('2014-01-01'));
      expect(design!.stages[4]).toEqual({ stage: 'active', count: 3, dropOff: 0 });
      expect(design!.withdrawalReasons).toEqual({ 'time-commitment': 1 });
    });

    it('answers "now" from the funnel kept per event, as folding the facts would', () => {
      // A backdated nomination of someone already appointed, and a second withdrawal:
      // the first in business time counts either way.
      l.record(
        'PartnerNominated',
        facts.nominated('c', '2013-10-01', {
          campaign: 'earlier',
          nominatedBy: { organisation: 'Ealing CCG', organisationKind: 'ccg' },
        }),
      );
      l.record('PartnerWithdrew', { partnerId: 'b', reason: 'moved', occurredAt: '2014-02-01' });
      l.record('PartnerAppointed', { partnerId: 'a', body: 'forum', occurredAt: '2014-02-01' });
      const now = l.at('2100-01-01');
      const sorted = (ps: ReturnType<typeof l.reports.funnelPartners>) =>
        ps.map((p) => ({ ...p, bodies: [...p.bodies].sort() }));
      expect(sorted(l.reports.funnelPartners(now))).toEqual(
        sorted(l.reports.funnelPartners(now, 'facts')),
      );
      expect(l.reports.funnelPartners(now).find((p) => p.partnerId === 'b')).toMatchObject({
        withdrawalAt: '2014-02-01T23:59:59.999Z',
        withdrawalReason: 'moved',
      });
      expect(l.reports.funnelPartners(now).find((p) => p.partnerId === 'c')).toMatchObject({
        campaign: 'earlier',
        organisationKind: 'ccg',
      });
      const [design] = l.reports.recruitmentFunnel(now);
      expect(design!.appointedByBody).toEqual({ 'advisory-group': 2, forum: 1 }); // c is in 'earlier' now
    });

    it('folds the facts known at a time point that does not see them all', () => {
      const known = l.reports.funnelPartners(l.at('2013-11-11'));
      expect(known.find((p) => p.partnerId === 'a')).toMatchObject({
        workshops: true,
        interest: false,
        bodies: [],
      });
      expect(l.reports.funnelPartners(l.at('2013-10-01'))).toEqual([]);
    });

    it('splits by nominating organisation kind', () => {
      const rows = l.reports.funnelByOrganisationKind(l.at('2014-06-01'));
      expect(rows.map((r) => [r.organisationKind, r.stages[0]!.count])).toEqual([
        ['ccg', 1],
        ['healthwatch', 5],
      ]);
    });
  });

  describe('participation', () => {
    beforeEach(() => {
      l.record(
        'GroupEstablished',
        facts.group('board', '2014-01-01', { name: 'Board', cadence: 'monthly' }),
      );
      for (const id of ['ann', 'bob', 'cat']) recruit(l, id, { appointed: 'advisory-group' });
      l.record('SeatAllocated', facts.seat('board', 's1', 'ann', '2014-01-01'));
      l.record('SeatAllocated', facts.seat('board', 's2', 'bob', '2014-01-01'));
      l.record('SeatAllocated', facts.seat('board', 's3', 'cat', '2014-02-15'));
      const meeting = (meetingId: string, on: string, attendees: string[], apologies: string[]) =>
        l.record('MeetingHeld', {
          groupId: 'board',
          meetingId,
          attendees,
          apologies,
          durationMinutes: 90,
          occurredAt: on,
        });
      meeting('m1', '2014-01-20', ['ann'], ['bob']);
      meeting('m2', '2014-02-20', ['ann', 'cat'], []);
      // Bob's seat is vacated after m2 and before m3.
      l.record('SeatVacated', {
        groupId: 'board',
        seatId: 's2',
        partnerId: 'bob',
        reason: 'stood down',
        occurredAt: '2014-03-01',
      });
      meeting('m3', '2014-03-20', ['ann'], []);
    });

    it('compares meetings held with those expected from the cadence', () => {
      const { groups } = l.reports.participation(l.at('2014-04-15'));
      expect(groups).toEqual([
        expect.objectContaining({
          groupId: 'board',
          cadence: 'monthly',
          meetingsHeld: 3,
          meetingsExpected: 3,
          hours: 4.5,
        }),
      ]);
    });

    it('counts attended, apologies and missed against the seats held on each meeting’s date', () => {
      const { partners } = l.reports.participation(l.at('2014-04-15'));
      const by = Object.fromEntries(partners.map((p) => [p.partnerId, p]));
      expect(by.ann).toMatchObject({
        meetingsWhileSeated: 3,
        attended: 3,
        apologies: 0,
        missed: 0,
        hours: 4.5,
        hoursByMonth: { '2014-01': 1.5, '2014-02': 1.5, '2014-03': 1.5 },
      });
      // Apologies at m1, missed m2, not seated at m3.
      expect(by.bob).toMatchObject({
        meetingsWhileSeated: 2,
        attended: 0,
        apologies: 1,
        missed: 1,
      });
      // Not seated at m1.
      expect(by.cat).toMatchObject({ meetingsWhileSeated: 2, attended: 1, missed: 1 });
    });

    it('answers as the record stood: a vacancy recorded late leaves the seat held', () => {
      const late = ledgerFixture();
      late.record('GroupEstablished', facts.group('board', '2014-01-01'));
      recruit(late, 'bob', { appointed: 'advisory-group' });
      late.record('SeatAllocated', facts.seat('board', 's2', 'bob', '2014-01-01'));
      late.record(
        'SeatVacated',
        { groupId: 'board', seatId: 's2', partnerId: 'bob', reason: 'x', occurredAt: '2014-01-10' },
        '2014-06-01',
      );
      late.record('MeetingHeld', {
        groupId: 'board',
        meetingId: 'm1',
        attendees: [],
        apologies: [],
        durationMinutes: 60,
        occurredAt: '2014-01-20',
      });
      expect(late.reports.participation(late.at('2014-05-01', '2014-05-01')).partners).toEqual([
        expect.objectContaining({ partnerId: 'bob', missed: 1 }),
      ]);
      expect(late.reports.participation(late.at('2014-05-01')).partners).toEqual([]);
    });
  });

  describe('representation', () => {
    beforeEach(() => {
      l.record('ProgrammeLaunched', facts.programme('2013-10-01', ['Brent', 'Ealing', 'Harrow']));
      l.record(
        'GroupEstablished',
        facts.group('board', '2013-10-01', { laySeats: { min: 2, max: 2 } }),
      );
      l.record(
        'GroupEstablished',
        facts.group('ea-brent', '2013-10-01', {
          kind: 'early-adopter-site',
          level: 'borough',
          borough: 'Brent',
          laySeats: { min: 1, max: 2 },
        }),
      );
      for (const id of ['ann', 'bob', 'cat']) recruit(l, id, { appointed: 'advisory-group' });
      l.record('SeatAllocated', facts.seat('board', 's1', 'ann', '2014-01-10'));
      l.record('SeatAllocated', facts.seat('board', 's2', 'bob', '2014-02-10'));
      l.record('SeatAllocated', facts.seat('ea-brent', 's1', 'cat', '2014-03-10'));
      // Bob leaves on 2014-04-30, recorded on 2014-06-01.
      l.record(
        'SeatVacated',
        { groupId: 'board', seatId: 's2', partnerId: 'bob', reason: 'x', occurredAt: '2014-04-30' },
        '2014-06-01',
      );
    });

    it('gives lay seats against the minimum, groups below it and borough coverage', () => {
      const march = l.reports.representation(l.at('2014-03-31'));
      expect(march.groups.map((g) => [g.groupId, g.filled, g.min, g.belowMinimum])).toEqual([
        ['board', 2, 2, false],
        ['ea-brent', 1, 1, false],
      ]);
      expect(march).toMatchObject({
        belowMinimum: [],
        boroughs: ['Brent', 'Ealing', 'Harrow'],
        boroughsCovered: ['Brent'],
        boroughsUncovered: ['Ealing', 'Harrow'],
      });
      expect(l.reports.representation(l.at('2014-05-31')).belowMinimum).toEqual(['board']);
      // Before the vacancy was recorded, the board was believed to be full.
      expect(l.reports.representation(l.at('2014-05-31', '2014-05-31')).belowMinimum).toEqual([]);
    });

    it('gives a series of month-end points', () => {
      const points = l.reports.representationSeries(
        '2014-01-01T00:00:00.000Z',
        '2014-05-31T23:59:59.999Z',
        Date.parse('2100-01-01'),
      );
      expect(points.map((p) => [p.asOf.slice(0, 10), p.belowMinimum, p.boroughsCovered])).toEqual([
        ['2014-01-31', ['board', 'ea-brent'], []],
        ['2014-02-28', ['ea-brent'], []],
        ['2014-03-31', [], ['Brent']],
        ['2014-04-30', ['board'], ['Brent']],
        ['2014-05-31', ['board'], ['Brent']],
      ]);
    });
  });

  describe('representation periods (exact intervals)', () => {
    const day = (d: string) => `${d}T23:59:59.999Z`;
    const periodsOf = (point: ReturnType<LedgerFixture['reports']['representation']>) =>
      Object.fromEntries(
        (point.periods ?? []).map((g) => [
          g.groupId,
          { below: g.belowMinimum, over: g.overMaximum, dissolvedAt: g.dissolvedAt },
        ]),
      );

    beforeEach(() => {
      l.record(
        'GroupEstablished',
        facts.group('board', '2013-10-01', { laySeats: { min: 2, max: 2 } }),
      );
      l.record(
        'GroupEstablished',
        facts.group('ea-brent', '2013-10-01', { laySeats: { min: 1, max: 2 } }),
      );
      for (const id of ['ann', 'bob', 'cat', 'dee'])
        recruit(l, id, { appointed: 'advisory-group' });
      l.record('SeatAllocated', facts.seat('board', 's1', 'ann', '2014-01-10'));
      l.record('SeatAllocated', facts.seat('board', 's2', 'bob', '2014-02-10'));
      l.record('SeatAllocated', facts.seat('ea-brent', 's1', 'cat', '2014-03-10'));
      // Bob leaves on 2014-04-30, recorded on 2014-06-01.
      l.record(
        'SeatVacated',
        { groupId: 'board', seatId: 's2', partnerId: 'bob', reason: 'x', occurredAt: '2014-04-30' },
        '2014-06-01',
      );
      // A legacy paper record entered on 2014-07-01: Dee sat on the full board in March and April.
      l.record('SeatAllocated', facts.seat('board', 's3', 'dee', '2014-03-01'), '2014-07-01');
      l.record(
        'SeatVacated',
        { groupId: 'board', seatId: 's3', partnerId: 'dee', reason: 'x', occurredAt: '2014-04-15' },
        '2014-07-01',
      );
    });

    it('gives each group’s exact periods below the minimum and over the maximum', () => {
      expect(periodsOf(l.reports.representation(l.at('2014-05-31')))).toEqual({
        board: {
          below: [
            { from: day('2013-10-01'), until: day('2014-02-10') },
            { from: day('2014-04-30'), until: null },
          ],
          over: [{ from: day('2014-03-01'), until: day('2014-04-15') }],
          dissolvedAt: null,
        },
        'ea-brent': {
          below: [{ from: day('2013-10-01'), until: day('2014-03-10') }],
          over: [],
          dissolvedAt: null,
        },
      });
    });

    it('agrees with the point answer at asOf: an open period means below the minimum then', () => {
      for (const asOf of ['2014-01-31', '2014-02-10', '2014-03-31', '2014-04-30', '2014-05-31']) {
        const point = l.reports.representation(l.at(asOf));
        const open = (point.periods ?? [])
          .filter((g) => g.belowMinimum.at(-1)?.until === null)
          .map((g) => g.groupId);
        expect(open).toEqual(point.belowMinimum);
      }
    });

    it('as known before late entries: no legacy seat, and the vacancy not yet known', () => {
      expect(periodsOf(l.reports.representation(l.at('2014-05-31', '2014-05-31'))).board).toEqual({
        below: [{ from: day('2013-10-01'), until: day('2014-02-10') }],
        over: [],
        dissolvedAt: null,
      });
      // Known on 2014-06-15: the vacancy, but not yet the legacy seat.
      expect(periodsOf(l.reports.representation(l.at('2014-12-31', '2014-06-15'))).board).toEqual({
        below: [
          { from: day('2013-10-01'), until: day('2014-02-10') },
          { from: day('2014-04-30'), until: null },
        ],
        over: [],
        dissolvedAt: null,
      });
    });

    it('stops at asOf: a period still running then has no end yet', () => {
      expect(periodsOf(l.reports.representation(l.at('2014-02-01'))).board?.below).toEqual([
        { from: day('2013-10-01'), until: null },
      ]);
      expect(periodsOf(l.reports.representation(l.at('2014-03-05'))).board?.over).toEqual([
        { from: day('2014-03-01'), until: null },
      ]);
    });

    it('keeps a dissolved group, its periods ending at the dissolution', () => {
      l.record('SeatVacated', {
        groupId: 'ea-brent',
        seatId: 's1',
        partnerId: 'cat',
        reason: 'x',
        occurredAt: '2014-05-01',
      });
      l.record('GroupDissolved', { groupId: 'ea-brent', occurredAt: '2014-05-15' });
      const later = l.reports.representation(l.at('2014-12-31'));
      expect(later.groups.map((g) => g.groupId)).toEqual(['board']);
      expect(periodsOf(later)['ea-brent']).toEqual({
        below: [
          { from: day('2013-10-01'), until: day('2014-03-10') },
          { from: day('2014-05-01'), until: day('2014-05-15') },
        ],
        over: [],
        dissolvedAt: day('2014-05-15'),
      });
      expect(
        l.reports.representationSeries('2014-01-01', '2014-02-28', Date.now())[0],
      ).not.toHaveProperty('periods');
    });
  });

  describe('expenses', () => {
    it('gives claims with status and days to settle; totals by partner and month', () => {
      recruit(l, 'ann', { appointed: 'advisory-group' });
      const claim = (claimId: string, pence: number, on: string) =>
        l.record('ExpenseClaimed', {
          partnerId: 'ann',
          claimId,
          amountPence: pence,
          category: 'travel',
          incurredOn: on,
          occurredAt: on,
        });
      claim('c1', 1250, '2014-01-10');
      claim('c2', 800, '2014-01-20');
      claim('c3', 400, '2014-02-02');
      l.record('ExpenseReimbursed', {
        partnerId: 'ann',
        claimId: 'c1',
        amountPence: 1250,
        occurredAt: '2014-01-24',
      });
      l.record('ExpenseRejected', {
        partnerId: 'ann',
        claimId: 'c2',
        reason: 'no receipt',
        occurredAt: '2014-02-20',
      });
      const report = l.reports.expenses(l.at('2014-03-01'));
      expect(report.claims.map((c) => [c.claimId, c.status, c.daysToSettle])).toEqual([
        ['c1', 'reimbursed', 14],
        ['c2', 'rejected', 31],
        ['c3', 'claimed', null],
      ]);
      expect(report.byPartnerMonth).toEqual([
        expect.objectContaining({
          month: '2014-01',
          claims: 2,
          claimedPence: 2050,
          reimbursedPence: 1250,
          rejectedPence: 800,
        }),
        expect.objectContaining({
          month: '2014-02',
          claims: 1,
          claimedPence: 400,
          outstandingPence: 400,
        }),
      ]);
      expect(report.totals).toEqual({
        claims: 3,
        claimedPence: 2450,
        reimbursedPence: 1250,
        rejectedPence: 800,
        outstandingPence: 400,
        averageDaysToSettle: 22.5,
      });
      expect(l.reports.expenses(l.at('2014-01-31')).totals.outstandingPence).toBe(800);
    });

    it('answers "now" from the claims kept per event, as folding the facts would', () => {
      l.record('ProgrammeLaunched', facts.programme('2013-10-01', []));
      l.record('ProgrammeLaunched', {
        ...facts.programme('2013-10-01', []),
        programmeId: 'carers',
        name: 'Carers',
      });
      recruit(l, 'ann', { appointed: 'advisory-group' });
      recruit(l, 'bob', { appointed: 'forum' }, { programmeId: 'carers' });
      const claim = (partnerId: string, claimId: string, pence: number, on: string, rec?: string) =>
        l.record(
          'ExpenseClaimed',
          {
            partnerId,
            claimId,
            amountPence: pence,
            category: 'travel',
            incurredOn: on,
            occurredAt: on,
          },
          rec,
        );
      const settle = (
        type: 'ExpenseReimbursed' | 'ExpenseRejected',
        partnerId: string,
        claimId: string,
        on: string,
        rec?: string,
        extra: Record<string, unknown> = {},
      ) => l.record(type, { partnerId, claimId, occurredAt: on, ...extra }, rec);
      claim('ann', 'c1', 1250, '2014-01-10');
      claim('ann', 'c2', 800, '2014-01-20');
      claim('bob', 'c1', 300, '2014-01-20');
      // Settled in March, but recorded only in June: backdated.
      settle('ExpenseReimbursed', 'ann', 'c1', '2014-03-01', '2014-06-01', { amountPence: 1000 });
      // Rejected, then (later in business time) reimbursed: the first settlement counts.
      settle('ExpenseReimbursed', 'bob', 'c1', '2014-02-15');
      settle('ExpenseRejected', 'bob', 'c1', '2014-02-10', '2014-07-01', { reason: 'no receipt' });
      // A settlement before its claim (in business time) settles nothing.
      settle('ExpenseRejected', 'ann', 'c2', '2014-01-05', undefined, { reason: 'early' });
      claim('ann', 'c3', 400, '2014-02-02');
      claim('bob', 'c4', 200, '2014-02-02', '2014-08-01');
      settle('ExpenseRejected', 'ann', 'c3', '2014-04-01', undefined, { reason: 'duplicate' });
      // A settlement recorded before its claim (out of order in the log).
      settle('ExpenseReimbursed', 'bob', 'c5', '2014-03-10');
      claim('bob', 'c5', 700, '2014-03-01', '2014-09-01');
      l.replayAll();
      const [nwl, carers] = l.scopes.scopes();
      const points = [
        l.at('2100-01-01'),
        l.at('2014-12-31'),
        l.at('2014-03-05'),
        l.at('2014-12-31', '2014-06-15'),
        l.at('2014-02-12', '2014-07-02'),
      ];
      for (const at of points)
        for (const scope of [nwl, carers, null])
          for (const page of [null, { limit: 2 }, { limit: 1, after: ['2014-01-20'] }])
            expect(l.reports.expensesPage(at, undefined, scope, page)).toEqual(
              l.reports.expensesPage(at, undefined, scope, page, 'facts'),
            );
      // Pages of two, kept or folded: the same pages, the whole list in order, sums whole.
      for (const source of ['auto', 'facts'] as const) {
        const whole = l.reports.expensesPage(l.at('2100-01-01'), undefined, null, null, source);
        const claims: unknown[] = [];
        let after: string[] | null = null;
        do {
          const page = l.reports.expensesPage(
            l.at('2100-01-01'),
            undefined,
            null,
            { limit: 2, after },
            source,
          );
          expect({ ...page.report, claims: [] }).toEqual({ ...whole.report, claims: [] });
          claims.push(...page.report.claims);
          after = page.next;
        } while (after !== null);
        expect(claims).toEqual(whole.report.claims);
      }
      // A rebuild folds every claim once, after its last event, to the rows kept per event (and
      // a replay that fails midway keeps what it committed, folded, then goes on per event).
      for (const abandonAfter of [undefined, 8, l.events.length - 3]) {
        const db = bulkRebuild(l.events, abandonAfter === undefined ? {} : { abandonAfter });
        expect(keptRows(db, 'exp_')).toEqual(keptRows(l.db, 'exp_'));
        db.close();
      }
      // The kept rows are read when the time point sees every fact: they alone give the answer.
      const kept = l.reports.expenses(l.at('2100-01-01'));
      l.db.exec("DELETE FROM pf_facts WHERE type LIKE 'Expense%'");
      expect(l.reports.expenses(l.at('2100-01-01'))).toEqual(kept);
      expect(
        kept.claims.map((c) => [c.partnerId, c.claimId, c.status, c.settledAt?.slice(0, 10)]),
      ).toEqual([
        ['ann', 'c1', 'reimbursed', '2014-03-01'],
        ['ann', 'c2', 'claimed', undefined],
        ['bob', 'c1', 'rejected', '2014-02-10'],
        ['ann', 'c3', 'rejected', '2014-04-01'],
        ['bob', 'c4', 'claimed', undefined],
        ['bob', 'c5', 'reimbursed', '2014-03-10'],
      ]);
      expect(kept.totals).toMatchObject({ claims: 6, reimbursedPence: 1700, rejectedPence: 700 });
      expect(l.reports.expenses(l.at('2100-01-01'), undefined, carers).totals.claims).toBe(3);
    });
  });

  it('counts cadence periods and month ends', () => {
    expect(
      expectedMeetings('monthly', '2014-01-15T00:00:00.000Z', '2014-04-14T00:00:00.000Z'),
    ).toBe(2);
    expect(
      expectedMeetings('monthly', '2014-01-15T00:00:00.000Z', '2014-04-15T00:00:00.000Z'),
    ).toBe(3);
    expect(
      expectedMeetings('fortnightly', '2014-01-01T00:00:00.000Z', '2014-02-12T00:00:00.000Z'),
    ).toBe(3);
    expect(
      expectedMeetings('quarterly', '2014-01-01T00:00:00.000Z', '2014-12-31T00:00:00.000Z'),
    ).toBe(3);
    expect(
      expectedMeetings('ad-hoc', '2014-01-01T00:00:00.000Z', '2014-12-31T00:00:00.000Z'),
    ).toBeNull();
    expect(monthEnds('2014-01-31T23:59:59.999Z', '2014-03-15T00:00:00.000Z')).toEqual([
      '2014-01-31T23:59:59.999Z',
      '2014-02-28T23:59:59.999Z',
    ]);
  });
});
