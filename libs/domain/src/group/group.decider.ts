import type { RuleCode } from '../commands.js';
import { assertNotBefore, assertNotInFuture } from '../core/business-time.js';
import type { DecisionContext, Decider, Message } from '../core/decider.js';
import { conflict, notFound, rule } from '../core/domain-error.js';
import { groupStream } from '../core/streams.js';
import {
  resolveProgramme,
  roleLevelInForce,
  type ElectionResult,
  type FeedbackStanding,
  type PartnerStanding,
  type ProgrammeStanding,
  type RoleProfileStanding,
} from '../facts/index.js';
import type { Constituency, RoleLevel } from '../shared/vocabulary.js';
import {
  currentCoChairs,
  evolveGroup,
  initialGroupState,
  instant,
  occupiedSeats,
  overlaps,
  seatOfPartnerAt,
  type CoChairTerm,
  type GroupEvent,
  type GroupState,
  type Seat,
  type GroupEstablished,
  type SeatAllocated,
  type MeetingHeld,
  type GroupDissolved,
} from './group.events.js';

/**
 * Without `programmeId`, a sub-group joins its parent's programme and a
 * top-level group the ledger's only programme (see `resolveProgramme`).
 */
export type EstablishGroup = Message<
  'EstablishGroup',
  Omit<GroupEstablished['data'], 'programmeId'> & { programmeId?: string | null }
>;

/** Reason recorded on the end of a past term given with `until`. */
export const TERM_ENDED = 'term-ended';

export type AllocateSeat = Message<
  'AllocateSeat',
  Omit<SeatAllocated['data'], 'roleLevel'> & {
    /** The role level of the seat; unnamed, the programme's only level in force (see roleLevelInForce). */
    roleLevel?: RoleLevel | null;
    /**
     * For a past term (paper records): the seat was vacated on this date. The
     * allocation and its end are recorded together, under the same rules.
     */
    until?: string | null;
  }
>;

export type VacateSeat = Message<
  'VacateSeat',
  { groupId: string; seatId: string; reason: string; occurredAt: string }
>;

