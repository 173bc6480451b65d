import { programmeBoard } from '../../../../test/support/fixtures.js';
import {
  commandClient,
  launchProgramme,
  nominationRequest,
  principles,
  recruitmentWorkshop,
  roleProfile,
} from '../../../../test/support/programme-fixtures.js';
import { startTestLedger, type TestLedger } from '../../../../test/support/test-ledger.js';

interface ProgrammeBody {
  programmeId: string;
  roleProfile: { meetingsPerMonth: number } | null;
  roleProfiles: unknown[];
  principles: Array<{ version: number; supersedes: number | null }>;
  principlesInForce: number | null;
  withdrawalReasons: { reasons: Array<{ key: string }>; isDefault: boolean };
}

describe('programme read routes: GET /v1/programmes, /v1/programmes/:id', () => {
  let ledger: TestLedger;
  let beforeLateEntry: string;
  let lastPosition: number;
  const { post } = commandClient(() => ledger);
  const get = (path: string, role: 'programme-office' | 'auditor' | 'evaluator' = 'auditor') =>
    ledger.http(role).get(path);

  beforeAll(async () => {
    ledger = await startTestLedger();
    await post('/v1/groups', programmeBoard()).expect(201);
    await post('/v1/programmes', launchProgramme('wsic')).expect(201);
    await post('/v1/programmes/wsic/role-profiles', roleProfile()).expect(201);
    await post('/v1/programmes/wsic/nomination-requests', nominationRequest()).expect(201);
    await post('/v1/programmes/wsic/workshops', {
      ...recruitmentWorkshop(),
      workshopId: 'ws-1',
    }).expect(201);
    await post('/v1/programmes/wsic/principles', principles()).expect(201);
    await new Promise((resolve) => setTimeout(resolve, 5));
    beforeLateEntry = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Entered late: version 2 of the principles (adopted March 2014) and the programme's own reasons.
    await post(
      '/v1/programmes/wsic/principles',
      principles({
        version: 2,
        statements: ['I am treated as an equal partner', 'I am paid for my time'],
        occurredAt: '2014-03-01',
      }),
    ).expect(201);
    const defined = await post('/v1/programmes/wsic/withdrawal-reasons', {
      reasons: [{ key: 'caring-responsibilities', label: 'Caring responsibilities' }],
      occurredAt: '2014-04-01',
    }).expect(201);
    lastPosition = (defined.body as { position: number }).position;
  });
  afterAll(() => ledger.destroy());

  describe('GET /v1/programmes/:id', () => {
    it('answers boroughs, role profiles, nomination requests, workshops, principles and withdrawal reasons', async () => {
      const response = await get(`/v1/programmes/wsic?minPosition=${lastPosition}`).expect(200);
      expect(response.body).toMatchObject({
        programmeId: 'wsic',
        name: 'Whole Systems Integrated Care',
        boroughs: ['Brent', 'Ealing', 'Harrow', 'Hillingdon'],
        launchedAt: '2013-01-15T00:00:00.000Z',
        roleProfile: {
          meetingsPerMonth: 2,
          hoursPerMonth: 8,
          paid: false,
          expensesReimbursed: true,
        },
        nominationRequests: [
          {
            campaign: '2013-design-phase',
            organisations: expect.arrayContaining([{ name: 'Ealing CCG', kind: 'ccg' }]),
          },
        ],
        workshops: [{ workshopId: 'ws-1', attendees: 40, campaign: '2013-design-phase' }],
        principlesInForce: 2,
        withdrawalReasons: {
          reasons: [{ key: 'caring-responsibilities', label: 'Caring responsibilities' }],
          isDefault: false,
        },
        asOf: expect.any(String),
        knownAt: expect.any(String),
      });
      const body = response.body as ProgrammeBody;
      expect(body.principles.map((p) => [p.version, p.supersedes])).toEqual([
        [1, null],
        [2, 1],
      ]);
    });

    it('asOf and knownAt before the late entries: version 1 and the default reasons', async () => {
      for (const query of ['?asOf=2014-01-01', `?knownAt=${beforeLateEntry}`]) {
        const body = (await get(`/v1/programmes/wsic${query}`).expect(200)).body as ProgrammeBody;
        expect(body.principlesInForce).toBe(1);
        expect(body.withdrawalReasons.isDefault).toBe(true);
        expect(body.withdrawalReasons.reasons.map((r) => r.key)).toContain('time-commitment');
      }
      const early = (await get('/v1/programmes/wsic?asOf=2013-03-01').expect(200))
        .body as ProgrammeBody;
      expect(early).toMatchObject({ roleProfile: null, principlesInForce: null, principles: [] });
    });

    it('404 programme_not_found: unknown, before launch, before it was recorded', async () => {
      for (const path of [
        '/v1/programmes/nope',
        '/v1/programmes/wsic?asOf=2013-01-01',
        '/v1/programmes/wsic?knownAt=2000-01-01',
      ]) {
        expect((await get(path).expect(404)).body.code).toBe('programme_not_found');
      }
    });

    it('400 on bad parameters', async () => {
      expect((await get('/v1/programmes/wsic?asOf=tomorrow').expect(400)).body.code).toBe(
        'invalid_time',
      );
      expect((await get('/v1/programmes/wsic?minPosition=1.5').expect(400)).body.code).toBe(
        'invalid_min_position',
      );
      expect((await get('/v1/programmes/bad%20id').expect(400)).body.code).toBe('invalid_id');
    });

    it('every reader role reads it', async () => {
      for (const role of ['programme-office', 'auditor', 'evaluator'] as const) {
        expect((await get('/v1/programmes/wsic', role).expect(200)).body.programmeId).toBe('wsic');
      }
      await ledger.anonymous().get('/v1/programmes/wsic').expect(401);
    });
  });

  describe('GET /v1/programmes', () => {
    it('lists the programmes launched by asOf, as known at knownAt', async () => {
      const ids = async (query = '') =>
        (
          (await get(`/v1/programmes${query}`).expect(200)).body as { programmes: ProgrammeBody[] }
        ).programmes.map((p) => p.programmeId);
      expect(await ids()).toEqual(['wsic']);
      expect(await ids('?asOf=2013-01-01')).toEqual([]);
      expect(await ids('?knownAt=2000-01-01')).toEqual([]);
      expect((await get('/v1/programmes?asOf=13/01/2014').expect(400)).body.code).toBe(
        'invalid_time',
      );
    });
  });
  // Last: it records targets for the programme.
  describe('response targets', () => {
    it('shows the targets in force as of a date, and every set of targets', async () => {
      const first = await post('/v1/programmes/wsic/response-targets', {
        firstResponseDays: 14,
        reportBackDays: 91,
        occurredAt: '2014-02-01',
      }).expect(201);
      const second = await post('/v1/programmes/wsic/response-targets', {
        firstResponseDays: 10,
        reportBackDays: null,
        occurredAt: '2014-06-01',
      }).expect(201);
      const read = async (query: string) =>
        (
          await get(
            `/v1/programmes/wsic?minPosition=${second.body.position as number}${query}`,
          ).expect(200)
        ).body as {
          responseTargets: { firstResponseDays: number; reportBackDays: number | null } | null;
          responseTargetsHistory: Array<{ position: string }>;
        };
      const now = await read('');
      expect(now.responseTargets).toMatchObject({ firstResponseDays: 10, reportBackDays: null });
      expect(now.responseTargetsHistory.map((t) => t.position)).toEqual([
        String(first.body.position),
        String(second.body.position),
      ]);
      expect((await read('&asOf=2014-03-01')).responseTargets).toMatchObject({
        firstResponseDays: 14,
        reportBackDays: 91,
        setAt: '2014-02-01T00:00:00.000Z',
      });
      const before = await read('&asOf=2014-01-15');
      expect(before.responseTargets).toBeNull();
      expect(before.responseTargetsHistory).toEqual([]);
      const list = (
        await get(`/v1/programmes?minPosition=${second.body.position as number}`).expect(200)
      ).body as { programmes: Array<{ programmeId: string; responseTargets: unknown }> };
      expect(list.programmes.find((p) => p.programmeId === 'wsic')?.responseTargets).toEqual(
        now.responseTargets,
      );
    });
  });
});
