import { loadScenario, readScenario, type Scenario } from '../../../../demo/load-demo.mjs';
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
      // The seeds: unpaid, so no payment made or declined.
      paymentsMade: 0,
      paymentsDeclined: 0,
    });
    // The demo's one role profile names no level: lay seats carry lay-partner.
    expect(
      (cost.body.byRoleLevel as Array<{ roleLevel: string | null }>).map((r) => r.roleLevel),
    ).toContain('lay-partner');
    const { withdrawals } = cost.body as {
      withdrawals: { withdrawn: { partners: number }; byReason: Array<{ reason: string }> };
    };
    expect(withdrawals.withdrawn.partners).toBeGreaterThan(0);
    expect(withdrawals.byReason.map((r) => r.reason)).toEqual(
      expect.arrayContaining(['no-remuneration', 'time-commitment']),
    );
  });
});
