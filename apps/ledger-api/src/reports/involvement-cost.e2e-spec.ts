import { nomination, programmeBoard } from '../../../../test/support/fixtures.js';
import { startTestLedger, type TestLedger } from '../../../../test/support/test-ledger.js';

const json = { 'content-type': 'application/json' };
const ROUTE = '/v1/reports/involvement-cost';

interface Figures {
  meetingsAttended: number;
  hoursAttended: number;
  expensesClaimedPence: number;
  paymentsMade: number;
  paymentsMadePence: number;
  paymentsDeclined: number;
  paymentsDeclinedPence: number;
}
interface PartnerRow {
  partnerId: string;
  partnerName: string;
  withdrawal: { reason: string } | null;
  totals: Figures;
  byMonth: Array<Figures & { month: string; roleLevel: string | null }>;
  evidence: number[];
}
interface Report {
  asOf: string;
  knownAt: string;
  partners: PartnerRow[];
  totals: Figures & { partners: number };
  byRoleLevel: Array<Figures & { roleLevel: string | null; partners: number }>;
  withdrawals: {
    stayed: Figures & { partners: number };
    withdrawn: Figures & { partners: number; partnersDeclining: number };
    byReason: Array<{ reason: string; partners: number }>;
  };
  /** The next page of partners' cursor. */
  next: string | null;
}

/**
 * Two programmes over HTTP: NWL pays its lay co-chairs per meeting, a carers'
 * programme pays nobody. Role levels come from the profiles in force; the
 * report answers per programme, as of a date and as known at a time.
 */
