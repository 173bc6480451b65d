import { assertNotBefore, assertNotInFuture } from '../core/business-time.js';
import type { DecisionContext, Decider, Message } from '../core/decider.js';
import { conflict, notFound, rule } from '../core/domain-error.js';
import { partnerStream } from '../core/streams.js';
import {
  evolvePartner,
  initialPartnerState,
  partnerJoinedAt,
  type PartnerEvent,
  type PartnerState,
  type PartnerNominated,
  type PartnerRegistered,
  type WorkshopAttended,
  type InterestExpressed,
  type PartnerAppointed,
  type TrainingCompleted,
  type PartnerWithdrew,
  type ExpenseClaimed,
  type ExpenseRejected,
  type InvolvementPaymentDeclined,
  type InvolvementPaymentRecorded,
  type PersonalDataErased,
} from './partner.events.js';
import {
  resolveProgramme,
  type PartnerInvolvement,
  type ProgrammeStanding,
} from '../facts/index.js';
import { CURRENCY_CODE, validWithdrawalReasons } from '../shared/vocabulary.js';

/** Without `programmeId`, the partner joins the ledger's only programme (see `resolveProgramme`). */
type Joining<T extends { programmeId: string | null }> = Omit<T, 'programmeId'> & {
  programmeId?: string | null;
};

export type NominatePartner = Message<'NominatePartner', Joining<PartnerNominated['data']>>;

export type RegisterProfessional = Message<
  'RegisterProfessional',
  Joining<PartnerRegistered['data']>
>;

export type RecordWorkshopAttendance = Message<
  'RecordWorkshopAttendance',
  WorkshopAttended['data']
>;

export type ExpressInterest = Message<'ExpressInterest', InterestExpressed['data']>;

export type AppointPartner = Message<'AppointPartner', PartnerAppointed['data']>;

export type CompleteTraining = Message<'CompleteTraining', TrainingCompleted['data']>;

export type Withdraw = Message<'Withdraw', PartnerWithdrew['data']>;

export type ClaimExpense = Message<'ClaimExpense', ExpenseClaimed['data']>;

export type ReimburseExpense = Message<
  'ReimburseExpense',
  { partnerId: string; claimId: string; occurredAt: string }
>;

export type RejectExpense = Message<'RejectExpense', ExpenseRejected['data']>;

export type RecordInvolvementPayment = Message<
  'RecordInvolvementPayment',
  InvolvementPaymentRecorded['data']
>;

export type RecordInvolvementPaymentDeclined = Message<
  'RecordInvolvementPaymentDeclined',
  InvolvementPaymentDeclined['data']
>;

export type ErasePersonalData = Message<'ErasePersonalData', PersonalDataErased['data']>;

export type PartnerCommand =
  | NominatePartner
  | RegisterProfessional
  | RecordWorkshopAttendance
  | ExpressInterest
  | AppointPartner
  | CompleteTraining
  | Withdraw
  | ClaimExpense
  | ReimburseExpense
  | RejectExpense
  | RecordInvolvementPayment
  | RecordInvolvementPaymentDeclined
  | ErasePersonalData;

export const partnerCommandStream = (command: PartnerCommand): string =>
  partnerStream(command.data.partnerId);

export interface PartnerContext extends DecisionContext {
  /**
   * The partner's programme: the one named by NominatePartner/RegisterProfessional,
   * or (for Withdraw) the one the partner joined. Its withdrawal reasons validate
   * `Withdraw.reason`; without one, the default set does.
   */
  programme?: ProgrammeStanding | null;
  /**
   * For Withdraw: the latest thing each group the partner sat on records of
   * them (a seat, a meeting attended, a decision present for). A withdrawal
   * dated before any of it would leave them acting after they left.
   */
  groupInvolvement?: readonly PartnerInvolvement[];
  /**
   * For NominatePartner/RegisterProfessional: the programme named, if it exists,
   * or, when none is named, every programme of the ledger.
   */
  programmes?: readonly ProgrammeStanding[];
}

/** A partner that exists: nominated or registered. */
type KnownPartner = PartnerState & { partnerId: string; joinedAt: string };