export type AppointCoChair = Message<
  'AppointCoChair',
  {
    groupId: string;
    partnerId: string;
    constituency: Constituency;
    /** The role level of the term; unnamed, the programme's only level in force (see roleLevelInForce). */
    roleLevel?: RoleLevel | null;
    occurredAt: string;
    /** For a past term: the co-chair stood down on this date (reason `term-ended`). */
    until?: string | null;
  }
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
  parent?: {
    status: GroupState['status'];
    establishedAt: string | null;
    programmeId?: string | null;
  } | null;
  /**
   * For EstablishGroup: the programme named, if it exists, or, when none is
   * named, every programme of the ledger.
   */
  programmes?: readonly ProgrammeStanding[];
  /** The partner named by AllocateSeat. */
  partner?: PartnerStanding | null;
  /** For AllocateSeat, AppointCoChair and RecordCoChairElection: the role profiles of the group's programme. */
  roleProfiles?: readonly RoleProfileStanding[];
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
  // A dissolved group still takes late paper records dated before its dissolution (meetings,
  // decisions, past terms ending by then); nothing that would run on past it.
  if (
    state.dissolvedAt !== null &&
    (command.type === 'VacateSeat' ||
      command.type === 'StandDownCoChair' ||
      command.type === 'RecordCoChairElection' ||
      command.type === 'DissolveGroup')
  ) {
    throw groupDissolved(groupId, state.dissolvedAt);
  }
  switch (command.type) {
    case 'AllocateSeat':
      return allocateSeat(command, state, state.establishedAt, context);
    case 'VacateSeat':
      return vacateSeat(command, state);
    case 'AppointCoChair': {
      const { partnerId, constituency, occurredAt } = command.data;
      const until = command.data.until ?? null;
      assertTermEnd(occurredAt, until, context.now);
      const seat = coChairSeat(state, partnerId, constituency, occurredAt, until);
      const roleLevel = termRoleLevel(
        command.data.roleLevel,
        constituency,
        context.roleProfiles,
        occurredAt,
      );
      const appointed: GroupEvent = {
        type: 'CoChairAppointed',
        data: {
          groupId,
          partnerId,
          constituency,
          seatId: seat.seatId,
          ...(roleLevel !== undefined ? { roleLevel } : {}),
          occurredAt,
        },
      };
      return until === null
        ? [appointed]
        : [appointed, standDown(groupId, { partnerId, constituency }, TERM_ENDED, until)];
    }
    case 'RecordCoChairElection':
      return recordElection(command, state, context);
    case 'StandDownCoChair': {
      const { partnerId, reason, occurredAt } = command.data;
      const coChair = currentCoChairs(state).find((c) => c.partnerId === partnerId);
      if (!coChair) {
        throw notFound(
          'co_chair_not_found',
          `Partner ${partnerId} is not a co-chair of ${groupId}`,
          {
            partnerId,
          },
        );
      }
      // Shortening a term breaks no rule: nothing recorded depends on who co-chaired.
      assertNotBefore(
        occurredAt,
        coChair.since,
        'stood_down_before_appointed',
        'the co-chair was appointed',
      );
      return [standDown(groupId, coChair, reason, occurredAt)];
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

const groupDissolved = (groupId: string, dissolvedAt: string) =>
  rule('group_dissolved', `Group ${groupId} was dissolved on ${dissolvedAt}`, {
    groupId,
    dissolvedAt,
  });

/** A fact over [from, until) must fall within the group's life, which ends at its dissolution. */
function assertBeforeDissolution(
  state: GroupState,
  groupId: string,
  from: string,
  until: string | null,
): void {
  if (state.dissolvedAt === null) return;
  const dissolved = Date.parse(state.dissolvedAt);
  if (Date.parse(from) >= dissolved || instant(until) > dissolved) {
    throw groupDissolved(groupId, state.dissolvedAt);
  }
}

/** A past term's end: after its start, not in the future. */
function assertTermEnd(occurredAt: string, until: string | null, now: string): void {
  if (until === null) return;
  if (!(Date.parse(until) > Date.parse(occurredAt))) {
    throw rule('until_not_after_start', `until ${until} is not after occurredAt ${occurredAt}`, {
      occurredAt,
      until,
    });
  }
  if (Date.parse(until) > Date.parse(now)) {
    throw rule('occurred_in_future', `until ${until} is in the future`, { until, now });
  }
}

function establish(
  { data }: EstablishGroup,
  state: GroupState,
  { parent, programmes = [] }: GroupContext,
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
  return [
    {
      type: 'GroupEstablished',
      data: { ...data, programmeId: groupProgramme(data, parent, programmes) },
    },
  ];
}

/** A sub-group belongs to its parent's programme; a top-level group to the one named, or the only one. */
function groupProgramme(
  data: EstablishGroup['data'],
  parent: GroupContext['parent'],
  programmes: readonly ProgrammeStanding[],
): string | null {
  const requested = data.programmeId ?? null;
  if (data.parentGroupId !== null && parent) {
    const inherited = parent.programmeId ?? null;
    if (requested !== null && inherited !== null && requested !== inherited) {
      throw rule(
        'programme_mismatch',
        `Parent group ${data.parentGroupId} belongs to programme ${inherited}, not ${requested}`,
        { parentGroupId: data.parentGroupId, parentProgrammeId: inherited, programmeId: requested },
      );
    }
    if (inherited !== null || requested === null) return inherited;
  }
  return resolveProgramme(requested, programmes)?.programmeId ?? null;
}

/**
 * The role level a seat or co-chair term carries: one named is checked
 * against the programme's profiles; unnamed, a lay term takes the only level
 * in force (role profiles describe lay roles), a professional's none.
 */
function termRoleLevel(
  named: string | null | undefined,
  constituency: Constituency,
  roleProfiles: readonly RoleProfileStanding[] = [],
  occurredAt: string,
): string | undefined {
  if ((named === undefined || named === null) && constituency !== 'lay') return undefined;
  return roleLevelInForce(named, roleProfiles, occurredAt);
}

function allocateSeat(
  { data }: AllocateSeat,
  state: GroupState,
  establishedAt: string,
  { partner, now, roleProfiles = [] }: GroupContext,
): GroupEvent[] {
  const { groupId, seatId, partnerId, constituency, termEndsOn, occurredAt } = data;
  const until = data.until ?? null;
  assertTermEnd(occurredAt, until, now);
  if (state.seats.has(seatId)) {
    throw conflict('seat_exists', `Seat ${seatId} already exists on group ${groupId}`, { seatId });
  }
  if (!partner) {
    throw notFound('partner_not_found', `Partner ${partnerId} does not exist`, { partnerId });
  }
  // Programmes are kept apart: a partner sits only on groups of their own programme.
  const partnerProgramme = partner.programmeId ?? null;
  if (
    partnerProgramme !== null &&
    state.programmeId !== null &&
    partnerProgramme !== state.programmeId
  ) {
    throw rule(
      'programme_mismatch',
      `Partner ${partnerId} belongs to programme ${partnerProgramme}; group ${groupId} to ${state.programmeId}`,
      {
        partnerId,
        partnerProgrammeId: partnerProgramme,
        groupId,
        groupProgrammeId: state.programmeId,
      },
    );
  }
  // A withdrawn partner's past terms may still be recorded, if they ended by the withdrawal.
  if (partner.status === 'withdrawn' || partner.withdrawnAt !== null) {
    const withdrawnAt = partner.withdrawnAt;
    if (
      withdrawnAt === null ||
      Date.parse(occurredAt) >= Date.parse(withdrawnAt) ||
      instant(until) > Date.parse(withdrawnAt)
    ) {
      throw rule('partner_withdrawn', `Partner ${partnerId} withdrew on ${withdrawnAt}`, {
        partnerId,
        withdrawnAt,
      });
    }
  }
  assertNotBefore(
    occurredAt,
    establishedAt,
    'allocated_before_group_established',
    'the group was established',
  );
  assertBeforeDissolution(state, groupId, occurredAt, until);
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
    if (partner.appointedAt === null) {
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
  const held = state.seatsByPartner
    .get(partnerId)
    ?.find((seat) => overlaps(occurredAt, until, seat.allocatedAt, seat.vacatedAt));
  if (held) {
    throw rule(
      'already_seated',
      `Partner ${partnerId} holds seat ${held.seatId} on ${groupId} from ${held.allocatedAt}`,
      { partnerId, seatId: held.seatId, from: held.allocatedAt, until: held.vacatedAt },
    );
  }
  if (constituency === 'lay') {
    const full = layMaximumReached(state, occurredAt, until);
    if (full) {
      throw rule(
        'lay_seats_full',
        `Group ${groupId} has its maximum of ${state.laySeats.max} lay seats from ${full.from}`,
        { max: state.laySeats.max, ...full },
      );
    }
  }
  const roleLevel = termRoleLevel(data.roleLevel, constituency, roleProfiles, occurredAt);
  const allocated: GroupEvent = {
    type: 'SeatAllocated',
    data: {
      groupId,
      seatId,
      partnerId,
      constituency,
      termEndsOn,
      ...(roleLevel !== undefined ? { roleLevel } : {}),
      occurredAt,
    },
  };
  if (until === null) return [allocated];
  return [
    allocated,
    {
      type: 'SeatVacated',
      data: { groupId, seatId, partnerId, reason: TERM_ENDED, occurredAt: until },
    },
  ];
}

/**
 * The first interval within [from, until) in which the lay seats already held
 * number the maximum (so one more would exceed it), with their holders; null
 * if there is none. A sweep over the lay seats that overlap the new term.
 */
function layMaximumReached(
  state: GroupState,
  from: string,
  until: string | null,
): { from: string; until: string | null; holders: string[] } | null {
  const { max } = state.laySeats;
  const start = Date.parse(from);
  const end = instant(until);
  const overlapping = state.layTerms.filter((seat) => seat.fromMs < end && start < seat.untilMs);
  if (overlapping.length < max) return null;
  // Edges inside the term: +1 where a seat starts, -1 where one ends; ends first at a tie
  // (terms are half-open, so a seat vacated on the day another is allocated frees it).
  const edges: Array<{ t: number; at: string; delta: number }> = [];
  let count = 0;
  for (const seat of overlapping) {
    if (seat.fromMs <= start) count += 1;
    else edges.push({ t: seat.fromMs, at: seat.allocatedAt, delta: 1 });
    if (seat.untilMs < end) edges.push({ t: seat.untilMs, at: seat.vacatedAt!, delta: -1 });
  }
  edges.sort((a, b) => a.t - b.t || a.delta - b.delta);
  let at = from;
  let t = start;
  for (let i = 0; ;) {
    if (count >= max) {
      const next = edges[i];
      const holders = overlapping
        .filter((seat) => seat.fromMs <= t && t < seat.untilMs)
        .map((seat) => seat.partnerId)
        .sort();
      return { from: at, until: next ? next.at : until, holders };
    }
    const edge = edges[i];
    if (!edge) return null;
    t = edge.t;
    at = edge.at;
    while (i < edges.length && edges[i]!.t === t) count += edges[i++]!.delta;
  }
}

function vacateSeat({ data }: VacateSeat, state: GroupState): GroupEvent[] {
  const { groupId, seatId, reason, occurredAt } = data;
  const seat = state.seats.get(seatId);
  if (!seat) {
    throw notFound('seat_not_found', `Seat ${seatId} does not exist on group ${groupId}`, {
      seatId,
    });
  }
  if (seat.vacatedAt !== null) {
    throw rule('seat_already_vacated', `Seat ${seatId} was vacated on ${seat.vacatedAt}`, {
      seatId,
      vacatedAt: seat.vacatedAt,
    });
  }
  assertNotBefore(
    occurredAt,
    seat.allocatedAt,
    'vacated_before_allocated',
    'the seat was allocated',
  );
  // A backdated vacate must leave every later fact that needed this seat standing.
  assertNoLaterUse(state, seat, occurredAt);
  // A co-chair always holds a seat: losing the seat ends the co-chair role first.
  const coChair = currentCoChairs(state).find((c) => c.seatId === seatId);
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

/** Meetings, decisions and ended co-chair terms after `vacatedAt` that only this seat covers. */
function assertNoLaterUse(state: GroupState, seat: Seat, vacatedAt: string): void {
  const { seatId, partnerId } = seat;
  const end = Date.parse(vacatedAt);
  const otherSeatAt = (t: number, layOnly: boolean) =>
    state.seatsByPartner
      .get(partnerId)
      ?.some(
        (other) =>
          other !== seat &&
          (!layOnly || other.constituency === 'lay') &&
          Date.parse(other.allocatedAt) <= t &&
          t < instant(other.vacatedAt),
      ) ?? false;
  const uses = (state.references.get(partnerId) ?? [])
    .filter((ref) => Date.parse(ref.at) >= end)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const ref of uses) {
    const t = Date.parse(ref.at);
    if (ref.type === 'MeetingHeld' && !otherSeatAt(t, false)) {
      throw rule(
        'vacated_before_meeting',
        `Partner ${partnerId} is recorded at meeting ${ref.id} on ${ref.at}, after ${vacatedAt}`,
        { seatId, partnerId, vacatedAt, meetingId: ref.id, heldAt: ref.at },
      );
    }
    if (ref.type === 'DecisionRecorded' && seat.constituency === 'lay' && !otherSeatAt(t, true)) {
      throw rule(
        'vacated_before_decision',
        `Partner ${partnerId} is a lay member present at decision ${ref.id} on ${ref.at}, after ${vacatedAt}`,
        { seatId, partnerId, vacatedAt, decisionId: ref.id, decidedAt: ref.at },
      );
    }
  }
  const term = state.coChairTerms.find(
    (c) => c.seatId === seatId && c.stoodDownAt !== null && Date.parse(c.stoodDownAt) > end,
  );
  if (term) {
    throw rule(
      'vacated_before_co_chair_term_ended',
      `Partner ${partnerId} co-chaired on seat ${seatId} until ${term.stoodDownAt}`,
      {
        seatId,
        partnerId,
        vacatedAt,
        constituency: term.constituency,
        since: term.since,
        until: term.stoodDownAt,
      },
    );
  }
}

function standDown(
  groupId: string,
  coChair: Pick<CoChairTerm, 'partnerId' | 'constituency'>,
  reason: string,
  occurredAt: string,
): GroupEvent {
  const { partnerId, constituency } = coChair;
  return {
    type: 'CoChairStoodDown',
    data: { groupId, partnerId, constituency, reason, occurredAt },
  };
}

/**
 * The rules every co-chair term [from, until), appointed or elected, must
 * meet at every instant; returns the seat held over it.
 */
function coChairSeat(
  state: GroupState,
  partnerId: string,
  constituency: Constituency,
  from: string,
  until: string | null,
): Seat {
  const groupId = state.groupId ?? '';
  if (!state.coChairConstituencies.includes(constituency)) {
    throw rule('constituency_has_no_co_chair', `This group has no ${constituency} co-chair`, {
      constituency,
      coChairConstituencies: state.coChairConstituencies,
    });
  }
  assertBeforeDissolution(state, groupId, from, until);
  const during = (term: CoChairTerm) => overlaps(from, until, term.since, term.stoodDownAt);
  const own = state.coChairTerms.find((term) => term.partnerId === partnerId && during(term));
  if (own) {
    throw rule(
      'already_co_chair',
      `Partner ${partnerId} is ${own.constituency} co-chair from ${own.since}`,
      {
        partnerId,
        constituency: own.constituency,
        since: own.since,
        until: own.stoodDownAt,
      },
    );
  }
  const incumbent = state.coChairTerms.find(
    (term) => term.constituency === constituency && during(term),
  );
  if (incumbent) {
    throw rule(
      'co_chair_constituency_taken',
      `Partner ${incumbent.partnerId} is the ${constituency} co-chair from ${incumbent.since}`,
      {
        constituency,
        incumbent: incumbent.partnerId,
        since: incumbent.since,
        until: incumbent.stoodDownAt,
      },
    );
  }
  const seat = seatOfPartnerAt(state, partnerId, from);
  if (!seat) {
    const next = state.seatsByPartner
      .get(partnerId)
      ?.find(
        (s) =>
          Date.parse(s.allocatedAt) > Date.parse(from) &&
          Date.parse(s.allocatedAt) < instant(until),
      );
    if (next) {
      throw rule(
        'co_chair_before_seat_allocated',
        `Seat ${next.seatId} of partner ${partnerId} was allocated on ${next.allocatedAt}`,
        { partnerId, seatId: next.seatId, occurredAt: from, dependsOn: next.allocatedAt },
      );
    }
    throw rule(
      'co_chair_not_seated',
      `Partner ${partnerId} holds no seat on this group on ${from}`,
      {
        partnerId,
        at: from,
      },
    );
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
  if (instant(seat.vacatedAt) < instant(until)) {
    throw rule(
      'co_chair_term_outlasts_seat',
      `Seat ${seat.seatId} of partner ${partnerId} was vacated on ${seat.vacatedAt}`,
      {
        partnerId,
        seatId: seat.seatId,
        seatFrom: seat.allocatedAt,
        seatUntil: seat.vacatedAt,
        until,
      },
    );
  }
  return seat;
}

function recordElection(
  { data }: RecordCoChairElection,
  state: GroupState,
  { election, roleProfiles }: GroupContext,
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
  if (state.installedElections.has(electionId)) {
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
  const seat = coChairSeat(state, partnerId, constituency, occurredAt, null);
  const roleLevel = termRoleLevel(undefined, constituency, roleProfiles, occurredAt);
  return [
    {
      type: 'CoChairElected',
      data: {
        groupId,
        electionId,
        partnerId,
        constituency,
        seatId: seat.seatId,
        ...(roleLevel !== undefined ? { roleLevel } : {}),
        occurredAt,
      },
    },
  ];
}

function holdMeeting(
  { data }: HoldMeeting,
  state: GroupState,
  establishedAt: string,
): GroupEvent[] {
  const { groupId, meetingId, attendees, apologies, durationMinutes, occurredAt } = data;
  if (state.meetings.has(meetingId)) {
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
  assertBeforeDissolution(state, groupId, occurredAt, occurredAt);
  // Attendance is checked against seats held on the meeting's date, so backdated meetings work.
  const strangers = [...attendees, ...apologies].filter(
    (id) => !seatOfPartnerAt(state, id, occurredAt),
  );
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
  if (state.decisions.has(decisionId)) {
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
  assertBeforeDissolution(state, groupId, occurredAt, occurredAt);
  const notLay = layMembersPresent.filter(
    (id) => seatOfPartnerAt(state, id, occurredAt)?.constituency !== 'lay',
  );
  if (notLay.length > 0) {
    throw rule('not_a_lay_member', 'layMembersPresent must hold lay seats on the decision date', {
      partnerIds: notLay,
    });
  }
  if (meetingId !== null) {
    const meeting = state.meetings.get(meetingId);
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

/**
 * Closes every co-chair role and seat first, so tenures end with the group.
 * The group exists over [established, dissolved): nothing may start at or
 * after the dissolution, and nothing may end after it.
 */
function dissolve({ data }: DissolveGroup, state: GroupState): GroupEvent[] {
  const { groupId, reason, occurredAt } = data;
  const at = Date.parse(occurredAt);
  const { latestStart, latestEnd } = state;
  const blocking =
    latestStart !== null && Date.parse(latestStart.at) >= at
      ? latestStart
      : latestEnd !== null && Date.parse(latestEnd.at) > at
        ? latestEnd
        : null;
  if (blocking) {
    throw rule(
      'dissolved_before_last_activity',
      `Dissolution on ${occurredAt} would precede ${blocking.type} ${blocking.id} on ${blocking.at}`,
      {
        occurredAt,
        dependsOn: blocking.at,
        fact: { type: blocking.type, id: blocking.id, at: blocking.at },
      },
    );
  }
  return [
    ...currentCoChairs(state).map((c) => standDown(groupId, c, 'group-dissolved', occurredAt)),
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
