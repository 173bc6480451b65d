import { EVENT_STORE, type EventStore, type RecordedEvent } from '@app/event-store';
import { loadScenario, readScenario, type Scenario } from '../../demo/load-demo.mjs';
import { Pseudonyms } from '../../apps/ledger-api/src/security/pseudonyms.js';
import { startTestLedger, TEST_KEYS, type TestLedger } from '../support/test-ledger.js';

interface GroupView {
  groupId: string;
  name: string;
  kind: string;
  laySeats: { min: number; max: number; filled: number; belowMinimum: boolean };
  seats: Array<{ partnerId: string; constituency: string }>;
  coChairs: Array<{ partnerId: string; constituency: string; electionId: string | null }>;
}

/** The NWL programme as the seeds tell it, loaded through the public API by `npm run demo`. */
describe('the NWL demo scenario', () => {
  let ledger: TestLedger;
  let scenario: Scenario;
  let events: RecordedEvent[];
  let position: number;

  const governance = async (asOf: string): Promise<Map<string, GroupView>> => {
    const response = await ledger
      .http()
      .get('/v1/governance')
      .query({ asOf, minPosition: String(position) })
      .expect(200);
    return new Map((response.body.groups as GroupView[]).map((g) => [g.groupId, g]));
  };
  const ofType = (type: string) => events.filter((e) => e.type === type);

  beforeAll(async () => {
    ledger = await startTestLedger();
    await ledger.app.listen(0, '127.0.0.1');
    scenario = readScenario();
    const result = await loadScenario({
      baseUrl: await ledger.app.getUrl(),
      apiKey: TEST_KEYS['programme-office'],
      scenario,
    });
    position = result.position!;
    events = await ledger.app.get<EventStore>(EVENT_STORE).readAll();
  }, 240_000); // the NWL scenario over HTTP: minutes on a loaded 2-core machine
  afterAll(() => ledger.destroy());

  it('recruits as the seeds say: 40 at the workshop → 25 interested → 15 active', () => {
    const { funnel } = scenario.expect;
    const designPhase = ofType('PartnerNominated').filter(
      (e) => (e.data as { campaign?: string }).campaign === 'design-phase-2013',
    );
    expect(designPhase).toHaveLength(funnel.nominated);
    expect(ofType('WorkshopAttended')).toHaveLength(funnel.attendedWorkshop);
    expect(ofType('InterestExpressed')).toHaveLength(funnel.expressedInterest);
    const appointed2013 = ofType('PartnerAppointed').filter(
      (e) =>
        (e.data as { body: string; occurredAt: string }).body === 'advisory-group' &&
        (e.data as { occurredAt: string }).occurredAt < '2014',
    );
    expect(appointed2013).toHaveLength(funnel.appointedToAdvisoryGroup);
    const withdrawnEarly = ofType('PartnerWithdrew').filter(
      (e) => (e.data as { occurredAt: string }).occurredAt < '2014',
    );
    expect(withdrawnEarly.map((e) => (e.data as { reason: string }).reason).sort()).toEqual([
      ...Array(4).fill('no-remuneration'),
      ...Array(6).fill('time-commitment'),
    ]);
  });

  it('has a programme board, five workstreams with lay pairs and CCG and local-authority co-chairs', async () => {
    const groups = await governance('2014-03-01');
    const workstreams = [...groups.values()].filter((g) => g.kind === 'workstream');
    expect(workstreams.map((g) => g.name).sort()).toEqual([...scenario.expect.workstreams].sort());
    for (const group of [...workstreams, groups.get('programme-board')!]) {
      expect(group.laySeats).toMatchObject({ filled: 2, belowMinimum: false });
      expect(group.coChairs.map((c) => c.constituency).sort()).toEqual(['ccg', 'local-authority']);
    }
    expect(groups.get('lay-advisory-group')!.laySeats.filled).toBe(15);
    expect(groups.get('lay-forum')!.laySeats.filled).toBe(scenario.expect.forumMembers);
  });

  it('elects a lay co-chair of Embedding Partnerships alongside the founding chair', async () => {
    const before = (await governance('2014-05-01')).get('embedding-partnerships')!;
    expect(before.coChairs.map((c) => c.constituency)).toEqual(['provider']);
    const after = (await governance('2014-06-01')).get('embedding-partnerships')!;
    const { partnerId } = scenario.expect.electedLayCoChair;
    expect(after.coChairs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          partnerId,
          constituency: 'lay',
          electionId: 'ep-lay-co-chair-2014',
        }),
      ]),
    );
    const closed = ofType('ElectionClosed')[0]!.data as { outcome: string; turnout: number };
    expect(closed).toMatchObject({ outcome: 'elected', turnout: 4 });
  });

  it('vacates the seats of partners who withdraw, and fills them with replacements', async () => {
    const [leaver] = scenario.expect.withdrawnAfterAppointment;
    const during = await governance('2014-08-01');
    const gp = during.get('gp-networks')!;
    expect(gp.seats.some((s) => s.partnerId === leaver)).toBe(false);
    expect(gp.laySeats).toMatchObject({ filled: 1, belowMinimum: true });
    const later = await governance('2014-10-01');
    for (const group of ['gp-networks', 'commissioning-finance', 'programme-board']) {
      expect(later.get(group)!.laySeats).toMatchObject({ filled: 2, belowMinimum: false });
    }
    expect(later.get('lay-advisory-group')!.laySeats.filled).toBe(15);
  });

  it('closes the loop on forum feedback: every item answered and reported back, refusals explained', () => {
    const heard = ofType('FeedbackHeard');
    expect(heard.length).toBe(8);
    const responded = ofType('FeedbackResponded').map(
      (e) => e.data as { outcome: string; rationale: string | null },
    );
    expect(responded).toHaveLength(8);
    for (const r of responded.filter((r) => r.outcome === 'not-adopted'))
      expect(r.rationale).toBeTruthy();
    expect(ofType('FeedbackReportedBack')).toHaveLength(8);
    const decisions = ofType('DecisionRecorded').map(
      (e) => e.data as { influencedBy: string[]; touchstoneVersion: number },
    );
    expect(decisions.length).toBeGreaterThanOrEqual(5);
    for (const d of decisions)
      expect(d).toMatchObject({ influencedBy: [expect.any(String)], touchstoneVersion: 1 });
    expect(ofType('PrinciplesAdopted')[0]!.data).toMatchObject({
      version: 1,
      adoptedBy: 'programme-board',
    });
  });

  it('shows in the influence ledger what became of each piece of forum feedback, as of any date', async () => {
    const all = await ledger
      .http('auditor')
      .get('/v1/influence')
      .query({ minPosition: String(position) })
      .expect(200);
    expect(all.body.counts.byStatus).toEqual({ open: 0, responded: 0, closed: 8 });
    expect(all.body.counts.byOutcome).toEqual({
      adopted: 3,
      adapted: 3,
      'not-adopted': 1,
      noted: 1,
    });
    const carePlans = all.body.items.find(
      (i: { feedbackId: string }) => i.feedbackId === 'fb-care-plans',
    );
    expect(carePlans).toMatchObject({
      status: 'closed',
      daysToFirstResponse: 14,
      decisions: [
        expect.objectContaining({
          groupId: 'populations-outcomes',
          touchstoneVersion: 1,
          layMembersPresent: expect.any(Array),
        }),
      ],
    });
    expect(carePlans.decisions[0].layMembersPresent).toHaveLength(2);

    const early = await ledger
      .http('auditor')
      .get('/v1/influence')
      .query({ asOf: '2014-03-15', status: 'open' })
      .expect(200);
    expect(early.body.items.map((i: { feedbackId: string }) => i.feedbackId)).toContain(
      'fb-care-plans',
    );

    // Evaluators read feedback ids as pseudonyms (F-…) and name the item by one.
    const evaluated = await ledger.http('evaluator').get('/v1/influence').expect(200);
    const ids = evaluated.body.items.map((i: { feedbackId: string }) => i.feedbackId);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toMatch(/^F-[A-Za-z0-9_-]{12}$/);
    const payId = ledger.app.get(Pseudonyms).idOf('feedback', 'fb-pay');
    expect(ids).toContain(payId);
    const pay = await ledger.http('evaluator').get(`/v1/feedback/${payId}`).expect(200);
    expect(pay.body.feedbackId).toBe(payId);
    expect(pay.body.responses[0]).toMatchObject({
      outcome: 'not-adopted',
      rationale: expect.stringContaining('volunteers'),
    });
    expect(pay.body.raisedBy).toMatch(/^P-/);
    const missing = await ledger.http('auditor').get('/v1/feedback/nope').expect(404);
    expect(missing.body.code).toBe('feedback_not_found');
  });

  it('reports the recruitment funnel the seeds describe: 40 → 40 → 25 → 15, then replacements', async () => {
    const funnel = await ledger
      .http('auditor')
      .get('/v1/reports/recruitment-funnel')
      .query({ minPosition: String(position) })
      .expect(200);
    const design = funnel.body.byCampaign.find(
      (c: { campaign: string }) => c.campaign === 'design-phase-2013',
    );
    expect(
      Object.fromEntries(
        design.stages.map((s: { stage: string; count: number }) => [s.stage, s.count]),
      ),
    ).toEqual({
      nominated: 40,
      attendedWorkshop: 40,
      expressedInterest: 25,
      appointed: 15,
      active: 13,
    });
    expect(design.withdrawalReasons).toEqual({ 'time-commitment': 7, 'no-remuneration': 5 });
    const byKind = await ledger
      .http('auditor')
      .get('/v1/reports/recruitment-funnel')
      .query({ by: 'organisation-kind' })
      .expect(200);
    expect(
      byKind.body.byCampaign.some(
        (r: { organisationKind: string }) => r.organisationKind === 'healthwatch',
      ),
    ).toBe(true);
    const csv = await ledger.http('auditor').get('/v1/exports/funnel.csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe(
      'campaign,organisationKind,nominated,attendedWorkshop,expressedInterest,appointed,active,withdrawalReasons',
    );
    expect(csv.text).toContain('design-phase-2013,,40,40,25,15,13,');
  });

  it('reports representation over time, participation and expenses', async () => {
    const march = await ledger
      .http('auditor')
      .get('/v1/reports/representation')
      .query({ asOf: '2014-03-01' })
      .expect(200);
    expect(march.body.belowMinimum).toEqual([]);
    const august = await ledger
      .http('auditor')
      .get('/v1/reports/representation')
      .query({ asOf: '2014-08-01' })
      .expect(200);
    expect(august.body.belowMinimum).toContain('gp-networks');
    const later = await ledger
      .http('auditor')
      .get('/v1/reports/representation')
      .query({ asOf: '2015-03-01' })
      .expect(200);
    expect(later.body.boroughsCovered).toHaveLength(8);

    const participation = await ledger.http('auditor').get('/v1/reports/participation').expect(200);
    const forum = participation.body.groups.find(
      (g: { groupId: string }) => g.groupId === 'lay-forum',
    );
    expect(forum).toMatchObject({ meetingsHeld: 4, name: 'Lay Partners Forum' });
    const expenses = await ledger.http('auditor').get('/v1/reports/expenses').expect(200);
    expect(expenses.body.claims).toHaveLength(8);
    expect(expenses.body.totals.rejectedPence).toBeGreaterThan(0);
    expect(expenses.body.totals.claimedPence).toBe(
      expenses.body.totals.reimbursedPence + expenses.body.totals.rejectedPence,
    );
  });

  it('answers for partners: status as of a date, tenures and history', async () => {
    const [leaver] = scenario.expect.withdrawnAfterAppointment;
    const before = await ledger
      .http('auditor')
      .get(`/v1/partners/${leaver}`)
      .query({ asOf: '2014-06-01' })
      .expect(200);
    expect(before.body).toMatchObject({
      status: 'appointed',
      kind: 'lay',
      campaign: 'design-phase-2013',
    });
    const after = await ledger.http('auditor').get(`/v1/partners/${leaver}`).expect(200);
    expect(after.body).toMatchObject({
      status: 'withdrawn',
      withdrawal: { reason: 'time-commitment' },
    });
    const tenures = await ledger.http('auditor').get(`/v1/partners/${leaver}/tenures`).expect(200);
    expect(tenures.body.tenures.every((t: { to: string | null }) => t.to !== null)).toBe(true);
    const history = await ledger.http('auditor').get(`/v1/partners/${leaver}/history`).expect(200);
    expect(history.body.history.map((f: { type: string }) => f.type)).toEqual(
      expect.arrayContaining([
        'PartnerNominated',
        'WorkshopAttended',
        'InterestExpressed',
        'PartnerAppointed',
        'PartnerWithdrew',
        'SeatVacated',
      ]),
    );
    await ledger.http('auditor').get('/v1/partners/nobody').expect(404);
    const list = await ledger.http('auditor').get('/v1/partners').expect(200);
    expect(list.body.partners.length).toBeGreaterThan(150);
  });

  it('exports memberships as Popolo and tenures as CSV, with pseudonyms for evaluators', async () => {
    const popolo = await ledger
      .http('auditor')
      .get('/v1/exports/memberships.popolo.json')
      .expect(200);
    expect(
      popolo.body.organizations.find((o: { id: string }) => o.id === 'gp-networks'),
    ).toMatchObject({ parent_id: 'programme-board' });
    expect(popolo.body.memberships.length).toBeGreaterThan(150);
    expect(popolo.body.persons.some((p: { name: string }) => p.name === 'Aisha Da Silva')).toBe(
      true,
    );
    const evaluator = await ledger.http('evaluator').get('/v1/exports/tenures.csv').expect(200);
    expect(evaluator.text).not.toContain('Aisha Da Silva');
    expect(evaluator.text).toMatch(/P-[A-Za-z0-9_-]{12}/);
    const auditor = await ledger.http('auditor').get('/v1/exports/tenures.ndjson').expect(200);
    expect(auditor.text.split('\n')[0]).toContain('"groupId"');
    await ledger.http('auditor').get('/v1/exports/secrets.csv').expect(404);
  });

  it('covers all eight boroughs with early-adopter groups by 2015', async () => {
    const groups = [...(await governance('2015-03-01')).values()].filter(
      (g) => g.kind === 'early-adopter-site',
    );
    expect(groups).toHaveLength(8);
  });

  it('records nothing twice when loaded again', async () => {
    const again = await loadScenario({
      baseUrl: await ledger.app.getUrl(),
      apiKey: TEST_KEYS['programme-office'],
      scenario,
    });
    expect(again.replayed).toBe(scenario.steps.length);
    expect(await ledger.app.get<EventStore>(EVENT_STORE).readAll()).toHaveLength(events.length);
  });
});
