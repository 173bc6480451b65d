import { EVENT_STORE, type EventStore } from '@app/event-store';
import { nomination, programmeBoard, workstream } from '../support/fixtures.js';
import { startTestLedger, type TestLedger } from '../support/test-ledger.js';

const json = { 'content-type': 'application/json' };

describe('first slice over HTTP: groups, partners, seats, governance, tenures', () => {
  let ledger: TestLedger;
  let store: EventStore;

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    ledger
      .http()
      .post(path)
      .set({ ...json, ...headers })
      .send(body as object);
  const head = () => store.headPosition();

  /** Asserts the request is refused with `status`/`code` and appends nothing. */
  async function refused(
    request: () => ReturnType<typeof post>,
    status: number,
    code: string,
  ): Promise<Record<string, unknown>> {
    const before = await head();
    const response = await request();
    expect({ status: response.status, code: response.body.code }).toEqual({ status, code });
    expect(Object.keys(response.body).sort()).toEqual(['code', 'details', 'message']);
    expect(await head()).toBe(before);
    return response.body as Record<string, unknown>;
  }

  beforeAll(async () => {
    ledger = await startTestLedger();
    store = ledger.app.get(EVENT_STORE);
    await post('/v1/groups', programmeBoard()).expect(201);
    await post('/v1/groups', workstream('provider-networks', 'Provider Networks')).expect(201);
    await post('/v1/partners/nominations', nomination('ann', 'Ann Example')).expect(201);
    await post('/v1/partners/nominations', nomination('bob', 'Bob Example')).expect(201);
    await post('/v1/partners/nominations', nomination('cat', 'Cat Example')).expect(201);
    await post('/v1/partners/ann/appointment', {
      body: 'advisory-group',
      occurredAt: '2013-12-01',
    }).expect(201);
    await post('/v1/partners/bob/appointment', {
      body: 'advisory-group',
      occurredAt: '2013-12-01',
    }).expect(201);
  });
  afterAll(() => ledger.destroy());

  describe('commands', () => {
    it('establishes a group and answers 201 {id, revision, position}', async () => {
      const response = await post('/v1/groups', workstream('informatics', 'Informatics')).expect(
        201,
      );
      expect(response.body).toEqual({
        id: 'informatics',
        revision: 0,
        position: expect.any(Number),
        recordedAt: expect.any(String),
      });
      expect(response.headers.etag).toBe('"0"');
    });

    it('answers recordedAt: as knownAt it sees the write, a millisecond earlier it does not', async () => {
      await post('/v1/groups', workstream('known-at', 'Known At')).expect(201);
      const seat = await post('/v1/groups/known-at/seats', {
        seatId: 'pn-lay-known',
        partnerId: 'bob',
        constituency: 'lay',
        occurredAt: '2014-01-10',
      }).expect(201);
      const recordedAt = Date.parse(seat.body.recordedAt as string);
      expect(new Date(recordedAt).toISOString()).toBe(seat.body.recordedAt);
      const seatsKnownAt = async (knownAt: number) => {
        const response = await ledger
          .http()
          .get('/v1/governance')
          .query({ knownAt: new Date(knownAt).toISOString(), minPosition: seat.body.position })
          .expect(200);
        const group = (response.body.groups as Array<{ groupId: string; seats: unknown[] }>).find(
          (g) => g.groupId === 'known-at',
        );
        return group!.seats.map((s) => (s as { seatId: string }).seatId);
      };
      expect(await seatsKnownAt(recordedAt)).toContain('pn-lay-known');
      expect(await seatsKnownAt(recordedAt - 1)).not.toContain('pn-lay-known');
    });

    it('generates ids the client leaves out', async () => {
      const response = await post(
        '/v1/groups',
        workstream('x', 'Populations and Outcomes', { groupId: undefined }),
      ).expect(201);
      expect(response.body.id).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('allocates lay seats, shows them in governance as of a date, and records tenures', async () => {
      const seat = await post('/v1/groups/programme-board/seats', {
        seatId: 'board-lay-1',
        partnerId: 'ann',
        constituency: 'lay',
        occurredAt: '2014-01-10',
      }).expect(201);
      const governance = await ledger
        .http()
        .get('/v1/governance')
        .query({ asOf: '2014-03-01', minPosition: seat.body.position })
        .expect(200);
      const board = governance.body.groups.find(
        (g: { groupId: string }) => g.groupId === 'programme-board',
      );
      expect(board.seats).toEqual([
        {
          seatId: 'board-lay-1',
          partnerId: 'ann',
          partnerName: 'Ann Example',
          constituency: 'lay',
          since: '2014-01-10T00:00:00.000Z',
          termEndsOn: null,
        },
      ]);
      expect(board.laySeats).toEqual({ min: 2, max: 2, filled: 1, belowMinimum: true });

      const before = await ledger
        .http()
        .get('/v1/governance')
        .query({ asOf: '2014-01-09' })
        .expect(200);
      const boardBefore = before.body.groups.find(
        (g: { groupId: string }) => g.groupId === 'programme-board',
      );
      expect(boardBefore.seats).toEqual([]);
    });

    it('vacates a seat, ending the tenure with its reason, while earlier dates still show it', async () => {
      await post('/v1/groups/provider-networks/seats', {
        seatId: 'pn-lay-1',
        partnerId: 'bob',
        constituency: 'lay',
        occurredAt: '2014-02-01',
      }).expect(201);
      // Everything recorded so far is known at `allocationKnown`; the vacancy is recorded later.
      const allocationKnown = Date.now();
      while (Date.now() <= allocationKnown) {
        // spin past the millisecond so that recordedAt differs (clock granularity, not a wait on state)
      }
      const vacated = await post('/v1/groups/provider-networks/seats/pn-lay-1/vacate', {
        reason: 'time commitment',
        occurredAt: '2014-09-30',
      }).expect(201);
      expect(vacated.body.revision).toBe(2);

      const tenures = await ledger
        .http()
        .get('/v1/groups/provider-networks/tenures')
        .query({ minPosition: vacated.body.position })
        .expect(200);
      expect(tenures.body.tenures).toEqual([
        expect.objectContaining({
          seatId: 'pn-lay-1',
          partnerId: 'bob',
          from: '2014-02-01T00:00:00.000Z',
          to: '2014-09-30T00:00:00.000Z',
          endReason: 'time commitment',
        }),
      ]);
      // As the record stood before the vacancy was entered, the tenure was still open.
      const earlier = await ledger
        .http()
        .get('/v1/groups/provider-networks/tenures')
        .query({ knownAt: new Date(allocationKnown).toISOString() })
        .expect(200);
      expect(earlier.body.tenures).toEqual([
        expect.objectContaining({ seatId: 'pn-lay-1', to: null }),
      ]);

      const during = await ledger
        .http()
        .get('/v1/governance')
        .query({ asOf: '2014-06-01' })
        .expect(200);
      const group = during.body.groups.find(
        (g: { groupId: string }) => g.groupId === 'provider-networks',
      );
      expect(group.seats.map((s: { seatId: string }) => s.seatId)).toEqual(['pn-lay-1']);
      const after = await ledger
        .http()
        .get('/v1/governance')
        .query({ asOf: '2014-10-01' })
        .expect(200);
      const groupAfter = after.body.groups.find(
        (g: { groupId: string }) => g.groupId === 'provider-networks',
      );
      expect(groupAfter.seats).toEqual([]);
    });

    it('honours If-Match and refuses a stale revision with 409', async () => {
      const current = await post('/v1/groups', workstream('gp-networks', 'GP Networks')).expect(
        201,
      );
      await refused(
        () =>
          post(
            '/v1/groups/gp-networks/seats',
            { partnerId: 'ann', constituency: 'lay', occurredAt: '2014-01-10' },
            { 'if-match': String(current.body.revision + 1) },
          ),
        409,
        'revision_conflict',
      );
      await post(
        '/v1/groups/gp-networks/seats',
        { partnerId: 'ann', constituency: 'lay', occurredAt: '2014-01-10' },
        { 'if-match': `"${current.body.revision}"` },
      ).expect(201);
    });
  });

  describe('refusals: clear codes, nothing appended', () => {
    it('400 lists every invalid field', async () => {
      const body = await refused(
        () =>
          post('/v1/groups', {
            name: '',
            kind: 'committee',
            laySeats: { min: -1, max: 'x' },
            extra: true,
          }),
        400,
        'validation_failed',
      );
      const fields = (body.details as { fields: Array<{ field: string }> }).fields.map(
        (f) => f.field,
      );
      expect(fields).toEqual(
        expect.arrayContaining([
          'name',
          'kind',
          'level',
          'cadence',
          'laySeats.min',
          'laySeats.max',
          'extra',
          'occurredAt',
        ]),
      );
    });

    it('400 for malformed JSON, a bad id, a bad If-Match and a bad date', async () => {
      await refused(
        () => ledger.http().post('/v1/groups').set(json).send('{"name":'),
        400,
        'invalid_json',
      );
      await refused(
        () =>
          post('/v1/groups/bad%20id/seats', {
            partnerId: 'ann',
            constituency: 'lay',
            occurredAt: '2014-01-01',
          }),
        400,
        'invalid_id',
      );
      await refused(
        () =>
          post(
            '/v1/groups/programme-board/seats',
            { partnerId: 'cat', constituency: 'lay', occurredAt: '2014-01-01' },
            { 'if-match': 'yesterday' },
          ),
        400,
        'invalid_if_match',
      );
      await refused(
        () => post('/v1/partners/ann/appointment', { body: 'forum', occurredAt: '1 March 2014' }),
        400,
        'validation_failed',
      );
      await ledger.http().get('/v1/governance').query({ asOf: 'soon' }).expect(400);
    });

    it('404 for unknown groups, partners and seats', async () => {
      await refused(
        () =>
          post('/v1/groups/nowhere/seats', {
            partnerId: 'ann',
            constituency: 'lay',
            occurredAt: '2014-01-10',
          }),
        404,
        'group_not_found',
      );
      await refused(
        () =>
          post('/v1/groups/informatics/seats', {
            partnerId: 'nobody',
            constituency: 'lay',
            occurredAt: '2014-01-10',
          }),
        404,
        'partner_not_found',
      );
      await refused(
        () =>
          post('/v1/groups/informatics/seats/none/vacate', {
            reason: 'x',
            occurredAt: '2014-01-10',
          }),
        404,
        'seat_not_found',
      );
      await refused(
        () => post('/v1/partners/nobody/appointment', { body: 'forum', occurredAt: '2014-01-10' }),
        404,
        'partner_not_found',
      );
      await refused(
        () => post('/v1/groups', workstream('orphan', 'Orphan', { parentGroupId: 'missing' })),
        404,
        'parent_group_not_found',
      );
      const missing = await ledger.http().get('/v1/groups/nowhere/tenures').expect(404);
      expect(missing.body.code).toBe('group_not_found');
    });

    it('409 for an id already taken', async () => {
      await refused(() => post('/v1/groups', programmeBoard()), 409, 'group_exists');
      await refused(
        () => post('/v1/partners/nominations', nomination('ann', 'Ann Again')),
        409,
        'partner_exists',
      );
    });

    it('422 for each broken rule of the slice', async () => {
      await refused(
        () =>
          post('/v1/groups/informatics/seats', {
            partnerId: 'cat',
            constituency: 'lay',
            occurredAt: '2014-01-10',
          }),
        422,
        'partner_not_appointed',
      );
      await refused(
        () =>
          post('/v1/groups/programme-board/seats', {
            partnerId: 'ann',
            constituency: 'lay',
            occurredAt: '2014-02-10',
          }),
        422,
        'already_seated',
      );
      await post(
        '/v1/groups',
        workstream('finance', 'Commissioning and Finance', { laySeats: { min: 0, max: 1 } }),
      ).expect(201);
      await post('/v1/groups/finance/seats', {
        partnerId: 'ann',
        constituency: 'lay',
        occurredAt: '2014-01-10',
      }).expect(201);
      await refused(
        () =>
          post('/v1/groups/finance/seats', {
            partnerId: 'bob',
            constituency: 'lay',
            occurredAt: '2014-01-10',
          }),
        422,
        'lay_seats_full',
      );
      await refused(
        () =>
          post('/v1/groups/programme-board/seats/board-lay-1/vacate', {
            reason: 'x',
            occurredAt: '2013-12-31',
          }),
        422,
        'vacated_before_allocated',
      );
      await refused(
        () => post('/v1/groups', workstream('future', 'Future', { occurredAt: '2999-01-01' })),
        422,
        'occurred_in_future',
      );
      await refused(
        () => post('/v1/groups', workstream('bad-seats', 'Bad', { laySeats: { min: 3, max: 2 } })),
        422,
        'invalid_lay_seats',
      );
      await refused(
        () =>
          post('/v1/partners/ann/appointment', {
            body: 'advisory-group',
            occurredAt: '2014-01-01',
          }),
        422,
        'already_appointed',
      );
    });

    it('answers unknown routes with the same error body', async () => {
      const response = await ledger.http().get('/v1/nothing-here').expect(404);
      expect(response.body).toEqual({
        code: 'not_found',
        message: expect.any(String),
        details: {},
      });
    });
  });

  it('reports health with the projection checkpoint', async () => {
    const response = await ledger.http().get('/health').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      details: {
        store: { status: 'up', head: expect.any(Number) },
        projections: {
          status: 'up',
          checkpoint: expect.any(Number),
          lagEvents: expect.any(Number),
        },
        sagas: { status: 'up' },
      },
    });
  });
});
