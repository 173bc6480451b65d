import { loadScenario, readScenario, type Scenario } from '../../demo/load-demo.mjs';
import { CARERS, carersScenario } from '../support/carers-scenario.js';
import { startTestLedger, TEST_KEYS, type TestLedger } from '../support/test-ledger.js';

const NWL = 'nwl-wsic';

/**
 * Fields that differ between ledgers for the same facts: when and where they
 * were recorded (`evidence`: the $all positions behind a figure).
 */
function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !/^(knownAt|position|evidence)$|recorded|Position$/i.test(key))
      .map(([key, v]) => [key, stable(v)]),
  );
}

const AS_OF = '2016-01-01';
const ROUTES = [
  '/v1/governance',
  '/v1/reports/recruitment-funnel',
  '/v1/reports/recruitment-funnel?by=organisation-kind',
  '/v1/reports/participation',
  '/v1/reports/representation',
  '/v1/reports/representation?from=2013-10-01&to=2015-06-30&interval=month',
  '/v1/reports/expenses',
  '/v1/reports/response-clock',
  '/v1/reports/response-clock?from=2014-01-01&to=2014-12-31&asOf=2016-01-01',
  '/v1/reports/involvement-cost',
  '/v1/influence',
  '/v1/partners',
  '/v1/exports/memberships.popolo.json',
];
const EXPORTS = [
  'tenures',
  'influence',
  'funnel',
  'participation',
  'representation',
  'response-clock',
]
  .flatMap((name) => [`${name}.csv`, `${name}.ndjson`])
  // Its CSV carries the events' positions, which differ between ledgers: compared as NDJSON.
  .filter((name) => name !== 'response-clock.csv');

