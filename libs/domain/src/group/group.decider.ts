import { assertNotBefore, assertNotInFuture } from '../core/business-time.js';
import type { DecisionContext, Decider, Message } from '../core/decider.js';
import { conflict, notFound, rule } from '../core/domain-error.js';
import type { PartnerStanding } from '../partner/partner.events.js';
import type { Cadence, Constituency, GroupKind, GroupLevel } from '../shared/vocabulary.js';
import {
  evolveGroup,
  initialGroupState,
  occupiedSeats,
  type GroupEvent,
  type GroupState,
} from './group.events.js';

export type EstablishGroup = Message<
  'EstablishGroup',
  {
    groupId: string;
    name: string;
    kind: GroupKind;
    level: GroupLevel;
    parentGroupId: string | null;
    borough: string | null;
    cadence: Cadence;
    laySeats: { min: number; max: number };
    coChairConstituencies: Constituency[];
    occurredAt: string;
  }
>;

export type AllocateSeat = Message<
  'AllocateSeat',
  {
    groupId: string;
    seatId: string;
    partnerId: string;
    constituency: Constituency;
    termEndsOn: string | null;
    occurredAt: string;
  }
>;

export type VacateSeat = Message<
  'VacateSeat',
  { groupId: string; seatId: string; reason: string; occurredAt: string }
>;

export type GroupCommand = EstablishGroup | AllocateSeat | VacateSeat;

/** Facts from other streams that group decisions depend on; the handler loads them. */
export interface GroupContext extends DecisionContext {
  /** The parent group named by EstablishGroup, if any. */
  parent?: { status: GroupState['status']; establishedAt: string | null } | null;
  /** The partner named by AllocateSeat. */
  partner?: PartnerStanding | null;
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
    throw rule('duplicate_co_chair_constituency', 'Each constituency provides at most one co-chair', {
      coChairConstituencies: data.coChairConstituencies,
    });
  }
  if (data.parentGroupId !== null) {
    if (data.parentGroupId === data.groupId) {
      throw rule('group_own_parent', 'A group cannot be its own parent');
    }
    if (!parent || parent.status === 'unknown' || parent.establishedAt === null) {
      throw notFound('parent_group_not_found', `Parent group ${data.parentGroupId} does not exist`, {
        parentGroupId: data.parentGroupId,
      });
    }
    if (parent.status === 'dissolved') {
      throw rule('parent_group_dissolved', `Parent group ${data.parentGroupId} has been dissolved`, {
        parentGroupId: data.parentGroupId,
      });
    }
    assertNotBefore(data.occurredAt, parent.establishedAt, 'established_before_parent', 'the parent group');
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
  assertNotBefore(occurredAt, establishedAt, 'allocated_before_group_established', 'the group was established');
  if (constituency === 'lay') {
    if (partner.status !== 'appointed' || partner.appointedAt === null) {
      throw rule('partner_not_appointed', `Partner ${partnerId} is not an appointed lay partner`, {
        partnerId,
      });
    }
    assertNotBefore(occurredAt, partner.appointedAt, 'allocated_before_appointment', 'the appointment');
  }
  const occupied = occupiedSeats(state);
  const held = occupied.find((seat) => seat.partnerId === partnerId);
  if (held) {
    throw rule('already_seated', `Partner ${partnerId} already holds seat ${held.seatId} on ${groupId}`, {
      partnerId,
      seatId: held.seatId,
    });
  }
  const lay = occupied.filter((seat) => seat.constituency === 'lay').length;
  if (constituency === 'lay' && lay >= state.laySeats.max) {
    throw rule('lay_seats_full', `Group ${groupId} already has its maximum of ${state.laySeats.max} lay seats`, {
      max: state.laySeats.max,
    });
  }
  return [{ type: 'SeatAllocated', data: { ...data } }];
}

function vacateSeat({ data }: VacateSeat, state: GroupState): GroupEvent[] {
  const { groupId, seatId, reason, occurredAt } = data;
  const seat = state.seats[seatId];
  if (!seat) {
    throw notFound('seat_not_found', `Seat ${seatId} does not exist on group ${groupId}`, { seatId });
  }
  if (seat.vacatedAt !== null) {
    throw rule('seat_already_vacated', `Seat ${seatId} was vacated on ${seat.vacatedAt}`, { seatId });
  }
  assertNotBefore(occurredAt, seat.allocatedAt, 'vacated_before_allocated', 'the seat was allocated');
  return [
    { type: 'SeatVacated', data: { groupId, seatId, partnerId: seat.partnerId, reason, occurredAt } },
  ];
}

export const groupDecider: Decider<GroupCommand, GroupEvent, GroupState, GroupContext> = {
  decide: decideGroup,
  evolve: evolveGroup,
  initialState: initialGroupState,
};
