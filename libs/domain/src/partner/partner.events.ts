import type { Message } from '../core/decider.js';
import type { LayBody, OrganisationKind } from '../shared/vocabulary.js';

export type PartnerNominated = Message<
  'PartnerNominated',
  {
    partnerId: string;
    name: string;
    email?: string;
    phone?: string;
    nominatedBy: { organisation: string; organisationKind: OrganisationKind };
    /** The recruitment round the nomination answered, e.g. "2013-design-phase". */
    campaign?: string;
    occurredAt: string;
  }
>;

export type PartnerAppointed = Message<
  'PartnerAppointed',
  { partnerId: string; body: LayBody; occurredAt: string }
>;

export type PartnerEvent = PartnerNominated | PartnerAppointed;

export type PartnerStatus = 'unknown' | 'nominated' | 'appointed' | 'withdrawn';

export interface PartnerState {
  status: PartnerStatus;
  partnerId: string | null;
  nominatedAt: string | null;
  appointments: Array<{ body: LayBody; at: string }>;
}

export const initialPartnerState = (): PartnerState => ({
  status: 'unknown',
  partnerId: null,
  nominatedAt: null,
  appointments: [],
});

export function evolvePartner(state: PartnerState, event: PartnerEvent): PartnerState {
  switch (event.type) {
    case 'PartnerNominated':
      return {
        ...state,
        status: 'nominated',
        partnerId: event.data.partnerId,
        nominatedAt: event.data.occurredAt,
      };
    case 'PartnerAppointed':
      return {
        ...state,
        status: 'appointed',
        appointments: [...state.appointments, { body: event.data.body, at: event.data.occurredAt }],
      };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** What other streams' decisions need to know about a partner. */
export interface PartnerStanding {
  partnerId: string;
  status: PartnerStatus;
  /** Earliest appointment, if any: a lay seat cannot be taken before it. */
  appointedAt: string | null;
}

export function partnerStanding(state: PartnerState): PartnerStanding | null {
  if (state.status === 'unknown' || state.partnerId === null) return null;
  return {
    partnerId: state.partnerId,
    status: state.status,
    appointedAt: state.appointments[0]?.at ?? null,
  };
}
