import { programmeBoard, workstream } from '../../../../test/support/fixtures.js';
import {
  commandClient,
  fieldsOf,
  groupCommand,
  launchProgramme,
  nominationRequest,
  principles,
  recruitmentWorkshop,
  roleProfile,
} from '../../../../test/support/programme-fixtures.js';
import { startTestLedger, type TestLedger } from '../../../../test/support/test-ledger.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('programme routes: launch, role profile, nominations, workshops, principles', () => {
  let ledger: TestLedger;
  const { post, refused, store } = commandClient(() => ledger);
  const eventsOf = async (programmeId: string) =>
    (await store().readStream(`programme-${programmeId}`)).map((e) => ({
      type: e.type,
      data: e.data,
    }));

  beforeAll(async () => {
    ledger = await startTestLedger();
    await post('/v1/groups', programmeBoard()).expect(201);
    await post('/v1/programmes', launchProgramme('wsic')).expect(201);
  });
  afterAll(() => ledger.destroy());

  describe('POST /v1/programmes', () => {
    it('launches a programme: 201 {id, revision, position} and ProgrammeLaunched', async () => {
      const response = await post('/v1/programmes', launchProgramme('wsic-2016')).expect(201);
      expect(response.body).toEqual({
        id: 'wsic-2016',
        revision: 0,
        position: expect.any(Number),
        recordedAt: expect.any(String),
      });
      expect(response.headers.etag).toBe('"0"');
      expect(await eventsOf('wsic-2016')).toEqual([
        {
          type: 'ProgrammeLaunched',
          data: {
            programmeId: 'wsic-2016',
            name: 'Whole Systems Integrated Care',
            boroughs: ['Brent', 'Ealing', 'Harrow', 'Hillingdon'],
            occurredAt: '2013-01-15T00:00:00.000Z',
          },
        },
      ]);
    });

    it('generates the programme id when the client leaves it out', async () => {
      const response = await post(
        '/v1/programmes',
        launchProgramme('x', { programmeId: undefined, boroughs: [] }),
      ).expect(201);
      expect(response.body.id).toMatch(UUID);
      // The next command on the generated id finds the programme.
      await post(`/v1/programmes/${response.body.id}/role-profiles`, roleProfile()).expect(201);
    });

    it('400 lists every invalid field', async () => {
      const body = await refused(
        () =>
          post('/v1/programmes', {
            programmeId: 'bad id',
            name: '',
            boroughs: ['Brent', 42, 'x'.repeat(101)],
            occurredAt: 'last spring',
            extra: true,
          }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(body)).toEqual(
        expect.arrayContaining(['programmeId', 'name', 'boroughs', 'occurredAt', 'extra']),
      );
      const missing = await refused(() => post('/v1/programmes', {}), 400, 'validation_failed');
      expect(fieldsOf(missing)).toEqual(expect.arrayContaining(['name', 'boroughs', 'occurredAt']));
    });

    it('409 programme_exists for an id already taken', async () => {
      await refused(() => post('/v1/programmes', launchProgramme('wsic')), 409, 'programme_exists');
    });

    it('422 duplicate_borough and occurred_in_future', async () => {
      await refused(
        () => post('/v1/programmes', launchProgramme('twice', { boroughs: ['Brent', 'Brent'] })),
        422,
        'duplicate_borough',
      );
      await refused(
        () => post('/v1/programmes', launchProgramme('later', { occurredAt: '2999-01-01' })),
        422,
        'occurred_in_future',
      );
    });
  });

  describe('POST /v1/programmes/:id/role-profiles', () => {
    it('publishes the role profile as given', async () => {
      await post('/v1/programmes', launchProgramme('profiled')).expect(201);
      const response = await post('/v1/programmes/profiled/role-profiles', roleProfile()).expect(
        201,
      );
      expect(response.body).toEqual({
        id: 'profiled',
        revision: 1,
        position: expect.any(Number),
        recordedAt: expect.any(String),
      });
      const [, published] = await eventsOf('profiled');
      expect(published).toEqual({
        type: 'RoleProfilePublished',
        data: {
          programmeId: 'profiled',
          meetingsPerMonth: 2,
          hoursPerMonth: 8,
          paid: false,
          expensesReimbursed: true,
          summary: roleProfile().summary,
          occurredAt: '2013-04-01T00:00:00.000Z',
        },
      });
    });

    it('honours If-Match: a stale revision is 409 revision_conflict, the current one succeeds', async () => {
      const launched = await post('/v1/programmes', launchProgramme('pinned')).expect(201);
      await refused(
        () =>
          post('/v1/programmes/pinned/role-profiles', roleProfile(), {
            'if-match': String(launched.body.revision + 1),
          }),
        409,
        'revision_conflict',
      );
      const response = await post('/v1/programmes/pinned/role-profiles', roleProfile(), {
        'if-match': `"${launched.body.revision}"`,
      }).expect(201);
      expect(response.body.revision).toBe(launched.body.revision + 1);
    });

    it('400 for invalid fields and a bad path id', async () => {
      const body = await refused(
        () =>
          post('/v1/programmes/wsic/role-profiles', {
            meetingsPerMonth: -1,
            hoursPerMonth: 'eight',
            paid: 'no',
            expensesReimbursed: 1,
            summary: '',
            occurredAt: '2013-13-45',
          }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(body)).toEqual(
        expect.arrayContaining([
          'meetingsPerMonth',
          'hoursPerMonth',
          'paid',
          'expensesReimbursed',
          'summary',
          'occurredAt',
        ]),
      );
      await refused(
        () => post('/v1/programmes/bad%20id/role-profiles', roleProfile()),
        400,
        'invalid_id',
      );
    });

    it('404 programme_not_found', async () => {
      await refused(
        () => post('/v1/programmes/nowhere/role-profiles', roleProfile()),
        404,
        'programme_not_found',
      );
    });

    it('422 published_before_launch and occurred_in_future', async () => {
      await refused(
        () => post('/v1/programmes/wsic/role-profiles', roleProfile({ occurredAt: '2013-01-01' })),
        422,
        'published_before_launch',
      );
      await refused(
        () => post('/v1/programmes/wsic/role-profiles', roleProfile({ occurredAt: '2999-01-01' })),
        422,
        'occurred_in_future',
      );
    });
  });

  describe('POST /v1/programmes/:id/nomination-requests', () => {
    it('asks organisations for nominations for a campaign', async () => {
      await post('/v1/programmes', launchProgramme('asked')).expect(201);
      const response = await post(
        '/v1/programmes/asked/nomination-requests',
        nominationRequest(),
      ).expect(201);
      expect(response.body).toEqual({
        id: 'asked',
        revision: 1,
        position: expect.any(Number),
        recordedAt: expect.any(String),
      });
      const [, requested] = await eventsOf('asked');
      expect(requested).toEqual({
        type: 'NominationsRequested',
        data: {
          programmeId: 'asked',
          campaign: '2013-design-phase',
          organisations: nominationRequest().organisations,
          occurredAt: '2013-05-01T00:00:00.000Z',
        },
      });
    });

    it('400 for no organisations, a bad organisation and an unknown field', async () => {
      const empty = await refused(
        () =>
          post('/v1/programmes/wsic/nomination-requests', nominationRequest({ organisations: [] })),
        400,
        'validation_failed',
      );
      expect(fieldsOf(empty)).toEqual(['organisations']);
      const bad = await refused(
        () =>
          post('/v1/programmes/wsic/nomination-requests', {
            campaign: '',
            organisations: [{ name: 'Ealing CCG', kind: 'hospital', extra: 1 }],
            occurredAt: '2013-05-01',
          }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(bad)).toEqual(
        expect.arrayContaining(['campaign', 'organisations.0.kind', 'organisations.0.extra']),
      );
    });

    it('404 programme_not_found', async () => {
      await refused(
        () => post('/v1/programmes/nowhere/nomination-requests', nominationRequest()),
        404,
        'programme_not_found',
      );
    });

    it('422 duplicate_organisation, requested_before_launch and occurred_in_future', async () => {
      const twice = [
        { name: 'Ealing CCG', kind: 'ccg' },
        { name: 'Ealing CCG', kind: 'ccg' },
      ];
      await refused(
        () =>
          post(
            '/v1/programmes/wsic/nomination-requests',
            nominationRequest({ organisations: twice }),
          ),
        422,
        'duplicate_organisation',
      );
      await refused(
        () =>
          post(
            '/v1/programmes/wsic/nomination-requests',
            nominationRequest({ occurredAt: '2012-12-01' }),
          ),
        422,
        'requested_before_launch',
      );
      await refused(
        () =>
          post(
            '/v1/programmes/wsic/nomination-requests',
            nominationRequest({ occurredAt: '2999-01-01' }),
          ),
        422,
        'occurred_in_future',
      );
    });
  });

  describe('POST /v1/programmes/:id/workshops', () => {
    beforeAll(async () => {
      await post('/v1/programmes', launchProgramme('recruiting')).expect(201);
      await post('/v1/programmes/recruiting/nomination-requests', nominationRequest()).expect(201);
    });

    it('records a workshop for a requested campaign, with the workshop id', async () => {
      const response = await post(
        '/v1/programmes/recruiting/workshops',
        recruitmentWorkshop({ workshopId: 'ealing-june-2013' }),
      ).expect(201);
      expect(response.body).toEqual({
        id: 'recruiting',
        revision: 2,
        position: expect.any(Number),
        recordedAt: expect.any(String),
        workshopId: 'ealing-june-2013',
      });
      const generated = await post(
        '/v1/programmes/recruiting/workshops',
        recruitmentWorkshop({ attendees: 0 }),
      ).expect(201);
      expect(generated.body.workshopId).toMatch(UUID);
      const held = (await eventsOf('recruiting')).filter(
        (e) => e.type === 'RecruitmentWorkshopHeld',
      );
      expect(held.map((e) => e.data)).toEqual([
        {
          programmeId: 'recruiting',
          workshopId: 'ealing-june-2013',
          attendees: 40,
          campaign: '2013-design-phase',
          occurredAt: '2013-06-20T00:00:00.000Z',
        },
        expect.objectContaining({ workshopId: generated.body.workshopId, attendees: 0 }),
      ]);
    });

    it('400 for attendees that are not a whole number from 0', async () => {
      for (const attendees of [-1, 2.5, '40']) {
        const body = await refused(
          () => post('/v1/programmes/recruiting/workshops', recruitmentWorkshop({ attendees })),
          400,
          'validation_failed',
        );
        expect(fieldsOf(body)).toEqual(['attendees']);
      }
    });

    it('404 programme_not_found and campaign_not_found', async () => {
      await refused(
        () => post('/v1/programmes/nowhere/workshops', recruitmentWorkshop()),
        404,
        'programme_not_found',
      );
      await refused(
        () =>
          post(
            '/v1/programmes/recruiting/workshops',
            recruitmentWorkshop({ campaign: '2014-refresh' }),
          ),
        404,
        'campaign_not_found',
      );
    });

    it('409 workshop_exists for a workshop id already used', async () => {
      await post(
        '/v1/programmes/recruiting/workshops',
        recruitmentWorkshop({ workshopId: 'brent-july-2013', occurredAt: '2013-07-04' }),
      ).expect(201);
      await refused(
        () =>
          post(
            '/v1/programmes/recruiting/workshops',
            recruitmentWorkshop({ workshopId: 'brent-july-2013' }),
          ),
        409,
        'workshop_exists',
      );
    });

    it('422 workshop_before_nominations_requested and occurred_in_future', async () => {
      await refused(
        () =>
          post(
            '/v1/programmes/recruiting/workshops',
            recruitmentWorkshop({ occurredAt: '2013-04-01' }),
          ),
        422,
        'workshop_before_nominations_requested',
      );
      await refused(
        () =>
          post(
            '/v1/programmes/recruiting/workshops',
            recruitmentWorkshop({ occurredAt: '2999-01-01' }),
          ),
        422,
        'occurred_in_future',
      );
    });
  });

  describe('POST /v1/programmes/:id/principles', () => {
    beforeAll(async () => {
      await post('/v1/programmes', launchProgramme('touchstone')).expect(201);
    });

    it('adopts version 1, then version 2 superseding it', async () => {
      const v1 = await post('/v1/programmes/touchstone/principles', principles()).expect(201);
      expect(v1.body).toEqual({
        id: 'touchstone',
        revision: 1,
        position: expect.any(Number),
        recordedAt: expect.any(String),
      });
      // The next command sees version 1 in force: version 1 again is out of sequence.
      await refused(
        () => post('/v1/programmes/touchstone/principles', principles()),
        409,
        'principles_version_out_of_sequence',
      );
      const v2 = await post(
        '/v1/programmes/touchstone/principles',
        principles({
          version: 2,
          statements: ['I co-design, not just comment'],
          occurredAt: '2014-05-01',
        }),
      ).expect(201);
      expect(v2.body.revision).toBe(2);
      const adopted = (await eventsOf('touchstone')).filter((e) => e.type === 'PrinciplesAdopted');
      expect(adopted.map((e) => e.data)).toEqual([
        {
          programmeId: 'touchstone',
          version: 1,
          statements: principles().statements,
          adoptedBy: 'programme-board',
          supersedes: null,
          occurredAt: '2013-10-15T00:00:00.000Z',
        },
        {
          programmeId: 'touchstone',
          version: 2,
          statements: ['I co-design, not just comment'],
          adoptedBy: 'programme-board',
          supersedes: 1,
          occurredAt: '2014-05-01T00:00:00.000Z',
        },
      ]);
    });

    it('400 for no statements, a statement too long, version 0 and a bad group id', async () => {
      const body = await refused(
        () =>
          post('/v1/programmes/wsic/principles', {
            version: 0,
            statements: [],
            adoptedBy: 'the board',
            occurredAt: '2013-10-15',
          }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(body)).toEqual(
        expect.arrayContaining(['version', 'statements', 'adoptedBy']),
      );
      const long = await refused(
        () =>
          post(
            '/v1/programmes/wsic/principles',
            principles({ statements: ['I am heard', 'x'.repeat(501)] }),
          ),
        400,
        'validation_failed',
      );
      expect(fieldsOf(long)).toEqual(['statements']);
      const many = await refused(
        () =>
          post(
            '/v1/programmes/wsic/principles',
            principles({ statements: Array.from({ length: 51 }, (_, i) => `I statement ${i}`) }),
          ),
        400,
        'validation_failed',
      );
      expect(fieldsOf(many)).toEqual(['statements']);
    });

    it('404 programme_not_found and group_not_found', async () => {
      await refused(
        () => post('/v1/programmes/nowhere/principles', principles()),
        404,
        'programme_not_found',
      );
      await refused(
        () => post('/v1/programmes/wsic/principles', principles({ adoptedBy: 'nowhere' })),
        404,
        'group_not_found',
      );
    });

    it('409 principles_version_out_of_sequence for a version that skips one', async () => {
      await refused(
        () => post('/v1/programmes/wsic/principles', principles({ version: 3 })),
        409,
        'principles_version_out_of_sequence',
      );
    });

    it('422 for each broken rule', async () => {
      await post('/v1/programmes', launchProgramme('rules')).expect(201);
      await refused(
        () =>
          post('/v1/programmes/rules/principles', principles({ statements: ['I am heard', ' '] })),
        422,
        'principles_statements_required',
      );
      await refused(
        () => post('/v1/programmes/rules/principles', principles({ occurredAt: '2013-01-01' })),
        422,
        'adopted_before_launch',
      );
      // The board was established on 1 October 2013.
      await refused(
        () => post('/v1/programmes/rules/principles', principles({ occurredAt: '2013-09-01' })),
        422,
        'adopted_before_group_established',
      );
      await refused(
        () => post('/v1/programmes/rules/principles', principles({ occurredAt: '2999-01-01' })),
        422,
        'occurred_in_future',
      );
      await post('/v1/programmes/rules/principles', principles()).expect(201);
      await refused(
        () =>
          post(
            '/v1/programmes/rules/principles',
            principles({ version: 2, occurredAt: '2013-10-14' }),
          ),
        422,
        'adopted_before_previous_version',
      );
    });

    it('422 group_dissolved for adoption by a group after it was dissolved', async () => {
      await post(
        '/v1/groups',
        workstream('shadow-board', 'Shadow Board', { parentGroupId: null, programmeId: 'rules' }),
      ).expect(201);
      // No HTTP route dissolves a group yet: issue the command as the office would.
      await groupCommand(ledger, {
        type: 'DissolveGroup',
        data: {
          groupId: 'shadow-board',
          reason: 'merged into the programme board',
          occurredAt: '2014-01-01T00:00:00.000Z',
        },
      });
      await post('/v1/programmes', launchProgramme('dissolved')).expect(201);
      await refused(
        () =>
          post(
            '/v1/programmes/dissolved/principles',
            principles({ adoptedBy: 'shadow-board', occurredAt: '2014-02-01' }),
          ),
        422,
        'group_dissolved',
      );
    });
  });

  it('documents every programme route in OpenAPI with a 422 response', async () => {
    const response = await ledger.http().get('/docs-json').expect(200);
    const paths = response.body.paths as Record<
      string,
      { post?: { responses: Record<string, unknown> } }
    >;
    for (const path of [
      '/v1/programmes',
      '/v1/programmes/{id}/role-profiles',
      '/v1/programmes/{id}/nomination-requests',
      '/v1/programmes/{id}/workshops',
      '/v1/programmes/{id}/principles',
    ]) {
      expect({ path, responses: Object.keys(paths[path]?.post?.responses ?? {}) }).toEqual({
        path,
        responses: expect.arrayContaining(['201', '400', '409', '422']),
      });
    }
    expect(response.body.components.schemas.AdoptPrinciplesDto).toBeDefined();
  });

  describe('POST /v1/programmes/:id/withdrawal-reasons', () => {
    it('defines the programme’s reasons; its partners withdraw with them, counted by the funnel under their own names', async () => {
      await post('/v1/programmes', launchProgramme('carers')).expect(201);
      const defined = await post('/v1/programmes/carers/withdrawal-reasons', {
        reasons: [
          { key: 'caring-responsibilities', label: 'Caring responsibilities' },
          { key: 'respite-ended', label: 'Respite care ended' },
        ],
        occurredAt: '2013-02-01',
      }).expect(201);
      expect(defined.body.id).toBe('carers');
      expect((await eventsOf('carers')).at(-1)).toEqual({
        type: 'WithdrawalReasonsDefined',
        data: {
          programmeId: 'carers',
          reasons: [
            { key: 'caring-responsibilities', label: 'Caring responsibilities' },
            { key: 'respite-ended', label: 'Respite care ended' },
          ],
          occurredAt: '2013-02-01T00:00:00.000Z',
        },
      });
      const nominate = (partnerId: string, programmeId?: string) =>
        post('/v1/partners/nominations', {
          partnerId,
          name: `${partnerId} Example`,
          nominatedBy: { organisation: 'Carers Network', organisationKind: 'charity' },
          campaign: 'carers-2013',
          ...(programmeId === undefined ? {} : { programmeId }),
          occurredAt: '2013-11-15',
        });
      await nominate('cara', 'carers').expect(201);
      // The ledger runs several programmes: a partner must name theirs.
      const required = await refused(() => nominate('dev'), 422, 'programme_required');
      expect(required.details.programmes).toEqual(expect.arrayContaining(['carers', 'wsic']));
      await nominate('dev', 'wsic').expect(201);
      await refused(() => nominate('nobody', 'no-such-programme'), 404, 'programme_not_found');

      await post('/v1/partners/cara/withdrawal', {
        reason: 'respite-ended',
        occurredAt: '2014-01-10',
      }).expect(201);
      // Another programme's partners withdraw with its reasons (here the default set).
      const unknown = await refused(
        () =>
          post('/v1/partners/dev/withdrawal', {
            reason: 'respite-ended',
            occurredAt: '2014-01-10',
          }),
        422,
        'unknown_withdrawal_reason',
      );
      expect(unknown.details).toMatchObject({ reason: 'respite-ended', programmeId: 'wsic' });
      const last = await post('/v1/partners/dev/withdrawal', {
        reason: 'caring-responsibilities',
        occurredAt: '2014-01-10',
      }).expect(201);

      const funnel = await ledger
        .http('auditor')
        .get('/v1/reports/recruitment-funnel')
        .query({ minPosition: String(last.body.position), programmeId: 'carers' })
        .expect(200);
      const carers = (
        funnel.body.byCampaign as Array<{ campaign: string; withdrawalReasons: object }>
      ).find((row) => row.campaign === 'carers-2013');
      // Only the carers programme's partners: the other programme's withdrawal is not mixed in.
      expect(carers?.withdrawalReasons).toEqual({ 'respite-ended': 1 });
    });

    it('refuses bad keys (422), a missing programme (404) and malformed bodies (400)', async () => {
      await refused(
        () =>
          post('/v1/programmes/wsic/withdrawal-reasons', {
            reasons: [{ key: 'Moved Away', label: 'Moved away' }],
            occurredAt: '2014-01-01',
          }),
        422,
        'invalid_withdrawal_reason_key',
      );
      await refused(
        () =>
          post('/v1/programmes/nope/withdrawal-reasons', {
            reasons: [{ key: 'other', label: 'Other' }],
            occurredAt: '2014-01-01',
          }),
        404,
        'programme_not_found',
      );
      const invalid = await refused(
        () => post('/v1/programmes/wsic/withdrawal-reasons', { reasons: [], occurredAt: 'soon' }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(invalid).sort()).toEqual(['occurredAt', 'reasons']);
    });
  });

  describe('POST /v1/programmes/:id/response-targets', () => {
    it('sets the response clock, either step alone, backdated in business time', async () => {
      const set = await post('/v1/programmes/wsic/response-targets', {
        firstResponseDays: 14,
        reportBackDays: 91,
        occurredAt: '2013-02-01',
      }).expect(201);
      expect(set.body.id).toBe('wsic');
      expect((await eventsOf('wsic')).at(-1)).toEqual({
        type: 'ResponseTargetsSet',
        data: {
          programmeId: 'wsic',
          firstResponseDays: 14,
          reportBackDays: 91,
          occurredAt: '2013-02-01T00:00:00.000Z',
        },
      });
      await post('/v1/programmes/wsic/response-targets', {
        reportBackDays: 60,
        occurredAt: '2014-01-01',
      }).expect(201);
      expect((await eventsOf('wsic')).at(-1)?.data).toMatchObject({
        firstResponseDays: null,
        reportBackDays: 60,
      });
    });

    it('refuses targets out of order or before the ones in force (422), a missing programme (404), bad days (400)', async () => {
      await refused(
        () =>
          post('/v1/programmes/wsic/response-targets', {
            firstResponseDays: 100,
            reportBackDays: 30,
            occurredAt: '2014-02-01',
          }),
        422,
        'response_targets_out_of_order',
      );
      await refused(
        () =>
          post('/v1/programmes/wsic/response-targets', {
            reportBackDays: 30,
            occurredAt: '2013-06-01',
          }),
        422,
        'targets_set_before_previous_targets',
      );
      await refused(
        () => post('/v1/programmes/wsic/response-targets', { occurredAt: '2014-02-01' }),
        422,
        'response_target_required',
      );
      await refused(
        () =>
          post('/v1/programmes/nope/response-targets', {
            reportBackDays: 30,
            occurredAt: '2014-02-01',
          }),
        404,
        'programme_not_found',
      );
      const invalid = await refused(
        () =>
          post('/v1/programmes/wsic/response-targets', {
            firstResponseDays: 0,
            reportBackDays: 1.5,
            occurredAt: '2014-02-01',
          }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(invalid).sort()).toEqual(['firstResponseDays', 'reportBackDays']);
    });
  });
});
