import { facts, ledgerFixture, type LedgerFixture } from '../testing/ledger-fixture.js';
import { InvolvementCostQueries } from './involvement-cost.js';

/**
 * Two lay partners on one group: `a` stays, sits as `lay-partner` and is
 * co-chair (`lay-co-chair`, paid per meeting) from March; `b` withdraws for
 * the time it took, after two meetings and one declined payment.
 */
function seed(l: LedgerFixture) {
  l.record('ProgrammeLaunched', facts.programme('2013-01-01', ['Brent']));
  l.record('GroupEstablished', facts.group('board', '2013-01-02'));
  for (const id of ['a', 'b']) {
    l.record('PartnerNominated', facts.nominated(id, '2013-11-01'));
    l.record('PartnerAppointed', {
      partnerId: id,
      body: 'advisory-group',
      occurredAt: '2013-12-01',
    });
  }
  l.record('SeatAllocated', {
    ...facts.seat('board', 's-a', 'a', '2014-01-01'),
    roleLevel: 'lay-partner',
  });
  l.record('SeatAllocated', {
    ...facts.seat('board', 's-b', 'b', '2014-01-01'),
    roleLevel: 'lay-partner',
  });
  const meeting = (
    meetingId: string,
    occurredAt: string,
    attendees: string[],
    durationMinutes: number,
  ) =>
    l.record('MeetingHeld', {
      groupId: 'board',
      meetingId,
      attendees,
      apologies: [],
      durationMinutes,
      occurredAt,
    });
  meeting('m1', '2014-01-15', ['a', 'b'], 120);
  meeting('m2', '2014-02-15', ['a', 'b'], 90);
  l.record('CoChairAppointed', {
    groupId: 'board',
    partnerId: 'a',
    constituency: 'lay',
    seatId: 's-a',
    roleLevel: 'lay-co-chair',
    occurredAt: '2014-03-01',
  });
  meeting('m3', '2014-03-15', ['a'], 150);
  l.record('ExpenseClaimed', {
    partnerId: 'a',
    claimId: 'c1',
    amountPence: 1250,
    category: 'travel',
    incurredOn: '2014-01-15',
    occurredAt: '2014-01-20',
  });
  l.record('ExpenseReimbursed', {
    partnerId: 'a',
    claimId: 'c1',
    amountPence: 1250,
    occurredAt: '2014-02-01',
  });
  l.record('ExpenseClaimed', {
    partnerId: 'b',
    claimId: 'c2',
    amountPence: 800,
    category: 'travel',
    incurredOn: '2014-02-15',
    occurredAt: '2014-02-16',
  });
  l.record('InvolvementPaymentRecorded', {
    partnerId: 'a',
    paymentId: 'ip-1',
    amountPence: 15_000,
    currency: 'GBP',
    roleLevel: 'lay-co-chair',
    occurredAt: '2014-03-31',
  });
  l.record('InvolvementPaymentDeclined', {
    partnerId: 'b',
    paymentId: 'ip-2',
    amountPence: 5_000,
    currency: 'GBP',
    occurredAt: '2014-02-20',
  });
  l.record(
    'InvolvementPaymentRecorded',
    {
      partnerId: 'a',
      paymentId: 'ip-3',
      amountPence: 7_000,
      currency: 'EUR',
      occurredAt: '2014-03-31',
    },
    // recorded late: unknown before April
    '2014-04-10',
  );
  l.record('PartnerWithdrew', {
    partnerId: 'b',
    reason: 'time-commitment',
    occurredAt: '2014-03-01',
  });
}

