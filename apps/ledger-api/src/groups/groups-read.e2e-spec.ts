import { nomination, programmeBoard, workstream } from '../../../../test/support/fixtures.js';
import { commandClient } from '../../../../test/support/programme-fixtures.js';
import { startTestLedger, type TestLedger } from '../../../../test/support/test-ledger.js';

interface GroupBody {
  groupId: string;
  status: string;
  dissolvedAt: string | null;
  laySeats: { min: number; max: number; filled: number; belowMinimum: boolean };
  seats: Array<{ seatId: string; partnerId: string; partnerName: string | null }>;
  coChairs: Array<{ partnerId: string; partnerName: string | null; constituency: string }>;
}

describe('group read routes: GET /v1/groups, /v1/groups/:id, /v1/groups/:id/tenures', () => {
  let ledger: TestLedger;
  /** Between the first facts and a late entry: what the ledger knew before it. */
  let beforeLateEntry: string;
  let lastPosition: number;
  const { post } = commandClient(() => ledger);
  const get = (path: string, role: 'programme-office' | 'auditor' | 'evaluator' = 'auditor') =>
    ledger.http(role).get(path);

  beforeAll(async () => {
    ledger = await startTestLedger();
    await post('/v1/groups', programmeBoard({ laySeats: { min: 2, max: 3 } })).expect(201);
    await post('/v1/groups', workstream('care-planning', 'Care planning')).expect(201);
    for (const id of ['ann', 'bob']) {
      await post('/v1/partners/nominations', nomination(id, `${id} Example`)).expect(201);
      await post(`/v1/partners/${id}/appointment`, {
        body: 'advisory-group',
        occurredAt: '2013-12-01',
      }).expect(201);
    }
    for (const id of ['ann', 'bob']) {
      await post('/v1/groups/programme-board/seats', {
        seatId: `lay-${id === 'ann' ? 1 : 2}`,
        partnerId: id,
        constituency: 'lay',
        occurredAt: '2014-01-10',
      }).expect(201);
    }
    await post('/v1/groups/programme-board/co-chairs', {
      partnerId: 'ann',
      constituency: 'lay',
      occurredAt: '2014-02-01',
    }).expect(201);
    await new Promise((resolve) => setTimeout(resolve, 5));
    beforeLateEntry = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Late entries: Bob left the board on 30 June 2014; the workstream was dissolved on 1 March 2015.
    await post('/v1/groups/programme-board/seats/lay-2/vacate', {
      reason: 'moved away',
      occurredAt: '2014-06-30',
    }).expect(201);
    const dissolved = await post('/v1/groups/care-planning/dissolution', {
      reason: 'merged into the board',
      occurredAt: '2015-03-01',
    }).expect(201);
    lastPosition = (dissolved.body as { position: number }).position;
  });
  afterAll(() => ledger.destroy());

  describe('GET /v1/groups/:id', () => {
    it('answers the group facts, seats, co-chairs and lay seats filled as of a date', async () => {
      const response = await get(
        `/v1/groups/programme-board?asOf=2014-03-01&minPosition=${lastPosition}`,
      ).expect(200);
      expect(response.body).toMatchObject({
        asOf: '2014-03-01T23:59:59.999Z',
        knownAt: expect.any(String),
        groupId: 'programme-board',
        name: 'Programme Board',
        kind: 'programme-board',
        level: 'programme',
        parentGroupId: null,
        borough: null,
        cadence: 'monthly',
        coChairConstituencies: ['lay', 'ccg'],
        establishedAt: '2013-10-01T00:00:00.000Z',
        status: 'active',
        dissolvedAt: null,
        laySeats: { min: 2, max: 3, filled: 2, belowMinimum: false },
      });
      const body = response.body as GroupBody;
      expect(body.seats.map((s) => [s.seatId, s.partnerId, s.partnerName])).toEqual([
        ['lay-1', 'ann', 'ann Example'],
        ['lay-2', 'bob', 'bob Example'],
      ]);
      expect(body.coChairs).toEqual([
        expect.objectContaining({ partnerId: 'ann', constituency: 'lay', seatId: 'lay-1' }),
      ]);
    });

    it('asOf after a late vacancy: below minimum now, but not as known before it was entered', async () => {
      const now = (await get('/v1/groups/programme-board?asOf=2014-07-01').expect(200))
        .body as GroupBody;
      expect(now.laySeats).toMatchObject({ filled: 1, belowMinimum: true });
      const then = (
        await get(`/v1/groups/programme-board?asOf=2014-07-01&knownAt=${beforeLateEntry}`).expect(
          200,
        )
      ).body as GroupBody;
      expect(then.laySeats).toMatchObject({ filled: 2, belowMinimum: false });
    });

    it('reads a dissolved group with its dissolution, and the group before it', async () => {
      expect((await get('/v1/groups/care-planning').expect(200)).body).toMatchObject({
        status: 'dissolved',
        dissolvedAt: '2015-03-01T00:00:00.000Z',
        parentGroupId: 'programme-board',
      });
      expect(
        (await get('/v1/groups/care-planning?asOf=2015-02-28').expect(200)).body,
      ).toMatchObject({ status: 'active', dissolvedAt: null });
      expect(
        (await get(`/v1/groups/care-planning?knownAt=${beforeLateEntry}`).expect(200)).body,
      ).toMatchObject({ status: 'active', dissolvedAt: null });
    });

    it('404 group_not_found for an unknown id, before establishment, or before it was recorded', async () => {
      for (const path of [
        '/v1/groups/nope',
        '/v1/groups/programme-board?asOf=2013-09-30',
        '/v1/groups/programme-board?knownAt=2000-01-01',
      ]) {
        const response = await get(path).expect(404);
        expect(response.body).toMatchObject({ code: 'group_not_found' });
      }
    });

    it('400 on bad parameters', async () => {
      expect((await get('/v1/groups/programme-board?asOf=yesterday').expect(400)).body.code).toBe(
        'invalid_time',
      );
      expect(
        (await get('/v1/groups/programme-board?knownAt=2014-13-01').expect(400)).body.code,
      ).toBe('invalid_time');
      expect((await get('/v1/groups/programme-board?minPosition=-1').expect(400)).body.code).toBe(
        'invalid_min_position',
      );
      expect((await get('/v1/groups/not%20an%20id').expect(400)).body.code).toBe('invalid_id');
    });

    it('evaluators read pseudonyms, never names', async () => {
      const body = (
        await get('/v1/groups/programme-board?asOf=2014-03-01', 'evaluator').expect(200)
      ).body as GroupBody;
      const text = JSON.stringify(body);
      expect(text).not.toContain('ann');
      expect(text).not.toContain('Example');
      expect(body.seats[0]?.partnerId).toMatch(/^P-/);
      expect(body.seats[0]?.partnerName).toBe(body.seats[0]?.partnerId);
      expect(body.coChairs[0]?.partnerId).toBe(body.seats[0]?.partnerId);
    });

    it('401 without a key', async () => {
      await ledger.anonymous().get('/v1/groups/programme-board').expect(401);
    });
  });

  describe('GET /v1/groups', () => {
    it('lists every group established by asOf, dissolved ones included', async () => {
      const ids = async (query: string) =>
        ((await get(`/v1/groups${query}`).expect(200)).body as { groups: GroupBody[] }).groups.map(
          (g) => [g.groupId, g.status],
        );
      expect(await ids('')).toEqual([
        ['programme-board', 'active'],
        ['care-planning', 'dissolved'],
      ]);
      expect(await ids('?asOf=2013-10-15')).toEqual([['programme-board', 'active']]);
      expect(await ids(`?knownAt=${beforeLateEntry}`)).toEqual([
        ['programme-board', 'active'],
        ['care-planning', 'active'],
      ]);
      expect(await ids('?knownAt=2000-01-01')).toEqual([]);
    });

    it('400 on a bad date; pseudonyms for evaluators', async () => {
      expect((await get('/v1/groups?asOf=2014-02-30T25:00Z').expect(400)).body.code).toBe(
        'invalid_time',
      );
      const text = JSON.stringify((await get('/v1/groups', 'evaluator').expect(200)).body);
      expect(text).not.toContain('Example');
    });
  });

  describe('GET /v1/groups/:id/tenures', () => {
    const bob = async (query: string) =>
      (
        (await get(`/v1/groups/programme-board/tenures${query}`).expect(200)).body as {
          tenures: Array<{
            partnerId: string;
            role: string;
            to: string | null;
            endReason: string | null;
          }>;
        }
      ).tenures.filter((t) => t.partnerId === 'bob');

    it('honours asOf: terms begun by then; a later end reads as open', async () => {
      expect(await bob('?asOf=2013-12-31')).toEqual([]);
      expect(await bob('?asOf=2014-03-01')).toEqual([
        expect.objectContaining({ role: 'seat', to: null, endReason: null }),
      ]);
      expect(await bob('?asOf=2014-07-01')).toEqual([
        expect.objectContaining({ to: '2014-06-30T00:00:00.000Z', endReason: 'moved away' }),
      ]);
    });

    it('honours knownAt: an end not yet recorded reads as open', async () => {
      expect(await bob(`?asOf=2014-07-01&knownAt=${beforeLateEntry}`)).toEqual([
        expect.objectContaining({ to: null, endReason: null }),
      ]);
    });

    it('states the time point; 404 and 400 as the group route', async () => {
      const response = await get('/v1/groups/programme-board/tenures?asOf=2014-03-01').expect(200);
      expect(response.body).toMatchObject({
        groupId: 'programme-board',
        asOf: '2014-03-01T23:59:59.999Z',
        knownAt: expect.any(String),
      });
      expect((await get('/v1/groups/nope/tenures').expect(404)).body.code).toBe('group_not_found');
      expect(
        (await get('/v1/groups/programme-board/tenures?knownAt=2000-01-01').expect(404)).body.code,
      ).toBe('group_not_found');
      expect(
        (await get('/v1/groups/programme-board/tenures?asOf=soon').expect(400)).body.code,
      ).toBe('invalid_time');
    });

    it('pages the terms in order of start: limit, cursor, next', async () => {
      const path = '/v1/groups/programme-board/tenures';
      const all = (await get(path).expect(200)).body as {
        tenures: Array<{ from: string }>;
        next: string | null;
      };
      expect(all.next).toBeNull();
      expect(all.tenures.length).toBeGreaterThan(1);
      const pages: unknown[] = [];
      let cursor: string | null = '';
      while (cursor !== null) {
        const page = (await get(`${path}?limit=1&cursor=${cursor}`).expect(200)).body as {
          tenures: unknown[];
          next: string | null;
        };
        expect(page.tenures).toHaveLength(1);
        pages.push(...page.tenures);
        cursor = page.next;
      }
      expect(pages).toEqual(all.tenures);
      expect((await get(`${path}?limit=0`).expect(400)).body.code).toBe('invalid_limit');
      expect((await get(`${path}?cursor=nonsense`).expect(400)).body.code).toBe('invalid_cursor');
    });

    it('evaluators read pseudonyms', async () => {
      const text = JSON.stringify(
        (await get('/v1/groups/programme-board/tenures', 'evaluator').expect(200)).body,
      );
      expect(text).not.toContain('bob');
      expect(text).not.toContain('Example');
    });
  });
});
