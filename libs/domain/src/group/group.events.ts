import type { RuleCode } from '../commands.js';
import type { Message } from '../core/decider.js';
import { assertNotBefore } from '../core/business-time.js';
import { notFound, rule } from '../core/domain-error.js';
import type { Cadence, Constituency, GroupKind, GroupLevel } from '../shared/vocabulary.js';

export type GroupEstablished = Message<
  'GroupEstablished',
  {
    groupId: string;
    name: string;
    kind: GroupKind;
    level: GroupLevel;
    parentGroupId: string | null;
    /** For borough- and locality-level groups. */
    borough: string | null;
    cadence: Cadence;
    laySeats: { min: number; max: number };
    /** Constituencies that each provide one co-chair, e.g. ["lay", "ccg"]. */
    coChairConstituencies: Constituency[];
    occurredAt: string;
  }
>;

export type SeatAllocated = Message<
  'SeatAllocated',
  {
    groupId: string;
    seatId: string;
    partnerId: string;
    constituency: Constituency;
    /** Optional fixed term (ISO date). */
    termEndsOn: string | null;
    occurredAt: string;
  }
>;

export type SeatVacated = Message<
  'SeatVacated',
  { groupId: string; seatId: string; partnerId: string; reason: string; occurredAt: string }
>;

/** A co-chair appointed directly, e.g. the health and social-care co-chairs. */
export type CoChairAppointed = Message<
  'CoChairAppointed',
  {
    groupId: string;
    partnerId: string;
    constituency: Constituency;
    /** The seat the co-chair holds on this group: a co-chair always holds one. */
    seatId: string;
    occurredAt: string;
  }
>;

/** A co-chair installed from a closed election, e.g. the lay co-chair of Embedding Partnerships. */
export type CoChairElected = Message<
  'CoChairElected',
  {
    groupId: string;
    electionId: string;
    partnerId: string;
    constituency: Constituency;
    seatId: string;
    occurredAt: string;
  }
>;

export type CoChairStoodDown = Message<
  'CoChairStoodDown',
  {
    groupId: string;
    partnerId: string;
    constituency: Constituency;
    /** Free text; the ledger itself uses `seat-vacated` and `group-dissolved`. */
    reason: string;
    occurredAt: string;
  }
>;

export type MeetingHeld = Message<
  'MeetingHeld',
  {
    groupId: string;
    meetingId: string;
    /** Partner ids of seat holders present. */
    attendees: string[];
    /** Partner ids of seat holders who sent apologies. */
    apologies: string[];
    durationMinutes: number;
    occurredAt: string;
  }
>;

export type DecisionRecorded = Message<
  'DecisionRecorded',
  {
    groupId: string;
    decisionId: string;
    summary: string;
    /** Feedback ids that influenced the decision: the evidence of lay influence. */
    influencedBy: string[];
    /** Lay seat holders present when it was made. */
    layMembersPresent: string[];
    /** Version of the co-production touchstone the decision was checked against, if any. */
    touchstoneVersion: number | null;
    /** The meeting it was made at, if any (decisions may be taken by correspondence). */
    meetingId: string | null;
    occurredAt: string;
  }
>;

export type GroupDissolved = Message<
  'GroupDissolved',
  { groupId: string; reason: string; occurredAt: string }
>;

export type GroupEvent =
  | GroupEstablished
  | SeatAllocated
  | SeatVacated
  | CoChairAppointed
  | CoChairElected
  | CoChairStoodDown
  | MeetingHeld
  | DecisionRecorded
  | GroupDissolved;

export interface Seat {
  seatId: string;
  partnerId: string;
  constituency: Constituency;
  allocatedAt: string;
  termEndsOn: string | null;
  vacatedAt: string | null;
}

export interface CoChair {
  partnerId: string;
  constituency: Constituency;
  seatId: string;
  since: string;
  /** Set when the co-chair came from an election. */
  electionId: string | null;
}

export interface GroupState {
  status: 'unknown' | 'active' | 'dissolved';
  groupId: string | null;
  establishedAt: string | null;
  dissolvedAt: string | null;
  laySeats: { min: number; max: number };
  coChairConstituencies: Constituency[];
  /** Every seat ever allocated, by id, vacated ones included (seat ids are never reused). */
  seats: Record<string, Seat>;
  /** Current co-chairs only, at most one per constituency. */
  coChairs: CoChair[];
  /** Co-chairs who have stood down, so that a successor never overlaps a predecessor. */
  pastCoChairs: Array<CoChair & { stoodDownAt: string }>;
  /** Elections already turned into a co-chair, so one result is installed once. */
  installedElections: string[];
  meetings: Record<string, { meetingId: string; heldAt: string; attendees: string[] }>;
  decisions: Record<string, { decisionId: string; decidedAt: string }>;
  /** Latest business date of anything on this group: dissolution cannot precede it. */
  lastActivityAt: string | null;
}

export const initialGroupState = (): GroupState => ({
  status: 'unknown',
  groupId: null,
  establishedAt: null,
  dissolvedAt: null,
  laySeats: { min: 0, max: 0 },
  coChairConstituencies: [],
  seats: {},
  coChairs: [],
  pastCoChairs: [],
  installedElections: [],
  meetings: {},
  decisions: {},
  lastActivityAt: null,
});

