import type { CommandDeclarations, Within } from '../core/command-declaration.js';
import type { GroupCommand } from './group.decider.js';
import type { GroupEvent } from './group.events.js';

/** Every command but EstablishGroup names an established group that has not been dissolved. */
const onActiveGroup = { group_not_found: 'not_found', group_dissolved: 'rule' } as const;

/** The rules every co-chair, appointed or elected, must meet. */
const coChairRules = {
  constituency_has_no_co_chair: 'rule',
  already_co_chair: 'rule',
  co_chair_constituency_taken: 'rule',
  co_chair_not_seated: 'rule',
  co_chair_seat_constituency_mismatch: 'rule',
  co_chair_before_seat_allocated: 'rule',
  co_chair_term_outlasts_seat: 'rule',
} as const;

/** The group stream's commands: events and error codes (see core/command-declaration.ts). */
export const groupCommands = {
  EstablishGroup: {
    events: ['GroupEstablished'],
    errors: {
      group_exists: 'conflict',
      invalid_lay_seats: 'rule',
      duplicate_co_chair_constituency: 'rule',
      group_own_parent: 'rule',
      parent_group_not_found: 'not_found',
      parent_group_dissolved: 'rule',
      established_before_parent: 'rule',
      programme_not_found: 'not_found',
      programme_required: 'rule',
      programme_mismatch: 'rule',
    },
  },
  AllocateSeat: {
    events: ['SeatAllocated', 'SeatVacated'],
    note: 'the second only for a past term given with `until` (reason `term-ended`)',
    errors: {
      ...onActiveGroup,
      until_not_after_start: 'rule',
      seat_exists: 'conflict',
      partner_not_found: 'not_found',
      partner_withdrawn: 'rule',
      allocated_before_group_established: 'rule',
      professional_cannot_take_lay_seat: 'rule',
      lay_partner_lay_seat_only: 'rule',
      constituency_mismatch: 'rule',
      allocated_before_partner_joined: 'rule',
      partner_not_appointed: 'rule',
      allocated_before_appointment: 'rule',
      already_seated: 'rule',
      lay_seats_full: 'rule',
      programme_mismatch: 'rule',
      unknown_role_level: 'rule',
    },
  },
  VacateSeat: {
    events: ['CoChairStoodDown', 'SeatVacated'],
    note: 'the first only if the holder is co-chair (reason `seat-vacated`)',
    errors: {
      ...onActiveGroup,
      seat_not_found: 'not_found',
      seat_already_vacated: 'rule',
      vacated_before_allocated: 'rule',
      stood_down_before_appointed: 'rule',
      vacated_before_meeting: 'rule',
      vacated_before_decision: 'rule',
      vacated_before_co_chair_term_ended: 'rule',
    },
  },
  AppointCoChair: {
    events: ['CoChairAppointed', 'CoChairStoodDown'],
    note: 'the second only for a past term given with `until` (reason `term-ended`)',
    errors: {
      ...onActiveGroup,
      until_not_after_start: 'rule',
      ...coChairRules,
      unknown_role_level: 'rule',
    },
  },
  RecordCoChairElection: {
    events: ['CoChairElected'],
    errors: {
      ...onActiveGroup,
      election_not_found: 'not_found',
      election_for_other_group: 'rule',
      election_already_recorded: 'conflict',
      election_not_closed: 'rule',
      election_not_decided: 'rule',
      elected_before_election_closed: 'rule',
      ...coChairRules,
    },
  },
  StandDownCoChair: {
    events: ['CoChairStoodDown'],
    errors: {
      ...onActiveGroup,
      co_chair_not_found: 'not_found',
      stood_down_before_appointed: 'rule',
    },
  },
  HoldMeeting: {
    events: ['MeetingHeld'],
    errors: {
      ...onActiveGroup,
      meeting_exists: 'conflict',
      invalid_duration: 'rule',
      no_attendees: 'rule',
      duplicate_attendance: 'rule',
      meeting_before_group_established: 'rule',
      attendee_not_seated: 'rule',
    },
  },
  RecordDecision: {
    events: ['DecisionRecorded'],
    errors: {
      ...onActiveGroup,
      decision_exists: 'conflict',
      invalid_touchstone_version: 'rule',
      duplicate_reference: 'rule',
      decided_before_group_established: 'rule',
      not_a_lay_member: 'rule',
      meeting_not_found: 'not_found',
      decided_before_meeting: 'rule',
      not_at_meeting: 'rule',
      feedback_not_found: 'not_found',
      decided_before_feedback_heard: 'rule',
    },
  },
  DissolveGroup: {
    events: ['CoChairStoodDown', 'SeatVacated', 'GroupDissolved'],
    note: 'one CoChairStoodDown per co-chair and one SeatVacated per occupied seat first (reason `group-dissolved`)',
    errors: { ...onActiveGroup, dissolved_before_last_activity: 'rule' },
  },
} as const satisfies CommandDeclarations<GroupEvent['type']>;

export type GroupCommandType = keyof typeof groupCommands;

type _EveryGroupCommandDeclared = Within<GroupCommand['type'], GroupCommandType>;
type _EveryGroupDeclarationDecided = Within<GroupCommandType, GroupCommand['type']>;
type _GroupDeclaredEvents = (typeof groupCommands)[GroupCommandType]['events'][number];
type _EveryGroupEventDeclared = Within<GroupEvent['type'], _GroupDeclaredEvents>;
