import { facts, ledgerFixture, type LedgerFixture } from '../testing/ledger-fixture.js';

describe('elections (projection + queries)', () => {
  let l: LedgerFixture;

  const vote = (
    electionId: string,
    voterId: string,
    candidateId: string,
    at: string,
    recordedAt?: string,
  ) => {
    l.record('VoterMarked', { electionId, voterId, occurredAt: at }, recordedAt);
    l.record(
      'BallotCast',
      { electionId, ballotId: `b-${voterId}-${electionId}`, candidateId, occurredAt: at },
      recordedAt,
    );
  };

  beforeEach(() => {
    l = ledgerFixture();
    l.record('GroupEstablished', facts.group('board', '2013-10-01'));
    for (const id of ['ann', 'bob', 'cat', 'dan'])
      l.record('PartnerNominated', facts.nominated(id, '2013-10-02'));
    l.record('CoChairElectionOpened', {
      electionId: 'e1',
      groupId: 'board',
      constituency: 'lay',
      electorate: ['ann', 'bob', 'cat', 'dan'],
      occurredAt: '2014-01-01',
    });
    l.record('CandidateNominated', {
      electionId: 'e1',
      partnerId: 'ann',
      occurredAt: '2014-01-02',
    });
    l.record('CandidateNominated', {
      electionId: 'e1',
      partnerId: 'bob',
      occurredAt: '2014-01-02',
    });
    vote('e1', 'cat', 'ann', '2014-01-10');
    vote('e1', 'dan', 'bob', '2014-01-10');
    l.record('ElectionClosed', {
      electionId: 'e1',
      groupId: 'board',
      constituency: 'lay',
      tally: { ann: 1, bob: 1 },
      turnout: 2,
      outcome: 'tied',
      electedPartnerId: null,
      occurredAt: '2014-01-15',
    });
    l.record('CoChairElectionOpened', {
      electionId: 'e2',
      groupId: 'board',
      constituency: 'lay',
      electorate: ['ann', 'bob', 'cat', 'dan'],
      occurredAt: '2014-02-01',
    });
    l.record('CandidateNominated', {
      electionId: 'e2',
      partnerId: 'ann',
      occurredAt: '2014-02-02',
    });
    l.record('CandidateNominated', {
      electionId: 'e2',
      partnerId: 'bob',
      occurredAt: '2014-02-02',
    });
    vote('e2', 'cat', 'ann', '2014-02-10');
    // Dan's vote happened on 10 February but was entered on 1 March.
    vote('e2', 'dan', 'ann', '2014-02-10', '2014-03-01');
    l.record(
      'ElectionClosed',
      {
        electionId: 'e2',
        groupId: 'board',
        constituency: 'lay',
        tally: { ann: 2, bob: 0 },
        turnout: 2,
        outcome: 'elected',
        electedPartnerId: 'ann',
        occurredAt: '2014-02-15',
      },
      '2014-03-01',
    );
  });

  it('reads a closed election: turnout from marks, tally from ballots, tie, rounds and re-run link', () => {
    const [e1, e2] = l.elections.ofGroup('board', l.at('2014-12-31'));
    expect(e1).toMatchObject({
      electionId: 'e1',
      status: 'closed',
      electorateSize: 4,
      turnout: 2,
      outcome: 'tied',
      tie: true,
      electedPartnerId: null,
      round: 1,
      rerunOf: null,
      rerunBy: 'e2',
    });
    expect(e1?.tally).toEqual([
      { partnerId: 'ann', partnerName: 'Name of ann', votes: 1 },
      { partnerId: 'bob', partnerName: 'Name of bob', votes: 1 },
    ]);
    expect(e2).toMatchObject({
      electionId: 'e2',
      status: 'closed',
      turnout: 2,
      outcome: 'elected',
      tie: false,
      electedPartnerId: 'ann',
      round: 2,
      rerunOf: 'e1',
      rerunBy: null,
    });
    expect(e2?.tally?.map((t) => [t.partnerId, t.votes])).toEqual([
      ['ann', 2],
      ['bob', 0],
    ]);
    expect(e2?.candidates.map((c) => c.partnerId)).toEqual(['ann', 'bob']);
  });

  it('never names a voter next to a choice', () => {
    const views = JSON.stringify(l.elections.ofGroup('board', l.at('2014-12-31')));
    expect(views).not.toContain('cat');
    expect(views).not.toContain('dan');
    const columns = (table: string) =>
      (l.db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map(
        (c) => c.name,
      );
    expect(columns('el_marks')).toEqual(['event_id', 'election_id', 'marked_at', 'recorded_at']);
    expect(columns('el_ballots')).not.toContain('voter_id');
    expect(columns('el_ballots')).not.toContain('position');
  });

  it('while open: turnout so far, no tally, no result', () => {
    const e2 = l.elections.election('e2', l.at('2014-02-12'));
    expect(e2).toMatchObject({
      status: 'open',
      turnout: 2,
      tally: null,
      outcome: null,
      tie: false,
    });
    expect(e2?.rerunOf).toBe('e1');
  });

  it('as known before the late entry: one vote and still open', () => {
    const e2 = l.elections.election('e2', l.at('2014-12-31', '2014-02-20'));
    expect(e2).toMatchObject({ status: 'open', turnout: 1, tally: null, electedPartnerId: null });
    expect(l.elections.election('e2', l.at('2014-12-31'))?.turnout).toBe(2);
  });

  it('unknown before it opened or before it was recorded', () => {
    expect(l.elections.election('e2', l.at('2014-01-20'))).toBeNull();
    expect(l.elections.election('nope', l.at('2014-12-31'))).toBeNull();
    expect(l.elections.ofGroup('board', l.at('2014-01-20')).map((e) => e.rerunBy)).toEqual([null]);
  });

  it('names the groups with an election exactly when ofGroup finds one', () => {
    l.record('GroupEstablished', facts.group('forum', '2013-10-01'));
    for (const [asOf, knownAt] of [
      ['2013-12-31', undefined],
      ['2014-01-01', undefined],
      ['2014-12-31', '2014-02-20'],
      ['2014-12-31', undefined],
      ['2014-12-31', '2000-01-01'],
    ] as const) {
      const at = l.at(asOf, knownAt);
      const found = ['board', 'forum'].filter((id) => l.elections.ofGroup(id, at).length > 0);
      expect([...l.elections.groupsWithElections(at)]).toEqual(found);
    }
  });

  it('applying every event again changes nothing', () => {
    const before = l.elections.ofGroup('board', l.at('2014-12-31'));
    l.replayAll();
    expect(l.elections.ofGroup('board', l.at('2014-12-31'))).toEqual(before);
  });
});
