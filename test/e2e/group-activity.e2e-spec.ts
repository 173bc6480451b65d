import { nomination, programmeBoard, workstream } from '../support/fixtures.js';
import { commandClient, fieldsOf } from '../support/programme-fixtures.js';
import { startTestLedger, type TestLedger } from '../support/test-ledger.js';

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
