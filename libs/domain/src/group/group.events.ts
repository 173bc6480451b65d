import type { RuleCode } from '../commands.js';
import type { Message } from '../core/decider.js';
import { assertNotBefore } from '../core/business-time.js';
import { notFound, rule } from '../core/domain-error.js';
import type {
  Cadence,
  Constituency,
  GroupKind,
  GroupLevel,
  RoleLevel,
} from '../shared/vocabulary.js';

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
    /**
     * The programme the group belongs to: only its partners take seats. `null`:
     * recorded when the ledger had no programme, or before groups named one
     * (read as the ledger's first programme, ADR 0003).
     */
    programmeId: string | null;
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
    /**
     * The role level in force when the seat was allocated (a role profile of
     * the group's programme). Absent: none on record.
     */
    roleLevel?: RoleLevel;
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
    /** The role level in force when appointed, as for SeatAllocated. Absent: none on record. */
    roleLevel?: RoleLevel;
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
    /** The only role level in force for a lay co-chair, as for SeatAllocated. Absent: none on record. */
    roleLevel?: RoleLevel;
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
  /** `allocatedAt` and `vacatedAt` as instants (+Infinity while open), for interval checks. */
  fromMs: number;
  untilMs: number;
}

/** A co-chair's term in business time: [since, stoodDownAt), open while stoodDownAt is null. */
export interface CoChairTerm {
  partnerId: string;
  constituency: Constituency;
  seatId: string;
  since: string;
  /** Set when the co-chair came from an election. */
  electionId: string | null;
  stoodDownAt: string | null;
}

export interface MeetingRecord {
  meetingId: string;
  heldAt: string;
  attendees: string[];
  apologies: string[];
}

export interface DecisionRecord {
  decisionId: string;
  decidedAt: string;
  layMembersPresent: string[];
  meetingId: string | null;
}

/** A recorded fact that names a partner on a business date, so needs them seated then. */
export interface PartnerReference {
  type: 'MeetingHeld' | 'DecisionRecorded';
  id: string;
  at: string;
}

/** The latest-dated fact of a kind, named so a refusal can say which fact is in the way. */
export interface LatestFact {
  type: GroupEvent['type'];
  id: string;
  at: string;
}

/**
 * The group's timeline of terms and facts in business time. Every rule is
 * checked against it at every instant, not against the group as it stands
 * today (backdated commands are common). Collections are indexed so that
 * `evolve` is O(1) per event and `decide` touches only what it needs.
 */
export interface GroupState {
  status: 'unknown' | 'active' | 'dissolved';
  groupId: string | null;
  /** The programme the group belongs to (`null`: none on record). */
  programmeId: string | null;
  establishedAt: string | null;
  dissolvedAt: string | null;
  laySeats: { min: number; max: number };
  coChairConstituencies: Constituency[];
  /** Every seat ever allocated, by id, vacated ones included (seat ids are never reused). */
  seats: Map<string, Seat>;
  /** Every seat a partner has held or holds on this group, in the order recorded. */
  seatsByPartner: Map<string, Seat[]>;
  /** Every lay seat, for the lay maximum over an interval. */
  layTerms: Seat[];
  /** Every co-chair term, ended or not, in the order recorded. */
  coChairTerms: CoChairTerm[];
  /** Elections already turned into a co-chair, so one result is installed once. */
  installedElections: Set<string>;
  meetings: Map<string, MeetingRecord>;
  decisions: Map<string, DecisionRecord>;
  /** Meetings and decisions that name each partner, so a seat cannot end before them. */
  references: Map<string, PartnerReference[]>;
  /** Latest start or point fact (allocation, co-chair start, meeting, decision): dissolution follows it. */
  latestStart: LatestFact | null;
  /** Latest end (vacated seat, stood-down co-chair): dissolution is not before it. */
  latestEnd: LatestFact | null;
}

export const initialGroupState = (): GroupState => ({
  status: 'unknown',
  groupId: null,
  programmeId: null,
  establishedAt: null,
  dissolvedAt: null,
  laySeats: { min: 0, max: 0 },
  coChairConstituencies: [],
  seats: new Map(),
  seatsByPartner: new Map(),
  layTerms: [],
  coChairTerms: [],
  installedElections: new Set(),
  meetings: new Map(),
  decisions: new Map(),
  references: new Map(),
  latestStart: null,
  latestEnd: null,
});

