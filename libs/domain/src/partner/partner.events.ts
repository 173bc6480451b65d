import type { Message } from '../core/decider.js';
import type {
  Constituency,
  ExpenseCategory,
  LayBody,
  OrganisationKind,
  PartnerKind,
  RoleLevel,
  WithdrawalReason,
} from '../shared/vocabulary.js';

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
    /**
     * The programme the partner belongs to: its withdrawal reasons apply to them,
     * and they sit only on its groups. `null`: recorded when the ledger had no
     * programme, or before partners named one (read as the ledger's first, ADR 0003).
     */
    programmeId: string | null;
    occurredAt: string;
  }
>;

/** A professional (CCG, local authority, provider, voluntary sector) joins the ledger without recruitment. */
export type PartnerRegistered = Message<
  'PartnerRegistered',
  {
    partnerId: string;
    name: string;
    email?: string;
    phone?: string;
    organisation: string;
    /** The constituency the professional represents; never `lay`. */
    constituency: Constituency;
    /** Job title, e.g. "Director of Integration". */
    role?: string;
    /**
     * The programme the partner belongs to: its withdrawal reasons apply to them,
     * and they sit only on its groups. `null`: recorded when the ledger had no
     * programme, or before partners named one (read as the ledger's first, ADR 0003).
     */
    programmeId: string | null;
    occurredAt: string;
  }
>;

export type WorkshopAttended = Message<
  'WorkshopAttended',
  { partnerId: string; workshopId: string; occurredAt: string }
>;

export type InterestExpressed = Message<
  'InterestExpressed',
  { partnerId: string; occurredAt: string }
>;

export type PartnerAppointed = Message<
  'PartnerAppointed',
  { partnerId: string; body: LayBody; occurredAt: string }
>;

export type TrainingCompleted = Message<
  'TrainingCompleted',
  { partnerId: string; course: string; occurredAt: string }
>;

export type PartnerWithdrew = Message<
  'PartnerWithdrew',
  { partnerId: string; reason: WithdrawalReason; note?: string; occurredAt: string }
>;

export type ExpenseClaimed = Message<
  'ExpenseClaimed',
  {
    partnerId: string;
    claimId: string;
    /** Integer pence: money is never a float. */
    amountPence: number;
    category: ExpenseCategory;
    /** When the cost was incurred (ISO date); `occurredAt` is when it was claimed. */
    incurredOn: string;
    occurredAt: string;
  }
>;

export type ExpenseReimbursed = Message<
  'ExpenseReimbursed',
  { partnerId: string; claimId: string; amountPence: number; occurredAt: string }
>;

export type ExpenseRejected = Message<
  'ExpenseRejected',
  { partnerId: string; claimId: string; reason: string; occurredAt: string }
>;

/**
 * An involvement payment made to a partner (NHS England's patient and public
 * voice partner policy pays the senior role levels). `paymentId` is the
 * office's reference, unique on the partner's stream like a claim id.
 */
export type InvolvementPaymentRecorded = Message<
  'InvolvementPaymentRecorded',
  {
    partnerId: string;
    paymentId: string;
    /** Integer pence, from zero: money is never a float. */
    amountPence: number;
    /** ISO 4217, e.g. GBP. */
    currency: string;
    /** The role level paid for (a role profile's level), if on record. */
    roleLevel?: RoleLevel;
    occurredAt: string;
  }
>;

/**
 * A payment offered and declined by the partner (NIHR: a payment can be
 * declined, e.g. to protect benefits): a fact worth recording, with the amount
 * that was offered.
 */
export type InvolvementPaymentDeclined = Message<
  'InvolvementPaymentDeclined',
  {
    partnerId: string;
    paymentId: string;
    /** Integer pence offered, from zero. */
    amountPence: number;
    currency: string;
    roleLevel?: RoleLevel;
    occurredAt: string;
  }
>;

/**
 * The person's key is destroyed (crypto-shredding): their name and contact
 * details in earlier events become unreadable; the facts stay.
 */
export type PersonalDataErased = Message<
  'PersonalDataErased',
  { partnerId: string; occurredAt: string }
>;

export type PartnerEvent =
  | PartnerNominated
  | PartnerRegistered
  | WorkshopAttended
  | InterestExpressed
  | PartnerAppointed
  | TrainingCompleted
  | PartnerWithdrew
  | ExpenseClaimed
  | ExpenseReimbursed
  | ExpenseRejected
  | InvolvementPaymentRecorded
  | InvolvementPaymentDeclined
  | PersonalDataErased;

export type PartnerStatus = 'unknown' | 'nominated' | 'registered' | 'appointed' | 'withdrawn';

export interface ExpenseClaim {
  claimId: string;
  amountPence: number;
  incurredOn: string;
  claimedAt: string;
  status: 'claimed' | 'reimbursed' | 'rejected';
  settledAt: string | null;
}

export interface PartnerState {
  status: PartnerStatus;
  partnerId: string | null;
  /** The programme named at nomination or registration, if any. */
  programmeId: string | null;
  /** `null` until the partner is nominated (lay) or registered (professional). */
  kind: PartnerKind | null;
  /** Lay partners represent `lay`; professionals the constituency they registered with. */
  constituency: Constituency | null;
  nominatedAt: string | null;
  registeredAt: string | null;
  workshops: Array<{ workshopId: string; at: string }>;
  interestExpressedAt: string | null;
  appointments: Array<{ body: LayBody; at: string }>;
  trainings: Array<{ course: string; at: string }>;
  withdrawal: { reason: WithdrawalReason; at: string } | null;
  claims: Record<string, ExpenseClaim>;
  /** Involvement payments made or declined, by payment id. */
  payments: Record<string, { status: 'made' | 'declined'; amountPence: number; at: string }>;
  erasedAt: string | null;
}