export function evolveGroup(state: GroupState, event: GroupEvent): GroupState {
  const at = event.data.occurredAt;
  const lastActivityAt =
    state.lastActivityAt !== null && Date.parse(state.lastActivityAt) > Date.parse(at)
      ? state.lastActivityAt
      : at;
  return { ...applyGroupEvent(state, event), lastActivityAt };
}

function applyGroupEvent(state: GroupState, event: GroupEvent): GroupState {
  switch (event.type) {
    case 'GroupEstablished':
      return {
        ...state,
        status: 'active',
        groupId: event.data.groupId,
        establishedAt: event.data.occurredAt,
        laySeats: event.data.laySeats,
        coChairConstituencies: event.data.coChairConstituencies,
      };
    case 'SeatAllocated': {
      const { seatId, partnerId, constituency, occurredAt, termEndsOn } = event.data;
      return {
        ...state,
        seats: {
          ...state.seats,
          [seatId]: {
            seatId,
            partnerId,
            constituency,
            allocatedAt: occurredAt,
            termEndsOn,
            vacatedAt: null,
          },
        },
      };
    }
    case 'SeatVacated': {
      const seat = state.seats[event.data.seatId];
      if (!seat) return state;
      return {
        ...state,
        seats: { ...state.seats, [seat.seatId]: { ...seat, vacatedAt: event.data.occurredAt } },
      };
    }
    case 'CoChairAppointed':
    case 'CoChairElected': {
      const { partnerId, constituency, seatId, occurredAt } = event.data;
      const electionId = event.type === 'CoChairElected' ? event.data.electionId : null;
      return {
        ...state,
        coChairs: [
          ...state.coChairs,
          { partnerId, constituency, seatId, since: occurredAt, electionId },
        ],
        installedElections:
          electionId === null
            ? state.installedElections
            : [...state.installedElections, electionId],
      };
    }
    case 'CoChairStoodDown': {
      const { partnerId, occurredAt } = event.data;
      const leaving = state.coChairs.filter((c) => c.partnerId === partnerId);
      return {
        ...state,
        coChairs: state.coChairs.filter((c) => c.partnerId !== partnerId),
        pastCoChairs: [
          ...state.pastCoChairs,
          ...leaving.map((c) => ({ ...c, stoodDownAt: occurredAt })),
        ],
      };
    }
    case 'MeetingHeld': {
      const { meetingId, occurredAt, attendees } = event.data;
      return {
        ...state,
        meetings: { ...state.meetings, [meetingId]: { meetingId, heldAt: occurredAt, attendees } },
      };
    }
    case 'DecisionRecorded': {
      const { decisionId, occurredAt } = event.data;
      return {
        ...state,
        decisions: { ...state.decisions, [decisionId]: { decisionId, decidedAt: occurredAt } },
      };
    }
    case 'GroupDissolved':
      return { ...state, status: 'dissolved', dissolvedAt: event.data.occurredAt };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const occupiedSeats = (state: GroupState): Seat[] =>
  Object.values(state.seats).filter((seat) => seat.vacatedAt === null);

/** Seats held on a business date: allocated on or before it and not yet vacated then. */
export const seatsHeldAt = (state: GroupState, at: string): Seat[] =>
  Object.values(state.seats).filter(
    (seat) =>
      Date.parse(seat.allocatedAt) <= Date.parse(at) &&
      (seat.vacatedAt === null || Date.parse(seat.vacatedAt) > Date.parse(at)),
  );

/** What other streams' decisions need to know about a group. */
export interface GroupStanding {
  groupId: string;
  status: GroupState['status'];
  establishedAt: string | null;
  dissolvedAt: string | null;
  coChairConstituencies: Constituency[];
}

export function groupStanding(state: GroupState): GroupStanding | null {
  if (state.status === 'unknown' || state.groupId === null) return null;
  return {
    groupId: state.groupId,
    status: state.status,
    establishedAt: state.establishedAt,
    dissolvedAt: state.dissolvedAt,
    coChairConstituencies: state.coChairConstituencies,
  };
}

/** A decision as feedback responses see it. */
export interface DecisionStanding {
  groupId: string;
  decisionId: string;
  decidedAt: string;
}

export function decisionStanding(state: GroupState, decisionId: string): DecisionStanding | null {
  const decision = state.decisions[decisionId];
  if (!decision || state.groupId === null) return null;
  return { groupId: state.groupId, decisionId, decidedAt: decision.decidedAt };
}

/**
 * For other streams that refer to a group on a business date: the group must
 * exist, have been established by then, and not have been dissolved by then.
 */
export function assertGroupActiveAt(
  group: GroupStanding | null | undefined,
  groupId: string,
  occurredAt: string,
  beforeCode: RuleCode,
): void {
  if (
    !group ||
    group.groupId !== groupId ||
    group.status === 'unknown' ||
    group.establishedAt === null
  ) {
    throw notFound('group_not_found', `Group ${groupId} does not exist`, { groupId });
  }
  if (group.dissolvedAt !== null && Date.parse(occurredAt) >= Date.parse(group.dissolvedAt)) {
    throw rule('group_dissolved', `Group ${groupId} was dissolved on ${group.dissolvedAt}`, {
      groupId,
    });
  }
  assertNotBefore(occurredAt, group.establishedAt, beforeCode, 'the group was established');
}
