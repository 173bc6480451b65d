import { loadScenario, readScenario, type Scenario } from '../../../../demo/load-demo.mjs';
import { CARERS, carersScenario } from '../../../../test/support/carers-scenario.js';
import { Pseudonyms } from '../security/pseudonyms.js';
import {
  startTestLedger,
  TEST_KEYS,
  type TestLedger,
} from '../../../../test/support/test-ledger.js';

interface FunnelRow {
  campaign: string | null;
  organisationKind: string | null;
  stages: Array<{ stage: string; count: number; dropOff: number }>;
  appointedByBody: Record<string, number>;
  withdrawalReasons: Record<string, number>;
}
interface RepresentationGroup {
  groupId: string;
  kind: string;
  min: number;
  filled: number;
  belowMinimum: boolean;
}

/** Golden figures from the NWL demo (the seeds), read through the report routes. */
describe('reports on the NWL demo scenario (golden)', () => {
  let ledger: TestLedger;
  let scenario: Scenario;
  let position: number;
  /**
   * The end of the demo's first wave. Its response targets ("a first response within a
   * fortnight, reported back within a quarter", agreed at the launch) are in the second.
   */
  let firstRecordedUntil: string;

  const get = (path: string, query: Record<string, string> = {}) =>
    ledger
      .http('auditor')
      .get(path)
      .query({ minPosition: String(position), ...query })
      .expect(200);

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
    firstRecordedUntil = result.firstRecordedUntil!;
  }, 240_000); // the NWL scenario over HTTP: minutes on a loaded 2-core machine
  afterAll(() => ledger.destroy());

  it('recruits design-phase-2013 as the seeds say: 40 → 40 → 25 → 15 to the advisory group', async () => {
    const { funnel } = scenario.expect;
    const response = await get('/v1/reports/recruitment-funnel', { asOf: '2013-12-31' });
    const design = (response.body.byCampaign as FunnelRow[]).find(
      (row) => row.campaign === 'design-phase-2013',
    )!;
    const count = Object.fromEntries(design.stages.map((s) => [s.stage, s.count]));
    expect(count).toMatchObject({
      nominated: funnel.nominated,
      attendedWorkshop: funnel.attendedWorkshop,
      expressedInterest: funnel.expressedInterest,
      appointed: funnel.appointedToAdvisoryGroup,
    });
    expect([funnel.nominated, funnel.attendedWorkshop, funnel.expressedInterest]).toEqual([
      40, 40, 25,
    ]);
    expect(design.appointedByBody['advisory-group']).toBe(15);
    expect(design.stages.find((s) => s.stage === 'expressedInterest')!.dropOff).toBe(15);
    expect(design.stages.find((s) => s.stage === 'appointed')!.dropOff).toBe(10);
    // By organisation kind, the same 40 nominations and more from later campaigns.
    const byKind = response.body.byOrganisationKind as FunnelRow[];
    expect(byKind.reduce((sum, row) => sum + row.stages[0]!.count, 0)).toBeGreaterThanOrEqual(40);
  });

  it('has every workstream and the board at 2 lay seats of min 2 on 1 March 2014', async () => {
    const response = await get('/v1/reports/representation', { asOf: '2014-03-01' });
    const groups = response.body.groups as RepresentationGroup[];
    const pairs = groups.filter((g) => g.kind === 'workstream' || g.groupId === 'programme-board');
    expect(pairs).toHaveLength(6);
    for (const group of pairs)
      expect(group).toMatchObject({ filled: 2, min: 2, belowMinimum: false });
  });

  it('has GP Networks below its lay minimum on 1 August 2014, and every borough covered by 2015', async () => {
    const august = await get('/v1/reports/representation', { asOf: '2014-08-01' });
    expect(august.body.belowMinimum).toContain('gp-networks');
    const gp = (august.body.groups as RepresentationGroup[]).find(
      (g) => g.groupId === 'gp-networks',
    );
    expect(gp).toMatchObject({ filled: 1, min: 2, belowMinimum: true });
    const series = await get('/v1/reports/representation', {
      from: '2014-01-01',
      to: '2015-03-31',
      interval: 'month',
    });
    const points = series.body.points as Array<{
      asOf: string;
      belowMinimum: string[];
      boroughsUncovered: string[];
    }>;
    expect(points).toHaveLength(15);
    expect(points.find((p) => p.asOf.startsWith('2014-07-31'))!.belowMinimum).toContain(
      'gp-networks',
    );
    expect(points[points.length - 1]!.boroughsUncovered).toEqual([]);
  });

  it('costs involvement with the figures the participation and expenses reports give', async () => {
    const asOf = '2015-12-31';
    const [cost, participation, expenses] = await Promise.all([
      get('/v1/reports/involvement-cost', { asOf }),
      get('/v1/reports/participation', { asOf }),
      get('/v1/reports/expenses', { asOf }),
    ]);
    const partners = cost.body.partners as Array<{
      partnerId: string;
      totals: { meetingsAttended: number; hoursAttended: number };
      byMonth: Array<{ roleLevel: string | null }>;
    }>;
    const attended = participation.body.partners as Array<{
      partnerId: string;
      attended: number;
      hours: number;
    }>;
    for (const row of attended.filter((p) => p.attended > 0)) {
      const mine = partners.find((p) => p.partnerId === row.partnerId)!;
      expect({ id: row.partnerId, ...mine.totals }).toMatchObject({
        id: row.partnerId,
        meetingsAttended: row.attended,
        hoursAttended: row.hours,
      });
    }
    expect(cost.body.totals).toMatchObject({
      expenseClaims: expenses.body.totals.claims,
      expensesClaimedPence: expenses.body.totals.claimedPence,
      expensesReimbursedPence: expenses.body.totals.reimbursedPence,
      // Lay partners unpaid, as in the seeds; from March 2015 the lay co-chair is paid per
      // meeting: two payments made, one declined.
      paymentsMade: 2,
      paymentsMadePence: 30_000,
      paymentsDeclined: 1,
      paymentsDeclinedPence: 15_000,
    });
    // The demo's one role profile names no level: lay seats carry lay-partner.
    expect(
      (cost.body.byRoleLevel as Array<{ roleLevel: string | null }>).map((r) => r.roleLevel),
    ).toEqual(expect.arrayContaining(['lay-partner', 'lay-co-chair']));
    const coChair = (
      cost.body.byRoleLevel as Array<{ roleLevel: string | null; paymentsMade: number }>
    ).find((r) => r.roleLevel === 'lay-co-chair')!;
    expect(coChair.paymentsMade).toBe(2);
    const { withdrawals } = cost.body as {
      withdrawals: { withdrawn: { partners: number }; byReason: Array<{ reason: string }> };
    };
    expect(withdrawals.withdrawn.partners).toBeGreaterThan(0);
    expect(withdrawals.byReason.map((r) => r.reason)).toEqual(
      expect.arrayContaining(['no-remuneration', 'time-commitment']),
    );
  });

  describe('the response clock', () => {
    const NWL = 'nwl-wsic';
    const FORUM_ITEMS = [
      'fb-budgets',
      'fb-care-plans',
      'fb-records',
      'fb-jargon',
      'fb-pay',
      'fb-transport',
      'fb-carers',
      'fb-gp-access',
    ];
    const clock = async (
      query: Record<string, string>,
      role: 'auditor' | 'evaluator' = 'auditor',
    ) =>
      (
        await ledger
          .http(role)
          .get('/v1/reports/response-clock')
          .query({ minPosition: String(position), ...query })
          .expect(200)
      ).body;

    it('times the forum feedback: a response in 14 days, reported back in one quarter, all within target', async () => {
      const body = await clock({ asOf: '2015-01-01' });
      expect(body.targets).toMatchObject({ firstResponseDays: 14, reportBackDays: 91 });
      expect(body.summary).toMatchObject({
        heard: 8,
        responded: 8,
        decided: 6,
        reportedBack: 8,
        openPastTarget: 0,
        medianDays: { firstResponse: 14, decision: 14, reportBack: 91 },
        firstResponse: { due: 8, withinTarget: 8, share: 1 },
        reportBack: { due: 8, withinTarget: 8, share: 1 },
      });
      expect([...body.summary.feedbackIds].sort()).toEqual([...FORUM_ITEMS].sort());
      const forum = body.bySource.find((s: { source: string }) => s.source === 'forum');
      expect(forum.heard).toBe(8);
      const outcomes = Object.fromEntries(
        body.byOutcome.map((o: { outcome: string; heard: number }) => [o.outcome, o.heard]),
      );
      expect(outcomes).toEqual({
        adopted: 3,
        adapted: 3,
        'not-adopted': 1,
        noted: 1,
        'no-response': 0,
      });
      const pay = body.items.find((i: { feedbackId: string }) => i.feedbackId === 'fb-pay');
      expect(pay).toMatchObject({
        outcome: 'not-adopted',
        decisionId: null,
        days: { toFirstResponse: 14, toDecision: null, toReportBack: 91 },
        withinTarget: { firstResponse: true, reportBack: true },
      });
      // Every date names the event behind it.
      expect(Object.values(pay.evidence)).not.toContain(undefined);
      expect(pay.evidence.heard).toMatch(/^\d+$/);
      expect(pay.evidence.decision).toBeNull();
    });

    it('counts the period from/to and shows what was still open as of a date', async () => {
      const autumn = await clock({ asOf: '2014-10-01', from: '2014-09-01', to: '2014-09-30' });
      expect([...autumn.summary.feedbackIds].sort()).toEqual(['fb-carers', 'fb-gp-access']);
      expect(autumn.summary).toMatchObject({
        responded: 2,
        reportedBack: 0,
        openPastTarget: 0,
        reportBack: { due: 0, share: null },
      });
      // Heard on 8 September; asOf a date alone is the end of 1 October.
      expect(autumn.items[0].days.openFor).toBe(24);
      const bad = await ledger
        .http('auditor')
        .get('/v1/reports/response-clock')
        .query({ from: '2014-10-01', to: '2014-09-01' })
        .expect(400);
      expect(bad.body.code).toBe('invalid_range');
      const unknown = await ledger
        .http('auditor')
        .get('/v1/reports/response-clock')
        .query({ since: '2014-01-01' })
        .expect(400);
      expect(unknown.body.code).toBe('unknown_parameter');
    });

    it('pages the items in the order heard; the summaries still cover every item', async () => {
      const whole = await clock({ asOf: '2015-01-01' });
      expect(whole.items).toHaveLength(8);
      expect(whole.next).toBeNull();
      const seen: unknown[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await clock({ asOf: '2015-01-01', limit: '3', ...(cursor ? { cursor } : {}) });
        expect(page.summary).toEqual(whole.summary);
        expect(page.bySource).toEqual(whole.bySource);
        expect(page.items.length).toBeLessThanOrEqual(3);
        seen.push(...page.items);
        cursor = page.next ?? undefined;
        pages += 1;
      } while (cursor !== undefined && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toEqual(whole.items);
      // An evaluator's cursor carries no feedback id.
      const evaluator = await clock({ asOf: '2015-01-01', limit: '1' }, 'evaluator');
      expect(Buffer.from(evaluator.next, 'base64url').toString('utf8')).not.toMatch(/fb-/);
      for (const [query, code] of [
        [{ limit: '0' }, 'invalid_limit'],
        [{ limit: '5001' }, 'invalid_limit'],
        [{ cursor: 'not-a-cursor' }, 'invalid_cursor'],
      ] as const) {
        const bad = await ledger
          .http('auditor')
          .get('/v1/reports/response-clock')
          .query(query)
          .expect(400);
        expect(bad.body.code).toBe(code);
      }
    });

    it('as known before the backdated target: the same clock, judged against nothing', async () => {
      const before = await clock({ asOf: '2015-01-01', knownAt: firstRecordedUntil });
      expect(before.targets).toBeNull();
      expect(before.summary).toMatchObject({
        heard: 8,
        medianDays: { firstResponse: 14, decision: 14, reportBack: 91 },
        reportBack: { due: 0, withinTarget: 0, share: null },
      });
      expect(before.items.every((i: { target: unknown }) => i.target === null)).toBe(true);
    });

    it('gives evaluators feedback pseudonyms (F-…), in items and in the lists behind each figure', async () => {
      const body = await clock({ asOf: '2015-01-01' }, 'evaluator');
      const pseudonyms = ledger.app.get(Pseudonyms);
      const expected = FORUM_ITEMS.map((id) => pseudonyms.idOf('feedback', id)).sort();
      expect([...body.summary.feedbackIds].sort()).toEqual(expected);
      expect(body.items.map((i: { feedbackId: string }) => i.feedbackId).sort()).toEqual(expected);
      expect(JSON.stringify(body)).not.toMatch(/fb-|dec-fb/);
      const csv = await ledger
        .http('evaluator')
        .get('/v1/exports/response-clock.csv')
        .query({ minPosition: String(position), asOf: '2015-01-01' })
        .expect(200);
      expect(csv.text.split('\r\n')[0]).toMatch(/^feedbackId,source,outcome,/);
      expect(csv.text).not.toMatch(/fb-/);
      expect(csv.text.trim().split('\r\n')).toHaveLength(9);
    });

    // Last: it adds a second programme to the ledger.
    it('keeps two programmes apart, each with its own feedback and targets', async () => {
      const result = await loadScenario({
        baseUrl: await ledger.app.getUrl(),
        apiKey: TEST_KEYS['programme-office'],
        scenario: carersScenario(),
        keyPrefix: 'carers',
      });
      position = Math.max(position, result.position!);
      const both = await clock({ asOf: '2015-01-01' });
      const byId = Object.fromEntries(
        both.programmes.map((p: { programmeId: string }) => [p.programmeId, p]),
      );
      expect(Object.keys(byId).sort()).toEqual([CARERS, NWL].sort());
      expect(byId[NWL].summary.heard).toBe(8);
      expect(byId[CARERS].targets).toBeNull();
      expect(byId[CARERS].summary).toMatchObject({
        heard: 1,
        decided: 1,
        feedbackIds: ['cc-fb-respite'],
        medianDays: { firstResponse: null, decision: 0, reportBack: null },
      });
      const carers = await clock({ asOf: '2015-01-01', programmeId: CARERS });
      expect(carers.summary).toEqual(byId[CARERS].summary);
      await ledger
        .http('auditor')
        .get('/v1/reports/response-clock')
        .query({ programmeId: 'nope' })
        .expect(404);
    });
  });
});
