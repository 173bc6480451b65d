import { board, layPartner, meeting, tenuresOf } from '../support/group-fixtures.js';
import { commandClient } from '../support/programme-fixtures.js';
import { startTestLedger, type TestLedger } from '../support/test-ledger.js';

const at = (date: string) => `${date}T00:00:00.000Z`;

interface GovernanceGroup {
  groupId: string;
  seats: Array<{ partnerId: string }>;
  coChairs: Array<{ partnerId: string }>;
  laySeats: { filled: number };
}

/**
 * Issue 13: rules hold at every instant of business time. A backdated seat
 * that would overfill a past period or seat a partner twice is refused with
 * the conflicting interval; a past term given with `until` is one append and
 * reads like any other term.
 */
describe('backdated commands and past terms', () => {
  let ledger: TestLedger;
  const client = commandClient(() => ledger);
  const { post, refused } = client;

  async function governance(asOf: string, groupId: string): Promise<GovernanceGroup | undefined> {
    const response = await ledger
      .http()
      .get('/v1/governance')
      .query({ asOf, minPosition: String(await client.settledHead()) })
      .expect(200);
    return (response.body as { groups: GovernanceGroup[] }).groups.find(
      (g) => g.groupId === groupId,
    );
  }

  beforeAll(async () => {
    ledger = await startTestLedger();
    for (const id of ['p1', 'p2', 'p3', 'p5', 'p6', 'p7', 'p12']) {
      await layPartner(client, id, { nominatedAt: '2018-11-01', appointedAt: '2018-12-01' });
    }
    await post(
      '/v1/groups',
      board('ws-health', { laySeats: { min: 2, max: 3 }, occurredAt: '2019-01-01' }),
    ).expect(201);
    await post(
      '/v1/groups',
      board('ws-care', { laySeats: { min: 1, max: 10 }, occurredAt: '2019-01-01' }),
    ).expect(201);
  });
  afterAll(() => ledger.destroy());

  it('422 lay_seats_full for a backdated seat that would overfill a past period, naming it', async () => {
    for (const id of ['p1', 'p2', 'p3']) {
      await post('/v1/groups/ws-health/seats', {
        seatId: `s-${id}`,
        partnerId: id,
        constituency: 'lay',
        occurredAt: '2019-06-01',
      }).expect(201);
    }
    await post('/v1/groups/ws-health/seats/s-p3/vacate', {
      reason: 'Moved away',
      occurredAt: '2020-03-01',
    }).expect(201);
    const body = await refused(
      () =>
        post('/v1/groups/ws-health/seats', {
          seatId: 's-late',
          partnerId: 'p12',
          constituency: 'lay',
          occurredAt: '2019-09-01',
        }),
      422,
      'lay_seats_full',
    );
    expect(body.details).toEqual({
      max: 3,
      from: at('2019-09-01'),
      until: at('2020-03-01'),
      holders: ['p1', 'p2', 'p3'],
    });
    expect((await governance('2019-10-01', 'ws-health'))?.laySeats.filled).toBe(3);
    // From the day the seat was vacated, there is room.
    await post('/v1/groups/ws-health/seats', {
      seatId: 's-late',
      partnerId: 'p12',
      constituency: 'lay',
      occurredAt: '2020-03-01',
    }).expect(201);
  });

  it('422 already_seated for a second seat inside the partner’s earlier term', async () => {
    await post('/v1/groups/ws-care/seats', {
      seatId: 'c-p5',
      partnerId: 'p5',
      constituency: 'lay',
      occurredAt: '2019-06-01',
      until: '2020-03-01',
    }).expect(201);
    const body = await refused(
      () =>
        post('/v1/groups/ws-care/seats', {
          seatId: 'c-p5-again',
          partnerId: 'p5',
          constituency: 'lay',
          occurredAt: '2020-02-15',
        }),
      422,
      'already_seated',
    );
    expect(body.details).toEqual({
      partnerId: 'p5',
      seatId: 'c-p5',
      from: at('2019-06-01'),
      until: at('2020-03-01'),
    });
    const seats = (await governance('2020-02-17', 'ws-care'))?.seats ?? [];
    expect(seats.filter((s) => s.partnerId === 'p5')).toHaveLength(1);
  });

  it('400 for an until that is not a date; 422 for one not after occurredAt or in the future', async () => {
    const body = (until: string) => ({
      partnerId: 'p6',
      constituency: 'lay',
      occurredAt: '2019-01-15',
      until,
    });
    await refused(() => post('/v1/groups/ws-care/seats', body('soon')), 400, 'validation_failed');
    await refused(
      () => post('/v1/groups/ws-care/seats', body('2019-01-15')),
      422,
      'until_not_after_start',
    );
    await refused(
      () => post('/v1/groups/ws-care/seats', body('2999-01-01')),
      422,
      'occurred_in_future',
    );
  });

  it('records a past seat and co-chair term in one append each, read like any other term', async () => {
    const seat = await post('/v1/groups/ws-care/seats', {
      seatId: 'c-p6',
      partnerId: 'p6',
      constituency: 'lay',
      occurredAt: '2019-01-15',
      until: '2019-05-01',
    }).expect(201);
    const chair = await post('/v1/groups/ws-care/co-chairs', {
      partnerId: 'p6',
      constituency: 'lay',
      occurredAt: '2019-02-01',
      until: '2019-04-01',
    }).expect(201);
    // Each past term is one append of two events: the revision moves by two.
    expect((chair.body as { revision: number }).revision).toBe(
      (seat.body as { revision: number }).revision + 2,
    );

    const tenures = await tenuresOf(ledger, 'ws-care', await client.settledHead());
    expect(tenures.filter((t) => t.partnerId === 'p6')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          role: 'seat',
          seatId: 'c-p6',
          from: at('2019-01-15'),
          to: at('2019-05-01'),
          endReason: 'term-ended',
        }),
        expect.objectContaining({
          role: 'co-chair',
          from: at('2019-02-01'),
          to: at('2019-04-01'),
          endReason: 'term-ended',
        }),
      ]),
    );
    const inside = await governance('2019-03-01', 'ws-care');
    expect(inside?.seats.map((s) => s.partnerId)).toContain('p6');
    expect(inside?.coChairs.map((c) => c.partnerId)).toEqual(['p6']);
    const after = await governance('2019-05-02', 'ws-care');
    expect(after?.seats.map((s) => s.partnerId)).not.toContain('p6');
    expect(after?.coChairs).toEqual([]);
  });

  it('a past co-chair term recorded later leaves the same partner’s current term open', async () => {
    await post('/v1/groups/ws-care/seats', {
      seatId: 'c-p7',
      partnerId: 'p7',
      constituency: 'lay',
      occurredAt: '2019-01-10',
    }).expect(201);
    await post('/v1/groups/ws-care/co-chairs', {
      partnerId: 'p7',
      constituency: 'lay',
      occurredAt: '2019-06-01',
    }).expect(201);
    await post('/v1/groups/ws-care/co-chairs', {
      partnerId: 'p7',
      constituency: 'lay',
      occurredAt: '2019-04-15',
      until: '2019-05-15',
    }).expect(201);
    const overlap = await refused(
      () =>
        post('/v1/groups/ws-care/co-chairs', {
          partnerId: 'p7',
          constituency: 'lay',
          occurredAt: '2019-05-01',
          until: '2019-05-20',
        }),
      422,
      'already_co_chair',
    );
    expect(overlap.details).toMatchObject({ partnerId: 'p7' });
    expect((await governance('2019-05-01', 'ws-care'))?.coChairs.map((c) => c.partnerId)).toEqual([
      'p7',
    ]);
    expect((await governance('2019-07-01', 'ws-care'))?.coChairs.map((c) => c.partnerId)).toEqual([
      'p7',
    ]);
    const terms = (await tenuresOf(ledger, 'ws-care', await client.settledHead())).filter(
      (t) => t.partnerId === 'p7' && t.role === 'co-chair',
    );
    expect(terms.map((t) => [t.from, t.to])).toEqual(
      expect.arrayContaining([
        [at('2019-04-15'), at('2019-05-15')],
        [at('2019-06-01'), null],
      ]),
    );
  });

  it('refuses a withdrawal dated before a meeting the partner attended; a later one ends the seat then', async () => {
    await layPartner(client, 'p9', { nominatedAt: '2018-11-01', appointedAt: '2018-12-01' });
    await post('/v1/groups/ws-care/seats', {
      seatId: 's-w',
      partnerId: 'p9',
      constituency: 'lay',
      occurredAt: '2019-02-01',
    }).expect(201);
    await post(
      '/v1/groups/ws-care/meetings',
      meeting(['p9'], { meetingId: 'm-w', occurredAt: '2019-04-10' }),
    ).expect(201);
    const refusal = await refused(
      () => post('/v1/partners/p9/withdrawal', { reason: 'health', occurredAt: '2019-03-01' }),
      422,
      'withdrew_before_last_activity',
    );
    expect(refusal.details).toMatchObject({
      activity: 'meeting m-w on ws-care',
      dependsOn: at('2019-04-10'),
    });
    const withdrawn = await post('/v1/partners/p9/withdrawal', {
      reason: 'health',
      occurredAt: '2019-04-11',
    }).expect(201);
    const tenures = await tenuresOf(ledger, 'ws-care', withdrawn.body.position);
    expect(tenures.find((t) => t.seatId === 's-w')).toMatchObject({
      from: at('2019-02-01'),
      to: at('2019-04-11'),
      endReason: 'partner-withdrew: health',
    });
  });
});
