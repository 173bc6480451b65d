import { assertNotBefore, assertNotInFuture } from '../core/business-time.js';
import type { DecisionContext, Decider, Message } from '../core/decider.js';
import { conflict, notFound, rule } from '../core/domain-error.js';
import { programmeStream } from '../core/streams.js';
import { assertGroupActiveAt, type GroupStanding } from '../facts/index.js';
import {
  evolveProgramme,
  initialProgrammeState,
  type ProgrammeEvent,
  type ProgrammeState,
  type ProgrammeLaunched,
  type RoleProfilePublished,
  type NominationsRequested,
  type RecruitmentWorkshopHeld,
  type WithdrawalReasonsDefined,
  type ResponseTargetsSet,
} from './programme.events.js';
import {
  CURRENCY_CODE,
  PAYMENT_BASES,
  ROLE_LEVEL_KEY,
  WITHDRAWAL_REASON_KEY,
} from '../shared/vocabulary.js';

/**
 * A role level is a lowercase key; a rate is whole pence from zero, a
 * currency code and a basis (hour or meeting); an unpaid profile offers no
 * payment above zero.
 */
function assertRoleLevelAndRate({
  roleLevel,
  involvementPayment,
  paid,
}: PublishRoleProfile['data']): void {
  if (roleLevel !== undefined && !ROLE_LEVEL_KEY.test(roleLevel)) {
    throw rule('invalid_role_profile', 'roleLevel is a lowercase key, e.g. lay-co-chair', {
      roleLevel,
    });
  }
  if (involvementPayment === undefined || involvementPayment === null) return;
  const { amountPence, currency, per } = involvementPayment;
  if (
    !Number.isSafeInteger(amountPence) ||
    amountPence < 0 ||
    !CURRENCY_CODE.test(currency) ||
    !(PAYMENT_BASES as readonly string[]).includes(per)
  ) {
    throw rule(
      'invalid_role_profile',
      'involvementPayment is whole pence from 0, a currency code (GBP) and per hour or meeting',
      { involvementPayment },
    );
  }
  if (!paid && amountPence > 0) {
    throw rule('invalid_role_profile', 'An unpaid role profile offers no involvement payment', {
      paid,
      involvementPayment,
    });
  }
}

export type LaunchProgramme = Message<'LaunchProgramme', ProgrammeLaunched['data']>;

export type PublishRoleProfile = Message<'PublishRoleProfile', RoleProfilePublished['data']>;

export type RequestNominations = Message<'RequestNominations', NominationsRequested['data']>;

export type HoldRecruitmentWorkshop = Message<
  'HoldRecruitmentWorkshop',
  RecruitmentWorkshopHeld['data']
>;

export type AdoptPrinciples = Message<
  'AdoptPrinciples',
  {
    programmeId: string;
    /** Must be exactly the current version + 1 (1 for the first). */
    version: number;
    statements: string[];
    adoptedBy: string;
    occurredAt: string;
  }
>;

export type DefineWithdrawalReasons = Message<
  'DefineWithdrawalReasons',
  WithdrawalReasonsDefined['data']
>;

export type SetResponseTargets = Message<'SetResponseTargets', ResponseTargetsSet['data']>;

/** The longest response target: ten years of days. */
export const MAX_RESPONSE_TARGET_DAYS = 3660;

export type ProgrammeCommand =
  | LaunchProgramme
  | DefineWithdrawalReasons
  | SetResponseTargets
  | PublishRoleProfile
  | RequestNominations
  | HoldRecruitmentWorkshop
  | AdoptPrinciples;

export const programmeCommandStream = (command: ProgrammeCommand): string =>
  programmeStream(command.data.programmeId);

export interface ProgrammeContext extends DecisionContext {
  /** The group named by AdoptPrinciples.adoptedBy. */
  adoptingGroup?: GroupStanding | null;
}