/** NWL and a second programme in one ledger, each against the same programme alone. */
describe('several programmes in one ledger, never mixed', () => {
  let both: TestLedger;
  const alone: Record<string, TestLedger> = {};
  const last: Map<TestLedger, number> = new Map();

  const load = async (ledger: TestLedger, scenario: Scenario, keyPrefix: string) => {
    const { position } = await loadScenario({
      baseUrl: await ledger.app.getUrl(),
      apiKey: TEST_KEYS['programme-office'],
      scenario,
      keyPrefix,
    });
    last.set(ledger, Math.max(last.get(ledger) ?? 0, position ?? 0));
  };
  const start = async () => {
    const ledger = await startTestLedger();
    await ledger.app.listen(0, '127.0.0.1');
    return ledger;
  };
  const read = async (ledger: TestLedger, route: string, programmeId?: string) => {
    const [path, query] = route.split('?');
    const params = new URLSearchParams(query);
    params.set('minPosition', String(last.get(ledger)));
    if (!route.includes('from=')) params.set('asOf', AS_OF);
    if (programmeId) params.set('programmeId', programmeId);
    return ledger.http('auditor').get(`${path}?${params}`);
  };

  beforeAll(async () => {
    [both, alone[NWL], alone[CARERS]] = await Promise.all([start(), start(), start()]);
    await Promise.all([
      load(both, readScenario(), 'nwl-demo').then(() => load(both, carersScenario(), 'carers')),
      load(alone[NWL]!, readScenario(), 'nwl-demo'),
      load(alone[CARERS]!, carersScenario(), 'carers'),
    ]);
  }, 900_000); // three ledgers loaded over HTTP, two of them with the whole NWL scenario
  afterAll(() => Promise.all([both, ...Object.values(alone)].map((l) => l?.destroy())));

  for (const programmeId of [NWL, CARERS]) {
    it(`answers every report of ${programmeId} as if it were alone`, async () => {
      for (const route of ROUTES) {
        const [together, single] = await Promise.all([
          read(both, route, programmeId),
          read(alone[programmeId]!, route, programmeId),
        ]);
        expect({ route, status: together.status }).toEqual({ route, status: 200 });
        expect({ route, body: stable(together.body) }).toEqual({
          route,
          body: stable(single.body),
        });
      }
    });

    it(`exports ${programmeId} as if it were alone`, async () => {
      for (const name of EXPORTS) {
        const route = `/v1/exports/${name}`;
        const [together, single] = await Promise.all([
          read(both, route, programmeId),
          read(alone[programmeId]!, route, programmeId),
        ]);
        expect({ name, status: together.status }).toEqual({ name, status: 200 });
        const rows = (text: string) =>
          name.endsWith('.csv')
            ? text
            : text
                .split('\n')
                .filter(Boolean)
                .map((line) => stable(JSON.parse(line)));
        expect({ name, rows: rows(together.text) }).toEqual({ name, rows: rows(single.text) });
        expect(together.text.length).toBeGreaterThan(0);
      }
    });
  }

  it('answers an aggregate per programme, never as a union, when none is named', async () => {
    const response = await read(both, '/v1/reports/representation');
    expect(response.status).toBe(200);
    const programmes = response.body.programmes as Array<{
      programmeId: string;
      boroughs: string[];
    }>;
    expect(programmes.map((p) => p.programmeId)).toEqual([NWL, CARERS]);
    expect(programmes[1]!.boroughs).toEqual(['Camden', 'Islington']);
    expect(programmes[0]!.boroughs).not.toContain('Camden');
    const alone = await read(both, '/v1/reports/representation', CARERS);
    expect(stable(alone.body)).toEqual(
      stable({ ...programmes[1], programmeId: undefined, name: undefined }),
    );
  });

  it('gives each programme its own raw log: /v1/audit/events?programmeId= reads only its streams', async () => {
    const streamsOf = async (programmeId: string) => {
      const response = await both
        .http('auditor')
        .get('/v1/audit/events')
        .query({ programmeId, limit: '10000' })
        .expect(200);
      return new Set((response.body.events as Array<{ stream: string }>).map((e) => e.stream));
    };
    const carers = await streamsOf(CARERS);
    const nwl = await streamsOf(NWL);
    expect([...carers].sort()).toEqual(
      expect.arrayContaining([`programme-${CARERS}`, 'group-cc-board', 'feedback-cc-fb-respite']),
    );
    expect([...carers].filter((s) => s !== `programme-${CARERS}` && !s.includes('-cc-'))).toEqual(
      [],
    );
    expect([...nwl].filter((s) => carers.has(s))).toEqual([]);
    expect(nwl.has(`programme-${NWL}`)).toBe(true);
  });

  it('keeps one programme per file: 422 programme_required for an export without programmeId', async () => {
    const response = await read(both, '/v1/exports/tenures.csv');
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      code: 'programme_required',
      details: { programmes: [NWL, CARERS] },
    });
  });

  it('404 programme_not_found for an unknown programme', async () => {
    const response = await read(both, '/v1/reports/participation', 'no-such-programme');
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('programme_not_found');
  });

  it('refuses a seat to a partner of another programme, naming both (422 programme_mismatch)', async () => {
    const response = await both
      .http()
      .post('/v1/groups/cc-board/seats')
      .send({ partnerId: 'lp-01', constituency: 'lay', occurredAt: '2014-06-01' });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      code: 'programme_mismatch',
      details: {
        partnerId: 'lp-01',
        partnerProgrammeId: NWL,
        groupId: 'cc-board',
        groupProgrammeId: CARERS,
      },
    });
  });

  it('needs the programme named once the ledger runs several (422 programme_required)', async () => {
    const response = await both
      .http()
      .post('/v1/partners/nominations')
      .send({
        name: 'Unplaced Person',
        nominatedBy: { organisation: 'Somewhere', organisationKind: 'charity' },
        occurredAt: '2014-06-01',
      });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      code: 'programme_required',
      details: { programmes: [CARERS, NWL] },
    });
  });

  it('only the office may record: an evaluator cannot establish a group', async () => {
    const response = await both
      .http('evaluator')
      .post('/v1/groups')
      .send({
        name: 'X',
        kind: 'workstream',
        level: 'programme',
        cadence: 'monthly',
        laySeats: { min: 0, max: 1 },
        coChairConstituencies: [],
        programmeId: CARERS,
        occurredAt: '2014-06-01',
      });
    expect(response.status).toBe(403);
  });
});
