import { fold } from '../core/decider.js';
import type { DomainError } from '../core/domain-error.js';
import { deciderSpec } from '../core/testing/decider-spec.js';
import type { GroupStanding } from '../facts/index.js';
import {
  electionCommandStream,
  electionDecider,
  type ElectionCommand,
} from './election.decider.js';
import {
  electionResult,
  type CoChairElectionOpened,
  type ElectionEvent,
} from './election.events.js';

const NOW = '2016-01-01T00:00:00.000Z';
const group: GroupStanding = {
  groupId: 'g1',
  status: 'active',
  establishedAt: '2013-09-01T00:00:00.000Z',
  dissolvedAt: null,
  coChairConstituencies: ['lay', 'ccg'],
};
const spec = deciderSpec(electionDecider, { now: NOW, group });

const opened: CoChairElectionOpened = {
  type: 'CoChairElectionOpened',
  data: {
    electionId: 'e1',
    groupId: 'g1',
    constituency: 'lay',
    electorate: ['p1', 'p2', 'p3', 'p4'],
    occurredAt: '2014-01-06T00:00:00.000Z',
  },
};
const candidate = (partnerId: string, occurredAt = '2014-01-07T00:00:00.000Z'): ElectionEvent => ({
  type: 'CandidateNominated',
  data: { electionId: 'e1', partnerId, occurredAt },
});
const ballot = (
  voterId: string,
  candidateId: string,
  ballotId = `b-${voterId}`,
  occurredAt = '2014-01-20T00:00:00.000Z',
): ElectionEvent[] => [
  { type: 'VoterMarked', data: { electionId: 'e1', voterId, occurredAt } },
  { type: 'BallotCast', data: { electionId: 'e1', ballotId, candidateId, occurredAt } },
];
const closedAt = '2014-01-31T00:00:00.000Z';

const open = (overrides: Partial<CoChairElectionOpened['data']> = {}): ElectionCommand => ({
  type: 'OpenCoChairElection',
  data: { ...opened.data, ...overrides },
});
const nominate = (partnerId: string, occurredAt = '2014-01-07T00:00:00.000Z'): ElectionCommand => ({
  type: 'NominateCandidate',
  data: { electionId: 'e1', partnerId, occurredAt },
});
const cast = (
  voterId: string,
  candidateId: string,
  ballotId = `b-${voterId}`,
  occurredAt = '2014-01-20T00:00:00.000Z',
): ElectionCommand => ({
  type: 'CastBallot',
  data: { electionId: 'e1', ballotId, voterId, candidateId, occurredAt },
});
const close = (occurredAt = closedAt): ElectionCommand => ({
  type: 'CloseElection',
  data: { electionId: 'e1', occurredAt },
});

const withCandidates = [opened, candidate('p1'), candidate('p2')];

