import type { RuleCode } from '../commands.js';
import { assertNotBefore, assertNotInFuture } from '../core/business-time.js';
import type { DecisionContext, Decider, Message } from '../core/decider.js';
import { conflict, notFound, rule } from '../core/domain-error.js';
import { groupStream } from '../core/streams.js';
import type { ElectionResult, FeedbackStanding, PartnerStanding } from '../facts/index.js';
import type { Constituency } from '../shared/vocabulary.js';
import {
  evolveGroup,
  initialGroupState,
  occupiedSeats,
  seatsHeldAt,
  type GroupEvent,
  type GroupState,
  type Seat,
  type GroupEstablished,
  type SeatAllocated,
  type MeetingHeld,
  type GroupDissolved,
} from './group.events.js';

export type EstablishGroup = Message<'EstablishGroup', GroupEstablished['data']>;

export type AllocateSeat = Message<'AllocateSeat', SeatAllocated['data']>;

export type VacateSeat = Message<
  'VacateSeat',
  { groupId: string; seatId: string; reason: string; occurredAt: string }
>;

export type AppointCoChair = Message<
  'AppointCoChair',
  { groupId: string; partnerId: string; constituency: Constituency; occurredAt: string }
>;

/** Installs the winner of a closed CoChairElection; partner and constituency come from the election. */
export type RecordCoChairElection = Message<
  'RecordCoChairElection',
  { groupId: string; electionId: string; occurredAt: string }
>;

export type StandDownCoChair = Message<
  'StandDownCoChair',
  { groupId: string; partnerId: string; reason: string; occurredAt: string }
>;

export type HoldMeeting = Message<'HoldMeeting', MeetingHeld['data']>;

export type RecordDecision = Message<
  'RecordDecision',
  {
    groupId: string;
    decisionId: string;
    summary: string;
    influencedBy: string[];
    layMembersPresent: string[];
    touchstoneVersion: number | null;
    meetingId?: string | null;
    occurredAt: string;
  }
>;

export type DissolveGroup = Message<'DissolveGroup', GroupDissolved['data']>;

export type GroupCommand =
  | EstablishGroup
  | AllocateSeat
  | VacateSeat
  | AppointCoChair
  | RecordCoChairElection
  | StandDownCoChair
  | HoldMeeting
  | RecordDecision
  | DissolveGroup;

export const groupCommandStream = (command: GroupCommand): string =>
  groupStream(command.data.groupId);

/** Facts from other streams that group decisions depend on; the handler loads them. */
export interface GroupContext extends DecisionContext {
  /** The parent group named by EstablishGroup, if any. */
  parent?: { status: GroupState['status']; establishedAt: string | null } | null;
  /** The partner named by AllocateSeat. */
  partner?: PartnerStanding | null;
  /** The election named by RecordCoChairElection. */
  election?: ElectionResult | null;
  /** The feedback named in RecordDecision's `influencedBy` (missing ids are unknown feedback). */
  feedback?: readonly FeedbackStanding[];
}

