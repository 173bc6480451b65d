import {
  accepted,
  board,
  expectDocumentedCommands,
  expenseClaim,
  FUTURE,
  layPartner,
  professional,
  seat,
  tenuresOf,
  UUID,
} from '../../../../test/support/group-fixtures.js';
import { commandClient, fieldsOf } from '../../../../test/support/programme-fixtures.js';
import { startTestLedger, type TestLedger } from '../../../../test/support/test-ledger.js';
import { nomination, programmeBoard } from '../../../../test/support/fixtures.js';

/**
 * Every partner route after nomination and appointment, one block per route:
 * the 201 body and an effect a later command sees, then each refusal that
 * applies (400 field names, 404, 409, 422 with its code), each asserted to
 * answer `{code, message, details}` and append nothing.
 */
describe('partner routes', () => {
  let ledger: TestLedger;
  const client = commandClient(() => ledger);
  const { post, refused } = client;

  beforeAll(async () => {
    ledger = await startTestLedger();
    await post('/v1/groups', board('pb')).expect(201);
    await post('/v1/partners', professional('dr-ccg')).expect(201);
    // A lay partner who has withdrawn, for the partner_withdrawn refusals.
    await layPartner(client, 'wes');
    await post('/v1/partners/wes/expenses', expenseClaim({ claimId: 'wes-1' })).expect(201);
    await post('/v1/partners/wes/withdrawal', {
      reason: 'no-remuneration',
      occurredAt: '2014-03-01',
    }).expect(201);
  });
  afterAll(() => ledger.destroy());

  describe('POST /v1/partners (register a professional)', () => {
    it('registers with the given id (201) and seats them in their constituency only', async () => {
      const response = await post('/v1/partners', professional('dr-la', 'local-authority')).expect(
        201,
      );
      expect(response.body).toEqual(accepted('dr-la', { revision: 0 }));
      expect(response.headers.etag).toBe('"0"');
      await post('/v1/groups/pb/seats', seat('dr-la', 'local-authority', '2014-01-06')).expect(201);
      await refused(
        () => post('/v1/groups/pb/seats', seat('dr-ccg', 'lay', '2014-01-06')),
        422,
        'professional_cannot_take_lay_seat',
      );
      await refused(
        () => post('/v1/groups/pb/seats', seat('dr-ccg', 'provider', '2014-01-06')),
        422,
        'constituency_mismatch',
      );
    });

    it('generates the partner id when the body leaves it out', async () => {
      const response = await post(
        '/v1/partners',
        professional('ignored', 'provider', { partnerId: undefined, email: undefined }),
      ).expect(201);
      expect(response.body).toEqual(accepted(expect.stringMatching(UUID) as unknown as string));
      await post(`/v1/partners/${response.body.id}/training`, {
        course: 'Co-production induction',
        occurredAt: '2013-10-02',
      }).expect(201);
    });

    it('refuses invalid bodies (400) naming each field, and unknown fields', async () => {
      const invalid = await refused(
        () =>
          post('/v1/partners', {
            partnerId: 'has space',
            email: 'not-an-email',
            phone: 'call me',
            constituency: 'lay',
            nickname: 'Doc',
          }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(invalid)).toEqual(
        expect.arrayContaining([
          'partnerId',
          'name',
          'email',
          'phone',
          'organisation',
          'constituency',
          'occurredAt',
          'nickname',
        ]),
      );
      await refused(() => post('/v1/partners', '{"name":'), 400, 'invalid_json');
    });

    it('refuses a taken id (409 partner_exists), lay or professional', async () => {
      await refused(() => post('/v1/partners', professional('wes')), 409, 'partner_exists');
      await refused(() => post('/v1/partners', professional('dr-ccg')), 409, 'partner_exists');
    });

    it('refuses a registration dated in the future (422)', async () => {
      await refused(
        () => post('/v1/partners', professional('dr-future', 'ccg', { occurredAt: FUTURE })),
        422,
        'occurred_in_future',
      );
    });
  });

  describe('POST /v1/partners/:id/workshop-attendance', () => {
    beforeAll(() => layPartner(client, 'wanda', { appointedAt: null }));

    it('records attendance (201) once per workshop', async () => {
      const response = await post('/v1/partners/wanda/workshop-attendance', {
        workshopId: 'ealing-2013',
        occurredAt: '2013-11-20',
      }).expect(201);
      expect(response.body).toEqual(accepted('wanda', { revision: 1 }));
      await refused(
        () =>
          post('/v1/partners/wanda/workshop-attendance', {
            workshopId: 'ealing-2013',
            occurredAt: '2013-11-21',
          }),
        422,
        'workshop_already_attended',
      );
      await post('/v1/partners/wanda/workshop-attendance', {
        workshopId: 'brent-2013',
        occurredAt: '2013-11-22',
      }).expect(201);
    });

    it('refuses invalid bodies and path ids (400)', async () => {
      const invalid = await refused(
        () =>
          post('/v1/partners/wanda/workshop-attendance', {
            workshopId: 'no spaces',
            occurredAt: '2014-02-30',
          }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(invalid).sort()).toEqual(['occurredAt', 'workshopId']);
      await refused(
        () =>
          post('/v1/partners/-wanda/workshop-attendance', {
            workshopId: 'w',
            occurredAt: '2013-11-20',
          }),
        400,
        'invalid_id',
      );
    });

    it('refuses an unknown partner (404)', async () => {
      await refused(
        () =>
          post('/v1/partners/nobody/workshop-attendance', {
            workshopId: 'w',
            occurredAt: '2013-11-20',
          }),
        404,
        'partner_not_found',
      );
    });

    it('refuses professionals, withdrawn partners, dates before the nomination and the future (422)', async () => {
      const body = (occurredAt: string) => ({ workshopId: 'harrow-2013', occurredAt });
      await refused(
        () => post('/v1/partners/dr-ccg/workshop-attendance', body('2013-11-20')),
        422,
        'lay_partner_only',
      );
      // Nothing dated after the withdrawal (2014-03-01); a fact dated before it may be recorded late.
      await refused(
        () => post('/v1/partners/wes/workshop-attendance', body('2014-03-02')),
        422,
        'partner_withdrawn',
      );
      await refused(
        () => post('/v1/partners/wanda/workshop-attendance', body('2013-11-01')),
        422,
        'attended_before_nominated',
      );
      await refused(
        () => post('/v1/partners/wanda/workshop-attendance', body(FUTURE)),
        422,
        'occurred_in_future',
      );
    });
  });

  describe('POST /v1/partners/:id/interest', () => {
    beforeAll(() => layPartner(client, 'ivy', { appointedAt: null }));

    it('records interest (201) once', async () => {
      const response = await post('/v1/partners/ivy/interest', {
        occurredAt: '2013-11-25',
      }).expect(201);
      expect(response.body).toEqual(accepted('ivy', { revision: 1 }));
      await refused(
        () => post('/v1/partners/ivy/interest', { occurredAt: '2013-11-26' }),
        422,
        'interest_already_expressed',
      );
    });

    it('refuses a missing date or an unknown field (400)', async () => {
      const invalid = await refused(
        () => post('/v1/partners/ivy/interest', { keen: true }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(invalid).sort()).toEqual(['keen', 'occurredAt']);
    });

    it('refuses an unknown partner (404)', async () => {
      await refused(
        () => post('/v1/partners/nobody/interest', { occurredAt: '2013-11-25' }),
        404,
        'partner_not_found',
      );
    });

    it('refuses professionals, withdrawn partners, dates before the nomination and the future (422)', async () => {
      await layPartner(client, 'ike', { appointedAt: null });
      await refused(
        () => post('/v1/partners/dr-ccg/interest', { occurredAt: '2013-11-25' }),
        422,
        'lay_partner_only',
      );
      await refused(
        () => post('/v1/partners/wes/interest', { occurredAt: '2014-03-25' }),
        422,
        'partner_withdrawn',
      );
      await refused(
        () => post('/v1/partners/ike/interest', { occurredAt: '2013-11-14' }),
        422,
        'interest_before_nominated',
      );
      await refused(
        () => post('/v1/partners/ike/interest', { occurredAt: FUTURE }),
        422,
        'occurred_in_future',
      );
    });
  });

  describe('POST /v1/partners/:id/training', () => {
    beforeAll(() => layPartner(client, 'tom'));

    it('records training (201) for lay partners and professionals, more than once', async () => {
      const response = await post('/v1/partners/tom/training', {
        course: 'Induction',
        occurredAt: '2013-12-09',
      }).expect(201);
      expect(response.body).toEqual(accepted('tom', { revision: 2 }));
      await post('/v1/partners/tom/training', {
        course: 'Chairing meetings',
        occurredAt: '2014-01-15',
      }).expect(201);
      await post('/v1/partners/dr-ccg/training', {
        course: 'Working with lay partners',
        occurredAt: '2013-12-09',
      }).expect(201);
      // Training is activity: a withdrawal cannot be dated before it.
      await refused(
        () => post('/v1/partners/tom/withdrawal', { reason: 'health', occurredAt: '2014-01-14' }),
        422,
        'withdrew_before_last_activity',
      );
    });

    it('refuses a missing or overlong course (400)', async () => {
      const missing = await refused(
        () => post('/v1/partners/tom/training', { occurredAt: '2013-12-09' }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(missing)).toEqual(['course']);
      const long = await refused(
        () =>
          post('/v1/partners/tom/training', { course: 'x'.repeat(201), occurredAt: '2013-12-09' }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(long)).toEqual(['course']);
    });

    it('refuses an unknown partner (404)', async () => {
      await refused(
        () => post('/v1/partners/nobody/training', { course: 'x', occurredAt: '2013-12-09' }),
        404,
        'partner_not_found',
      );
    });

    it('refuses withdrawn partners, dates before joining and the future (422)', async () => {
      const late = await refused(
        () => post('/v1/partners/wes/training', { course: 'x', occurredAt: '2014-03-09' }),
        422,
        'partner_withdrawn',
      );
      expect(late.details).toEqual({
        partnerId: 'wes',
        withdrewAt: '2014-03-01T00:00:00.000Z',
        occurredAt: '2014-03-09T00:00:00.000Z',
      });
      // Recorded late, dated before the withdrawal: accepted, as it would have been in order.
      await post('/v1/partners/wes/training', { course: 'x', occurredAt: '2014-01-09' }).expect(
        201,
      );
      await refused(
        () => post('/v1/partners/tom/training', { course: 'x', occurredAt: '2013-11-01' }),
        422,
        'trained_before_joined',
      );
      await refused(
        () => post('/v1/partners/tom/training', { course: 'x', occurredAt: FUTURE }),
        422,
        'occurred_in_future',
      );
    });
  });

  describe('POST /v1/partners/:id/withdrawal', () => {
    beforeAll(async () => {
      await layPartner(client, 'sam');
      await layPartner(client, 'sue');
      await post(
        '/v1/groups/pb/seats',
        seat('sam', 'lay', '2014-01-10', { seatId: 'sam-seat' }),
      ).expect(201);
      await post(
        '/v1/groups/pb/seats',
        seat('sue', 'lay', '2014-01-10', { seatId: 'sue-seat' }),
      ).expect(201);
      await post('/v1/groups/pb/co-chairs', {
        partnerId: 'sam',
        constituency: 'lay',
        occurredAt: '2014-02-01',
      }).expect(201);
    });

    it('records a withdrawal (201); the saga vacates seats and co-chair roles; nothing more is accepted', async () => {
      const response = await post('/v1/partners/sam/withdrawal', {
        reason: 'time-commitment',
        note: 'Caring duties',
        occurredAt: '2014-06-30',
      }).expect(201);
      expect(response.body).toEqual(accepted('sam', { revision: 2 }));
      const tenures = await tenuresOf(ledger, 'pb', await client.settledHead());
      expect(tenures.filter((t) => t.partnerId === 'sam')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            role: 'seat',
            seatId: 'sam-seat',
            to: '2014-06-30T00:00:00.000Z',
            endReason: 'partner-withdrew: time-commitment',
          }),
          expect.objectContaining({
            role: 'co-chair',
            to: '2014-06-30T00:00:00.000Z',
            endReason: 'seat-vacated',
          }),
        ]),
      );
      // The lay co-chair is free again; the withdrawn partner can take no seat and claim nothing new.
      await post('/v1/groups/pb/co-chairs', {
        partnerId: 'sue',
        constituency: 'lay',
        occurredAt: '2014-07-01',
      }).expect(201);
      await refused(
        () => post('/v1/groups/pb/seats', seat('sam', 'lay', '2014-07-01')),
        422,
        'partner_withdrawn',
      );
      await refused(
        () =>
          post(
            '/v1/partners/sam/expenses',
            expenseClaim({ incurredOn: '2014-07-01', occurredAt: '2014-07-01' }),
          ),
        422,
        'partner_withdrawn',
      );
      // A cost incurred before the withdrawal may still be claimed after it.
      await post(
        '/v1/partners/sam/expenses',
        expenseClaim({ incurredOn: '2014-06-01', occurredAt: '2014-07-01' }),
      ).expect(201);
    });

    it('refuses an empty reason or note (400)', async () => {
      const invalid = await refused(
        () => post('/v1/partners/sue/withdrawal', { reason: '', note: '', occurredAt: 'soon' }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(invalid).sort()).toEqual(['note', 'occurredAt', 'reason']);
    });

    it('refuses a reason outside the vocabulary, listing the valid ones (422)', async () => {
      const unknown = await refused(
        () => post('/v1/partners/sue/withdrawal', { reason: 'bored', occurredAt: '2014-06-30' }),
        422,
        'unknown_withdrawal_reason',
      );
      expect(unknown.details).toMatchObject({
        reason: 'bored',
        valid: expect.arrayContaining(['caring-responsibilities', 'no-remuneration', 'other']),
      });
    });

    it('refuses an unknown partner (404)', async () => {
      await refused(
        () => post('/v1/partners/nobody/withdrawal', { reason: 'other', occurredAt: '2014-06-30' }),
        404,
        'partner_not_found',
      );
    });

    it('refuses a second withdrawal, one before the last activity and the future (422)', async () => {
      await refused(
        () => post('/v1/partners/sam/withdrawal', { reason: 'other', occurredAt: '2014-07-01' }),
        422,
        'partner_withdrawn',
      );
      await refused(
        () => post('/v1/partners/sue/withdrawal', { reason: 'other', occurredAt: '2013-11-30' }),
        422,
        'withdrew_before_last_activity',
      );
      await refused(
        () => post('/v1/partners/sue/withdrawal', { reason: 'other', occurredAt: FUTURE }),
        422,
        'occurred_in_future',
      );
    });
  });

  describe('POST /v1/partners/:id/expenses', () => {
    beforeAll(() => layPartner(client, 'eve'));

    it('claims (201) with a generated or given claimId, up to £100,000', async () => {
      const generated = await post('/v1/partners/eve/expenses', expenseClaim()).expect(201);
      expect(generated.body).toEqual(
        accepted('eve', { claimId: expect.stringMatching(UUID) as unknown }),
      );
      const given = await post(
        '/v1/partners/eve/expenses',
        expenseClaim({ claimId: 'eve-2', amountPence: 10_000_000, category: 'caring' }),
      ).expect(201);
      expect(given.body).toEqual(accepted('eve', { claimId: 'eve-2' }));
      // The claim exists: it can be settled.
      await post(`/v1/partners/eve/expenses/${generated.body.claimId}/reimbursement`, {
        occurredAt: '2014-03-07',
      }).expect(201);
    });

    it('answers a retry with the same Idempotency-Key with the same claimId, appending nothing', async () => {
      const key = { 'idempotency-key': 'eve-claim-retry' };
      const first = await post('/v1/partners/eve/expenses', expenseClaim(), key).expect(201);
      const head = await client.settledHead();
      const retry = await post('/v1/partners/eve/expenses', expenseClaim(), key).expect(201);
      expect(retry.body).toEqual(first.body);
      expect(await client.store().headPosition()).toBe(head);
    });

    it('refuses amounts that are not whole pence from 1 to 10,000,000, and other bad fields (400)', async () => {
      for (const amountPence of [0, -5, 10_000_001, 12.5, '1240', null]) {
        const invalid = await refused(
          () => post('/v1/partners/eve/expenses', expenseClaim({ amountPence })),
          400,
          'validation_failed',
        );
        expect({ amountPence, fields: fieldsOf(invalid) }).toEqual({
          amountPence,
          fields: ['amountPence'],
        });
      }
      const invalid = await refused(
        () =>
          post(
            '/v1/partners/eve/expenses',
            expenseClaim({ claimId: 'a/b', category: 'lunch', incurredOn: undefined }),
          ),
        400,
        'validation_failed',
      );
      expect(fieldsOf(invalid).sort()).toEqual(['category', 'claimId', 'incurredOn']);
    });

    it('refuses an unknown partner (404)', async () => {
      await refused(
        () => post('/v1/partners/nobody/expenses', expenseClaim()),
        404,
        'partner_not_found',
      );
    });

    it('refuses a claimId already taken (409 claim_exists)', async () => {
      await refused(
        () => post('/v1/partners/eve/expenses', expenseClaim({ claimId: 'eve-2' })),
        409,
        'claim_exists',
      );
    });

    it('refuses professionals, withdrawn partners and impossible dates (422)', async () => {
      await refused(
        () => post('/v1/partners/dr-ccg/expenses', expenseClaim()),
        422,
        'lay_partner_only',
      );
      await refused(
        () =>
          post(
            '/v1/partners/wes/expenses',
            expenseClaim({ incurredOn: '2014-03-02', occurredAt: '2014-03-02' }),
          ),
        422,
        'partner_withdrawn',
      );
      await refused(
        () => post('/v1/partners/eve/expenses', expenseClaim({ incurredOn: '2014-02-22' })),
        422,
        'claimed_before_incurred',
      );
      await refused(
        () => post('/v1/partners/eve/expenses', expenseClaim({ incurredOn: '2013-11-01' })),
        422,
        'incurred_before_joined',
      );
      await refused(
        () => post('/v1/partners/eve/expenses', expenseClaim({ occurredAt: FUTURE })),
        422,
        'occurred_in_future',
      );
    });
  });

  describe('POST /v1/partners/:id/expenses/:claimId/reimbursement', () => {
    beforeAll(async () => {
      await layPartner(client, 'rex');
      await post('/v1/partners/rex/expenses', expenseClaim({ claimId: 'rex-1' })).expect(201);
      await post('/v1/partners/rex/expenses', expenseClaim({ claimId: 'rex-2' })).expect(201);
    });

    it('reimburses (201) once; a settled claim can be neither reimbursed nor rejected again', async () => {
      const response = await post('/v1/partners/rex/expenses/rex-1/reimbursement', {
        occurredAt: '2014-03-07',
      }).expect(201);
      expect(response.body).toEqual(accepted('rex', { revision: 4 }));
      await refused(
        () => post('/v1/partners/rex/expenses/rex-1/reimbursement', { occurredAt: '2014-03-08' }),
        422,
        'claim_already_settled',
      );
      await refused(
        () =>
          post('/v1/partners/rex/expenses/rex-1/rejection', {
            reason: 'Duplicate',
            occurredAt: '2014-03-08',
          }),
        422,
        'claim_already_settled',
      );
    });

    it('still reimburses a claim made before the partner withdrew', async () => {
      await post('/v1/partners/wes/expenses/wes-1/reimbursement', {
        occurredAt: '2014-03-10',
      }).expect(201);
    });

    it('refuses a missing date, extra fields and bad claim ids (400)', async () => {
      const invalid = await refused(
        () => post('/v1/partners/rex/expenses/rex-2/reimbursement', { amountPence: 1 }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(invalid).sort()).toEqual(['amountPence', 'occurredAt']);
      await refused(
        () => post('/v1/partners/rex/expenses/_x/reimbursement', { occurredAt: '2014-03-07' }),
        400,
        'invalid_id',
      );
    });

    it('refuses an unknown partner or claim (404)', async () => {
      await refused(
        () =>
          post('/v1/partners/nobody/expenses/rex-2/reimbursement', { occurredAt: '2014-03-07' }),
        404,
        'partner_not_found',
      );
      await refused(
        () => post('/v1/partners/rex/expenses/rex-9/reimbursement', { occurredAt: '2014-03-07' }),
        404,
        'claim_not_found',
      );
      // Claims belong to their partner.
      await refused(
        () => post('/v1/partners/eve/expenses/rex-2/reimbursement', { occurredAt: '2014-03-07' }),
        404,
        'claim_not_found',
      );
    });

    it('refuses a date before the claim and the future (422)', async () => {
      await refused(
        () => post('/v1/partners/rex/expenses/rex-2/reimbursement', { occurredAt: '2014-02-20' }),
        422,
        'settled_before_claimed',
      );
      await refused(
        () => post('/v1/partners/rex/expenses/rex-2/reimbursement', { occurredAt: FUTURE }),
        422,
        'occurred_in_future',
      );
    });
  });

  describe('POST /v1/partners/:id/expenses/:claimId/rejection', () => {
    beforeAll(async () => {
      await layPartner(client, 'rae');
      await post('/v1/partners/rae/expenses', expenseClaim({ claimId: 'rae-1' })).expect(201);
      await post('/v1/partners/rae/expenses', expenseClaim({ claimId: 'rae-2' })).expect(201);
    });

    it('rejects (201) with a reason; the claim can then not be reimbursed', async () => {
      const response = await post('/v1/partners/rae/expenses/rae-1/rejection', {
        reason: 'No receipt',
        occurredAt: '2014-03-07',
      }).expect(201);
      expect(response.body).toEqual(accepted('rae', { revision: 4 }));
      await refused(
        () => post('/v1/partners/rae/expenses/rae-1/reimbursement', { occurredAt: '2014-03-08' }),
        422,
        'claim_already_settled',
      );
    });

    it('refuses a missing, empty or overlong reason (400)', async () => {
      for (const reason of [undefined, '', 'x'.repeat(501), 7]) {
        const invalid = await refused(
          () =>
            post('/v1/partners/rae/expenses/rae-2/rejection', { reason, occurredAt: '2014-03-07' }),
          400,
          'validation_failed',
        );
        expect(fieldsOf(invalid)).toEqual(['reason']);
      }
    });

    it('refuses an unknown partner or claim (404)', async () => {
      const body = { reason: 'No receipt', occurredAt: '2014-03-07' };
      await refused(
        () => post('/v1/partners/nobody/expenses/rae-2/rejection', body),
        404,
        'partner_not_found',
      );
      await refused(
        () => post('/v1/partners/rae/expenses/rae-9/rejection', body),
        404,
        'claim_not_found',
      );
    });

    it('refuses a blank reason, a date before the claim and the future (422)', async () => {
      await refused(
        () =>
          post('/v1/partners/rae/expenses/rae-2/rejection', {
            reason: '   ',
            occurredAt: '2014-03-07',
          }),
        422,
        'rejection_reason_required',
      );
      await refused(
        () =>
          post('/v1/partners/rae/expenses/rae-2/rejection', {
            reason: 'Late',
            occurredAt: '2014-02-20',
          }),
        422,
        'settled_before_claimed',
      );
      await refused(
        () =>
          post('/v1/partners/rae/expenses/rae-2/rejection', { reason: 'Late', occurredAt: FUTURE }),
        422,
        'occurred_in_future',
      );
    });
  });

  describe('POST /v1/partners/:id/erasure', () => {
    beforeAll(async () => {
      await layPartner(client, 'ena');
      await post('/v1/partners/ena/expenses', expenseClaim({ claimId: 'ena-1' })).expect(201);
      await post('/v1/partners/ena/withdrawal', {
        reason: 'moved-away',
        occurredAt: '2014-05-01',
      }).expect(201);
      await layPartner(client, 'eli');
    });

    it('erases (201) once; the read models forget the name; earlier claims can still be settled', async () => {
      const response = await post('/v1/partners/ena/erasure', {
        occurredAt: '2014-05-02',
      }).expect(201);
      expect(response.body).toEqual(accepted('ena', { revision: 4 }));
      await refused(
        () => post('/v1/partners/ena/erasure', { occurredAt: '2014-05-03' }),
        422,
        'personal_data_already_erased',
      );
      const partner = await ledger
        .http('auditor')
        .get('/v1/partners/ena')
        .query({ minPosition: String(await client.settledHead()) })
        .expect(200);
      expect(JSON.stringify(partner.body)).not.toContain('ena Example');
      await post('/v1/partners/ena/expenses/ena-1/reimbursement', {
        occurredAt: '2014-05-10',
      }).expect(201);
    });

    it('refuses a missing date (400)', async () => {
      const invalid = await refused(
        () => post('/v1/partners/ena/erasure', {}),
        400,
        'validation_failed',
      );
      expect(fieldsOf(invalid)).toEqual(['occurredAt']);
    });

    it('refuses an unknown partner (404)', async () => {
      await refused(
        () => post('/v1/partners/nobody/erasure', { occurredAt: '2014-05-02' }),
        404,
        'partner_not_found',
      );
    });

    it('refuses a partner who has not withdrawn, a date before the withdrawal and the future (422)', async () => {
      await refused(
        () => post('/v1/partners/eli/erasure', { occurredAt: '2014-05-02' }),
        422,
        'partner_not_withdrawn',
      );
      await refused(
        () => post('/v1/partners/wes/erasure', { occurredAt: '2014-02-28' }),
        422,
        'erased_before_withdrawal',
      );
      await refused(
        () => post('/v1/partners/wes/erasure', { occurredAt: FUTURE }),
        422,
        'occurred_in_future',
      );
    });
  });

  it('documents every partner route in OpenAPI with a post, its request schema and a 422', async () => {
    await expectDocumentedCommands(ledger, [
      '/v1/partners',
      '/v1/partners/{id}/workshop-attendance',
      '/v1/partners/{id}/interest',
      '/v1/partners/{id}/training',
      '/v1/partners/{id}/withdrawal',
      '/v1/partners/{id}/expenses',
      '/v1/partners/{id}/expenses/{claimId}/reimbursement',
      '/v1/partners/{id}/expenses/{claimId}/rejection',
      '/v1/partners/{id}/erasure',
    ]);
  });
});

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
    expect(created.body).toEqual({
      id: 'dr-marsh',
      revision: 0,
      position: expect.any(Number),
      recordedAt: expect.any(String),
    });
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
