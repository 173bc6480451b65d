import {
  accepted,
  board,
  decision,
  expectDocumentedCommands,
  FUTURE,
  layPartner,
  meeting,
  professional,
  seat,
  tenuresOf,
  UUID,
} from '../../../../test/support/group-fixtures.js';
import { commandClient, fieldsOf } from '../../../../test/support/programme-fixtures.js';
import { startTestLedger, type TestLedger } from '../../../../test/support/test-ledger.js';
import { nomination, programmeBoard, workstream } from '../../../../test/support/fixtures.js';

interface CoChairRow {
  partnerId: string;
  constituency: string;
}

/**
 * Co-chairs, stand-downs, meetings, decisions and dissolution, one block per
 * route on a group of its own: the 201 body and an effect a later command
 * sees, then each refusal that applies (400 field names, 404, 409, 422 with
 * its code), each asserted to answer `{code, message, details}` and append nothing.
 */
describe('group routes', () => {
  let ledger: TestLedger;
  const client = commandClient(() => ledger);
  const { post, refused } = client;

  /** Establishes `groupId` and allocates `seats` (partner, constituency, date). */
  async function groupWithSeats(
    groupId: string,
    seats: Array<[partnerId: string, constituency: string, occurredAt: string]>,
    overrides: Record<string, unknown> = {},
  ): Promise<void> {
    await post('/v1/groups', board(groupId, overrides)).expect(201);
    for (const [partnerId, constituency, occurredAt] of seats) {
      await post(
        `/v1/groups/${groupId}/seats`,
        seat(partnerId, constituency, occurredAt, { seatId: `${groupId}-${partnerId}` }),
      ).expect(201);
    }
  }

  async function coChairsOf(groupId: string, asOf: string): Promise<CoChairRow[]> {
    const response = await ledger
      .http()
      .get('/v1/governance')
      .query({ asOf, minPosition: String(await client.settledHead()) })
      .expect(200);
    const group = (
      response.body as { groups: Array<{ groupId: string; coChairs: CoChairRow[] }> }
    ).groups.find((g) => g.groupId === groupId);
    return (group?.coChairs ?? []).map(({ partnerId, constituency }) => ({
      partnerId,
      constituency,
    }));
  }

  beforeAll(async () => {
    ledger = await startTestLedger();
    for (const id of ['ann', 'bob', 'cat', 'dan']) await layPartner(client, id);
    await post('/v1/partners', professional('dr')).expect(201);
    await post('/v1/partners', professional('dr2')).expect(201);
    await post('/v1/partners', professional('la', 'local-authority')).expect(201);
    await post('/v1/feedback', {
      feedbackId: 'fb-papers',
      channel: 'forum',
      kind: 'challenge',
      summary: 'Papers arrive too late to read',
      occurredAt: '2014-02-01',
    }).expect(201);
    await post('/v1/feedback', {
      feedbackId: 'fb-late',
      channel: 'survey',
      kind: 'idea',
      summary: 'Meet in the evenings',
      occurredAt: '2014-05-01',
    }).expect(201);
  });
  afterAll(() => ledger.destroy());

  describe('POST /v1/groups/:id/co-chairs', () => {
    beforeAll(() =>
      groupWithSeats('cc', [
        ['ann', 'lay', '2014-01-06'],
        ['bob', 'lay', '2014-01-06'],
        ['dr', 'ccg', '2014-01-06'],
        ['la', 'local-authority', '2014-01-06'],
      ]),
    );

    it('appoints a seated partner (201); governance shows the co-chair from that date', async () => {
      const response = await post('/v1/groups/cc/co-chairs', {
        partnerId: 'ann',
        constituency: 'lay',
        occurredAt: '2014-02-01',
      }).expect(201);
      expect(response.body).toEqual(accepted('cc', { revision: 5 }));
      expect(await coChairsOf('cc', '2014-02-15')).toEqual([
        { partnerId: 'ann', constituency: 'lay' },
      ]);
      expect(await coChairsOf('cc', '2014-01-31')).toEqual([]);
    });

    it('refuses invalid bodies (400) naming each field', async () => {
      const invalid = await refused(
        () =>
          post('/v1/groups/cc/co-chairs', {
            partnerId: 'not ok',
            constituency: 'council',
            seatId: 'cc-ann',
          }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(invalid).sort()).toEqual([
        'constituency',
        'occurredAt',
        'partnerId',
        'seatId',
      ]);
    });

    it('refuses an unknown group (404)', async () => {
      await refused(
        () =>
          post('/v1/groups/nowhere/co-chairs', {
            partnerId: 'ann',
            constituency: 'lay',
            occurredAt: '2014-02-01',
          }),
        404,
        'group_not_found',
      );
    });

    it('refuses each co-chair rule (422)', async () => {
      const appoint = (partnerId: string, constituency: string, occurredAt = '2014-03-01') =>
        post('/v1/groups/cc/co-chairs', { partnerId, constituency, occurredAt });
      await refused(() => appoint('la', 'local-authority'), 422, 'constituency_has_no_co_chair');
      await refused(() => appoint('ann', 'ccg'), 422, 'already_co_chair');
      await refused(() => appoint('bob', 'lay'), 422, 'co_chair_constituency_taken');
      await refused(() => appoint('dr2', 'ccg'), 422, 'co_chair_not_seated');
      await refused(() => appoint('cat', 'ccg'), 422, 'co_chair_not_seated');
      await refused(() => appoint('bob', 'ccg'), 422, 'co_chair_seat_constituency_mismatch');
      await refused(
        () => appoint('dr', 'ccg', '2014-01-05'),
        422,
        'co_chair_before_seat_allocated',
      );
      await refused(() => appoint('dr', 'ccg', FUTURE), 422, 'occurred_in_future');
      await appoint('dr', 'ccg').expect(201);
      // A successor cannot be dated before the predecessor stood down.
      await post('/v1/groups/cc/co-chairs/ann/stand-down', {
        reason: 'Term ended',
        occurredAt: '2014-06-01',
      }).expect(201);
      await refused(() => appoint('bob', 'lay', '2014-05-31'), 422, 'co_chair_constituency_taken');
      await appoint('bob', 'lay', '2014-06-01').expect(201);
      expect(await coChairsOf('cc', '2014-06-02')).toEqual(
        expect.arrayContaining([
          { partnerId: 'bob', constituency: 'lay' },
          { partnerId: 'dr', constituency: 'ccg' },
        ]),
      );
    });
  });

  describe('POST /v1/groups/:id/co-chairs/:partnerId/stand-down', () => {
    beforeAll(async () => {
      await groupWithSeats('sd', [
        ['ann', 'lay', '2014-01-06'],
        ['bob', 'lay', '2014-01-06'],
        ['dr', 'ccg', '2014-01-06'],
      ]);
      await post('/v1/groups/sd/co-chairs', {
        partnerId: 'ann',
        constituency: 'lay',
        occurredAt: '2014-02-01',
      }).expect(201);
      await post('/v1/groups/sd/co-chairs', {
        partnerId: 'dr',
        constituency: 'ccg',
        occurredAt: '2014-02-01',
      }).expect(201);
    });

    it('stands a co-chair down (201), keeping their seat; the constituency is free again', async () => {
      const response = await post('/v1/groups/sd/co-chairs/ann/stand-down', {
        reason: 'Term ended',
        occurredAt: '2014-06-01',
      }).expect(201);
      expect(response.body).toEqual(accepted('sd', { revision: 6 }));
      await refused(
        () =>
          post('/v1/groups/sd/co-chairs/ann/stand-down', {
            reason: 'Again',
            occurredAt: '2014-06-02',
          }),
        404,
        'co_chair_not_found',
      );
      const tenures = await tenuresOf(ledger, 'sd', response.body.position);
      expect(tenures.filter((t) => t.partnerId === 'ann')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            role: 'co-chair',
            to: '2014-06-01T00:00:00.000Z',
            endReason: 'Term ended',
          }),
          expect.objectContaining({ role: 'seat', to: null }),
        ]),
      );
      await post('/v1/groups/sd/co-chairs', {
        partnerId: 'bob',
        constituency: 'lay',
        occurredAt: '2014-06-01',
      }).expect(201);
    });

    it('stands a co-chair down when their seat is vacated', async () => {
      const vacated = await post('/v1/groups/sd/seats/sd-dr/vacate', {
        reason: 'Left the CCG',
        occurredAt: '2014-07-01',
      }).expect(201);
      // CoChairStoodDown and SeatVacated, in one append.
      expect(vacated.body).toEqual(accepted('sd', { revision: 9 }));
      const tenures = await tenuresOf(ledger, 'sd', vacated.body.position);
      expect(tenures.filter((t) => t.partnerId === 'dr')).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            role: 'co-chair',
            to: '2014-07-01T00:00:00.000Z',
            endReason: 'seat-vacated',
          }),
          expect.objectContaining({
            role: 'seat',
            to: '2014-07-01T00:00:00.000Z',
            endReason: 'Left the CCG',
          }),
        ]),
      );
      expect(await coChairsOf('sd', '2014-07-02')).toEqual([
        { partnerId: 'bob', constituency: 'lay' },
      ]);
      await refused(
        () =>
          post('/v1/groups/sd/co-chairs/dr/stand-down', {
            reason: 'Left',
            occurredAt: '2014-07-02',
          }),
        404,
        'co_chair_not_found',
      );
    });

    it('refuses to vacate a co-chair’s seat before they became co-chair (422)', async () => {
      await refused(
        () => post('/v1/groups/sd/seats/sd-bob/vacate', { reason: 'x', occurredAt: '2014-05-31' }),
        422,
        'stood_down_before_appointed',
      );
    });

    it('refuses a missing reason and a bad partner id in the path (400)', async () => {
      const invalid = await refused(
        () => post('/v1/groups/sd/co-chairs/bob/stand-down', { occurredAt: '2014-08-01' }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(invalid)).toEqual(['reason']);
      await refused(
        () =>
          post('/v1/groups/sd/co-chairs/b%20ob/stand-down', {
            reason: 'x',
            occurredAt: '2014-08-01',
          }),
        400,
        'invalid_id',
      );
    });

    it('refuses an unknown group, and a partner who is not co-chair (404)', async () => {
      const body = { reason: 'x', occurredAt: '2014-08-01' };
      await refused(
        () => post('/v1/groups/nowhere/co-chairs/bob/stand-down', body),
        404,
        'group_not_found',
      );
      // Seated, but not co-chair; and someone who never sat on the group.
      await refused(
        () => post('/v1/groups/sd/co-chairs/ann/stand-down', body),
        404,
        'co_chair_not_found',
      );
      await refused(
        () => post('/v1/groups/sd/co-chairs/cat/stand-down', body),
        404,
        'co_chair_not_found',
      );
    });

    it('refuses a date before the appointment and the future (422)', async () => {
      await refused(
        () =>
          post('/v1/groups/sd/co-chairs/bob/stand-down', {
            reason: 'x',
            occurredAt: '2014-05-31',
          }),
        422,
        'stood_down_before_appointed',
      );
      await refused(
        () => post('/v1/groups/sd/co-chairs/bob/stand-down', { reason: 'x', occurredAt: FUTURE }),
        422,
        'occurred_in_future',
      );
    });
  });

  describe('POST /v1/groups/:id/meetings', () => {
    beforeAll(async () => {
      await groupWithSeats('mt', [
        ['ann', 'lay', '2014-01-06'],
        ['cat', 'lay', '2014-01-06'],
        ['dr', 'ccg', '2014-01-06'],
        ['bob', 'lay', '2014-04-01'],
      ]);
      await post('/v1/groups/mt/seats/mt-cat/vacate', {
        reason: 'Moved away',
        occurredAt: '2014-02-01',
      }).expect(201);
    });

    it('records a meeting (201) with a generated or given meetingId', async () => {
      const generated = await post(
        '/v1/groups/mt/meetings',
        meeting(['ann', 'dr'], { apologies: ['bob'], occurredAt: '2014-04-10' }),
      ).expect(201);
      expect(generated.body).toEqual(
        accepted('mt', { meetingId: expect.stringMatching(UUID) as unknown }),
      );
      const given = await post(
        '/v1/groups/mt/meetings',
        meeting(['ann'], { meetingId: 'mt-m1' }),
      ).expect(201);
      expect(given.body).toEqual(accepted('mt', { meetingId: 'mt-m1' }));
      // The meeting exists: a decision can be taken at it.
      await post(
        '/v1/groups/mt/decisions',
        decision({ meetingId: 'mt-m1', layMembersPresent: ['ann'] }),
      ).expect(201);
    });

    it('checks attendance against the seats held on the meeting date (backdating works)', async () => {
      await post(
        '/v1/groups/mt/meetings',
        meeting(['cat', 'ann'], { occurredAt: '2014-01-20' }),
      ).expect(201);
      const stranger = await refused(
        () => post('/v1/groups/mt/meetings', meeting(['ann'], { apologies: ['cat', 'bob'] })),
        422,
        'attendee_not_seated',
      );
      expect(stranger.details).toEqual({ partnerIds: ['cat', 'bob'] });
    });

    it('refuses invalid bodies (400) naming each field', async () => {
      const empty = await refused(
        () =>
          post('/v1/groups/mt/meetings', {
            meetingId: 'a b',
            attendees: [],
            apologies: 'bob',
            durationMinutes: 0,
          }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(empty).sort()).toEqual([
        'apologies',
        'attendees',
        'durationMinutes',
        'meetingId',
        'occurredAt',
      ]);
      for (const durationMinutes of [24 * 60 + 1, 1.5, '60']) {
        const invalid = await refused(
          () => post('/v1/groups/mt/meetings', meeting(['ann'], { durationMinutes })),
          400,
          'validation_failed',
        );
        expect(fieldsOf(invalid)).toEqual(['durationMinutes']);
      }
      const ids = await refused(
        () =>
          post(
            '/v1/groups/mt/meetings',
            meeting(['ann', 'not ok'], {
              apologies: Array.from({ length: 501 }, (_, i) => `p${i}`),
            }),
          ),
        400,
        'validation_failed',
      );
      expect(fieldsOf(ids).sort()).toEqual(['apologies', 'attendees']);
    });

    it('refuses an unknown group (404)', async () => {
      await refused(
        () => post('/v1/groups/nowhere/meetings', meeting(['ann'])),
        404,
        'group_not_found',
      );
    });

    it('refuses a meetingId already taken (409 meeting_exists)', async () => {
      await refused(
        () => post('/v1/groups/mt/meetings', meeting(['ann'], { meetingId: 'mt-m1' })),
        409,
        'meeting_exists',
      );
    });

    it('refuses duplicates, dates before the group and the future (422)', async () => {
      await refused(
        () => post('/v1/groups/mt/meetings', meeting(['ann', 'ann'])),
        422,
        'duplicate_attendance',
      );
      await refused(
        () => post('/v1/groups/mt/meetings', meeting(['ann'], { apologies: ['ann'] })),
        422,
        'duplicate_attendance',
      );
      await refused(
        () => post('/v1/groups/mt/meetings', meeting(['ann'], { occurredAt: '2013-09-30' })),
        422,
        'meeting_before_group_established',
      );
      await refused(
        () => post('/v1/groups/mt/meetings', meeting(['ann'], { occurredAt: FUTURE })),
        422,
        'occurred_in_future',
      );
    });
  });

  describe('POST /v1/groups/:id/decisions', () => {
    beforeAll(async () => {
      await groupWithSeats('dc', [
        ['ann', 'lay', '2014-01-06'],
        ['bob', 'lay', '2014-01-06'],
        ['dr', 'ccg', '2014-01-06'],
      ]);
      await post(
        '/v1/groups/dc/meetings',
        meeting(['ann', 'dr'], { meetingId: 'dc-m1', apologies: ['bob'] }),
      ).expect(201);
    });

    it('records a decision (201) with a generated or given decisionId; feedback responses can cite it', async () => {
      const generated = await post(
        '/v1/groups/dc/decisions',
        decision({
          influencedBy: ['fb-papers'],
          layMembersPresent: ['ann'],
          touchstoneVersion: 1,
          meetingId: 'dc-m1',
        }),
      ).expect(201);
      expect(generated.body).toEqual(
        accepted('dc', { decisionId: expect.stringMatching(UUID) as unknown }),
      );
      const given = await post(
        '/v1/groups/dc/decisions',
        decision({ decisionId: 'dc-d2', touchstoneVersion: null, meetingId: null }),
      ).expect(201);
      expect(given.body).toEqual(accepted('dc', { decisionId: 'dc-d2' }));
      await post('/v1/feedback/fb-papers/responses', {
        outcome: 'adopted',
        decisionId: 'dc-d2',
        decisionGroupId: 'dc',
        respondedBy: 'dc',
        occurredAt: '2014-03-11',
      }).expect(201);
    });

    it('refuses invalid bodies (400) naming each field', async () => {
      const invalid = await refused(
        () =>
          post('/v1/groups/dc/decisions', {
            decisionId: 'a b',
            summary: '',
            influencedBy: 'fb-papers',
            layMembersPresent: ['not ok'],
            touchstoneVersion: 0,
            meetingId: 'x y',
            occurredAt: '2014-03-10',
          }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(invalid).sort()).toEqual([
        'decisionId',
        'influencedBy',
        'layMembersPresent',
        'meetingId',
        'summary',
        'touchstoneVersion',
      ]);
      const long = await refused(
        () =>
          post(
            '/v1/groups/dc/decisions',
            decision({
              summary: 'x'.repeat(2001),
              influencedBy: Array.from({ length: 101 }, (_, i) => `fb-${i}`),
            }),
          ),
        400,
        'validation_failed',
      );
      expect(fieldsOf(long).sort()).toEqual(['influencedBy', 'summary']);
    });

    it('refuses an unknown group, feedback or meeting (404)', async () => {
      await refused(() => post('/v1/groups/nowhere/decisions', decision()), 404, 'group_not_found');
      await refused(
        () => post('/v1/groups/dc/decisions', decision({ influencedBy: ['fb-papers', 'fb-none'] })),
        404,
        'feedback_not_found',
      );
      await refused(
        () => post('/v1/groups/dc/decisions', decision({ meetingId: 'dc-m9' })),
        404,
        'meeting_not_found',
      );
    });

    it('refuses a decisionId already taken (409 decision_exists)', async () => {
      await refused(
        () => post('/v1/groups/dc/decisions', decision({ decisionId: 'dc-d2' })),
        409,
        'decision_exists',
      );
    });

    it('refuses each decision rule (422)', async () => {
      await refused(
        () =>
          post('/v1/groups/dc/decisions', decision({ influencedBy: ['fb-papers', 'fb-papers'] })),
        422,
        'duplicate_reference',
      );
      await refused(
        () => post('/v1/groups/dc/decisions', decision({ layMembersPresent: ['dr'] })),
        422,
        'not_a_lay_member',
      );
      await refused(
        () => post('/v1/groups/dc/decisions', decision({ layMembersPresent: ['cat'] })),
        422,
        'not_a_lay_member',
      );
      await refused(
        () =>
          post(
            '/v1/groups/dc/decisions',
            decision({ meetingId: 'dc-m1', layMembersPresent: ['bob'] }),
          ),
        422,
        'not_at_meeting',
      );
      await refused(
        () =>
          post(
            '/v1/groups/dc/decisions',
            decision({ meetingId: 'dc-m1', occurredAt: '2014-03-09' }),
          ),
        422,
        'decided_before_meeting',
      );
      await refused(
        () => post('/v1/groups/dc/decisions', decision({ influencedBy: ['fb-late'] })),
        422,
        'decided_before_feedback_heard',
      );
      await refused(
        () => post('/v1/groups/dc/decisions', decision({ occurredAt: '2013-09-30' })),
        422,
        'decided_before_group_established',
      );
      await refused(
        () => post('/v1/groups/dc/decisions', decision({ occurredAt: FUTURE })),
        422,
        'occurred_in_future',
      );
    });
  });

  describe('POST /v1/groups/:id/dissolution', () => {
    beforeAll(async () => {
      await groupWithSeats('ds', [
        ['ann', 'lay', '2014-01-06'],
        ['dr', 'ccg', '2014-01-06'],
      ]);
      await post('/v1/groups/ds/co-chairs', {
        partnerId: 'ann',
        constituency: 'lay',
        occurredAt: '2014-02-01',
      }).expect(201);
      await post('/v1/groups/ds/meetings', meeting(['ann', 'dr'], { meetingId: 'ds-m1' })).expect(
        201,
      );
    });

    it('refuses a dissolution dated before the group’s last activity (422)', async () => {
      await refused(
        () => post('/v1/groups/ds/dissolution', { reason: 'Done', occurredAt: '2014-03-09' }),
        422,
        'dissolved_before_last_activity',
      );
    });

    it('refuses a missing reason or an unknown field (400), an unknown group (404) and the future (422)', async () => {
      const invalid = await refused(
        () => post('/v1/groups/ds/dissolution', { occurredAt: '2015-03-31', when: 'now' }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(invalid).sort()).toEqual(['reason', 'when']);
      await refused(
        () => post('/v1/groups/nowhere/dissolution', { reason: 'x', occurredAt: '2015-03-31' }),
        404,
        'group_not_found',
      );
      await refused(
        () => post('/v1/groups/ds/dissolution', { reason: 'x', occurredAt: FUTURE }),
        422,
        'occurred_in_future',
      );
    });

    it('dissolves (201), ending every seat and co-chair role; nothing happens to the group after', async () => {
      const response = await post('/v1/groups/ds/dissolution', {
        reason: 'Design phase complete',
        occurredAt: '2015-03-31',
      }).expect(201);
      // CoChairStoodDown, two SeatVacated and GroupDissolved, in one append.
      expect(response.body).toEqual(accepted('ds', { revision: 8 }));
      const tenures = await tenuresOf(ledger, 'ds', response.body.position);
      expect(tenures).toHaveLength(3);
      for (const tenure of tenures) {
        expect(tenure).toMatchObject({
          to: '2015-03-31T00:00:00.000Z',
          endReason: 'group-dissolved',
        });
      }
      const after = '2015-04-01';
      const dissolved = 'group_dissolved';
      await refused(() => post('/v1/groups/ds/seats', seat('bob', 'lay', after)), 422, dissolved);
      await refused(
        () =>
          post('/v1/groups/ds/co-chairs', {
            partnerId: 'dr',
            constituency: 'ccg',
            occurredAt: after,
          }),
        422,
        dissolved,
      );
      await refused(
        () => post('/v1/groups/ds/co-chairs/ann/stand-down', { reason: 'x', occurredAt: after }),
        422,
        dissolved,
      );
      await refused(
        () => post('/v1/groups/ds/seats/ds-ann/vacate', { reason: 'x', occurredAt: after }),
        422,
        dissolved,
      );
      await refused(
        () => post('/v1/groups/ds/meetings', meeting(['ann'], { occurredAt: after })),
        422,
        dissolved,
      );
      await refused(
        () => post('/v1/groups/ds/decisions', decision({ occurredAt: after })),
        422,
        dissolved,
      );
      await refused(
        () => post('/v1/groups/ds/dissolution', { reason: 'Again', occurredAt: after }),
        422,
        dissolved,
      );
      await refused(
        () => post('/v1/groups', board('ds-child', { parentGroupId: 'ds', occurredAt: after })),
        422,
        'parent_group_dissolved',
      );
    });
  });

  it('documents every group route in OpenAPI with a post, its request schema and a 422', async () => {
    const doc = await expectDocumentedCommands(ledger, [
      '/v1/groups/{id}/co-chairs',
      '/v1/groups/{id}/co-chairs/{partnerId}/stand-down',
      '/v1/groups/{id}/meetings',
      '/v1/groups/{id}/decisions',
      '/v1/groups/{id}/dissolution',
      '/v1/groups/{id}/seats',
      '/v1/groups/{id}/seats/{seatId}/vacate',
    ]);
    // Vacating a co-chair's seat can be refused for the stand-down it implies.
    expect(
      doc.paths['/v1/groups/{id}/seats/{seatId}/vacate']?.post?.responses['422']?.description,
    ).toEqual(expect.stringContaining('`stood_down_before_appointed`'));
    expect(doc.paths['/v1/groups/{id}/seats']?.post?.responses['422']?.description).toEqual(
      expect.stringContaining('`partner_withdrawn`'),
    );
  });
});

/** Co-chairs, meetings, decisions and dissolution: success, then each refusal with its code, nothing appended. */
describe('group activity routes', () => {
  let ledger: TestLedger;
  const { post, refused } = commandClient(() => ledger);

  beforeAll(async () => {
    ledger = await startTestLedger();
    await post('/v1/groups', programmeBoard({ laySeats: { min: 1, max: 3 } })).expect(201);
    await post('/v1/groups', workstream('informatics', 'Informatics')).expect(201);
    for (const id of ['ann', 'bob', 'cat']) {
      await post('/v1/partners/nominations', nomination(id, `${id} Example`)).expect(201);
      await post(`/v1/partners/${id}/appointment`, {
        body: 'advisory-group',
        occurredAt: '2013-12-01',
      }).expect(201);
    }
    await post('/v1/partners', {
      partnerId: 'dr',
      name: 'Dr Example',
      organisation: 'CCG',
      constituency: 'ccg',
      occurredAt: '2013-10-01',
    }).expect(201);
    await post('/v1/groups/programme-board/seats', {
      seatId: 's-ann',
      partnerId: 'ann',
      constituency: 'lay',
      occurredAt: '2014-01-06',
    }).expect(201);
    await post('/v1/groups/programme-board/seats', {
      seatId: 's-bob',
      partnerId: 'bob',
      constituency: 'lay',
      occurredAt: '2014-01-06',
    }).expect(201);
    await post('/v1/groups/programme-board/seats', {
      seatId: 's-dr',
      partnerId: 'dr',
      constituency: 'ccg',
      occurredAt: '2014-01-06',
    }).expect(201);
    await post('/v1/feedback', {
      feedbackId: 'fb-1',
      channel: 'forum',
      kind: 'idea',
      summary: 'Shared care plans',
      groupId: null,
      raisedBy: null,
      occurredAt: '2014-01-20',
    }).expect(201);
  });
  afterAll(() => ledger.destroy());

  it('appoints co-chairs who hold a seat, one per constituency, and lets them stand down', async () => {
    await post('/v1/groups/programme-board/co-chairs', {
      partnerId: 'ann',
      constituency: 'lay',
      occurredAt: '2014-02-01',
    }).expect(201);
    await post('/v1/groups/programme-board/co-chairs', {
      partnerId: 'dr',
      constituency: 'ccg',
      occurredAt: '2014-02-01',
    }).expect(201);
    await refused(
      () =>
        post('/v1/groups/programme-board/co-chairs', {
          partnerId: 'bob',
          constituency: 'lay',
          occurredAt: '2014-02-02',
        }),
      422,
      'co_chair_constituency_taken',
    );
    await refused(
      () =>
        post('/v1/groups/informatics/co-chairs', {
          partnerId: 'cat',
          constituency: 'lay',
          occurredAt: '2014-02-02',
        }),
      422,
      'co_chair_not_seated',
    );
    await refused(
      () =>
        post('/v1/groups/nowhere/co-chairs', {
          partnerId: 'ann',
          constituency: 'lay',
          occurredAt: '2014-02-02',
        }),
      404,
      'group_not_found',
    );
    await refused(
      () =>
        post('/v1/groups/programme-board/co-chairs', {
          partnerId: 'ann',
          constituency: 'council',
          occurredAt: '2014-02-02',
        }),
      400,
      'validation_failed',
    );
    await refused(
      () =>
        post('/v1/groups/programme-board/co-chairs/bob/stand-down', {
          reason: 'x',
          occurredAt: '2014-03-01',
        }),
      404,
      'co_chair_not_found',
    );
    await refused(
      () =>
        post('/v1/groups/programme-board/co-chairs/ann/stand-down', {
          reason: 'x',
          occurredAt: '2014-01-01',
        }),
      422,
      'stood_down_before_appointed',
    );
    await post('/v1/groups/programme-board/co-chairs/ann/stand-down', {
      reason: 'term ended',
      occurredAt: '2014-06-01',
    }).expect(201);
    await post('/v1/groups/programme-board/co-chairs', {
      partnerId: 'bob',
      constituency: 'lay',
      occurredAt: '2014-06-02',
    }).expect(201);
  });

  it('records meetings of seat holders, refusing strangers, duplicates and taken ids', async () => {
    const held = await post('/v1/groups/programme-board/meetings', {
      attendees: ['ann', 'dr'],
      apologies: ['bob'],
      durationMinutes: 120,
      occurredAt: '2014-02-10',
    }).expect(201);
    expect(held.body.meetingId).toMatch(/^[0-9a-f-]{36}$/);
    await post('/v1/groups/programme-board/meetings', {
      meetingId: 'm-1',
      attendees: ['ann'],
      durationMinutes: 60,
      occurredAt: '2014-03-10',
    }).expect(201);
    await refused(
      () =>
        post('/v1/groups/programme-board/meetings', {
          meetingId: 'm-1',
          attendees: ['ann'],
          durationMinutes: 60,
          occurredAt: '2014-03-10',
        }),
      409,
      'meeting_exists',
    );
    await refused(
      () =>
        post('/v1/groups/programme-board/meetings', {
          attendees: ['cat'],
          durationMinutes: 60,
          occurredAt: '2014-03-10',
        }),
      422,
      'attendee_not_seated',
    );
    await refused(
      () =>
        post('/v1/groups/programme-board/meetings', {
          attendees: ['ann'],
          apologies: ['ann'],
          durationMinutes: 60,
          occurredAt: '2014-03-10',
        }),
      422,
      'duplicate_attendance',
    );
    const invalid = await refused(
      () =>
        post('/v1/groups/programme-board/meetings', {
          attendees: [],
          durationMinutes: 0,
          occurredAt: '2014-03-10',
        }),
      400,
      'validation_failed',
    );
    expect(fieldsOf(invalid)).toEqual(expect.arrayContaining(['attendees', 'durationMinutes']));
  });

  it('records decisions citing feedback and the lay members present', async () => {
    const decided = await post('/v1/groups/programme-board/decisions', {
      summary: 'Adopt shared care plans',
      influencedBy: ['fb-1'],
      layMembersPresent: ['ann'],
      touchstoneVersion: 1,
      meetingId: 'm-1',
      occurredAt: '2014-03-10',
    }).expect(201);
    expect(decided.body.decisionId).toMatch(/^[0-9a-f-]{36}$/);
    await post('/v1/groups/programme-board/decisions', {
      decisionId: 'd-2',
      summary: 'Second',
      occurredAt: '2014-03-11',
    }).expect(201);
    await refused(
      () =>
        post('/v1/groups/programme-board/decisions', {
          decisionId: 'd-2',
          summary: 'Again',
          occurredAt: '2014-03-11',
        }),
      409,
      'decision_exists',
    );
    await refused(
      () =>
        post('/v1/groups/programme-board/decisions', {
          summary: 'x',
          influencedBy: ['fb-none'],
          occurredAt: '2014-03-11',
        }),
      404,
      'feedback_not_found',
    );
    await refused(
      () =>
        post('/v1/groups/programme-board/decisions', {
          summary: 'x',
          layMembersPresent: ['dr'],
          occurredAt: '2014-03-11',
        }),
      422,
      'not_a_lay_member',
    );
    await refused(
      () =>
        post('/v1/groups/programme-board/decisions', {
          summary: 'x',
          meetingId: 'm-9',
          occurredAt: '2014-03-11',
        }),
      404,
      'meeting_not_found',
    );
    await refused(
      () =>
        post('/v1/groups/programme-board/decisions', {
          summary: 'x',
          influencedBy: ['fb-1'],
          occurredAt: '2014-01-10',
        }),
      422,
      'decided_before_feedback_heard',
    );
    await refused(
      () => post('/v1/groups/programme-board/decisions', { summary: '', occurredAt: '2014-03-11' }),
      400,
      'validation_failed',
    );
  });

  it('dissolves a group, ending its seats and co-chairs, after which nothing happens to it', async () => {
    await refused(
      () =>
        post('/v1/groups/programme-board/dissolution', {
          reason: 'done',
          occurredAt: '2014-01-01',
        }),
      422,
      'dissolved_before_last_activity',
    );
    const dissolved = await post('/v1/groups/programme-board/dissolution', {
      reason: 'Design phase complete',
      occurredAt: '2015-03-31',
    }).expect(201);
    await refused(
      () =>
        post('/v1/groups/programme-board/dissolution', {
          reason: 'again',
          occurredAt: '2015-04-01',
        }),
      422,
      'group_dissolved',
    );
    await refused(
      () =>
        post('/v1/groups/programme-board/seats', {
          partnerId: 'cat',
          constituency: 'lay',
          occurredAt: '2015-04-01',
        }),
      422,
      'group_dissolved',
    );
    await refused(
      () => post('/v1/groups/nowhere/dissolution', { reason: 'x', occurredAt: '2015-04-01' }),
      404,
      'group_not_found',
    );
    const after = await ledger
      .http()
      .get('/v1/governance')
      .query({ asOf: '2015-04-01', minPosition: String(dissolved.body.position) })
      .expect(200);
    expect(after.body.groups.map((g: { groupId: string }) => g.groupId)).not.toContain(
      'programme-board',
    );
    const tenures = await ledger.http().get('/v1/groups/programme-board/tenures').expect(200);
    for (const tenure of tenures.body.tenures) expect(tenure.to).not.toBeNull();
  });
});