const later = (current: LatestFact | null, next: LatestFact): LatestFact =>
  current !== null && Date.parse(current.at) >= Date.parse(next.at) ? current : next;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Folds one event into the state **in place** and returns it. A fold owns its
 * state (`fold`, the command runner and the specs each start from
 * `initialGroupState()` and never reuse a state once evolved): copying the
 * collections per event made folding a 5,000-event group quadratic.
 */
export function evolveGroup(state: GroupState, event: GroupEvent): GroupState {
  switch (event.type) {
    case 'GroupEstablished':
      state.status = 'active';
      state.groupId = event.data.groupId;
      state.programmeId = event.data.programmeId ?? null;
      state.establishedAt = event.data.occurredAt;
      state.laySeats = event.data.laySeats;
      state.coChairConstituencies = event.data.coChairConstituencies;
      return state;
    case 'SeatAllocated': {
      const { seatId, partnerId, constituency, occurredAt, termEndsOn } = event.data;
      const seat: Seat = {
        seatId,
        partnerId,
        constituency,
        allocatedAt: occurredAt,
        termEndsOn,
        vacatedAt: null,
        fromMs: Date.parse(occurredAt),
        untilMs: Number.POSITIVE_INFINITY,
      };
      state.seats.set(seatId, seat);
      push(state.seatsByPartner, partnerId, seat);
      if (constituency === 'lay') state.layTerms.push(seat);
      state.latestStart = later(state.latestStart, {
        type: event.type,
        id: seatId,
        at: occurredAt,
      });
      return state;
    }
    case 'SeatVacated': {
      const seat = state.seats.get(event.data.seatId);
      if (seat) {
        seat.vacatedAt = event.data.occurredAt;
        seat.untilMs = Date.parse(event.data.occurredAt);
      }
      state.latestEnd = later(state.latestEnd, {
        type: event.type,
        id: event.data.seatId,
        at: event.data.occurredAt,
      });
      return state;
    }
    case 'CoChairAppointed':
    case 'CoChairElected': {
      const { partnerId, constituency, seatId, occurredAt } = event.data;
      const electionId = event.type === 'CoChairElected' ? event.data.electionId : null;
      state.coChairTerms.push({
        partnerId,
        constituency,
        seatId,
        since: occurredAt,
        electionId,
        stoodDownAt: null,
      });
      if (electionId !== null) state.installedElections.add(electionId);
      state.latestStart = later(state.latestStart, {
        type: event.type,
        id: partnerId,
        at: occurredAt,
      });
      return state;
    }
    case 'CoChairStoodDown': {
      // The latest-recorded open term: a past term recorded in one command
      // (appointed, then stood down) is the one it ends.
      const { partnerId, constituency, occurredAt } = event.data;
      for (let i = state.coChairTerms.length - 1; i >= 0; i--) {
        const term = state.coChairTerms[i]!;
        if (
          term.partnerId === partnerId &&
          term.constituency === constituency &&
          term.stoodDownAt === null
        ) {
          term.stoodDownAt = occurredAt;
          break;
        }
      }
      state.latestEnd = later(state.latestEnd, { type: event.type, id: partnerId, at: occurredAt });
      return state;
    }
    case 'MeetingHeld': {
      const { meetingId, occurredAt, attendees, apologies } = event.data;
      state.meetings.set(meetingId, { meetingId, heldAt: occurredAt, attendees, apologies });
      const reference: PartnerReference = { type: event.type, id: meetingId, at: occurredAt };
      for (const partnerId of [...attendees, ...apologies]) {
        push(state.references, partnerId, reference);
      }
      state.latestStart = later(state.latestStart, reference);
      return state;
    }
    case 'DecisionRecorded': {
      const { decisionId, occurredAt, layMembersPresent, meetingId } = event.data;
      state.decisions.set(decisionId, {
        decisionId,
        decidedAt: occurredAt,
        layMembersPresent,
        meetingId: meetingId ?? null,
      });
      const reference: PartnerReference = { type: event.type, id: decisionId, at: occurredAt };
      for (const partnerId of layMembersPresent) push(state.references, partnerId, reference);
      state.latestStart = later(state.latestStart, reference);
      return state;
    }
    case 'GroupDissolved':
      state.status = 'dissolved';
      state.dissolvedAt = event.data.occurredAt;
      return state;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** Instants as numbers; an open end is +Infinity. */
export const instant = (at: string | null): number =>
  at === null ? Number.POSITIVE_INFINITY : Date.parse(at);

/** Whether [from, until) and [otherFrom, otherUntil) share an instant (half-open intervals). */
export const overlaps = (
  from: string,
  until: string | null,
  otherFrom: string,
  otherUntil: string | null,
): boolean => Date.parse(from) < instant(otherUntil) && Date.parse(otherFrom) < instant(until);

export const occupiedSeats = (state: GroupState): Seat[] =>
  [...state.seats.values()].filter((seat) => seat.vacatedAt === null);

/** Current co-chairs: terms not ended. */
export const currentCoChairs = (state: GroupState): CoChairTerm[] =>
  state.coChairTerms.filter((term) => term.stoodDownAt === null);

/** The seat a partner holds on a business date, if any (at most one: a rule of the group). */
export const seatOfPartnerAt = (
  state: GroupState,
  partnerId: string,
  at: string,
): Seat | undefined => {
  const t = Date.parse(at);
  return state.seatsByPartner.get(partnerId)?.find((seat) => seat.fromMs <= t && t < seat.untilMs);
};

/** Seats held on a business date: allocated on or before it and not yet vacated then. */
export const seatsHeldAt = (state: GroupState, at: string): Seat[] =>
  [...state.seats.values()].filter(
    (seat) =>
      Date.parse(seat.allocatedAt) <= Date.parse(at) &&
      (seat.vacatedAt === null || Date.parse(seat.vacatedAt) > Date.parse(at)),
  );

/** The latest thing a group records of a partner, as another stream's decision sees it. */
export interface PartnerInvolvement {
  at: string;
  /** e.g. `meeting m-3 on ws-health`, `seat s-1 on ws-health ended`. */
  activity: string;
  /** A meeting or decision: the partner was there on that date, so left after it, not on it. */
  present: boolean;
}

/**
 * The latest business date at which this group records the partner doing
 * something: a seat or co-chair term starting or ending, a meeting attended
 * (or apologies sent), a decision they were present for. A withdrawal cannot
 * be dated before it: the partner would have acted after leaving.
 */
export function partnerInvolvement(
  state: GroupState,
  partnerId: string,
): PartnerInvolvement | null {
  const groupId = state.groupId ?? '';
  const facts: PartnerInvolvement[] = [];
  for (const seat of state.seatsByPartner.get(partnerId) ?? []) {
    facts.push({
      at: seat.allocatedAt,
      activity: `seat ${seat.seatId} on ${groupId}`,
      present: false,
    });
    if (seat.vacatedAt !== null) {
      facts.push({
        at: seat.vacatedAt,
        activity: `seat ${seat.seatId} on ${groupId} ended`,
        present: false,
      });
    }
  }
  for (const term of state.coChairTerms.filter((t) => t.partnerId === partnerId)) {
    facts.push({ at: term.since, activity: `co-chair of ${groupId}`, present: false });
    if (term.stoodDownAt !== null) {
      facts.push({
        at: term.stoodDownAt,
        activity: `co-chair of ${groupId} ended`,
        present: false,
      });
    }
  }
  for (const reference of state.references.get(partnerId) ?? []) {
    const kind = reference.type === 'MeetingHeld' ? 'meeting' : 'decision';
    facts.push({
      at: reference.at,
      activity: `${kind} ${reference.id} on ${groupId}`,
      present: true,
    });
  }
  // The latest; on a tie, a date they were present on (it binds more strictly).
  return facts.reduce<PartnerInvolvement | null>((latest, fact) => {
    if (latest === null) return fact;
    const [a, b] = [Date.parse(fact.at), Date.parse(latest.at)];
    return a > b || (a === b && fact.present && !latest.present) ? fact : latest;
  }, null);
}

/** What other streams' decisions need to know about a group. */
export interface GroupStanding {
  groupId: string;
  status: GroupState['status'];
  establishedAt: string | null;
  dissolvedAt: string | null;
  coChairConstituencies: Constituency[];
  /** The programme the group belongs to (`null` or absent: none on record). */
  programmeId?: string | null;
}

export function groupStanding(state: GroupState): GroupStanding | null {
  if (state.status === 'unknown' || state.groupId === null) return null;
  return {
    groupId: state.groupId,
    status: state.status,
    establishedAt: state.establishedAt,
    dissolvedAt: state.dissolvedAt,
    coChairConstituencies: state.coChairConstituencies,
    programmeId: state.programmeId,
  };
}

/** A decision as feedback responses see it. */
export interface DecisionStanding {
  groupId: string;
  decisionId: string;
  decidedAt: string;
}

export function decisionStanding(state: GroupState, decisionId: string): DecisionStanding | null {
  const decision = state.decisions.get(decisionId);
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