export function decidePartner(
  command: PartnerCommand,
  state: PartnerState,
  {
    now,
    programme,
    programmes = programme ? [programme] : [],
    groupInvolvement = [],
  }: PartnerContext,
): PartnerEvent[] {
  assertNotInFuture(command.data.occurredAt, now);
  switch (command.type) {
    case 'NominatePartner':
      assertNew(state, command.data.partnerId);
      return [
        {
          type: 'PartnerNominated',
          data: { ...command.data, programmeId: joins(command.data, programmes) },
        },
      ];
    case 'RegisterProfessional': {
      assertNew(state, command.data.partnerId);
      const programmeId = joins(command.data, programmes);
      if (command.data.constituency === 'lay') {
        throw rule(
          'professional_cannot_be_lay',
          'Professionals represent an organisation; lay partners are nominated, not registered',
          { partnerId: command.data.partnerId },
        );
      }
      return [{ type: 'PartnerRegistered', data: { ...command.data, programmeId } }];
    }
    case 'RecordWorkshopAttendance': {
      const partner = active(state, command.data.partnerId, command.data.occurredAt);
      assertLay(partner);
      const { workshopId, occurredAt } = command.data;
      if (partner.workshops.some((w) => w.workshopId === workshopId)) {
        throw rule(
          'workshop_already_attended',
          `Attendance at workshop ${workshopId} is already recorded`,
          {
            workshopId,
          },
        );
      }
      assertNotBefore(occurredAt, partner.joinedAt, 'attended_before_nominated', 'the nomination');
      return [{ type: 'WorkshopAttended', data: { ...command.data } }];
    }
    case 'ExpressInterest': {
      const partner = active(state, command.data.partnerId, command.data.occurredAt);
      assertLay(partner);
      if (partner.interestExpressedAt !== null) {
        throw rule(
          'interest_already_expressed',
          `Interest was expressed on ${partner.interestExpressedAt}`,
          {
            partnerId: partner.partnerId,
          },
        );
      }
      assertNotBefore(
        command.data.occurredAt,
        partner.joinedAt,
        'interest_before_nominated',
        'the nomination',
      );
      return [{ type: 'InterestExpressed', data: { ...command.data } }];
    }
    case 'AppointPartner': {
      const { partnerId, body, occurredAt } = command.data;
      const partner = active(state, partnerId, occurredAt);
      assertLay(partner);
      if (partner.appointments.some((a) => a.body === body)) {
        throw rule(
          'already_appointed',
          `Partner ${partnerId} is already appointed to the ${body}`,
          {
            partnerId,
            body,
          },
        );
      }
      assertNotBefore(occurredAt, partner.joinedAt, 'appointed_before_nominated', 'the nomination');
      return [{ type: 'PartnerAppointed', data: { partnerId, body, occurredAt } }];
    }
    case 'CompleteTraining': {
      const partner = active(state, command.data.partnerId, command.data.occurredAt);
      assertNotBefore(
        command.data.occurredAt,
        partner.joinedAt,
        'trained_before_joined',
        'the partner joined',
      );
      return [{ type: 'TrainingCompleted', data: { ...command.data } }];
    }
    case 'Withdraw': {
      const partner = known(state, command.data.partnerId);
      if (partner.withdrawal !== null) {
        throw rule(
          'partner_withdrawn',
          `Partner ${partner.partnerId} withdrew on ${partner.withdrawal.at}`,
          {
            partnerId: partner.partnerId,
            withdrewAt: partner.withdrawal.at,
          },
        );
      }
      const valid = validWithdrawalReasons(programme?.withdrawalReasons);
      if (!valid.includes(command.data.reason)) {
        throw rule(
          'unknown_withdrawal_reason',
          `"${command.data.reason}" is not one of the programme's withdrawal reasons`,
          { reason: command.data.reason, valid, programmeId: partner.programmeId },
        );
      }
      assertAfterGroupInvolvement(command.data.occurredAt, groupInvolvement);
      const last = lastActivity(partner);
      assertNotBefore(
        command.data.occurredAt,
        last.at,
        'withdrew_before_last_activity',
        'the partner’s last recorded activity',
        { activity: last.activity },
      );
      return [{ type: 'PartnerWithdrew', data: { ...command.data } }];
    }
    case 'ClaimExpense':
      return claimExpense(command, state);
    case 'ReimburseExpense':
    case 'RejectExpense':
      return settleExpense(command, state);
    case 'RecordInvolvementPayment':
    case 'RecordInvolvementPaymentDeclined':
      return involvementPayment(command, state);
    case 'ErasePersonalData': {
      const partner = known(state, command.data.partnerId);
      if (partner.erasedAt !== null) {
        throw rule(
          'personal_data_already_erased',
          `Personal data was erased on ${partner.erasedAt}`,
          {
            partnerId: partner.partnerId,
          },
        );
      }
      // Erasure ends the person's involvement: withdrawing first lets the saga vacate seats and co-chairs.
      if (partner.withdrawal === null) {
        throw rule(
          'partner_not_withdrawn',
          `Partner ${partner.partnerId} must withdraw before erasure`,
          {
            partnerId: partner.partnerId,
          },
        );
      }
      assertNotBefore(
        command.data.occurredAt,
        partner.withdrawal.at,
        'erased_before_withdrawal',
        'the withdrawal',
      );
      return [{ type: 'PersonalDataErased', data: { ...command.data } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

/**
 * A claim may be made after the withdrawal (paperwork follows the last
 * meeting), but only for a cost incurred by then.
 */
function claimExpense({ data }: ClaimExpense, state: PartnerState): PartnerEvent[] {
  const partner = active(state, data.partnerId, data.incurredOn);
  // Expenses exist because lay partners are unpaid; professionals claim through their employer.
  assertLay(partner);
  if (partner.claims[data.claimId]) {
    throw conflict('claim_exists', `Claim ${data.claimId} already exists`, {
      claimId: data.claimId,
    });
  }
  if (!Number.isSafeInteger(data.amountPence) || data.amountPence <= 0) {
    throw rule('invalid_amount', 'amountPence must be a whole number of pence above zero', {
      amountPence: data.amountPence,
    });
  }
  assertNotBefore(
    data.occurredAt,
    data.incurredOn,
    'claimed_before_incurred',
    'the cost was incurred',
  );
  assertNotBefore(
    data.incurredOn,
    partner.joinedAt,
    'incurred_before_joined',
    'the partner joined',
  );
  return [{ type: 'ExpenseClaimed', data: { ...data } }];
}

/**
 * A payment made or declined: to a lay partner not withdrawn by then, from
 * the day they joined, once per payment id (made and declined share the ids,
 * so a retried request is answered `payment_exists`), in whole pence from zero.
 */
function involvementPayment(
  command: RecordInvolvementPayment | RecordInvolvementPaymentDeclined,
  state: PartnerState,
): PartnerEvent[] {
  const { data } = command;
  const partner = active(state, data.partnerId, data.occurredAt);
  assertLay(partner);
  const existing = partner.payments[data.paymentId];
  if (existing) {
    throw conflict('payment_exists', `Payment ${data.paymentId} is already recorded`, {
      paymentId: data.paymentId,
      status: existing.status,
    });
  }
  if (!Number.isSafeInteger(data.amountPence) || data.amountPence < 0) {
    throw rule('invalid_amount', 'amountPence must be a whole number of pence from zero', {
      amountPence: data.amountPence,
    });
  }
  if (!CURRENCY_CODE.test(data.currency)) {
    throw rule('invalid_currency', 'currency is an ISO 4217 code, e.g. GBP', {
      currency: data.currency,
    });
  }
  assertNotBefore(data.occurredAt, partner.joinedAt, 'paid_before_joined', 'the partner joined');
  return command.type === 'RecordInvolvementPayment'
    ? [{ type: 'InvolvementPaymentRecorded', data: { ...data } }]
    : [{ type: 'InvolvementPaymentDeclined', data: { ...data } }];
}

/** Allowed after withdrawal and erasure: earlier claims are still settled. */
function settleExpense(
  command: ReimburseExpense | RejectExpense,
  state: PartnerState,
): PartnerEvent[] {
  const partner = known(state, command.data.partnerId);
  const { claimId, occurredAt } = command.data;
  const claim = partner.claims[claimId];
  if (!claim) {
    throw notFound('claim_not_found', `Claim ${claimId} does not exist`, { claimId });
  }
  if (claim.status !== 'claimed') {
    throw rule(
      'claim_already_settled',
      `Claim ${claimId} was ${claim.status} on ${claim.settledAt}`,
      {
        claimId,
        status: claim.status,
      },
    );
  }
  assertNotBefore(occurredAt, claim.claimedAt, 'settled_before_claimed', 'the claim');
  if (command.type === 'ReimburseExpense') {
    return [
      {
        type: 'ExpenseReimbursed',
        data: { partnerId: partner.partnerId, claimId, amountPence: claim.amountPence, occurredAt },
      },
    ];
  }
  if (command.data.reason.trim() === '') {
    throw rule('rejection_reason_required', 'A rejected claim needs a reason', { claimId });
  }
  return [{ type: 'ExpenseRejected', data: { ...command.data } }];
}

function assertNew(state: PartnerState, partnerId: string): void {
  if (state.status !== 'unknown') {
    throw conflict('partner_exists', `Partner ${partnerId} already exists`, { partnerId });
  }
}

function known(state: PartnerState, partnerId: string): KnownPartner {
  const joinedAt = partnerJoinedAt(state);
  if (state.status === 'unknown' || state.partnerId === null || joinedAt === null) {
    throw notFound('partner_not_found', `Partner ${partnerId} does not exist`, { partnerId });
  }
  return { ...state, partnerId: state.partnerId, joinedAt };
}

/**
 * Known, and not withdrawn at `at`: nothing the partner does is dated after
 * their withdrawal. Facts dated at or before it may still be recorded late
 * (an office catching up on paper), as they would have been accepted in order.
 */
function active(state: PartnerState, partnerId: string, at: string): KnownPartner {
  const partner = known(state, partnerId);
  const withdrawal = partner.withdrawal;
  if (withdrawal !== null && Date.parse(at) > Date.parse(withdrawal.at)) {
    throw rule('partner_withdrawn', `Partner ${partnerId} withdrew on ${withdrawal.at}`, {
      partnerId,
      withdrewAt: withdrawal.at,
      occurredAt: at,
    });
  }
  return partner;
}

/**
 * The programme a partner joins: the one named, or the ledger's only one. A
 * programme named must exist, and the partner joins it no earlier than its launch.
 */
function joins(
  data: { programmeId?: string | null; occurredAt: string },
  programmes: readonly ProgrammeStanding[],
): string | null {
  const programme = resolveProgramme(data.programmeId, programmes);
  if (programme && data.programmeId != null) {
    assertNotBefore(
      data.occurredAt,
      programme.launchedAt,
      'joined_before_programme_launched',
      'the programme was launched',
      { programmeId: programme.programmeId },
    );
  }
  return programme?.programmeId ?? null;
}

function assertLay(partner: KnownPartner): void {
  if (partner.kind !== 'lay') {
    throw rule(
      'lay_partner_only',
      `Partner ${partner.partnerId} is a professional, not a lay partner`,
      {
        partnerId: partner.partnerId,
      },
    );
  }
}

/**
 * A withdrawal is not dated before anything a group records of the partner
 * (their seats and co-chair terms), nor on or before a meeting or decision
 * they were present for: seats end on the withdrawal date, and a seat that
 * ends on a date is not held on it.
 */
function assertAfterGroupInvolvement(
  occurredAt: string,
  involvement: readonly PartnerInvolvement[],
): void {
  const at = Date.parse(occurredAt);
  for (const fact of involvement) {
    const factAt = Date.parse(fact.at);
    if (at < factAt || (fact.present && at === factAt)) {
      throw rule(
        'withdrew_before_last_activity',
        `occurredAt ${occurredAt} is not after ${fact.activity} (${fact.at})`,
        { occurredAt, dependsOn: fact.at, activity: fact.activity },
      );
    }
  }
}

/**
 * The latest thing the partner did: joining, a workshop, interest, an
 * appointment, training, or a cost incurred (a claim itself may follow the
 * withdrawal, so its date does not count).
 */
function lastActivity(partner: KnownPartner): { at: string; activity: string } {
  const activities: Array<{ at: string | null; activity: string }> = [
    { at: partner.joinedAt, activity: partner.kind === 'lay' ? 'nominated' : 'registered' },
    { at: partner.interestExpressedAt, activity: 'interest-expressed' },
    ...partner.workshops.map((w) => ({ at: w.at, activity: `workshop ${w.workshopId}` })),
    ...partner.appointments.map((a) => ({ at: a.at, activity: `appointed to ${a.body}` })),
    ...partner.trainings.map((t) => ({ at: t.at, activity: `training ${t.course}` })),
    ...Object.values(partner.claims).map((c) => ({
      at: c.incurredOn,
      activity: `expense ${c.claimId} incurred`,
    })),
  ];
  let last = {
    at: partner.joinedAt,
    activity: partner.kind === 'lay' ? 'nominated' : 'registered',
  };
  for (const { at, activity } of activities) {
    if (at !== null && Date.parse(at) > Date.parse(last.at)) last = { at, activity };
  }
  return last;
}

export const partnerDecider: Decider<PartnerCommand, PartnerEvent, PartnerState, PartnerContext> = {
  decide: decidePartner,
  evolve: evolvePartner,
  initialState: initialPartnerState,
};