export function decideProgramme(
  command: ProgrammeCommand,
  state: ProgrammeState,
  context: ProgrammeContext,
): ProgrammeEvent[] {
  assertNotInFuture(command.data.occurredAt, context.now);
  const { programmeId, occurredAt } = command.data;
  if (command.type === 'LaunchProgramme') {
    if (state.status !== 'unknown') {
      throw conflict('programme_exists', `Programme ${programmeId} already exists`, {
        programmeId,
      });
    }
    if (new Set(command.data.boroughs).size !== command.data.boroughs.length) {
      throw rule('duplicate_borough', 'Each borough is listed once', {
        boroughs: command.data.boroughs,
      });
    }
    return [
      {
        type: 'ProgrammeLaunched',
        data: { ...command.data, boroughs: [...command.data.boroughs] },
      },
    ];
  }

  if (state.status === 'unknown' || state.launchedAt === null) {
    throw notFound('programme_not_found', `Programme ${programmeId} does not exist`, {
      programmeId,
    });
  }
  switch (command.type) {
    case 'PublishRoleProfile': {
      const { meetingsPerMonth, hoursPerMonth } = command.data;
      if (![meetingsPerMonth, hoursPerMonth].every((n) => Number.isFinite(n) && n >= 0)) {
        throw rule(
          'invalid_role_profile',
          'meetingsPerMonth and hoursPerMonth are numbers from 0',
          {
            meetingsPerMonth,
            hoursPerMonth,
          },
        );
      }
      assertRoleLevelAndRate(command.data);
      assertNotBefore(occurredAt, state.launchedAt, 'published_before_launch', 'the launch');
      return [{ type: 'RoleProfilePublished', data: { ...command.data } }];
    }
    case 'RequestNominations': {
      const { organisations } = command.data;
      if (organisations.length === 0) {
        throw rule(
          'no_organisations',
          'Nominations are requested from at least one organisation',
          {},
        );
      }
      if (new Set(organisations.map((o) => o.name)).size !== organisations.length) {
        throw rule('duplicate_organisation', 'Each organisation is asked once per request', {});
      }
      assertNotBefore(occurredAt, state.launchedAt, 'requested_before_launch', 'the launch');
      return [
        {
          type: 'NominationsRequested',
          data: { ...command.data, organisations: organisations.map((o) => ({ ...o })) },
        },
      ];
    }
    case 'HoldRecruitmentWorkshop': {
      const { workshopId, attendees, campaign } = command.data;
      if (state.workshops[workshopId]) {
        throw conflict('workshop_exists', `Workshop ${workshopId} is already recorded`, {
          workshopId,
        });
      }
      if (!Number.isSafeInteger(attendees) || attendees < 0) {
        throw rule('invalid_attendees', 'attendees is a whole number from 0', { attendees });
      }
      const requested = state.campaigns[campaign];
      if (!requested) {
        throw notFound(
          'campaign_not_found',
          `No nominations were requested for campaign ${campaign}`,
          {
            campaign,
          },
        );
      }
      // Nominees are invited to the workshop, so it follows the request for nominations.
      assertNotBefore(
        occurredAt,
        requested.requestedAt,
        'workshop_before_nominations_requested',
        'the request for nominations',
      );
      return [{ type: 'RecruitmentWorkshopHeld', data: { ...command.data } }];
    }
    case 'AdoptPrinciples':
      return adoptPrinciples(command, state, state.launchedAt, context);
    case 'DefineWithdrawalReasons':
      return defineWithdrawalReasons(command, state, state.launchedAt);
    case 'SetResponseTargets':
      return setResponseTargets(command, state, state.launchedAt);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function adoptPrinciples(
  { data }: AdoptPrinciples,
  state: ProgrammeState,
  launchedAt: string,
  { adoptingGroup }: ProgrammeContext,
): ProgrammeEvent[] {
  const { version, statements, adoptedBy, occurredAt } = data;
  const current = state.principles?.version ?? 0;
  // An expected-version check: two offices adopting "version 2" at once cannot both win.
  if (version !== current + 1) {
    throw conflict(
      'principles_version_out_of_sequence',
      `The next touchstone version is ${current + 1}`,
      {
        version,
        expected: current + 1,
      },
    );
  }
  if (statements.length === 0 || statements.some((s) => s.trim() === '')) {
    throw rule(
      'principles_statements_required',
      'The touchstone needs at least one non-empty statement',
      {},
    );
  }
  assertNotBefore(occurredAt, launchedAt, 'adopted_before_launch', 'the launch');
  if (state.principles) {
    assertNotBefore(
      occurredAt,
      state.principles.adoptedAt,
      'adopted_before_previous_version',
      'the previous version',
    );
  }
  assertGroupActiveAt(adoptingGroup, adoptedBy, occurredAt, 'adopted_before_group_established');
  return [
    {
      type: 'PrinciplesAdopted',
      data: { ...data, statements: [...statements], supersedes: state.principles?.version ?? null },
    },
  ];
}

function defineWithdrawalReasons(
  { data }: DefineWithdrawalReasons,
  state: ProgrammeState,
  launchedAt: string,
): ProgrammeEvent[] {
  const { reasons, occurredAt } = data;
  if (reasons.length === 0) {
    throw rule('withdrawal_reasons_required', 'Define at least one withdrawal reason', {});
  }
  const invalid = reasons.filter((r) => !WITHDRAWAL_REASON_KEY.test(r.key)).map((r) => r.key);
  if (invalid.length > 0) {
    throw rule('invalid_withdrawal_reason_key', 'Reason keys are kebab-case, e.g. "moved-away"', {
      keys: invalid,
    });
  }
  const keys = reasons.map((r) => r.key);
  const repeated = keys.filter((key, i) => keys.indexOf(key) !== i);
  if (repeated.length > 0) {
    throw rule('duplicate_withdrawal_reason', 'Each reason key is defined once', {
      keys: [...new Set(repeated)],
    });
  }
  const unlabelled = reasons.filter((r) => r.label.trim() === '').map((r) => r.key);
  if (unlabelled.length > 0) {
    throw rule('withdrawal_reason_label_required', 'Each reason needs a label', {
      keys: unlabelled,
    });
  }
  assertNotBefore(occurredAt, launchedAt, 'defined_before_launch', 'the launch');
  // Definitions replace each other in business order, like touchstone versions.
  if (state.withdrawalReasons) {
    assertNotBefore(
      occurredAt,
      state.withdrawalReasons.definedAt,
      'defined_before_previous_reasons',
      'the previous definition',
    );
  }
  return [
    {
      type: 'WithdrawalReasonsDefined',
      data: { ...data, reasons: reasons.map(({ key, label }) => ({ key, label })) },
    },
  ];
}

function setResponseTargets(
  { data }: SetResponseTargets,
  state: ProgrammeState,
  launchedAt: string,
): ProgrammeEvent[] {
  const { firstResponseDays, reportBackDays, occurredAt } = data;
  if (firstResponseDays === null && reportBackDays === null) {
    throw rule(
      'response_target_required',
      'Set at least one target: firstResponseDays or reportBackDays',
      {},
    );
  }
  const invalid = Object.entries({ firstResponseDays, reportBackDays })
    .filter(
      ([, days]) =>
        days !== null &&
        !(Number.isSafeInteger(days) && days >= 1 && days <= MAX_RESPONSE_TARGET_DAYS),
    )
    .map(([field]) => field);
  if (invalid.length > 0) {
    throw rule(
      'invalid_response_target',
      `Targets are whole days from 1 to ${MAX_RESPONSE_TARGET_DAYS}`,
      { fields: invalid, firstResponseDays, reportBackDays },
    );
  }
  // Reporting back tells people what was done: it cannot be due before the first response.
  if (firstResponseDays !== null && reportBackDays !== null && firstResponseDays > reportBackDays) {
    throw rule(
      'response_targets_out_of_order',
      'The first response cannot be due after the report back',
      { firstResponseDays, reportBackDays },
    );
  }
  assertNotBefore(occurredAt, launchedAt, 'targets_set_before_launch', 'the launch');
  if (state.responseTargets) {
    assertNotBefore(
      occurredAt,
      state.responseTargets.setAt,
      'targets_set_before_previous_targets',
      'the previous targets',
    );
  }
  return [{ type: 'ResponseTargetsSet', data: { ...data } }];
}

export const programmeDecider: Decider<
  ProgrammeCommand,
  ProgrammeEvent,
  ProgrammeState,
  ProgrammeContext
> = {
  decide: decideProgramme,
  evolve: evolveProgramme,
  initialState: initialProgrammeState,
};
