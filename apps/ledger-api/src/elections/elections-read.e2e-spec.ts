import { nomination, programmeBoard } from '../../../../test/support/fixtures.js';
import { coChairElection, commandClient } from '../../../../test/support/programme-fixtures.js';
import { startTestLedger, type TestLedger } from '../../../../test/support/test-ledger.js';

interface ElectionBody {
  electionId: string;
  status: string;
  turnout: number;
  tally: Array<{ partnerId: string; partnerName: string | null; votes: number }> | null;
  candidates: Array<{ partnerId: string; partnerName: string | null }>;
  outcome: string | null;
  tie: boolean;
  electedPartnerId: string | null;
  round: number;
  rerunOf: string | null;
  rerunBy: string | null;
}

describe('election read routes: GET /v1/elections/:id, /v1/groups/:id/elections', () => {
  let ledger: TestLedger;
  let beforeLateBallot: string;
  let lastPosition: number;
  const { post } = commandClient(() => ledger);
  const get = (path: string, role: 'programme-office' | 'auditor' | 'evaluator' = 'auditor') =>
    ledger.http(role).get(path);
  const vote = (electionId: string, voterId: string, candidateId: string, occurredAt: string) =>
    post(`/v1/elections/${electionId}/ballots`, { voterId, candidateId, occurredAt }).expect(201);
  const nominate = (electionId: string, partnerId: string, occurredAt: string) =>
    post(`/v1/elections/${electionId}/candidates`, { partnerId, occurredAt }).expect(201);

  beforeAll(async () => {
    ledger = await startTestLedger();
    await post('/v1/groups', programmeBoard({ laySeats: { min: 2, max: 4 } })).expect(201);
    for (const id of ['ann', 'bob', 'cat', 'dan']) {
      await post('/v1/partners/nominations', nomination(id, `${id} Example`)).expect(201);
      await post(`/v1/partners/${id}/appointment`, {
        body: 'advisory-group',
        occurredAt: '2013-12-01',
      }).expect(201);
      await post('/v1/groups/programme-board/seats', {
        seatId: `lay-${['ann', 'bob', 'cat', 'dan'].indexOf(id) + 1}`,
        partnerId: id,
        constituency: 'lay',
        occurredAt: '2014-01-10',
      }).expect(201);
    }
    const electorate = ['ann', 'bob', 'cat', 'dan'];
    // First round: a tie.
    await post(
      '/v1/groups/programme-board/elections',
      coChairElection({ electionId: 'lay-2014', electorate, occurredAt: '2014-10-01' }),
    ).expect(201);
    await nominate('lay-2014', 'ann', '2014-10-02');
    await nominate('lay-2014', 'bob', '2014-10-02');
    await vote('lay-2014', 'cat', 'ann', '2014-10-10');
    await vote('lay-2014', 'dan', 'bob', '2014-10-10');
    await post('/v1/elections/lay-2014/close', { occurredAt: '2014-10-15' }).expect(201);
    // The re-run.
    await post(
      '/v1/groups/programme-board/elections',
      coChairElection({ electionId: 'lay-2014-rerun', electorate, occurredAt: '2014-11-01' }),
    ).expect(201);
    await nominate('lay-2014-rerun', 'ann', '2014-11-02');
    await nominate('lay-2014-rerun', 'bob', '2014-11-02');
    await vote('lay-2014-rerun', 'cat', 'ann', '2014-11-10');
    await new Promise((resolve) => setTimeout(resolve, 5));
    beforeLateBallot = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Entered late, from the paper count: Dan's ballot of 10 November and the close.
    await vote('lay-2014-rerun', 'dan', 'ann', '2014-11-10');
    const closed = await post('/v1/elections/lay-2014-rerun/close', {
      occurredAt: '2014-11-15',
    }).expect(201);
    lastPosition = (closed.body as { position: number }).position;
  });
  afterAll(() => ledger.destroy());

  describe('GET /v1/elections/:id', () => {
    it('answers status, candidates, turnout, tally, tie and the re-run link', async () => {
      const response = await get(`/v1/elections/lay-2014?minPosition=${lastPosition}`).expect(200);
      expect(response.body).toMatchObject({
        electionId: 'lay-2014',
        groupId: 'programme-board',
        constituency: 'lay',
        status: 'closed',
        electorateSize: 4,
        turnout: 2,
        outcome: 'tied',
        tie: true,
        electedPartnerId: null,
        round: 1,
        rerunOf: null,
        rerunBy: 'lay-2014-rerun',
        asOf: expect.any(String),
        knownAt: expect.any(String),
      });
      expect((response.body as ElectionBody).tally).toEqual([
        { partnerId: 'ann', partnerName: 'ann Example', votes: 1 },
        { partnerId: 'bob', partnerName: 'bob Example', votes: 1 },
      ]);
    });

    it('the winner of the re-run', async () => {
      const body = (await get('/v1/elections/lay-2014-rerun').expect(200)).body as ElectionBody;
      expect(body).toMatchObject({
        status: 'closed',
        turnout: 2,
        outcome: 'elected',
        tie: false,
        electedPartnerId: 'ann',
        round: 2,
        rerunOf: 'lay-2014',
        rerunBy: null,
      });
      expect(body.tally?.map((t) => [t.partnerId, t.votes])).toEqual([
        ['ann', 2],
        ['bob', 0],
      ]);
    });

    it('never says who voted for whom', async () => {
      const text = JSON.stringify((await get('/v1/elections/lay-2014').expect(200)).body);
      expect(text).not.toContain('cat');
      expect(text).not.toContain('dan');
      expect(text).not.toMatch(/voter|ballot/i);
    });

    it('asOf while open: turnout so far, no tally; knownAt before the late entry: one vote, still open', async () => {
      expect(
        (await get('/v1/elections/lay-2014-rerun?asOf=2014-11-12').expect(200)).body,
      ).toMatchObject({
        status: 'open',
        turnout: 2,
        tally: null,
        outcome: null,
        electedPartnerId: null,
      });
      expect(
        (await get(`/v1/elections/lay-2014-rerun?knownAt=${beforeLateBallot}`).expect(200)).body,
      ).toMatchObject({ status: 'open', turnout: 1, tally: null });
    });

    it('404 election_not_found: unknown, not yet opened, not yet recorded', async () => {
      for (const path of [
        '/v1/elections/nope',
        '/v1/elections/lay-2014-rerun?asOf=2014-10-20',
        '/v1/elections/lay-2014?knownAt=2000-01-01',
      ]) {
        expect((await get(path).expect(404)).body.code).toBe('election_not_found');
      }
    });

    it('400 on bad parameters', async () => {
      expect((await get('/v1/elections/lay-2014?asOf=later').expect(400)).body.code).toBe(
        'invalid_time',
      );
      expect((await get('/v1/elections/lay-2014?minPosition=x').expect(400)).body.code).toBe(
        'invalid_min_position',
      );
      expect((await get('/v1/elections/bad%20id').expect(400)).body.code).toBe('invalid_id');
    });

    it('evaluators read pseudonyms for candidates, tally and winner', async () => {
      // Evaluators name the election by the pseudonym they read in the group's list.
      const listed = (await get('/v1/groups/programme-board/elections', 'evaluator').expect(200))
        .body as { elections: ElectionBody[] };
      const rerun = listed.elections.find((e) => e.round === 2)!.electionId;
      expect(rerun).toMatch(/^E-/);
      await get('/v1/elections/lay-2014-rerun', 'evaluator').expect(404);
      const body = (await get(`/v1/elections/${rerun}`, 'evaluator').expect(200))
        .body as ElectionBody;
      expect(body.electionId).toBe(rerun);
      // The round it re-runs is named by its pseudonym too.
      expect(JSON.stringify(listed)).not.toContain('lay-2014');
      expect(body.rerunOf).toBe(listed.elections.find((e) => e.round === 1)!.electionId);
      expect(JSON.stringify(body)).not.toMatch(/ann|bob|Example/);
      const ann = body.candidates[0]!.partnerId;
      expect(ann).toMatch(/^P-/);
      expect(body.electedPartnerId).toBe(ann);
      expect(body.tally?.[0]).toEqual({ partnerId: ann, partnerName: ann, votes: 2 });
    });
  });

  describe('GET /v1/groups/:id/elections', () => {
    it('lists the group elections in order, as rounds', async () => {
      const list = async (query = '') =>
        (
          (await get(`/v1/groups/programme-board/elections${query}`).expect(200)).body as {
            elections: ElectionBody[];
          }
        ).elections.map((e) => [e.electionId, e.round, e.status]);
      expect(await list()).toEqual([
        ['lay-2014', 1, 'closed'],
        ['lay-2014-rerun', 2, 'closed'],
      ]);
      expect(await list('?asOf=2014-10-12')).toEqual([['lay-2014', 1, 'open']]);
      expect(await list(`?knownAt=${beforeLateBallot}`)).toEqual([
        ['lay-2014', 1, 'closed'],
        ['lay-2014-rerun', 2, 'open'],
      ]);
    });

    it('404 group_not_found, 400 invalid_time, pseudonyms for evaluators', async () => {
      expect((await get('/v1/groups/nope/elections').expect(404)).body.code).toBe(
        'group_not_found',
      );
      expect(
        (await get('/v1/groups/programme-board/elections?knownAt=never').expect(400)).body.code,
      ).toBe('invalid_time');
      const text = JSON.stringify(
        (await get('/v1/groups/programme-board/elections', 'evaluator').expect(200)).body,
      );
      expect(text).not.toMatch(/ann|bob|Example/);
    });
  });
});
