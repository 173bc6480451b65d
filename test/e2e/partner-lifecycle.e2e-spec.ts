import { nomination, programmeBoard } from '../support/fixtures.js';
import { commandClient, fieldsOf } from '../support/programme-fixtures.js';
import { startTestLedger, type TestLedger } from '../support/test-ledger.js';

/** Every partner route beyond the first slice: success, then each refusal with its code, nothing appended. */
describe('partner lifecycle routes', () => {
  let ledger: TestLedger;
  const client = commandClient(() => ledger);
  const { post, refused } = client;

  beforeAll(async () => {
    ledger = await startTestLedger();
    await post('/v1/groups', programmeBoard()).expect(201);
    await post('/v1/partners/nominations', nomination('ann', 'Ann Example')).expect(201);
    await post('/v1/partners/nominations', nomination('bob', 'Bob Example')).expect(201);
  });
  afterAll(() => ledger.destroy());

  it('registers professionals (201), refuses a lay constituency (400) and a taken id (409)', async () => {
    const created = await post('/v1/partners', {
      partnerId: 'dr-marsh',
      name: 'Dr Helen Marsh',
      organisation: 'Hammersmith and Fulham CCG',
      constituency: 'ccg',
      role: 'Clinical chair',
      occurredAt: '2013-10-01',
    }).expect(201);
    expect(created.body).toEqual({ id: 'dr-marsh', revision: 0, position: expect.any(Number) });
    const invalid = await refused(
      () =>
        post('/v1/partners', {
          name: 'x',
          organisation: 'y',
          constituency: 'lay',
          occurredAt: '2013-10-01',
        }),
      400,
      'validation_failed',
    );
    expect(fieldsOf(invalid)).toContain('constituency');
    await refused(
      () =>
        post('/v1/partners', {
          partnerId: 'ann',
          name: 'x',
          organisation: 'y',
          constituency: 'ccg',
          occurredAt: '2013-10-01',
        }),
      409,
      'partner_exists',
    );
  });

  it('records workshop attendance, interest and training, refusing repeats, unknown partners and future dates', async () => {
    await post('/v1/partners/ann/workshop-attendance', {
      workshopId: 'w-2013',
      occurredAt: '2013-11-20',
    }).expect(201);
    await refused(
      () =>
        post('/v1/partners/ann/workshop-attendance', {
          workshopId: 'w-2013',
          occurredAt: '2013-11-20',
        }),
      422,
      'workshop_already_attended',
    );
    await refused(
      () =>
        post('/v1/partners/nobody/workshop-attendance', {
          workshopId: 'w-2013',
          occurredAt: '2013-11-20',
        }),
      404,
      'partner_not_found',
    );
    await refused(
      () => post('/v1/partners/ann/workshop-attendance', { occurredAt: '2013-11-20' }),
      400,
      'validation_failed',
    );
    await post('/v1/partners/ann/interest', { occurredAt: '2013-11-25' }).expect(201);
    await refused(
      () => post('/v1/partners/ann/interest', { occurredAt: '2013-11-26' }),
      422,
      'interest_already_expressed',
    );
    await refused(
      () => post('/v1/partners/bob/interest', { occurredAt: '2999-01-01' }),
      422,
      'occurred_in_future',
    );
    await refused(
      () => post('/v1/partners/dr-marsh/interest', { occurredAt: '2013-11-25' }),
      422,
      'lay_partner_only',
    );
    await post('/v1/partners/ann/appointment', {
      body: 'advisory-group',
      occurredAt: '2013-12-01',
    }).expect(201);
    await post('/v1/partners/ann/training', {
      course: 'Induction',
      occurredAt: '2013-12-09',
    }).expect(201);
    await refused(
      () => post('/v1/partners/ann/training', { course: '', occurredAt: '2013-12-09' }),
      400,
      'validation_failed',
    );
  });

  it('claims, reimburses and rejects expenses exactly once each', async () => {
    const claim = await post('/v1/partners/ann/expenses', {
      amountPence: 1240,
      category: 'travel',
      incurredOn: '2014-02-17',
      occurredAt: '2014-02-21',
    }).expect(201);
    expect(claim.body.claimId).toMatch(/^[0-9a-f-]{36}$/);
    await post('/v1/partners/ann/expenses', {
      claimId: 'c-2',
      amountPence: 900,
      category: 'caring',
      incurredOn: '2014-02-17',
      occurredAt: '2014-02-21',
    }).expect(201);
    await refused(
      () =>
        post('/v1/partners/ann/expenses', {
          claimId: 'c-2',
          amountPence: 900,
          category: 'caring',
          incurredOn: '2014-02-17',
          occurredAt: '2014-02-21',
        }),
      409,
      'claim_exists',
    );
    await refused(
      () =>
        post('/v1/partners/ann/expenses', {
          amountPence: 0,
          category: 'travel',
          incurredOn: '2014-02-17',
          occurredAt: '2014-02-21',
        }),
      400,
      'validation_failed',
    );
    await refused(
      () =>
        post('/v1/partners/ann/expenses', {
          amountPence: 500,
          category: 'travel',
          incurredOn: '2014-02-22',
          occurredAt: '2014-02-21',
        }),
      422,
      'claimed_before_incurred',
    );
    await post(`/v1/partners/ann/expenses/${claim.body.claimId}/reimbursement`, {
      occurredAt: '2014-03-07',
    }).expect(201);
    await refused(
      () =>
        post(`/v1/partners/ann/expenses/${claim.body.claimId}/reimbursement`, {
          occurredAt: '2014-03-08',
        }),
      422,
      'claim_already_settled',
    );
    await refused(
      () => post('/v1/partners/ann/expenses/unknown/reimbursement', { occurredAt: '2014-03-08' }),
      404,
      'claim_not_found',
    );
    await post('/v1/partners/ann/expenses/c-2/rejection', {
      reason: 'No receipt',
      occurredAt: '2014-03-07',
    }).expect(201);
    await refused(
      () =>
        post('/v1/partners/ann/expenses/c-2/rejection', {
          reason: 'Again',
          occurredAt: '2014-03-08',
        }),
      422,
      'claim_already_settled',
    );
    await refused(
      () => post('/v1/partners/ann/expenses/c-3/rejection', { occurredAt: '2014-03-08' }),
      400,
      'validation_failed',
    );
  });

  it('withdraws a partner (vacating their seats), then refuses them a seat, and erases their data once', async () => {
    await post('/v1/groups/programme-board/seats', {
      seatId: 'ann-seat',
      partnerId: 'ann',
      constituency: 'lay',
      occurredAt: '2014-01-10',
    }).expect(201);
    await refused(
      () => post('/v1/partners/ann/erasure', { occurredAt: '2014-06-01' }),
      422,
      'partner_not_withdrawn',
    );
    await refused(
      () => post('/v1/partners/ann/withdrawal', { reason: 'bored', occurredAt: '2014-06-30' }),
      422,
      'unknown_withdrawal_reason',
    );
    const withdrawn = await post('/v1/partners/ann/withdrawal', {
      reason: 'time-commitment',
      note: 'Caring duties',
      occurredAt: '2014-06-30',
    }).expect(201);
    await refused(
      () => post('/v1/partners/ann/withdrawal', { reason: 'other', occurredAt: '2014-07-01' }),
      422,
      'partner_withdrawn',
    );
    const tenures = await ledger
      .http()
      .get('/v1/groups/programme-board/tenures')
      .query({ minPosition: String(withdrawn.body.position) })
      .expect(200);
    expect(tenures.body.tenures[0]).toMatchObject({
      seatId: 'ann-seat',
      to: '2014-06-30T00:00:00.000Z',
    });
    await refused(
      () =>
        post('/v1/groups/programme-board/seats', {
          partnerId: 'ann',
          constituency: 'lay',
          occurredAt: '2014-08-01',
        }),
      422,
      'partner_withdrawn',
    );
    await post('/v1/partners/ann/erasure', { occurredAt: '2014-07-01' }).expect(201);
    await refused(
      () => post('/v1/partners/ann/erasure', { occurredAt: '2014-07-02' }),
      422,
      'personal_data_already_erased',
    );
    await refused(
      () => post('/v1/partners/nobody/erasure', { occurredAt: '2014-07-02' }),
      404,
      'partner_not_found',
    );
  });

  it('pins the revision with If-Match on these routes too', async () => {
    await refused(
      () => post('/v1/partners/bob/interest', { occurredAt: '2013-11-25' }, { 'if-match': '7' }),
      409,
      'revision_conflict',
    );
  });
});
