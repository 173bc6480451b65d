import type { CommandDeclarations, Within } from '../core/command-declaration.js';
import type { ElectionCommand } from './election.decider.js';
import type { ElectionEvent } from './election.events.js';

/** Every command but OpenCoChairElection names an election still open. */
/** Every step after opening: an open election whose group was not dissolved by then. */
const onOpenElection = {
  election_not_found: 'not_found',
  election_not_open: 'rule',
  group_dissolved: 'rule',
} as const;

/** The election stream's commands: events and error codes (see core/command-declaration.ts). */
export const electionCommands = {
  OpenCoChairElection: {
    events: ['CoChairElectionOpened'],
    errors: {
      election_exists: 'conflict',
      group_not_found: 'not_found',
      group_dissolved: 'rule',
      opened_before_group_established: 'rule',
      constituency_has_no_co_chair: 'rule',
      empty_electorate: 'rule',
      duplicate_elector: 'rule',
    },
  },
  NominateCandidate: {
    events: ['CandidateNominated'],
    errors: {
      ...onOpenElection,
      nominations_closed: 'rule',
      candidate_not_in_electorate: 'rule',
      candidate_already_nominated: 'rule',
      nominated_before_opened: 'rule',
    },
  },
  CastBallot: {
    events: ['VoterMarked', 'BallotCast'],
    errors: {
      ...onOpenElection,
      not_an_elector: 'rule',
      already_voted: 'rule',
      ballot_exists: 'conflict',
      not_a_candidate: 'rule',
      voted_before_candidate_nominated: 'rule',
      voted_before_last_nomination: 'rule',
    },
  },
  CloseElection: {
    events: ['ElectionClosed'],
    errors: { ...onOpenElection, closed_before_last_activity: 'rule' },
  },
} as const satisfies CommandDeclarations<ElectionEvent['type']>;

export type ElectionCommandType = keyof typeof electionCommands;

type _EveryElectionCommandDeclared = Within<ElectionCommand['type'], ElectionCommandType>;
type _EveryElectionDeclarationDecided = Within<ElectionCommandType, ElectionCommand['type']>;
type _ElectionDeclaredEvents = (typeof electionCommands)[ElectionCommandType]['events'][number];
type _EveryElectionEventDeclared = Within<ElectionEvent['type'], _ElectionDeclaredEvents>;