describe('involvement cost (hours, expenses, payments; by month, role level and withdrawal)', () => {
  let l: LedgerFixture;
  let q: InvolvementCostQueries;
  beforeEach(() => {
    l = ledgerFixture();
    q = new InvolvementCostQueries(l.db, l.partners);
    seed(l);
  });

  it('sums per partner, by month and role level, with the positions behind them', () => {
    const r = q.report(l.at('2014-12-31'));
    const a = r.partners.find((p) => p.partnerId === 'a')!;
    expect(a.totals).toEqual({
      meetingsAttended: 3,
      hoursAttended: 6,
      expenseClaims: 1,
      expensesClaimedPence: 1250,
      expensesReimbursedPence: 1250,
      paymentsMade: 1,
      paymentsMadePence: 15_000,
      paymentsDeclined: 0,
      paymentsDeclinedPence: 0,
    });
    expect(
      a.byMonth.map((m) => [m.month, m.roleLevel, m.hoursAttended, m.paymentsMadePence]),
    ).toEqual([
      ['2014-01', 'lay-partner', 2, 0],
      ['2014-02', 'lay-partner', 1.5, 0],
      ['2014-03', 'lay-co-chair', 2.5, 15_000],
    ]);
    expect(a.withdrawal).toBeNull();
    // 3 meetings, a claim, its reimbursement, the GBP payment and the EUR one listed apart
    expect(a.evidence).toHaveLength(7);
    const b = r.partners.find((p) => p.partnerId === 'b')!;
    expect(b.totals).toMatchObject({
      meetingsAttended: 2,
      hoursAttended: 3.5,
      expensesClaimedPence: 800,
      expensesReimbursedPence: 0,
      paymentsDeclined: 1,
      paymentsDeclinedPence: 5_000,
    });
    expect(b.withdrawal).toEqual({ reason: 'time-commitment', at: '2014-03-01T23:59:59.999Z' });
    expect(r.totals).toMatchObject({ partners: 2, meetingsAttended: 5, hoursAttended: 9.5 });
    expect(r.byRoleLevel.map((x) => [x.roleLevel, x.partners, x.hoursAttended])).toEqual([
      ['lay-co-chair', 1, 2.5],
      ['lay-partner', 2, 7],
    ]);
    expect(r.byMonthAndRoleLevel.find((x) => x.month === '2014-01')).toMatchObject({
      partners: 2,
      meetingsAttended: 2,
      hoursAttended: 4,
      expensesClaimedPence: 1250,
    });
    expect(r.otherCurrencies).toEqual([
      expect.objectContaining({
        partnerId: 'a',
        paymentId: 'ip-3',
        currency: 'EUR',
        amountPence: 7_000,
      }),
    ]);
  });

  it('joins withdrawal reasons: who withdrew against who stayed', () => {
    const { withdrawals } = q.report(l.at('2014-12-31'));
    expect(withdrawals.stayed).toMatchObject({
      partners: 1,
      hoursAttended: 6,
      hoursPerPartner: 6,
      partnersPaid: 1,
    });
    expect(withdrawals.withdrawn).toMatchObject({
      partners: 1,
      hoursAttended: 3.5,
      partnersPaid: 0,
      partnersDeclining: 1,
    });
    expect(withdrawals.byReason).toEqual([
      expect.objectContaining({ reason: 'time-commitment', partners: 1, hoursAttended: 3.5 }),
    ]);
  });

  it('answers as of a date and as known at a time, within a period, for one partner', () => {
    const feb = q.report(l.at('2014-02-28'));
    expect(feb.totals).toMatchObject({ meetingsAttended: 4, paymentsDeclined: 1, paymentsMade: 0 });
    expect(feb.withdrawals.withdrawn.partners).toBe(0);
    expect(q.report(l.at('2014-12-31', '2014-04-01')).otherCurrencies).toEqual([]);
    const march = q.report(l.at('2014-12-31'), {
      from: '2014-03-01T00:00:00.000Z',
      to: '2014-03-31T23:59:59.999Z',
    });
    expect(march.totals).toMatchObject({
      meetingsAttended: 1,
      hoursAttended: 2.5,
      paymentsMadePence: 15_000,
    });
    const onlyB = q.report(l.at('2014-12-31'), { partnerId: 'b' });
    expect(onlyB.partners.map((p) => p.partnerId)).toEqual(['b']);
    expect(onlyB.totals.hoursAttended).toBe(3.5);
  });
});
