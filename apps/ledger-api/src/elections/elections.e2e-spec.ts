import { nomination, programmeBoard, workstream } from '../../../../test/support/fixtures.js';
import {
  coChairElection,
  commandClient,
  fieldsOf,
  groupCommand,
} from '../../../../test/support/programme-fixtures.js';
import { startTestLedger, type TestLedger } from '../../../../test/support/test-ledger.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface GroupBody {
  groupId: string;
  coChairs: Array<{ partnerId: string; constituency: string; electionId: string | null }>;
}

describe('election routes: open, nominate, cast a secret ballot, close', () => {
  let ledger: TestLedger;
  const { post, refused, settledHead, store } = commandClient(() => ledger);
  const eventsOf = async (electionId: string) =>
    (await store().readStream(`election-${electionId}`)).map((e) => ({
      type: e.type,
      data: e.data as Record<string, unknown>,
    }));
  const open = (electionId: string, overrides: Record<string, unknown> = {}) =>
    post('/v1/groups/programme-board/elections', coChairElection({ electionId, ...overrides }))
      .expect(201)
      .then((r) => r.body as { id: string; revision: number; position: number });
  const nominate = (electionId: string, partnerId: string, occurredAt = '2014-10-02') =>
    post(`/v1/elections/${electionId}/candidates`, { partnerId, occurredAt }).expect(201);
  const vote = (
    electionId: string,
    voterId: string,
    candidateId: string,
    occurredAt = '2014-10-10',
  ) => post(`/v1/elections/${electionId}/ballots`, { voterId, candidateId, occurredAt });

  beforeAll(async () => {
    ledger = await startTestLedger();
    await post('/v1/groups', programmeBoard({ laySeats: { min: 2, max: 4 } })).expect(201);
    for (const id of ['ann', 'bob', 'cat', 'dan']) {
      await post('/v1/partners/nominations', nomination(id, `${id} Example`)).expect(201);
      await post(`/v1/partners/${id}/appointment`, {
        body: 'advisory-group',
        occurredAt: '2013-12-01',
      }).expect(201);
    }
    for (const id of ['ann', 'bob', 'cat']) {
      await post('/v1/groups/programme-board/seats', {
        seatId: `board-lay-${id}`,
        partnerId: id,
        constituency: 'lay',
        occurredAt: '2014-01-10',
      }).expect(201);
    }
  });
  afterAll(() => ledger.destroy());

  describe('POST /v1/groups/:id/elections', () => {
    it('opens a co-chair election for the group in the path', async () => {
      const response = await post(
        '/v1/groups/programme-board/elections',
        coChairElection({ electionId: 'opened-2014' }),
      ).expect(201);
      expect(response.body).toEqual({
        id: 'opened-2014',
        revision: 0,
        position: expect.any(Number),
        recordedAt: expect.any(String),
      });
      expect(await eventsOf('opened-2014')).toEqual([
        {
          type: 'CoChairElectionOpened',
          data: {
            electionId: 'opened-2014',
            groupId: 'programme-board',
            constituency: 'lay',
            electorate: ['ann', 'bob', 'cat'],
            occurredAt: '2014-10-01T00:00:00.000Z',
          },
        },
      ]);
      // The next command finds it open.
      await nominate('opened-2014', 'ann');
    });

    it('generates the election id when the client leaves it out', async () => {
      const response = await post('/v1/groups/programme-board/elections', coChairElection()).expect(
        201,
      );
      expect(response.body.id).toMatch(UUID);
      expect(await eventsOf(response.body.id)).toHaveLength(1);
    });

    it('400 lists every invalid field, and a bad group id', async () => {
      const body = await refused(
        () =>
          post('/v1/groups/programme-board/elections', {
            electionId: 'bad id',
            constituency: 'patients',
            electorate: [],
            occurredAt: 'autumn',
            extra: true,
          }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(body)).toEqual(
        expect.arrayContaining(['electionId', 'constituency', 'electorate', 'occurredAt', 'extra']),
      );
      const badElector = await refused(
        () =>
          post(
            '/v1/groups/programme-board/elections',
            coChairElection({ electorate: ['ann', 'not an id', 3] }),
          ),
        400,
        'validation_failed',
      );
      expect(fieldsOf(badElector)).toEqual(['electorate']);
      await refused(
        () => post('/v1/groups/bad%20id/elections', coChairElection()),
        400,
        'invalid_id',
      );
    });

    it('404 group_not_found', async () => {
      await refused(
        () => post('/v1/groups/nowhere/elections', coChairElection()),
        404,
        'group_not_found',
      );
    });

    it('409 election_exists for an id already taken', async () => {
      await open('taken-2014');
      await refused(
        () =>
          post(
            '/v1/groups/programme-board/elections',
            coChairElection({ electionId: 'taken-2014' }),
          ),
        409,
        'election_exists',
      );
    });

    it('422 for each broken rule', async () => {
      await refused(
        () =>
          post(
            '/v1/groups/programme-board/elections',
            coChairElection({ constituency: 'provider' }),
          ),
        422,
        'constituency_has_no_co_chair',
      );
      await refused(
        () =>
          post(
            '/v1/groups/programme-board/elections',
            coChairElection({ electorate: ['ann', 'bob', 'ann'] }),
          ),
        422,
        'duplicate_elector',
      );
      await refused(
        () =>
          post(
            '/v1/groups/programme-board/elections',
            coChairElection({ occurredAt: '2013-09-01' }),
          ),
        422,
        'opened_before_group_established',
      );
      await refused(
        () =>
          post(
            '/v1/groups/programme-board/elections',
            coChairElection({ occurredAt: '2999-01-01' }),
          ),
        422,
        'occurred_in_future',
      );
      await post(
        '/v1/groups',
        workstream('shadow-board', 'Shadow Board', { parentGroupId: null }),
      ).expect(201);
      // No HTTP route dissolves a group yet: issue the command as the office would.
      await groupCommand(ledger, {
        type: 'DissolveGroup',
        data: {
          groupId: 'shadow-board',
          reason: 'merged',
          occurredAt: '2014-06-01T00:00:00.000Z',
        },
      });
      await refused(
        () => post('/v1/groups/shadow-board/elections', coChairElection()),
        422,
        'group_dissolved',
      );
    });
  });

  describe('POST /v1/elections/:id/candidates', () => {
    beforeAll(async () => {
      await open('nominations-2014');
    });

    it('nominates a candidate from the electorate', async () => {
      const response = await post('/v1/elections/nominations-2014/candidates', {
        partnerId: 'bob',
        occurredAt: '2014-10-02',
      }).expect(201);
      expect(response.body).toEqual({
        id: 'nominations-2014',
        revision: 1,
        position: expect.any(Number),
        recordedAt: expect.any(String),
      });
      const [, nominated] = await eventsOf('nominations-2014');
      expect(nominated).toEqual({
        type: 'CandidateNominated',
        data: {
          electionId: 'nominations-2014',
          partnerId: 'bob',
          occurredAt: '2014-10-02T00:00:00.000Z',
        },
      });
    });

    it('400 for a bad or missing partner id and date', async () => {
      const body = await refused(
        () => post('/v1/elections/nominations-2014/candidates', { partnerId: 'b o b', extra: 1 }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(body)).toEqual(expect.arrayContaining(['partnerId', 'occurredAt', 'extra']));
    });

    it('404 election_not_found', async () => {
      await refused(
        () =>
          post('/v1/elections/nowhere/candidates', { partnerId: 'ann', occurredAt: '2014-10-02' }),
        404,
        'election_not_found',
      );
    });

    it('422 for each broken rule', async () => {
      const candidate =
        (partnerId: string, occurredAt = '2014-10-02') =>
        () =>
          post('/v1/elections/nominations-2014/candidates', { partnerId, occurredAt });
      await refused(candidate('dan'), 422, 'candidate_not_in_electorate');
      await refused(candidate('bob'), 422, 'candidate_already_nominated');
      await refused(candidate('cat', '2014-09-30'), 422, 'nominated_before_opened');
      await refused(candidate('cat', '2999-01-01'), 422, 'occurred_in_future');
      // Nominations close with the first ballot.
      await vote('nominations-2014', 'ann', 'bob').expect(201);
      await refused(candidate('cat', '2014-10-11'), 422, 'nominations_closed');
      await open('closed-early');
      await post('/v1/elections/closed-early/close', { occurredAt: '2014-10-03' }).expect(201);
      await refused(
        () =>
          post('/v1/elections/closed-early/candidates', {
            partnerId: 'ann',
            occurredAt: '2014-10-04',
          }),
        422,
        'election_not_open',
      );
    });
  });

  describe('POST /v1/elections/:id/ballots', () => {
    beforeAll(async () => {
      await open('ballots-2014');
      await nominate('ballots-2014', 'bob');
      await nominate('ballots-2014', 'cat', '2014-10-05');
    });

    it('records a secret ballot: the answer names neither the ballot nor the choice', async () => {
      const response = await vote('ballots-2014', 'ann', 'cat').expect(201);
      expect(response.body).toEqual({
        id: 'ballots-2014',
        revision: 4,
        position: expect.any(Number),
        recordedAt: expect.any(String),
      });
      expect(JSON.stringify(response.body)).not.toContain('cat');
      const { ['content-type']: _json, ...headers } = response.headers;
      expect(JSON.stringify(headers)).not.toContain('cat');
      await vote('ballots-2014', 'bob', 'cat').expect(201);

      const events = (await eventsOf('ballots-2014')).slice(3);
      expect(events.map((e) => e.type)).toEqual([
        'VoterMarked',
        'BallotCast',
        'VoterMarked',
        'BallotCast',
      ]);
      const [marked, cast, , second] = events;
      expect(marked?.data).toEqual({
        electionId: 'ballots-2014',
        voterId: 'ann',
        occurredAt: '2014-10-10T00:00:00.000Z',
      });
      expect(cast?.data).toEqual({
        electionId: 'ballots-2014',
        ballotId: expect.stringMatching(UUID_V4),
        candidateId: 'cat',
        occurredAt: '2014-10-10T00:00:00.000Z',
      });
      // Random per ballot: nothing in a ballot id points back at its voter.
      expect(second?.data.ballotId).toMatch(UUID_V4);
      expect(second?.data.ballotId).not.toBe(cast?.data.ballotId);
    });

    it('generates the ballot id itself: a client ballotId is refused', async () => {
      const body = await refused(
        () =>
          post('/v1/elections/ballots-2014/ballots', {
            ballotId: '00000000-0000-4000-8000-000000000000',
            voterId: 'cat',
            candidateId: 'bob',
            occurredAt: '2014-10-10',
          }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(body)).toEqual(['ballotId']);
    });

    it('400 for missing voter, candidate and date', async () => {
      const body = await refused(
        () => post('/v1/elections/ballots-2014/ballots', { candidateId: 'x y' }),
        400,
        'validation_failed',
      );
      expect(fieldsOf(body)).toEqual(
        expect.arrayContaining(['voterId', 'candidateId', 'occurredAt']),
      );
    });

    it('404 election_not_found', async () => {
      await refused(() => vote('nowhere', 'ann', 'bob'), 404, 'election_not_found');
    });

    it('422 for each broken rule, without naming a voter with a choice', async () => {
      await refused(() => vote('ballots-2014', 'dan', 'bob'), 422, 'not_an_elector');
      // ann voted in the first test: the next ballot sees it.
      const again = await refused(() => vote('ballots-2014', 'ann', 'bob'), 422, 'already_voted');
      expect(JSON.stringify(again)).not.toContain('bob');
      await refused(() => vote('ballots-2014', 'cat', 'ann'), 422, 'not_a_candidate');
      await refused(
        () => vote('ballots-2014', 'cat', 'cat', '2014-10-04'),
        422,
        'voted_before_candidate_nominated',
      );
      await refused(
        () => vote('ballots-2014', 'cat', 'bob', '2999-01-01'),
        422,
        'occurred_in_future',
      );
      await open('closed-ballots');
      await post('/v1/elections/closed-ballots/close', { occurredAt: '2014-10-03' }).expect(201);
      await refused(() => vote('closed-ballots', 'ann', 'bob'), 422, 'election_not_open');
    });
  });

  describe('POST /v1/elections/:id/close', () => {
    it('closes with the tally, and the winner becomes co-chair of the group', async () => {
      await open('board-lay-2014');
      await nominate('board-lay-2014', 'bob');
      await nominate('board-lay-2014', 'cat');
      await vote('board-lay-2014', 'ann', 'cat').expect(201);
      await vote('board-lay-2014', 'bob', 'cat').expect(201);
      await vote('board-lay-2014', 'cat', 'bob').expect(201);
      const response = await post('/v1/elections/board-lay-2014/close', {
        occurredAt: '2014-10-15',
      }).expect(201);
      expect(response.body).toEqual({
        id: 'board-lay-2014',
        revision: 9,
        position: expect.any(Number),
        recordedAt: expect.any(String),
      });
      const closed = (await eventsOf('board-lay-2014')).at(-1);
      expect(closed).toEqual({
        type: 'ElectionClosed',
        data: {
          electionId: 'board-lay-2014',
          groupId: 'programme-board',
          constituency: 'lay',
          tally: { bob: 1, cat: 2 },
          turnout: 3,
          outcome: 'elected',
          electedPartnerId: 'cat',
          occurredAt: '2014-10-15T00:00:00.000Z',
        },
      });
      // The election-result saga installs the winner; wait on positions, not time.
      const head = await settledHead();
      const governance = await ledger
        .http()
        .get('/v1/governance')
        .query({ minPosition: String(head) })
        .expect(200);
      const board = (governance.body.groups as GroupBody[]).find(
        (g) => g.groupId === 'programme-board',
      );
      expect(board?.coChairs).toEqual([
        expect.objectContaining({
          partnerId: 'cat',
          constituency: 'lay',
          electionId: 'board-lay-2014',
        }),
      ]);
      // The next command sees it closed.
      await refused(
        () => post('/v1/elections/board-lay-2014/close', { occurredAt: '2014-10-16' }),
        422,
        'election_not_open',
      );
    });

    it('400 for a missing or malformed date', async () => {
      const empty = await refused(
        () => post('/v1/elections/nominations-2014/close', {}),
        400,
        'validation_failed',
      );
      expect(fieldsOf(empty)).toEqual(['occurredAt']);
      await refused(
        () => post('/v1/elections/nominations-2014/close', { occurredAt: 15 }),
        400,
        'validation_failed',
      );
    });

    it('404 election_not_found', async () => {
      await refused(
        () => post('/v1/elections/nowhere/close', { occurredAt: '2014-10-15' }),
        404,
        'election_not_found',
      );
    });

    it('409 revision_conflict on a stale If-Match', async () => {
      const opened = await open('pinned-2014');
      await nominate('pinned-2014', 'ann');
      await refused(
        () =>
          post(
            '/v1/elections/pinned-2014/close',
            { occurredAt: '2014-10-15' },
            { 'if-match': String(opened.revision) },
          ),
        409,
        'revision_conflict',
      );
    });

    it('422 closed_before_last_activity and occurred_in_future', async () => {
      // The last activity in nominations-2014 is ann's ballot on 10 October 2014.
      await refused(
        () => post('/v1/elections/nominations-2014/close', { occurredAt: '2014-10-09' }),
        422,
        'closed_before_last_activity',
      );
      await refused(
        () => post('/v1/elections/nominations-2014/close', { occurredAt: '2999-01-01' }),
        422,
        'occurred_in_future',
      );
    });
  });

  it('documents every election route in OpenAPI with a 422 response', async () => {
    const response = await ledger.http().get('/docs-json').expect(200);
    const paths = response.body.paths as Record<
      string,
      { post?: { responses: Record<string, unknown> } }
    >;
    for (const path of [
      '/v1/groups/{id}/elections',
      '/v1/elections/{id}/candidates',
      '/v1/elections/{id}/ballots',
      '/v1/elections/{id}/close',
    ]) {
      expect({ path, responses: Object.keys(paths[path]?.post?.responses ?? {}) }).toEqual({
        path,
        responses: expect.arrayContaining(['201', '400', '404', '409', '422']),
      });
    }
    const ballot = response.body.components.schemas.CastBallotDto as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(ballot.properties).sort()).toEqual(['candidateId', 'occurredAt', 'voterId']);
  });

  describe('steps in business time, and nothing after the group’s dissolution', () => {
    it('accepts a step dated before the dissolution, refuses one after it, naming it (422)', async () => {
      await post('/v1/groups', workstream('ws-short', 'Short-lived workstream')).expect(201);
      await post('/v1/groups/ws-short/elections', {
        electionId: 'short-2014',
        constituency: 'lay',
        electorate: ['ann', 'bob'],
        occurredAt: '2014-02-01',
      }).expect(201);
      await nominate('short-2014', 'ann', '2014-02-02');
      await post('/v1/groups/ws-short/dissolution', {
        reason: 'Merged',
        occurredAt: '2014-03-01',
      }).expect(201);
      // Recorded after the dissolution, dated before it: the ballot happened while the group existed.
      await vote('short-2014', 'bob', 'ann', '2014-02-10').expect(201);
      const after = await refused(
        () => vote('short-2014', 'ann', 'ann', '2014-03-05'),
        422,
        'group_dissolved',
      );
      expect(after.details).toEqual({
        groupId: 'ws-short',
        dissolvedAt: '2014-03-01T00:00:00.000Z',
        occurredAt: '2014-03-05T00:00:00.000Z',
      });
      // A candidate dated after the first ballot is refused, one before it accepted.
      const late = await refused(
        () =>
          post('/v1/elections/short-2014/candidates', {
            partnerId: 'bob',
            occurredAt: '2014-02-11',
          }),
        422,
        'nominations_closed',
      );
      expect(late.details).toMatchObject({ firstBallotAt: '2014-02-10T00:00:00.000Z' });
      await nominate('short-2014', 'bob', '2014-02-09');
    });
  });
});
