import { Pseudonyms } from '../security/pseudonyms.js';
import { nomination, programmeBoard } from '../../../../test/support/fixtures.js';
import { startTestLedger, type TestLedger } from '../../../../test/support/test-ledger.js';

const json = { 'content-type': 'application/json' };

/**
 * The read routes of partners, influence, reports and exports, through the
 * real app: a small programme recorded over HTTP, then every route read
 * once with `minPosition` (read-your-writes), asserting real numbers.
 */
describe('read models over HTTP: partners, influence, reports, exports', () => {
  let ledger: TestLedger;
  let position = 0;
  /** Just before Bob's withdrawal (and the saga's vacancy) was recorded. */
  let beforeWithdrawal = '';

  const post = async (path: string, body: Record<string, unknown>) => {
    const response = await ledger.http().post(path).set(json).send(body);
    if (response.status !== 201)
      throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    position = Math.max(position, response.body.position as number);
    return response.body as { id: string; position: number; [key: string]: unknown };
  };
  const get = (
    path: string,
    query: Record<string, string> = {},
    role: 'auditor' | 'evaluator' = 'auditor',
  ) =>
    ledger
      .http(role)
      .get(path)
      .query({ minPosition: String(position), ...query });

  beforeAll(async () => {
    ledger = await startTestLedger();
    await post('/v1/programmes', {
      programmeId: 'nwl',
      name: 'NWL',
      boroughs: ['Brent', 'Ealing'],
      occurredAt: '2013-10-01',
    });
    await post('/v1/groups', programmeBoard({ laySeats: { min: 2, max: 2 } }));
    await post('/v1/groups', {
      groupId: 'ea-brent',
      name: 'Early Adopter Brent',
      kind: 'early-adopter-site',
      level: 'borough',
      borough: 'Brent',
      parentGroupId: 'programme-board',
      cadence: 'monthly',
      laySeats: { min: 1, max: 2 },
      coChairConstituencies: ['lay', 'ccg'],
      occurredAt: '2013-10-01',
    });
    for (const id of ['ann', 'bob', 'cat', 'dan']) {
      await post(
        '/v1/partners/nominations',
        nomination(id, `${id[0]!.toUpperCase()}${id.slice(1)} Example, "Jr"`),
      );
      await post(`/v1/partners/${id}/workshop-attendance`, {
        workshopId: 'w1',
        occurredAt: '2013-11-20',
      });
    }
    for (const id of ['ann', 'bob', 'cat']) {
      await post(`/v1/partners/${id}/interest`, { occurredAt: '2013-11-25' });
      await post(`/v1/partners/${id}/appointment`, {
        body: 'advisory-group',
        occurredAt: '2013-12-01',
      });
    }
    await post('/v1/partners/ann/training', { course: 'Induction', occurredAt: '2013-12-09' });
    await post('/v1/groups/programme-board/seats', {
      seatId: 'lay-1',
      partnerId: 'ann',
      constituency: 'lay',
      occurredAt: '2014-01-10',
    });
    await post('/v1/groups/programme-board/seats', {
      seatId: 'lay-2',
      partnerId: 'bob',
      constituency: 'lay',
      occurredAt: '2014-01-10',
    });
    await post('/v1/groups/ea-brent/seats', {
      seatId: 'lay-1',
      partnerId: 'cat',
      constituency: 'lay',
      occurredAt: '2014-01-15',
    });
    await post('/v1/groups/programme-board/meetings', {
      meetingId: 'pb-1',
      attendees: ['ann'],
      apologies: ['bob'],
      durationMinutes: 120,
      occurredAt: '2014-02-05',
    });
    await post('/v1/feedback', {
      feedbackId: 'fb-1',
      channel: 'advisory-group',
      kind: 'concern',
      summary: 'Papers arrive too late, to read',
      groupId: 'programme-board',
      raisedBy: 'ann',
      occurredAt: '2014-02-05',
    });
    await post('/v1/groups/programme-board/meetings', {
      meetingId: 'pb-2',
      attendees: ['ann', 'bob'],
      durationMinutes: 90,
      occurredAt: '2014-03-05',
    });
    await post('/v1/groups/programme-board/decisions', {
      decisionId: 'd-1',
      summary: 'Papers a week ahead',
      influencedBy: ['fb-1'],
      layMembersPresent: ['ann', 'bob'],
      meetingId: 'pb-2',
      occurredAt: '2014-03-05',
    });
    await post('/v1/feedback/fb-1/responses', {
      outcome: 'adopted',
      decisionId: 'd-1',
      respondedBy: 'programme-board',
      occurredAt: '2014-03-05',
    });
    await post('/v1/feedback/fb-1/report-back', { how: 'newsletter', occurredAt: '2014-03-20' });
    await post('/v1/feedback', {
      feedbackId: 'fb-2',
      channel: 'survey',
      kind: 'idea',
      summary: 'Evening meetings',
      occurredAt: '2014-03-01',
    });
    await post('/v1/partners/ann/expenses', {
      claimId: 'c-1',
      amountPence: 1240,
      category: 'travel',
      incurredOn: '2014-02-05',
      occurredAt: '2014-02-07',
    });
    await post('/v1/partners/ann/expenses/c-1/reimbursement', { occurredAt: '2014-02-21' });
    await post('/v1/partners/bob/expenses', {
      claimId: 'c-2',
      amountPence: 600,
      category: 'travel',
      incurredOn: '2014-03-05',
      occurredAt: '2014-03-06',
    });
    beforeWithdrawal = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Bob withdraws: the saga vacates his seat (minPosition waits for it).
    await post('/v1/partners/bob/withdrawal', {
      reason: 'time-commitment',
      note: 'Caring duties',
      occurredAt: '2014-04-30',
    });
  }, 120_000);
  afterAll(() => ledger.destroy());

  it('answers for partners: list, one as of dates, tenures and history', async () => {
    const list = await get('/v1/partners').expect(200);
    expect(list.body.partners).toHaveLength(4);
    const appointed = await get('/v1/partners', { status: 'appointed' }).expect(200);
    expect(appointed.body.partners.map((p: { partnerId: string }) => p.partnerId).sort()).toEqual([
      'ann',
      'cat',
    ]);

    expect(list.body.next).toBeNull();
    // A page at a time, in id order, filters applied before paging.
    const ids = (body: { partners: Array<{ partnerId: string }> }) =>
      body.partners.map((p) => p.partnerId);
    const first = await get('/v1/partners', { limit: '3' }).expect(200);
    expect(ids(first.body)).toEqual(ids(list.body).slice(0, 3));
    const rest = await get('/v1/partners', { limit: '3', cursor: first.body.next }).expect(200);
    expect(ids(rest.body)).toEqual(ids(list.body).slice(3));
    expect(rest.body.next).toBeNull();
    const onePage = await get('/v1/partners', { status: 'appointed', limit: '1' }).expect(200);
    expect(ids(onePage.body)).toEqual(['ann']);
    const nextPage = await get('/v1/partners', {
      status: 'appointed',
      limit: '1',
      cursor: onePage.body.next,
    }).expect(200);
    expect(ids(nextPage.body)).toEqual(['cat']);
    expect((await get('/v1/partners', { limit: '0' }).expect(400)).body.code).toBe('invalid_limit');

    const march = await get('/v1/partners/bob', { asOf: '2014-03-01' }).expect(200);
    expect(march.body).toMatchObject({
      status: 'appointed',
      kind: 'lay',
      campaign: '2013-design-phase',
      seats: [expect.objectContaining({ groupId: 'programme-board', seatId: 'lay-2' })],
    });
    const now = await get('/v1/partners/bob').expect(200);
    expect(now.body).toMatchObject({
      status: 'withdrawn',
      withdrawal: {
        reason: 'time-commitment',
        note: 'Caring duties',
        at: '2014-04-30T00:00:00.000Z',
      },
      seats: [],
    });

    const tenures = await get('/v1/partners/bob/tenures').expect(200);
    expect(tenures.body.tenures).toEqual([
      expect.objectContaining({
        groupId: 'programme-board',
        role: 'seat',
        to: '2014-04-30T00:00:00.000Z',
      }),
    ]);
    const tenuresThen = await get('/v1/partners/bob/tenures', { asOf: '2014-03-01' }).expect(200);
    expect(tenuresThen.body.tenures[0].to).toBeNull();

    const history = await get('/v1/partners/ann/history').expect(200);
    expect(history.body.history.map((h: { type: string }) => h.type)).toEqual([
      'PartnerNominated',
      'WorkshopAttended',
      'InterestExpressed',
      'PartnerAppointed',
      'TrainingCompleted',
      'SeatAllocated',
      'MeetingHeld',
      'FeedbackHeard',
      'ExpenseClaimed',
      'ExpenseReimbursed',
      'MeetingHeld',
      'DecisionRecorded',
    ]);
    expect(history.body.history[5]).toMatchObject({
      position: expect.any(Number),
      occurredAt: '2014-01-10T00:00:00.000Z',
      recordedAt: expect.any(String),
      line: 'Lay partner Ann Example, "Jr" took a lay seat on Programme Board',
    });

    // Evaluators name a partner by the pseudonym they read; the raw id is unknown to them.
    const ann = ledger.app.get(Pseudonyms).of('ann');
    const evaluator = await get(`/v1/partners/${ann}/history`, {}, 'evaluator').expect(200);
    expect((await get('/v1/partners/ann/history', {}, 'evaluator').expect(404)).body).toMatchObject(
      { code: 'partner_not_found', details: { partnerId: 'ann' } },
    );
    expect(JSON.stringify(evaluator.body)).not.toContain('Ann Example');
    expect(evaluator.body.history[0].line).toMatch(/^P-[A-Za-z0-9_-]{12} nominated by/);

    expect((await get('/v1/partners/nobody').expect(404)).body.code).toBe('partner_not_found');
    expect((await get('/v1/partners/nobody/history').expect(404)).body.code).toBe(
      'partner_not_found',
    );
    expect((await get('/v1/partners/ann', { asOf: '2013-10-15' }).expect(404)).body.code).toBe(
      'partner_not_found',
    );
    expect((await get('/v1/partners', { asOf: 'March' }).expect(400)).body.code).toBe(
      'invalid_time',
    );
  });

  it('shows the influence ledger with counts, filters and summaries', async () => {
    const all = await get('/v1/influence').expect(200);
    expect(all.body.counts).toEqual({
      byStatus: { open: 1, responded: 0, closed: 1 },
      byOutcome: { adopted: 1 },
    });
    expect(all.body.byPartner).toEqual([
      expect.objectContaining({ partnerId: 'ann', raised: 1, closed: 1, citedInDecisions: 1 }),
    ]);
    expect(all.body.byGroup).toEqual([
      expect.objectContaining({
        groupId: 'programme-board',
        heard: 1,
        decisionsCiting: 1,
        averageDaysToFirstResponse: 28,
      }),
    ]);
    expect(all.body.next).toBeNull();
    const page = await get('/v1/influence', { limit: '1' }).expect(200);
    expect(page.body.items).toEqual([all.body.items[0]]);
    expect(page.body.counts).toEqual(all.body.counts);
    const after = await get('/v1/influence', { limit: '1', cursor: page.body.next }).expect(200);
    expect(after.body.items[0]).toEqual(all.body.items[1]);
    expect((await get('/v1/influence', { cursor: 'x' }).expect(400)).body.code).toBe(
      'invalid_cursor',
    );
    expect((await get('/v1/influence', { limit: '5001' }).expect(400)).body.code).toBe(
      'invalid_limit',
    );
    const open = await get('/v1/influence', { status: 'open' }).expect(200);
    expect(open.body.items.map((i: { feedbackId: string }) => i.feedbackId)).toEqual(['fb-2']);
    const byAnn = await get('/v1/influence', {
      partnerId: 'ann',
      channel: 'advisory-group',
    }).expect(200);
    expect(byAnn.body.items).toHaveLength(1);

    const item = await get('/v1/feedback/fb-1').expect(200);
    expect(item.body).toMatchObject({
      status: 'closed',
      daysToFirstResponse: 28,
      daysToReportBack: 43,
      decisions: [
        { decisionId: 'd-1', layMembersPresent: ['ann', 'bob'], groupName: 'Programme Board' },
      ],
    });
    const before = await get('/v1/feedback/fb-1', { asOf: '2014-03-01' }).expect(200);
    expect(before.body).toMatchObject({ status: 'open', responses: [], decisions: [] });
    expect((await get('/v1/feedback/nope').expect(404)).body.code).toBe('feedback_not_found');
    expect((await get('/v1/influence', { status: 'shut' }).expect(400)).body.code).toBe(
      'invalid_status',
    );
    expect((await get('/v1/influence', { channel: 'pigeon' }).expect(400)).body.code).toBe(
      'invalid_channel',
    );
  });

  it('reports the recruitment funnel', async () => {
    const funnel = await get('/v1/reports/recruitment-funnel').expect(200);
    expect(funnel.body.byCampaign).toEqual([
      {
        campaign: '2013-design-phase',
        organisationKind: null,
        stages: [
          { stage: 'nominated', count: 4, dropOff: 0 },
          { stage: 'attendedWorkshop', count: 4, dropOff: 0 },
          { stage: 'expressedInterest', count: 3, dropOff: 1 },
          { stage: 'appointed', count: 3, dropOff: 0 },
          { stage: 'active', count: 2, dropOff: 1 },
        ],
        appointedByBody: { 'advisory-group': 3 },
        withdrawalReasons: { 'time-commitment': 1 },
      },
    ]);
    expect(funnel.body.byOrganisationKind).toEqual([
      expect.objectContaining({ campaign: null, organisationKind: 'healthwatch' }),
    ]);
    const april = await get('/v1/reports/recruitment-funnel', { asOf: '2014-04-01' }).expect(200);
    expect(april.body.byCampaign[0].stages[4]).toEqual({ stage: 'active', count: 3, dropOff: 0 });
    expect((await get('/v1/reports/recruitment-funnel', { by: 'x' }).expect(400)).body.code).toBe(
      'invalid_by',
    );
  });

  it('reports participation: held vs expected, attended / apologies / missed, hours per month', async () => {
    const report = await get('/v1/reports/participation', { asOf: '2014-03-31' }).expect(200);
    expect(report.body.groups).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          groupId: 'programme-board',
          meetingsHeld: 2,
          meetingsExpected: 5,
          hours: 3.5,
        }),
        expect.objectContaining({ groupId: 'ea-brent', meetingsHeld: 0, meetingsExpected: 5 }),
      ]),
    );
    const by = Object.fromEntries(
      report.body.partners.map((p: { partnerId: string }) => [p.partnerId, p]),
    );
    expect(by.ann).toMatchObject({
      attended: 2,
      apologies: 0,
      missed: 0,
      hoursByMonth: { '2014-02': 2, '2014-03': 1.5 },
    });
    expect(by.bob).toMatchObject({ attended: 1, apologies: 1, missed: 0 });
    expect(by.cat).toBeUndefined();
  });

  it('reports representation at a date and as a monthly series, with borough coverage', async () => {
    const march = await get('/v1/reports/representation', { asOf: '2014-03-01' }).expect(200);
    expect(march.body).toMatchObject({
      belowMinimum: [],
      boroughs: ['Brent', 'Ealing'],
      boroughsCovered: ['Brent'],
      boroughsUncovered: ['Ealing'],
    });
    const series = await get('/v1/reports/representation', {
      from: '2014-01-01',
      to: '2014-05-31',
      interval: 'month',
    }).expect(200);
    expect(
      series.body.points.map((p: { asOf: string; belowMinimum: string[] }) => [
        p.asOf.slice(0, 10),
        p.belowMinimum,
      ]),
    ).toEqual([
      ['2014-01-31', []],
      ['2014-02-28', []],
      ['2014-03-31', []],
      ['2014-04-30', ['programme-board']],
      ['2014-05-31', ['programme-board']],
    ]);
    expect(
      (await get('/v1/reports/representation', { from: '2014-01-01' }).expect(400)).body.code,
    ).toBe('invalid_range');
    expect(
      (
        await get('/v1/reports/representation', {
          from: '2014-01-01',
          to: '2014-02-01',
          interval: 'week',
        }).expect(400)
      ).body.code,
    ).toBe('invalid_interval');
  });

  it('reports representation as exact periods below the minimum, as known at any time, and exports them', async () => {
    const periods = async (query: Record<string, string>) =>
      Object.fromEntries(
        (
          (await get('/v1/reports/representation', query).expect(200)).body.periods as Array<{
            groupId: string;
            belowMinimum: unknown[];
            overMaximum: unknown[];
          }>
        ).map((g) => [g.groupId, [g.belowMinimum, g.overMaximum]]),
      );
    expect(await periods({})).toEqual({
      'programme-board': [
        [
          { from: '2013-10-01T00:00:00.000Z', until: '2014-01-10T00:00:00.000Z' },
          { from: '2014-04-30T00:00:00.000Z', until: null },
        ],
        [],
      ],
      'ea-brent': [[{ from: '2013-10-01T00:00:00.000Z', until: '2014-01-15T00:00:00.000Z' }], []],
    });
    // As the ledger knew it before Bob's withdrawal was recorded: the board was still full.
    expect((await periods({ knownAt: beforeWithdrawal }))['programme-board']).toEqual([
      [{ from: '2013-10-01T00:00:00.000Z', until: '2014-01-10T00:00:00.000Z' }],
      [],
    ]);
    const csv = await get('/v1/exports/representation.csv').expect(200);
    expect(csv.text.split('\r\n')).toEqual([
      'groupId,name,min,max,condition,from,until,dissolvedAt',
      'ea-brent,Early Adopter Brent,1,2,below-minimum,2013-10-01T00:00:00.000Z,2014-01-15T00:00:00.000Z,',
      'programme-board,Programme Board,2,2,below-minimum,2013-10-01T00:00:00.000Z,2014-01-10T00:00:00.000Z,',
      'programme-board,Programme Board,2,2,below-minimum,2014-04-30T00:00:00.000Z,,',
      '',
    ]);
    const ndjson = await get('/v1/exports/representation.ndjson', { asOf: '2014-02-01' }).expect(
      200,
    );
    expect(
      ndjson.text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toHaveLength(2);
  });

  it('reports expenses by partner and month with time to settle', async () => {
    const report = await get('/v1/reports/expenses').expect(200);
    expect(report.body.totals).toEqual({
      claims: 2,
      claimedPence: 1840,
      reimbursedPence: 1240,
      rejectedPence: 0,
      outstandingPence: 600,
      averageDaysToSettle: 14,
    });
    expect(
      report.body.byPartnerMonth.map((r: { partnerId: string; month: string }) => [
        r.partnerId,
        r.month,
      ]),
    ).toEqual([
      ['ann', '2014-02'],
      ['bob', '2014-03'],
    ]);
  });

  it('exports CSV, NDJSON and Popolo', async () => {
    const tenures = await get('/v1/exports/tenures.csv').expect(200);
    expect(tenures.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(tenures.text).toContain(',ann,"Ann Example, ""Jr""",lay,');
    const ndjson = await get('/v1/exports/tenures.ndjson').expect(200);
    expect(ndjson.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(ndjson.text.trim().split('\n')).toHaveLength(3);
    const influence = await get('/v1/exports/influence.csv').expect(200);
    expect(influence.text.split('\r\n').filter(Boolean)).toHaveLength(3);
    const influenceNd = await get('/v1/exports/influence.ndjson').expect(200);
    expect(
      influenceNd.text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).feedbackId),
    ).toEqual(['fb-1', 'fb-2']);
    const funnel = await get('/v1/exports/funnel.csv').expect(200);
    expect(funnel.text.split('\r\n')[1]).toBe(
      '2013-design-phase,,4,4,3,3,2,"{""time-commitment"":1}"',
    );
    const funnelNd = await get('/v1/exports/funnel.ndjson').expect(200);
    expect(JSON.parse(funnelNd.text.split('\n')[0]!)).toMatchObject({ nominated: 4, active: 2 });
    const participation = await get('/v1/exports/participation.csv', { asOf: '2014-03-31' }).expect(
      200,
    );
    expect(participation.text.split('\r\n')[0]).toBe(
      'partnerId,partnerName,attended,apologies,missed,hours,hoursByMonth',
    );
    const participationNd = await get('/v1/exports/participation.ndjson', {
      asOf: '2014-03-31',
    }).expect(200);
    expect(participationNd.text.trim().split('\n')).toHaveLength(2);

    const popolo = await get('/v1/exports/memberships.popolo.json').expect(200);
    expect(popolo.body.organizations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'ea-brent', parent_id: 'programme-board' }),
      ]),
    );
    expect(popolo.body.memberships).toEqual(
      expect.arrayContaining([
        {
          person_id: 'bob',
          organization_id: 'programme-board',
          role: 'member',
          label: 'lay',
          start_date: '2014-01-10',
          end_date: '2014-04-30',
        },
      ]),
    );
    const evaluator = await get('/v1/exports/memberships.popolo.json', {}, 'evaluator').expect(200);
    expect(JSON.stringify(evaluator.body)).not.toContain('Example');
    const person = evaluator.body.persons[0];
    expect(person.id).toBe(person.partnerId);
    expect(evaluator.body.memberships.map((m: { person_id: string }) => m.person_id)).toContain(
      person.id,
    );
    expect((await get('/v1/exports/secrets.csv').expect(404)).body.code).toBe('export_not_found');
  });
});
