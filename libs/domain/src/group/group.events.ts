import type { Message } from '../core/decider.js';
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

export type GroupEvent = GroupEstablished | SeatAllocated | SeatVacated;

export interface Seat {
  seatId: string;
  partnerId: string;
  constituency: Constituency;
  allocatedAt: string;
  termEndsOn: string | null;
  vacatedAt: string | null;
}

export interface GroupState {
  status: 'unknown' | 'active' | 'dissolved';
  groupId: string | null;
  establishedAt: string | null;
  laySeats: { min: number; max: number };
  coChairConstituencies: Constituency[];
  /** Every seat ever allocated, by id, vacated ones included (seat ids are never reused). */
  seats: Record<string, Seat>;
}

export const initialGroupState = (): GroupState => ({
  status: 'unknown',
  groupId: null,
  establishedAt: null,
  laySeats: { min: 0, max: 0 },
  coChairConstituencies: [],
  seats: {},
});

export function evolveGroup(state: GroupState, event: GroupEvent): GroupState {
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
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const occupiedSeats = (state: GroupState): Seat[] =>
  Object.values(state.seats).filter((seat) => seat.vacatedAt === null);