export const initialPartnerState = (): PartnerState => ({
  status: 'unknown',
  partnerId: null,
  programmeId: null,
  kind: null,
  constituency: null,
  nominatedAt: null,
  registeredAt: null,
  workshops: [],
  interestExpressedAt: null,
  appointments: [],
  trainings: [],
  withdrawal: null,
  claims: {},
  payments: {},
  erasedAt: null,
});

export function evolvePartner(state: PartnerState, event: PartnerEvent): PartnerState {
  switch (event.type) {
    case 'PartnerNominated':
      return {
        ...state,
        status: 'nominated',
        partnerId: event.data.partnerId,
        programmeId: event.data.programmeId ?? null,
        kind: 'lay',
        constituency: 'lay',
        nominatedAt: event.data.occurredAt,
      };
    case 'PartnerRegistered':
      return {
        ...state,
        status: 'registered',
        partnerId: event.data.partnerId,
        programmeId: event.data.programmeId ?? null,
        kind: 'professional',
        constituency: event.data.constituency,
        registeredAt: event.data.occurredAt,
      };
    case 'WorkshopAttended':
      return {
        ...state,
        workshops: [
          ...state.workshops,
          { workshopId: event.data.workshopId, at: event.data.occurredAt },
        ],
      };
    case 'InterestExpressed':
      return { ...state, interestExpressedAt: event.data.occurredAt };
    case 'PartnerAppointed':
      return {
        ...state,
        // An appointment recorded late, dated before the withdrawal, does not undo it.
        status: state.withdrawal ? 'withdrawn' : 'appointed',
        appointments: [...state.appointments, { body: event.data.body, at: event.data.occurredAt }],
      };
    case 'TrainingCompleted':
      return {
        ...state,
        trainings: [...state.trainings, { course: event.data.course, at: event.data.occurredAt }],
      };
    case 'PartnerWithdrew':
      return {
        ...state,
        status: 'withdrawn',
        withdrawal: { reason: event.data.reason, at: event.data.occurredAt },
      };
    case 'ExpenseClaimed': {
      const { claimId, amountPence, incurredOn, occurredAt } = event.data;
      return {
        ...state,
        claims: {
          ...state.claims,
          [claimId]: {
            claimId,
            amountPence,
            incurredOn,
            claimedAt: occurredAt,
            status: 'claimed',
            settledAt: null,
          },
        },
      };
    }
    case 'ExpenseReimbursed':
    case 'ExpenseRejected': {
      const claim = state.claims[event.data.claimId];
      if (!claim) return state;
      const status = event.type === 'ExpenseReimbursed' ? 'reimbursed' : 'rejected';
      return {
        ...state,
        claims: {
          ...state.claims,
          [claim.claimId]: { ...claim, status, settledAt: event.data.occurredAt },
        },
      };
    }
    case 'InvolvementPaymentRecorded':
    case 'InvolvementPaymentDeclined': {
      const { paymentId, amountPence, occurredAt } = event.data;
      const status = event.type === 'InvolvementPaymentRecorded' ? 'made' : 'declined';
      return {
        ...state,
        payments: { ...state.payments, [paymentId]: { status, amountPence, at: occurredAt } },
      };
    }
    case 'PersonalDataErased':
      return { ...state, erasedAt: event.data.occurredAt };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** When the partner entered the ledger: nomination (lay) or registration (professional). */
export const partnerJoinedAt = (state: PartnerState): string | null =>
  state.nominatedAt ?? state.registeredAt;

/** What other streams' decisions need to know about a partner. */
export interface PartnerStanding {
  partnerId: string;
  status: PartnerStatus;
  kind: PartnerKind;
  /** `lay` for lay partners; a professional's registered constituency. */
  constituency: Constituency;
  /** Nomination or registration date: nothing involving the partner happens before it. */
  joinedAt: string;
  /** Earliest appointment, if any: a lay seat cannot be taken before it. */
  appointedAt: string | null;
  /** Withdrawal date, if withdrawn: nothing involving the partner happens from it on. */
  withdrawnAt: string | null;
  /** The programme the partner belongs to (`null` or absent: none on record). */
  programmeId?: string | null;
}

export function partnerStanding(state: PartnerState): PartnerStanding | null {
  const joinedAt = partnerJoinedAt(state);
  if (
    state.status === 'unknown' ||
    state.partnerId === null ||
    state.kind === null ||
    state.constituency === null ||
    joinedAt === null
  ) {
    return null;
  }
  return {
    partnerId: state.partnerId,
    status: state.status,
    kind: state.kind,
    constituency: state.constituency,
    joinedAt,
    appointedAt: earliest(state.appointments.map((a) => a.at)),
    withdrawnAt: state.withdrawal?.at ?? null,
    programmeId: state.programmeId,
  };
}

function earliest(dates: readonly string[]): string | null {
  return dates.reduce<string | null>(
    (min, d) => (min === null || Date.parse(d) < Date.parse(min) ? d : min),
    null,
  );
}