describe('election decider', () => {
  it('names the election stream from the command', () => {
    expect(electionCommandStream(close())).toBe('election-e1');
  });

  describe('OpenCoChairElection', () => {
    it('opens an election for a co-chair constituency, backdated', () => {
      spec.given([]).when(open()).then([opened]);
    });
    it('refuses an existing election', () => {
      spec.given([opened]).when(open()).thenThrows('election_exists');
    });
    it('refuses a future date', () => {
      spec
        .given([])
        .when(open({ occurredAt: '2016-06-01T00:00:00.000Z' }))
        .thenThrows('occurred_in_future');
    });
    it('refuses an unknown group', () => {
      spec.given([]).when(open(), { group: null }).thenThrows('group_not_found');
    });
    it('refuses a dissolved group', () => {
      spec
        .given([])
        .when(open(), {
          group: { ...group, status: 'dissolved', dissolvedAt: '2013-12-01T00:00:00.000Z' },
        })
        .thenThrows('group_dissolved');
    });
    it('refuses an election before the group was established', () => {
      spec
        .given([])
        .when(open({ occurredAt: '2013-08-01T00:00:00.000Z' }))
        .thenThrows('opened_before_group_established');
    });
    it('refuses a constituency that has no co-chair on the group', () => {
      spec
        .given([])
        .when(open({ constituency: 'provider' }))
        .thenThrows('constituency_has_no_co_chair');
    });
    it('refuses an empty electorate', () => {
      spec
        .given([])
        .when(open({ electorate: [] }))
        .thenThrows('empty_electorate');
    });
    it('refuses an elector listed twice', () => {
      spec
        .given([])
        .when(open({ electorate: ['p1', 'p1'] }))
        .thenThrows('duplicate_elector');
    });
  });

  describe('NominateCandidate', () => {
    it('nominates an elector', () => {
      spec
        .given([opened])
        .when(nominate('p1'))
        .then([candidate('p1')]);
    });
    it('refuses an unknown election', () => {
      spec.given([]).when(nominate('p1')).thenThrows('election_not_found');
    });
    it('refuses a closed election', () => {
      const closed: ElectionEvent = {
        type: 'ElectionClosed',
        data: {
          electionId: 'e1',
          groupId: 'g1',
          constituency: 'lay',
          tally: {},
          turnout: 0,
          outcome: 'no-candidates',
          electedPartnerId: null,
          occurredAt: closedAt,
        },
      };
      spec
        .given([opened, closed])
        .when(nominate('p1', '2014-02-01T00:00:00.000Z'))
        .thenThrows('election_not_open');
    });
    it('refuses nominations dated after voting began', () => {
      spec
        .given([...withCandidates, ...ballot('p3', 'p1')])
        .when(nominate('p4', '2014-01-21T00:00:00.000Z'))
        .thenThrows('nominations_closed');
    });
    it('refuses a candidate outside the electorate', () => {
      spec.given([opened]).when(nominate('p9')).thenThrows('candidate_not_in_electorate');
    });
    it('refuses a candidate nominated twice', () => {
      spec.given(withCandidates).when(nominate('p1')).thenThrows('candidate_already_nominated');
    });
    it('refuses a nomination before the election opened', () => {
      spec
        .given([opened])
        .when(nominate('p1', '2014-01-01T00:00:00.000Z'))
        .thenThrows('nominated_before_opened');
    });
  });

  describe('CastBallot', () => {
    it('records who voted and, separately, the choice', () => {
      spec.given(withCandidates).when(cast('p3', 'p1')).then(ballot('p3', 'p1'));
    });
    it('never puts the voter and the choice in one event', () => {
      const events = electionDecider.decide(
        cast('p3', 'p1'),
        fold(electionDecider, withCandidates),
        { now: NOW },
      );
      for (const event of events) {
        const data: Record<string, unknown> = { ...event.data };
        const namesVoter = Object.values(data).includes('p3');
        const namesChoice = Object.values(data).includes('p1');
        expect(namesVoter && namesChoice).toBe(false);
      }
      const choice = events.find((e) => e.type === 'BallotCast');
      expect(choice && Object.keys(choice.data).sort()).toEqual([
        'ballotId',
        'candidateId',
        'electionId',
        'occurredAt',
      ]);
    });
    it('lets a candidate vote', () => {
      spec.given(withCandidates).when(cast('p1', 'p1')).then(ballot('p1', 'p1'));
    });
    it('refuses an unknown election', () => {
      spec.given([]).when(cast('p3', 'p1')).thenThrows('election_not_found');
    });
    it('refuses a voter outside the electorate', () => {
      spec.given(withCandidates).when(cast('p9', 'p1')).thenThrows('not_an_elector');
    });
    it('refuses a second ballot from one elector', () => {
      spec
        .given([...withCandidates, ...ballot('p3', 'p1')])
        .when(cast('p3', 'p2', 'b-other'))
        .thenThrows('already_voted');
    });
    it('refuses a ballot id already used', () => {
      spec
        .given([...withCandidates, ...ballot('p3', 'p1', 'b1')])
        .when(cast('p4', 'p1', 'b1'))
        .thenThrows('ballot_exists');
    });
    it('refuses a vote for someone who is not a candidate', () => {
      spec.given(withCandidates).when(cast('p3', 'p4')).thenThrows('not_a_candidate');
    });
    it('refuses a vote before the candidate was nominated', () => {
      spec
        .given(withCandidates)
        .when(cast('p3', 'p1', 'b1', '2014-01-06T12:00:00.000Z'))
        .thenThrows('voted_before_candidate_nominated');
    });
    it('refuses a future ballot', () => {
      spec
        .given(withCandidates)
        .when(cast('p3', 'p1', 'b1', '2016-01-02T00:00:00.000Z'))
        .thenThrows('occurred_in_future');
    });
  });

  describe('CloseElection', () => {
    const closed = (
      tally: Record<string, number>,
      turnout: number,
      outcome: 'elected' | 'tied' | 'no-candidates',
      electedPartnerId: string | null,
    ): ElectionEvent => ({
      type: 'ElectionClosed',
      data: {
        electionId: 'e1',
        groupId: 'g1',
        constituency: 'lay',
        tally,
        turnout,
        outcome,
        electedPartnerId,
        occurredAt: closedAt,
      },
    });
    it('elects the candidate with most votes', () => {
      spec
        .given([
          ...withCandidates,
          ...ballot('p1', 'p1'),
          ...ballot('p3', 'p1'),
          ...ballot('p4', 'p2'),
        ])
        .when(close())
        .then([closed({ p1: 2, p2: 1 }, 3, 'elected', 'p1')]);
    });
    it('declares a tie at the top', () => {
      spec
        .given([...withCandidates, ...ballot('p3', 'p1'), ...ballot('p4', 'p2')])
        .when(close())
        .then([closed({ p1: 1, p2: 1 }, 2, 'tied', null)]);
    });
    it('elects a sole candidate unopposed', () => {
      spec
        .given([opened, candidate('p1')])
        .when(close())
        .then([closed({ p1: 0 }, 0, 'elected', 'p1')]);
    });
    it('closes with no candidates', () => {
      spec
        .given([opened])
        .when(close())
        .then([closed({}, 0, 'no-candidates', null)]);
    });
    it('refuses closing twice', () => {
      spec
        .given([opened, closed({}, 0, 'no-candidates', null)])
        .when(close('2014-02-01T00:00:00.000Z'))
        .thenThrows('election_not_open');
    });
    it('refuses closing before the last ballot', () => {
      spec
        .given([...withCandidates, ...ballot('p3', 'p1')])
        .when(close('2014-01-19T00:00:00.000Z'))
        .thenThrows('closed_before_last_activity');
    });
    it('refuses an unknown election', () => {
      spec.given([]).when(close()).thenThrows('election_not_found');
    });
  });

  describe('electionResult', () => {
    it('is null for an unknown election', () => {
      expect(electionResult(fold(electionDecider, []))).toBeNull();
    });
    it('carries the outcome for the group', () => {
      const state = fold(electionDecider, [
        ...withCandidates,
        ...ballot('p3', 'p2'),
        {
          type: 'ElectionClosed',
          data: {
            electionId: 'e1',
            groupId: 'g1',
            constituency: 'lay',
            tally: { p1: 0, p2: 1 },
            turnout: 1,
            outcome: 'elected',
            electedPartnerId: 'p2',
            occurredAt: closedAt,
          },
        },
      ]);
      expect(electionResult(state)).toEqual({
        electionId: 'e1',
        groupId: 'g1',
        constituency: 'lay',
        status: 'closed',
        outcome: 'elected',
        electedPartnerId: 'p2',
        closedAt,
      });
    });
  });

  describe('at every instant: steps in order in business time', () => {
    const refusal = (events: ElectionEvent[], command: ElectionCommand, context = {}) => {
      try {
        electionDecider.decide(command, fold(electionDecider, events), {
          now: NOW,
          group,
          ...context,
        });
      } catch (error) {
        return error as DomainError;
      }
      throw new Error('expected a refusal');
    };
    const voted = [...withCandidates, ...ballot('p3', 'p1')];

    it('accepts a candidate recorded late, dated before the first ballot', () => {
      spec
        .given(voted)
        .when(nominate('p4', '2014-01-19T00:00:00.000Z'))
        .then([candidate('p4', '2014-01-19T00:00:00.000Z')]);
    });
    it('refuses a candidate dated after the first ballot, naming it', () => {
      const error = refusal(voted, nominate('p4', '2014-01-25T00:00:00.000Z'));
      expect(error.code).toBe('nominations_closed');
      expect(error.details).toEqual({
        electionId: 'e1',
        firstBallotAt: '2014-01-20T00:00:00.000Z',
        occurredAt: '2014-01-25T00:00:00.000Z',
      });
    });
    it('closes nominations at the earliest ballot, not the first recorded', () => {
      const backdated = [...voted, ...ballot('p4', 'p2', 'b-p4', '2014-01-10T00:00:00.000Z')];
      expect(refusal(backdated, nominate('p3', '2014-01-15T00:00:00.000Z')).code).toBe(
        'nominations_closed',
      );
    });
    it('accepts a ballot recorded late, dated after every nomination', () => {
      spec
        .given(voted)
        .when(cast('p4', 'p2', 'b-p4', '2014-01-08T00:00:00.000Z'))
        .then(ballot('p4', 'p2', 'b-p4', '2014-01-08T00:00:00.000Z'));
    });
    it('refuses a ballot dated before the candidate it votes for', () => {
      const error = refusal(withCandidates, cast('p3', 'p1', 'b-p3', '2014-01-06T12:00:00.000Z'));
      expect(error.code).toBe('voted_before_candidate_nominated');
      expect(error.details).toMatchObject({
        candidateId: 'p1',
        dependsOn: '2014-01-07T00:00:00.000Z',
      });
    });
    it('refuses a ballot dated before another candidate’s nomination', () => {
      const given = [opened, candidate('p1'), candidate('p2', '2014-01-15T00:00:00.000Z')];
      const error = refusal(given, cast('p3', 'p1', 'b-p3', '2014-01-10T00:00:00.000Z'));
      expect(error.code).toBe('voted_before_last_nomination');
      expect(error.details).toEqual({
        electionId: 'e1',
        nominatedCandidateId: 'p2',
        occurredAt: '2014-01-10T00:00:00.000Z',
        dependsOn: '2014-01-15T00:00:00.000Z',
      });
    });
    it('refuses a ballot recorded after the close, whatever its date', () => {
      const closed = fold(electionDecider, voted);
      expect(closed.firstBallotAt).toBe('2014-01-20T00:00:00.000Z');
      const error = refusal(
        [
          ...voted,
          {
            type: 'ElectionClosed',
            data: {
              electionId: 'e1',
              groupId: 'g1',
              constituency: 'lay',
              tally: { p1: 1, p2: 0 },
              turnout: 1,
              outcome: 'elected',
              electedPartnerId: 'p1',
              occurredAt: closedAt,
            },
          },
        ],
        cast('p4', 'p2', 'b-p4', '2014-01-21T00:00:00.000Z'),
      );
      expect(error.code).toBe('election_not_open');
      expect(error.details).toMatchObject({ closedAt });
    });
    it('refuses a close dated before the last ballot', () => {
      const error = refusal(voted, close('2014-01-19T00:00:00.000Z'));
      expect(error.code).toBe('closed_before_last_activity');
      expect(error.details).toMatchObject({ dependsOn: '2014-01-20T00:00:00.000Z' });
    });

    describe('nothing dated on or after the group’s dissolution', () => {
      const dissolved: GroupStanding = {
        ...group,
        status: 'dissolved',
        dissolvedAt: '2014-01-25T00:00:00.000Z',
      };
      it('accepts a ballot dated before the dissolution, recorded after it', () => {
        spec
          .given(withCandidates)
          .when(cast('p3', 'p1'), { group: dissolved })
          .then(ballot('p3', 'p1'));
      });
      it('refuses a ballot dated after the dissolution, naming it', () => {
        const error = refusal(
          withCandidates,
          cast('p3', 'p1', 'b-p3', '2014-01-26T00:00:00.000Z'),
          {
            group: dissolved,
          },
        );
        expect(error.code).toBe('group_dissolved');
        expect(error.details).toEqual({
          groupId: 'g1',
          dissolvedAt: '2014-01-25T00:00:00.000Z',
          occurredAt: '2014-01-26T00:00:00.000Z',
        });
      });
      it('accepts a candidate before it and refuses one after it', () => {
        spec
          .given([opened])
          .when(nominate('p1'), { group: dissolved })
          .then([candidate('p1')]);
        expect(
          refusal([opened], nominate('p1', '2014-01-25T00:00:00.000Z'), { group: dissolved }).code,
        ).toBe('group_dissolved');
      });
      it('accepts a close before it and refuses one on or after it', () => {
        expect(
          electionDecider.decide(close('2014-01-24T00:00:00.000Z'), fold(electionDecider, voted), {
            now: NOW,
            group: dissolved,
          })[0]?.type,
        ).toBe('ElectionClosed');
        expect(refusal(voted, close(), { group: dissolved }).code).toBe('group_dissolved');
      });
      it('refuses opening an election dated after the dissolution, naming it', () => {
        const error = refusal([], open({ occurredAt: '2014-02-01T00:00:00.000Z' }), {
          group: dissolved,
        });
        expect(error.code).toBe('group_dissolved');
        expect(error.details).toMatchObject({ dissolvedAt: '2014-01-25T00:00:00.000Z' });
      });
    });
  });
});
