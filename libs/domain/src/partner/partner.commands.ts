import type { CommandDeclarations, Within } from '../core/command-declaration.js';
import type { PartnerCommand } from './partner.decider.js';
import type { PartnerEvent } from './partner.events.js';

/** The partner exists: nominated or registered. */
const onKnownPartner = { partner_not_found: 'not_found' } as const;
/** …and has not withdrawn. */
const onActivePartner = { ...onKnownPartner, partner_withdrawn: 'rule' } as const;
/** …and is a lay partner (recruitment and expenses). */
const onActiveLayPartner = { ...onActivePartner, lay_partner_only: 'rule' } as const;
const settling = {
  ...onKnownPartner,
  claim_not_found: 'not_found',
  claim_already_settled: 'rule',
  settled_before_claimed: 'rule',
} as const;

/** An involvement payment made or declined: once per payment id, whole pence from zero. */
const involvementPayment = {
  ...onActiveLayPartner,
  payment_exists: 'conflict',
  invalid_amount: 'rule',
  invalid_currency: 'rule',
  paid_before_joined: 'rule',
} as const;

/**
 * A partner belongs to one programme (`programmeId`): one named must exist and have
 * launched by then; unnamed, the ledger's only programme (several: `programme_required`).
 */
const inProgramme = {
  programme_not_found: 'not_found',
  joined_before_programme_launched: 'rule',
  programme_required: 'rule',
} as const;

/** The partner stream's commands: events and error codes (see core/command-declaration.ts). */
export const partnerCommands = {
  NominatePartner: {
    events: ['PartnerNominated'],
    errors: { ...inProgramme, partner_exists: 'conflict' },
  },
  RegisterProfessional: {
    events: ['PartnerRegistered'],
    errors: { ...inProgramme, partner_exists: 'conflict', professional_cannot_be_lay: 'rule' },
  },
  RecordWorkshopAttendance: {
    events: ['WorkshopAttended'],
    errors: {
      ...onActiveLayPartner,
      workshop_already_attended: 'rule',
      attended_before_nominated: 'rule',
    },
  },
  ExpressInterest: {
    events: ['InterestExpressed'],
    errors: {
      ...onActiveLayPartner,
      interest_already_expressed: 'rule',
      interest_before_nominated: 'rule',
    },
  },
  AppointPartner: {
    events: ['PartnerAppointed'],
    errors: {
      ...onActiveLayPartner,
      already_appointed: 'rule',
      appointed_before_nominated: 'rule',
    },
  },
  CompleteTraining: {
    events: ['TrainingCompleted'],
    errors: { ...onActivePartner, trained_before_joined: 'rule' },
  },
  Withdraw: {
    events: ['PartnerWithdrew'],
    errors: {
      ...onActivePartner,
      unknown_withdrawal_reason: 'rule',
      withdrew_before_last_activity: 'rule',
    },
  },
  ClaimExpense: {
    events: ['ExpenseClaimed'],
    errors: {
      ...onActiveLayPartner,
      claim_exists: 'conflict',
      invalid_amount: 'rule',
      claimed_before_incurred: 'rule',
      incurred_before_joined: 'rule',
    },
  },
  ReimburseExpense: {
    events: ['ExpenseReimbursed'],
    errors: settling,
  },
  RejectExpense: {
    events: ['ExpenseRejected'],
    errors: { ...settling, rejection_reason_required: 'rule' },
  },
  RecordInvolvementPayment: {
    events: ['InvolvementPaymentRecorded'],
    errors: involvementPayment,
  },
  RecordInvolvementPaymentDeclined: {
    events: ['InvolvementPaymentDeclined'],
    errors: involvementPayment,
  },
  ErasePersonalData: {
    events: ['PersonalDataErased'],
    errors: {
      ...onKnownPartner,
      personal_data_already_erased: 'rule',
      partner_not_withdrawn: 'rule',
      erased_before_withdrawal: 'rule',
    },
  },
} as const satisfies CommandDeclarations<PartnerEvent['type']>;

export type PartnerCommandType = keyof typeof partnerCommands;

type _EveryPartnerCommandDeclared = Within<PartnerCommand['type'], PartnerCommandType>;
type _EveryPartnerDeclarationDecided = Within<PartnerCommandType, PartnerCommand['type']>;
type _PartnerDeclaredEvents = (typeof partnerCommands)[PartnerCommandType]['events'][number];
type _EveryPartnerEventDeclared = Within<PartnerEvent['type'], _PartnerDeclaredEvents>;