describe('the cost and value of involvement over HTTP', () => {
  let ledger: TestLedger;
  let position = 0;
  /** Before the late payment was recorded. */
  let beforeLatePayment = '';

  const send = (path: string, body: Record<string, unknown>) =>
    ledger.http().post(path).set(json).send(body);
  const post = async (path: string, body: Record<string, unknown>) => {
    const response = await send(path, body);
    if (response.status !== 201)
      throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    position = Math.max(position, response.body.position as number);
    return response.body as { position: number; recordedAt: string };
  };
  const get = async (
    query: Record<string, string> = {},
    role: 'auditor' | 'evaluator' | 'programme-office' = 'auditor',
  ) =>
    ledger
      .http(role)
      .get(ROUTE)
      .query({ minPosition: String(position), ...query });
  const report = async (query: Record<string, string>, role?: 'evaluator') => {
    const response = await get(query, role);
    expect(response.status).toBe(200);
    return response.body as Report;
  };

  beforeAll(async () => {
    ledger = await startTestLedger();
    for (const [programmeId, boroughs] of [
      ['nwl', ['Brent']],
      ['carers', ['Camden']],
    ] as const) {
      await post('/v1/programmes', {
        programmeId,
        name: programmeId,
        boroughs,
        occurredAt: '2013-10-01',
      });
    }
    const profile = {
      meetingsPerMonth: 2,
      hoursPerMonth: 8,
      expensesReimbursed: true,
      summary: 'Lay partner',
    };
    await post('/v1/programmes/nwl/role-profiles', {
      ...profile,
      paid: false,
      occurredAt: '2013-10-02',
    });
    await post('/v1/programmes/nwl/role-profiles', {
      ...profile,
      paid: true,
      roleLevel: 'lay-co-chair',
      involvementPayment: { amountPence: 15_000, currency: 'GBP', per: 'meeting' },
      occurredAt: '2014-02-01',
    });
    await post('/v1/programmes/carers/role-profiles', {
      ...profile,
      paid: false,
      roleLevel: 'carer-partner',
      involvementPayment: { amountPence: 0, currency: 'GBP', per: 'hour' },
      occurredAt: '2013-10-02',
    });
    await post('/v1/groups', { ...programmeBoard(), programmeId: 'nwl' });
    await post('/v1/groups', {
      ...programmeBoard({ groupId: 'carers-board', name: 'Carers Board' }),
      programmeId: 'carers',
    });
    for (const [id, programmeId] of [
      ['ann', 'nwl'],
      ['bob', 'nwl'],
      ['cal', 'carers'],
    ] as const) {
      await post('/v1/partners/nominations', { ...nomination(id, `${id} Example`), programmeId });
      await post(`/v1/partners/${id}/appointment`, {
        body: 'advisory-group',
        occurredAt: '2013-12-01',
      });
    }
    // Seats named no level: the only level in force then (lay-partner; carer-partner).
    for (const [group, seatId, partnerId] of [
      ['programme-board', 'lay-1', 'ann'],
      ['programme-board', 'lay-2', 'bob'],
      ['carers-board', 'lay-1', 'cal'],
    ] as const) {
      await post(`/v1/groups/${group}/seats`, {
        seatId,
        partnerId,
        constituency: 'lay',
        occurredAt: '2014-01-02',
      });
    }
    await post('/v1/groups/programme-board/meetings', {
      meetingId: 'pb-1',
      attendees: ['ann', 'bob'],
      durationMinutes: 120,
      occurredAt: '2014-01-15',
    });
    await post('/v1/groups/carers-board/meetings', {
      meetingId: 'cb-1',
      attendees: ['cal'],
      durationMinutes: 60,
      occurredAt: '2014-01-20',
    });
    await post('/v1/groups/programme-board/co-chairs', {
      partnerId: 'ann',
      constituency: 'lay',
      roleLevel: 'lay-co-chair',
      occurredAt: '2014-02-03',
    });
    await post('/v1/groups/programme-board/meetings', {
      meetingId: 'pb-2',
      attendees: ['ann', 'bob'],
      durationMinutes: 90,
      occurredAt: '2014-02-12',
    });
    await post('/v1/partners/ann/involvement-payments', {
      paymentId: 'ip-ann-1',
      amountPence: 15_000,
      roleLevel: 'lay-co-chair',
      occurredAt: '2014-02-28',
    });
    await post('/v1/partners/bob/involvement-payments/declined', {
      paymentId: 'ip-bob-1',
      amountPence: 5_000,
      occurredAt: '2014-02-28',
    });
    await post('/v1/partners/cal/expenses', {
      claimId: 'cc-1',
      amountPence: 900,
      category: 'travel',
      incurredOn: '2014-01-20',
      occurredAt: '2014-01-21',
    });
    const last = await post('/v1/partners/bob/withdrawal', {
      reason: 'no-remuneration',
      occurredAt: '2014-03-01',
    });
    // The next record time is after everything above (record times are in ms).
    while (Date.now() <= Date.parse(last.recordedAt)) await new Promise(setImmediate);
    beforeLatePayment = new Date(Date.parse(last.recordedAt)).toISOString();
    // Recorded late: ann's January payment.
    await post('/v1/partners/ann/involvement-payments', {
      paymentId: 'ip-ann-0',
      amountPence: 15_000,
      roleLevel: 'lay-co-chair',
      occurredAt: '2014-02-10',
    });
  }, 120_000); // some forty commands over HTTP on a busy machine
  afterAll(() => ledger?.destroy());

  it('sums hours, expenses and payments per partner, by month and role level', async () => {
    const r = await report({ programmeId: 'nwl', asOf: '2014-12-31' });
    expect(r.partners.map((p) => p.partnerId)).toEqual(['ann', 'bob']);
    const ann = r.partners[0]!;
    expect(ann.totals).toMatchObject({
      meetingsAttended: 2,
      hoursAttended: 3.5,
      paymentsMade: 2,
      paymentsMadePence: 30_000,
    });
    expect(
      ann.byMonth.map((m) => [m.month, m.roleLevel, m.hoursAttended, m.paymentsMadePence]),
    ).toEqual([
      ['2014-01', 'lay-partner', 2, 0],
      ['2014-02', 'lay-co-chair', 1.5, 30_000],
    ]);
    expect(ann.evidence).toHaveLength(4);
    expect(r.partners[1]!.totals).toMatchObject({
      paymentsDeclined: 1,
      paymentsDeclinedPence: 5_000,
    });
    expect(r.totals).toMatchObject({ partners: 2, meetingsAttended: 4, hoursAttended: 7 });
    expect(r.byRoleLevel.map((x) => [x.roleLevel, x.partners, x.hoursAttended])).toEqual([
      ['lay-co-chair', 1, 1.5],
      ['lay-partner', 2, 5.5],
    ]);
    expect(r.withdrawals.withdrawn).toMatchObject({
      partners: 1,
      hoursAttended: 3.5,
      partnersDeclining: 1,
    });
    expect(r.withdrawals.stayed).toMatchObject({ partners: 1, paymentsMadePence: 30_000 });
    expect(r.withdrawals.byReason).toEqual([
      expect.objectContaining({ reason: 'no-remuneration', partners: 1 }),
    ]);
  });

  it('lists partners a page at a time; totals and withdrawals still cover every partner', async () => {
    const whole = await report({ programmeId: 'nwl' });
    expect(whole.next).toBeNull();
    const first = await report({ programmeId: 'nwl', limit: '1' });
    expect(first.partners.map((p) => p.partnerId)).toEqual(['ann']);
    expect(first.next).toEqual(expect.any(String));
    const second = await report({ programmeId: 'nwl', limit: '1', cursor: first.next! });
    expect(second.partners).toEqual(whole.partners.slice(1));
    expect(second.next).toBeNull();
    for (const page of [first, second]) {
      expect(page.totals).toEqual(whole.totals);
      expect(page.withdrawals).toEqual(whole.withdrawals);
      expect(page.byRoleLevel).toEqual(whole.byRoleLevel);
    }
    expect((await get({ programmeId: 'nwl', limit: '0' })).body).toMatchObject({
      code: 'invalid_limit',
    });
    expect((await get({ programmeId: 'nwl', cursor: 'nope' })).body).toMatchObject({
      code: 'invalid_cursor',
    });
  });

  it('answers per programme, never a union', async () => {
    const response = await get({ asOf: '2014-12-31' });
    expect(response.status).toBe(200);
    const programmes = response.body.programmes as Array<Report & { programmeId: string }>;
    expect(programmes.map((p) => p.programmeId)).toEqual(['nwl', 'carers']);
    expect(programmes[1]!.partners.map((p) => p.partnerId)).toEqual(['cal']);
    expect(programmes[1]!.partners[0]!.byMonth).toEqual([
      expect.objectContaining({
        month: '2014-01',
        roleLevel: 'carer-partner',
        hoursAttended: 1,
        expensesClaimedPence: 900,
      }),
    ]);
  });

  it('as of a date, as known at a time, within a period, for one partner', async () => {
    const feb = await report({ programmeId: 'nwl', asOf: '2014-02-28' });
    expect(feb.withdrawals.withdrawn.partners).toBe(0);
    const before = await report({
      programmeId: 'nwl',
      asOf: '2014-12-31',
      knownAt: beforeLatePayment,
    });
    expect(before.partners[0]!.totals).toMatchObject({
      paymentsMade: 1,
      paymentsMadePence: 15_000,
    });
    const january = await report({ programmeId: 'nwl', from: '2014-01-01', to: '2014-01-31' });
    expect(january.totals).toMatchObject({
      meetingsAttended: 2,
      hoursAttended: 4,
      paymentsMade: 0,
    });
    const bob = await report({ programmeId: 'nwl', partnerId: 'bob' });
    expect(bob.partners.map((p) => p.partnerId)).toEqual(['bob']);
  });

  it('shows evaluators pseudonyms, and takes them back as filters', async () => {
    const r = await report({ programmeId: 'nwl' }, 'evaluator');
    const text = JSON.stringify(r);
    expect(text).not.toMatch(/\b(ann|bob)\b|Example/);
    const pseudonym = r.partners[1]!.partnerId;
    expect(pseudonym).toMatch(/^P-/);
    const one = await report({ programmeId: 'nwl', partnerId: pseudonym }, 'evaluator');
    expect(one.partners.map((p) => p.partnerId)).toEqual([pseudonym]);
  });

  it('refuses bad parameters and bad payments', async () => {
    expect((await get({ from: '2014-02-01', to: '2014-01-01' })).body.code).toBe('invalid_range');
    expect((await get({ from: 'soon' })).body.code).toBe('invalid_time');
    expect((await get({ partnerId: 'no such/id' })).body.code).toBe('invalid_id');
    expect((await get({ programmeId: 'nope' })).status).toBe(404);
    expect((await get({ colour: 'red' })).body.code).toBe('unknown_parameter');
    const again = await send('/v1/partners/ann/involvement-payments/declined', {
      paymentId: 'ip-ann-1',
      amountPence: 100,
      occurredAt: '2014-03-01',
    });
    expect([again.status, again.body.code]).toEqual([409, 'payment_exists']);
    const negative = await send('/v1/partners/ann/involvement-payments', {
      amountPence: -1,
      occurredAt: '2014-03-01',
    });
    expect(negative.status).toBe(400);
    const withdrawn = await send('/v1/partners/bob/involvement-payments', {
      amountPence: 100,
      occurredAt: '2014-03-02',
    });
    expect([withdrawn.status, withdrawn.body.code]).toEqual([422, 'partner_withdrawn']);
    const level = await send('/v1/groups/carers-board/co-chairs', {
      partnerId: 'cal',
      constituency: 'lay',
      roleLevel: 'lay-co-chair',
      occurredAt: '2014-02-03',
    });
    expect([level.status, level.body.code]).toEqual([422, 'unknown_role_level']);
  });
});