export function decideGroup(
  command: GroupCommand,
  state: GroupState,
  context: GroupContext,
): GroupEvent[] {
  assertNotInFuture(command.data.occurredAt, context.now);
  if (command.type === 'EstablishGroup') return establish(command, state, context);

  const { groupId } = command.data;
  if (state.status === 'unknown' || state.establishedAt === null) {
    throw notFound('group_not_found', `Group ${groupId} does not exist`, { groupId });
  }
  if (state.status === 'dissolved') {
    throw rule('group_dissolved', `Group ${groupId} has been dissolved`, { groupId });
  }
  switch (command.type) {
    case 'AllocateSeat':
      return allocateSeat(command, state, state.establishedAt, context);
    case 'VacateSeat':
      return vacateSeat(command, state);
    case 'AppointCoChair': {
      const { partnerId, constituency, occurredAt } = command.data;
      const seat = coChairSeat(state, partnerId, constituency, occurredAt);
      return [
        {
          type: 'CoChairAppointed',
          data: { groupId, partnerId, constituency, seatId: seat.seatId, occurredAt },
        },
      ];
    }
    case 'RecordCoChairElection':
      return recordElection(command, state, context);
    case 'StandDownCoChair': {
      const { partnerId, reason, occurredAt } = command.data;
      const coChair = state.coChairs.find((c) => c.partnerId === partnerId);
      if (!coChair) {
        throw notFound(
          'co_chair_not_found',
          `Partner ${partnerId} is not a co-chair of ${groupId}`,
          {
            partnerId,
          },
        );
      }
      assertNotBefore(
        occurredAt,
        coChair.since,
        'stood_down_before_appointed',
        'the co-chair was appointed',
      );
      return [
        {
          type: 'CoChairStoodDown',
          data: { groupId, partnerId, constituency: coChair.constituency, reason, occurredAt },
        },
      ];
    }
    case 'HoldMeeting':
      return holdMeeting(command, state, state.establishedAt);
    case 'RecordDecision':
      return recordDecision(command, state, state.establishedAt, context);
    case 'DissolveGroup':
      return dissolve(command, state);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function establish(
  { data }: EstablishGroup,
  state: GroupState,
  { parent }: GroupContext,
): GroupEvent[] {
  if (state.status !== 'unknown') {
    throw conflict('group_exists', `Group ${data.groupId} already exists`, {
      groupId: data.groupId,
    });
  }
  if (data.laySeats.min < 0 || data.laySeats.max < data.laySeats.min) {
    throw rule('invalid_lay_seats', 'Lay seats need 0 ≤ min ≤ max', { laySeats: data.laySeats });
  }
  if (new Set(data.coChairConstituencies).size !== data.coChairConstituencies.length) {
    throw rule(
      'duplicate_co_chair_constituency',
      'Each constituency provides at most one co-chair',
      {
        coChairConstituencies: data.coChairConstituencies,
      },
    );
  }
  if (data.parentGroupId !== null) {
    if (data.parentGroupId === data.groupId) {
      throw rule('group_own_parent', 'A group cannot be its own parent');
    }
    if (!parent || parent.status === 'unknown' || parent.establishedAt === null) {
      throw notFound(
        'parent_group_not_found',
        `Parent group ${data.parentGroupId} does not exist`,
        {
          parentGroupId: data.parentGroupId,
        },
      );
    }
    if (parent.status === 'dissolved') {
      throw rule(
        'parent_group_dissolved',
        `Parent group ${data.parentGroupId} has been dissolved`,
        {
          parentGroupId: data.parentGroupId,
        },
      );
    }
    assertNotBefore(
      data.occurredAt,
      parent.establishedAt,
      'established_before_parent',
      'the parent group',
    );
  }
  return [{ type: 'GroupEstablished', data: { ...data } }];
}

function allocateSeat(
  { data }: AllocateSeat,
  state: GroupState,
  establishedAt: string,
  { partner }: GroupContext,
): GroupEvent[] {
  const { groupId, seatId, partnerId, constituency, occurredAt } = data;
  if (state.seats[seatId]) {
    throw conflict('seat_exists', `Seat ${seatId} already exists on group ${groupId}`, { seatId });
  }
  if (!partner) {
    throw notFound('partner_not_found', `Partner ${partnerId} does not exist`, { partnerId });
  }
  if (partner.status === 'withdrawn') {
    throw rule('partner_withdrawn', `Partner ${partnerId} has withdrawn`, { partnerId });
  }
  assertNotBefore(
    occurredAt,
    establishedAt,
    'allocated_before_group_established',
    'the group was established',
  );
  // Seats represent constituencies: lay partners sit only in lay seats, professionals only in
  // seats of the constituency they registered with.
  if (constituency === 'lay' && partner.kind === 'professional') {
    throw rule('professional_cannot_take_lay_seat', `Partner ${partnerId} is a professional`, {
      partnerId,
    });
  }
  if (constituency !== 'lay' && partner.kind === 'lay') {
    throw rule('lay_partner_lay_seat_only', `Lay partner ${partnerId} can only take a lay seat`, {
      partnerId,
      constituency,
    });
  }
  if (constituency !== 'lay' && constituency !== partner.constituency) {
    throw rule('constituency_mismatch', `Partner ${partnerId} represents ${partner.constituency}`, {
      partnerId,
      constituency,
      represents: partner.constituency,
    });
  }
  assertNotBefore(
    occurredAt,
    partner.joinedAt,
    'allocated_before_partner_joined',
    'the partner joined',
  );
  if (constituency === 'lay') {
    if (partner.status !== 'appointed' || partner.appointedAt === null) {
      throw rule('partner_not_appointed', `Partner ${partnerId} is not an appointed lay partner`, {
        partnerId,
      });
    }
    assertNotBefore(
      occurredAt,
      partner.appointedAt,
      'allocated_before_appointment',
      'the appointment',
    );
  }
  const occupied = occupiedSeats(state);
  const held = occupied.find((seat) => seat.partnerId === partnerId);
  if (held) {
    throw rule(
      'already_seated',
      `Partner ${partnerId} already holds seat ${held.seatId} on ${groupId}`,
      {
        partnerId,
        seatId: held.seatId,
      },
    );
  }
  const lay = occupied.filter((seat) => seat.constituency === 'lay').length;
  if (constituency === 'lay' && lay >= state.laySeats.max) {
    throw rule(
      'lay_seats_full',
      `Group ${groupId} already has its maximum of ${state.laySeats.max} lay seats`,
      {
        max: state.laySeats.max,
      },
    );
  }
  return [{ type: 'SeatAllocated', data: { ...data } }];
}

function vacateSeat({ data }: VacateSeat, state: GroupState): GroupEvent[] {
  const { groupId, seatId, reason, occurredAt } = data;
  const seat = state.seats[seatId];
  if (!seat) {
    throw notFound('seat_not_found', `Seat ${seatId} does not exist on group ${groupId}`, {
      seatId,
    });
  }
  if (seat.vacatedAt !== null) {
    throw rule('seat_already_vacated', `Seat ${seatId} was vacated on ${seat.vacatedAt}`, {
      seatId,
    });
  }
  assertNotBefore(
    occurredAt,
    seat.allocatedAt,
    'vacated_before_allocated',
    'the seat was allocated',
  );
  // A co-chair always holds a seat: losing the seat ends the co-chair role first.
  const coChair = state.coChairs.find((c) => c.seatId === seatId);
  if (coChair) {
    assertNotBefore(
      occurredAt,
      coChair.since,
      'stood_down_before_appointed',
      'the co-chair was appointed',
    );
  }
  return [
    ...(coChair ? [standDown(groupId, coChair, 'seat-vacated', occurredAt)] : []),
    {
      type: 'SeatVacated',
      data: { groupId, seatId, partnerId: seat.partnerId, reason, occurredAt },
    },
  ];
}

function standDown(
  groupId: string,
  coChair: GroupState['coChairs'][number],
  reason: string,
  occurredAt: string,
): GroupEvent {
  const { partnerId, constituency } = coChair;
  return {
    type: 'CoChairStoodDown',
    data: { groupId, partnerId, constituency, reason, occurredAt },
  };
}

/** The rules every co-chair, appointed or elected, must meet; returns the seat they hold. */
function coChairSeat(
  state: GroupState,
  partnerId: string,
  constituency: Constituency,
  occurredAt: string,
): Seat {
  if (!state.coChairConstituencies.includes(constituency)) {
    throw rule('constituency_has_no_co_chair', `This group has no ${constituency} co-chair`, {
      constituency,
      coChairConstituencies: state.coChairConstituencies,
    });
  }
  if (state.coChairs.some((c) => c.partnerId === partnerId)) {
    throw rule('already_co_chair', `Partner ${partnerId} is already a co-chair`, { partnerId });
  }
  const incumbent = state.coChairs.find((c) => c.constituency === constituency);
  if (incumbent) {
    throw rule(
      'co_chair_constituency_taken',
      `Partner ${incumbent.partnerId} is the ${constituency} co-chair`,
      {
        constituency,
        incumbent: incumbent.partnerId,
      },
    );
  }
  const seat = occupiedSeats(state).find((s) => s.partnerId === partnerId);
  if (!seat) {
    throw rule('co_chair_not_seated', `Partner ${partnerId} holds no seat on this group`, {
      partnerId,
    });
  }
  if (seat.constituency !== constituency) {
    throw rule(
      'co_chair_seat_constituency_mismatch',
      `Partner ${partnerId} holds a ${seat.constituency} seat`,
      {
        partnerId,
        constituency,
        seatConstituency: seat.constituency,
      },
    );
  }
  assertNotBefore(
    occurredAt,
    seat.allocatedAt,
    'co_chair_before_seat_allocated',
    'the seat was allocated',
  );
  for (const predecessor of state.pastCoChairs.filter((c) => c.constituency === constituency)) {
    assertNotBefore(
      occurredAt,
      predecessor.stoodDownAt,
      'co_chair_before_predecessor_stood_down',
      'the previous co-chair stood down',
    );
  }
  return seat;
}

function recordElection(
  { data }: RecordCoChairElection,
  state: GroupState,
  { election }: GroupContext,
): GroupEvent[] {
  const { groupId, electionId, occurredAt } = data;
  if (!election || election.electionId !== electionId) {
    throw notFound('election_not_found', `Election ${electionId} does not exist`, { electionId });
  }
  if (election.groupId !== groupId) {
    throw rule(
      'election_for_other_group',
      `Election ${electionId} is for group ${election.groupId}`,
      {
        electionId,
      },
    );
  }
  if (state.installedElections.includes(electionId)) {
    throw conflict('election_already_recorded', `Election ${electionId} is already recorded`, {
      electionId,
    });
  }
  if (election.status !== 'closed' || election.closedAt === null) {
    throw rule('election_not_closed', `Election ${electionId} is still open`, { electionId });
  }
  if (election.outcome !== 'elected' || election.electedPartnerId === null) {
    throw rule('election_not_decided', `Election ${electionId} ended ${election.outcome}`, {
      electionId,
      outcome: election.outcome,
    });
  }
  assertNotBefore(
    occurredAt,
    election.closedAt,
    'elected_before_election_closed',
    'the election closed',
  );
  const { electedPartnerId: partnerId, constituency } = election;
  const seat = coChairSeat(state, partnerId, constituency, occurredAt);
  return [
    {
      type: 'CoChairElected',
      data: { groupId, electionId, partnerId, constituency, seatId: seat.seatId, occurredAt },
    },
  ];
}

function holdMeeting(
  { data }: HoldMeeting,
  state: GroupState,
  establishedAt: string,
): GroupEvent[] {
  const { meetingId, attendees, apologies, durationMinutes, occurredAt } = data;
  if (state.meetings[meetingId]) {
    throw conflict('meeting_exists', `Meeting ${meetingId} is already recorded`, { meetingId });
  }
  if (!Number.isSafeInteger(durationMinutes) || durationMinutes <= 0) {
    throw rule('invalid_duration', 'durationMinutes must be a whole number above zero', {
      durationMinutes,
    });
  }
  if (attendees.length === 0) {
    throw rule('no_attendees', 'A meeting needs at least one attendee', { meetingId });
  }
  assertUnique([...attendees, ...apologies], 'duplicate_attendance', 'attendees and apologies');
  assertNotBefore(
    occurredAt,
    establishedAt,
    'meeting_before_group_established',
    'the group was established',
  );
  // Attendance is checked against seats held on the meeting's date, so backdated meetings work.
  const seated = new Set(seatsHeldAt(state, occurredAt).map((seat) => seat.partnerId));
  const strangers = [...attendees, ...apologies].filter((id) => !seated.has(id));
  if (strangers.length > 0) {
    throw rule(
      'attendee_not_seated',
      'Attendees and apologies must hold a seat on the meeting date',
      {
        partnerIds: strangers,
      },
    );
  }
  return [
    {
      type: 'MeetingHeld',
      data: { ...data, attendees: [...attendees], apologies: [...apologies] },
    },
  ];
}

function recordDecision(
  { data }: RecordDecision,
  state: GroupState,
  establishedAt: string,
  { feedback = [] }: GroupContext,
): GroupEvent[] {
  const {
    groupId,
    decisionId,
    summary,
    influencedBy,
    layMembersPresent,
    touchstoneVersion,
    occurredAt,
  } = data;
  const meetingId = data.meetingId ?? null;
  if (state.decisions[decisionId]) {
    throw conflict('decision_exists', `Decision ${decisionId} is already recorded`, { decisionId });
  }
  if (
    touchstoneVersion !== null &&
    (!Number.isSafeInteger(touchstoneVersion) || touchstoneVersion < 1)
  ) {
    throw rule(
      'invalid_touchstone_version',
      'touchstoneVersion is a version number from 1, or null',
      {
        touchstoneVersion,
      },
    );
  }
  assertUnique(influencedBy, 'duplicate_reference', 'influencedBy');
  assertUnique(layMembersPresent, 'duplicate_reference', 'layMembersPresent');
  assertNotBefore(
    occurredAt,
    establishedAt,
    'decided_before_group_established',
    'the group was established',
  );
  const laySeated = new Set(
    seatsHeldAt(state, occurredAt)
      .filter((seat) => seat.constituency === 'lay')
      .map((seat) => seat.partnerId),
  );
  const notLay = layMembersPresent.filter((id) => !laySeated.has(id));
  if (notLay.length > 0) {
    throw rule('not_a_lay_member', 'layMembersPresent must hold lay seats on the decision date', {
      partnerIds: notLay,
    });
  }
  if (meetingId !== null) {
    const meeting = state.meetings[meetingId];
    if (!meeting) {
      throw notFound('meeting_not_found', `Meeting ${meetingId} does not exist`, { meetingId });
    }
    assertNotBefore(occurredAt, meeting.heldAt, 'decided_before_meeting', 'the meeting');
    const absent = layMembersPresent.filter((id) => !meeting.attendees.includes(id));
    if (absent.length > 0) {
      throw rule('not_at_meeting', `layMembersPresent must have attended meeting ${meetingId}`, {
        partnerIds: absent,
      });
    }
  }
  for (const feedbackId of influencedBy) {
    const heard = feedback.find((f) => f.feedbackId === feedbackId);
    if (!heard) {
      throw notFound('feedback_not_found', `Feedback ${feedbackId} does not exist`, { feedbackId });
    }
    assertNotBefore(
      occurredAt,
      heard.heardAt,
      'decided_before_feedback_heard',
      `feedback ${feedbackId} was heard`,
    );
  }
  return [
    {
      type: 'DecisionRecorded',
      data: {
        groupId,
        decisionId,
        summary,
        influencedBy: [...influencedBy],
        layMembersPresent: [...layMembersPresent],
        touchstoneVersion,
        meetingId,
        occurredAt,
      },
    },
  ];
}

/** Closes every co-chair role and seat first, so tenures end with the group. */
function dissolve({ data }: DissolveGroup, state: GroupState): GroupEvent[] {
  const { groupId, reason, occurredAt } = data;
  if (state.lastActivityAt !== null) {
    assertNotBefore(
      occurredAt,
      state.lastActivityAt,
      'dissolved_before_last_activity',
      'the group’s last recorded activity',
    );
  }
  return [
    ...state.coChairs.map((c) => standDown(groupId, c, 'group-dissolved', occurredAt)),
    ...occupiedSeats(state).map((seat): GroupEvent => ({
      type: 'SeatVacated',
      data: {
        groupId,
        seatId: seat.seatId,
        partnerId: seat.partnerId,
        reason: 'group-dissolved',
        occurredAt,
      },
    })),
    { type: 'GroupDissolved', data: { groupId, reason, occurredAt } },
  ];
}

function assertUnique(ids: readonly string[], code: RuleCode, what: string): void {
  const duplicates = ids.filter((id, index) => ids.indexOf(id) !== index);
  if (duplicates.length > 0) {
    throw rule(code, `Each id appears once in ${what}`, { duplicates: [...new Set(duplicates)] });
  }
}

export const groupDecider: Decider<GroupCommand, GroupEvent, GroupState, GroupContext> = {
  decide: decideGroup,
  evolve: evolveGroup,
  initialState: initialGroupState,
};
