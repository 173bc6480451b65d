import { nomination, programmeBoard, workstream } from '../../../../test/support/fixtures.js';
import {
  commandClient,
  feedbackHeard,
  feedbackResponse,
  fieldsOf,
  groupCommand,
} from '../../../../test/support/programme-fixtures.js';
import { startTestLedger, type TestLedger } from '../../../../test/support/test-ledger.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('feedback routes: heard, responded to, reported back', () => {
  let ledger: TestLedger;
  const { post, refused, store } = commandClient(() => ledger);
  const eventsOf = async (feedbackId: string) =>
    (await store().readStream(`feedback-${feedbackId}`)).map((e) => ({
      type: e.type,
      data: e.data,
    }));
  /** Feedback heard at the programme board, with a known id. */
  const hear = (feedbackId: string, overrides: Record<string, unknown> = {}) =>
    post('/v1/feedback', feedbackHeard({ feedbackId, groupId: 'programme-board', ...overrides }))
      .expect(201)
      .then((r) => r.body as { id: string; revision: number; position: number });

  beforeAll(async () => {
    ledger = await startTestLedger();
    await post('/v1/groups', programmeBoard()).expect(201);
    await post('/v1/groups', workstream('provider-networks', 'Provider Networks')).expect(201);
    await post('/v1/partners/nominations', nomination('ann', 'Ann Example')).expect(201);
    // Decisions have no HTTP route yet: the office records them through the command bus.
    for (const [groupId, decisionId] of [
      ['programme-board', 'papers-a-week-ahead'],
      ['provider-networks', 'pn-plain-english-papers'],
    ] as const) {
      await groupCommand(ledger, {
        type: 'RecordDecision',
        data: {
          groupId,
          decisionId,
          summary: 'Papers go out a week before each meeting',
          influencedBy: [],
          layMembersPresent: [],
          touchstoneVersion: null,
          occurredAt: '2014-02-20T00:00:00.000Z',
        },
      });
    }
  });
  afterAll(() => ledger.destroy());

  describe('POST /v1/feedback', () => {
    it('records feedback heard: 201 {id, revision, position} and FeedbackHeard', async () => {
      const response = await post(
        '/v1/feedback',
        feedbackHeard({ feedbackId: 'late-papers', groupId: 'programme-board', raisedBy: 'ann' }),
      ).expect(201);
      expect(response.body).toEqual({
        id: 'late-papers',
        revision: 0,
        position: expect.any(Number),
        recordedAt: expect.any(String),
      });
      expect(await eventsOf('late-papers')).toEqual([
        {
          type: 'FeedbackHeard',
          data: {
            feedbackId: 'late-papers',
            channel: 'forum',
            kind: 'challenge',
            summary: feedbackHeard().summary,
            groupId: 'programme-board',
            raisedBy: 'ann',
            occurredAt: '2014-02-01T00:00:00.000Z',
          },
        },
      ]);
    });

    it('generates the feedback id; group and partner default to none (an anonymous survey)', async () => {
      const response = await post(
        '/v1/feedback',
        feedbackHeard({ channel: 'survey', kind: 'idea', raisedBy: null }),
      ).expect(201);
      expect(response.body.id).toMatch(UUID);
      const [heard] = await eventsOf(response.body.id);
      expect(heard?.data).toMatchObject({ groupId: null, raisedBy: null, channel: 'survey' });
    });

    it('400 lists every invalid field', async () => {
      const body = await refused(
        () =>
          post('/v1/feedback', {
            feedbackId: 'bad id',
            channel: 'email',
            kind: 'complaint',
            summary: '',
            groupId: 'the board',
            raisedBy: 7,
            occurredAt: 'yesterday',
            extra: true,
          }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(body)).toEqual(
        expect.arrayContaining([
          'feedbackId',
          'channel',
          'kind',
          'summary',
          'groupId',
          'raisedBy',
          'occurredAt',
          'extra',
        ]),
      );
      const long = await refused(
        () => post('/v1/feedback', feedbackHeard({ summary: 'x'.repeat(2001) })),
        400,
        'validation_failed',
      );
      expect(fieldsOf(long)).toEqual(['summary']);
    });

    it('404 group_not_found and partner_not_found', async () => {
      await refused(
        () => post('/v1/feedback', feedbackHeard({ groupId: 'nowhere' })),
        404,
        'group_not_found',
      );
      await refused(
        () => post('/v1/feedback', feedbackHeard({ raisedBy: 'nobody' })),
        404,
        'partner_not_found',
      );
    });

    it('409 feedback_exists for an id already taken', async () => {
      await hear('taken');
      await refused(
        () => post('/v1/feedback', feedbackHeard({ feedbackId: 'taken' })),
        409,
        'feedback_exists',
      );
    });

    it('422 for each broken rule', async () => {
      await refused(
        () => post('/v1/feedback', feedbackHeard({ summary: '   ' })),
        422,
        'summary_required',
      );
      await refused(
        () =>
          post(
            '/v1/feedback',
            feedbackHeard({ groupId: 'programme-board', occurredAt: '2013-09-01' }),
          ),
        422,
        'heard_before_group_established',
      );
      await refused(
        () => post('/v1/feedback', feedbackHeard({ raisedBy: 'ann', occurredAt: '2013-11-01' })),
        422,
        'heard_before_partner_joined',
      );
      await refused(
        () => post('/v1/feedback', feedbackHeard({ occurredAt: '2999-01-01' })),
        422,
        'occurred_in_future',
      );
      await post('/v1/groups', workstream('task-and-finish', 'Task and Finish')).expect(201);
      await groupCommand(ledger, {
        type: 'DissolveGroup',
        data: {
          groupId: 'task-and-finish',
          reason: 'work complete',
          occurredAt: '2014-01-01T00:00:00.000Z',
        },
      });
      await refused(
        () => post('/v1/feedback', feedbackHeard({ groupId: 'task-and-finish' })),
        422,
        'group_dissolved',
      );
    });
  });

  describe('POST /v1/feedback/:id/responses', () => {
    beforeAll(async () => {
      await hear('respond-to-me');
    });

    it('records a response with its id, and generates one when left out', async () => {
      const response = await post(
        '/v1/feedback/respond-to-me/responses',
        feedbackResponse({ responseId: 'r1', outcome: 'noted' }),
      ).expect(201);
      expect(response.body).toEqual({
        id: 'respond-to-me',
        revision: 1,
        position: expect.any(Number),
        recordedAt: expect.any(String),
        responseId: 'r1',
      });
      const generated = await post(
        '/v1/feedback/respond-to-me/responses',
        feedbackResponse({
          outcome: 'not-adopted',
          rationale: 'Papers depend on NHS England deadlines',
        }),
      ).expect(201);
      // Explicit nulls mean "no decision", as the demo scenario sends them.
      await post(
        '/v1/feedback/respond-to-me/responses',
        feedbackResponse({
          responseId: 'r0',
          outcome: 'noted',
          rationale: null,
          decisionId: null,
          decisionGroupId: null,
          occurredAt: '2014-02-15',
        }),
      ).expect(201);
      expect(generated.body).toMatchObject({
        revision: 2,
        responseId: expect.stringMatching(UUID),
      });
      const responded = (await eventsOf('respond-to-me')).filter(
        (e) => e.type === 'FeedbackResponded',
      );
      expect(responded.map((e) => e.data)).toEqual([
        {
          feedbackId: 'respond-to-me',
          responseId: 'r1',
          outcome: 'noted',
          rationale: null,
          decisionId: null,
          respondedBy: 'programme-board',
          occurredAt: '2014-03-01T00:00:00.000Z',
        },
        expect.objectContaining({
          responseId: generated.body.responseId,
          outcome: 'not-adopted',
          rationale: 'Papers depend on NHS England deadlines',
        }),
        expect.objectContaining({ responseId: 'r0', decisionId: null, rationale: null }),
      ]);
    });

    it('cites a decision of the group the feedback was heard in, by default', async () => {
      await hear('cite-default');
      await post(
        '/v1/feedback/cite-default/responses',
        feedbackResponse({ responseId: 'adopted', decisionId: 'papers-a-week-ahead' }),
      ).expect(201);
      const [, responded] = await eventsOf('cite-default');
      expect(responded?.data).toMatchObject({
        outcome: 'adopted',
        decisionId: 'papers-a-week-ahead',
      });
      // A decision of another group is not found there…
      await refused(
        () =>
          post(
            '/v1/feedback/cite-default/responses',
            feedbackResponse({ decisionId: 'pn-plain-english-papers' }),
          ),
        404,
        'decision_not_found',
      );
    });

    it('cites a decision of another group named by decisionGroupId', async () => {
      await hear('cite-other');
      const response = await post(
        '/v1/feedback/cite-other/responses',
        feedbackResponse({
          outcome: 'adapted',
          decisionId: 'pn-plain-english-papers',
          decisionGroupId: 'provider-networks',
        }),
      ).expect(201);
      expect(response.body.revision).toBe(1);
      const [, responded] = await eventsOf('cite-other');
      expect(responded?.data).toMatchObject({ decisionId: 'pn-plain-english-papers' });
      await refused(
        () =>
          post(
            '/v1/feedback/cite-other/responses',
            feedbackResponse({ decisionId: 'papers-a-week-ahead', decisionGroupId: 'nowhere' }),
          ),
        404,
        'decision_not_found',
      );
    });

    it('400 lists every invalid field, and decisionGroupId needs a decisionId', async () => {
      const body = await refused(
        () =>
          post('/v1/feedback/respond-to-me/responses', {
            responseId: 'bad id',
            outcome: 'maybe',
            rationale: 42,
            decisionId: 'a decision',
            respondedBy: '',
            occurredAt: '2014-14-01',
            extra: 1,
          }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(body)).toEqual(
        expect.arrayContaining([
          'responseId',
          'outcome',
          'rationale',
          'decisionId',
          'respondedBy',
          'occurredAt',
          'extra',
        ]),
      );
      const orphan = await refused(
        () =>
          post(
            '/v1/feedback/respond-to-me/responses',
            feedbackResponse({ decisionGroupId: 'provider-networks' }),
          ),
        400,
        'validation_failed',
      );
      expect(fieldsOf(orphan)).toEqual(['decisionId']);
      await refused(
        () => post('/v1/feedback/bad%20id/responses', feedbackResponse()),
        400,
        'invalid_id',
      );
    });

    it('404 feedback_not_found', async () => {
      await refused(
        () => post('/v1/feedback/nothing/responses', feedbackResponse()),
        404,
        'feedback_not_found',
      );
    });

    it('409 response_exists, and revision_conflict on a stale If-Match', async () => {
      await refused(
        () => post('/v1/feedback/respond-to-me/responses', feedbackResponse({ responseId: 'r1' })),
        409,
        'response_exists',
      );
      await refused(
        () => post('/v1/feedback/respond-to-me/responses', feedbackResponse(), { 'if-match': '0' }),
        409,
        'revision_conflict',
      );
    });

    it('422 for each broken rule', async () => {
      await refused(
        () =>
          post(
            '/v1/feedback/respond-to-me/responses',
            feedbackResponse({ outcome: 'not-adopted' }),
          ),
        422,
        'rationale_required',
      );
      await refused(
        () =>
          post(
            '/v1/feedback/respond-to-me/responses',
            feedbackResponse({ outcome: 'not-adopted', rationale: '  ' }),
          ),
        422,
        'rationale_required',
      );
      await refused(
        () =>
          post(
            '/v1/feedback/respond-to-me/responses',
            feedbackResponse({ occurredAt: '2014-01-31' }),
          ),
        422,
        'responded_before_heard',
      );
      // The decision was recorded on 20 February 2014.
      await refused(
        () =>
          post(
            '/v1/feedback/respond-to-me/responses',
            feedbackResponse({ decisionId: 'papers-a-week-ahead', occurredAt: '2014-02-10' }),
          ),
        422,
        'responded_before_decision',
      );
      await refused(
        () =>
          post(
            '/v1/feedback/respond-to-me/responses',
            feedbackResponse({ occurredAt: '2999-01-01' }),
          ),
        422,
        'occurred_in_future',
      );
    });
  });

  describe('POST /v1/feedback/:id/report-back', () => {
    const reportBack = (overrides: Record<string, unknown> = {}) => ({
      how: 'Forum meeting, March 2014',
      occurredAt: '2014-03-10',
      ...overrides,
    });

    it('closes the loop once, after a response', async () => {
      await hear('loop');
      await post('/v1/feedback/loop/responses', feedbackResponse()).expect(201);
      const response = await post('/v1/feedback/loop/report-back', reportBack()).expect(201);
      expect(response.body).toEqual({
        id: 'loop',
        revision: 2,
        position: expect.any(Number),
        recordedAt: expect.any(String),
      });
      const [, , reported] = await eventsOf('loop');
      expect(reported).toEqual({
        type: 'FeedbackReportedBack',
        data: {
          feedbackId: 'loop',
          how: 'Forum meeting, March 2014',
          occurredAt: '2014-03-10T00:00:00.000Z',
        },
      });
      // The next command sees it reported back.
      await refused(
        () => post('/v1/feedback/loop/report-back', reportBack({ occurredAt: '2014-04-01' })),
        422,
        'already_reported_back',
      );
    });

    it('400 for a missing or overlong how and a bad date', async () => {
      const body = await refused(
        () => post('/v1/feedback/loop/report-back', { occurredAt: '10/03/2014', extra: 1 }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(body)).toEqual(expect.arrayContaining(['how', 'occurredAt', 'extra']));
      const long = await refused(
        () => post('/v1/feedback/loop/report-back', reportBack({ how: 'x'.repeat(501) })),
        400,
        'validation_failed',
      );
      expect(fieldsOf(long)).toEqual(['how']);
    });

    it('404 feedback_not_found', async () => {
      await refused(
        () => post('/v1/feedback/nothing/report-back', reportBack()),
        404,
        'feedback_not_found',
      );
    });

    it('422 for each broken rule', async () => {
      await hear('unanswered');
      await refused(
        () => post('/v1/feedback/unanswered/report-back', reportBack()),
        422,
        'no_response_yet',
      );
      await post('/v1/feedback/unanswered/responses', feedbackResponse()).expect(201);
      await refused(
        () => post('/v1/feedback/unanswered/report-back', reportBack({ how: '   ' })),
        422,
        'how_required',
      );
      await refused(
        () => post('/v1/feedback/unanswered/report-back', reportBack({ occurredAt: '2014-02-15' })),
        422,
        'reported_back_before_response',
      );
      await refused(
        () => post('/v1/feedback/unanswered/report-back', reportBack({ occurredAt: '2999-01-01' })),
        422,
        'occurred_in_future',
      );
    });
  });

  it('documents every feedback route in OpenAPI with a 422 response', async () => {
    const response = await ledger.http().get('/docs-json').expect(200);
    const paths = response.body.paths as Record<
      string,
      { post?: { responses: Record<string, unknown> } }
    >;
    for (const path of [
      '/v1/feedback',
      '/v1/feedback/{id}/responses',
      '/v1/feedback/{id}/report-back',
    ]) {
      expect({ path, responses: Object.keys(paths[path]?.post?.responses ?? {}) }).toEqual({
        path,
        responses: expect.arrayContaining(['201', '400', '404', '409', '422']),
      });
    }
    expect(response.body.components.schemas.RespondToFeedbackDto).toBeDefined();
  });
});
