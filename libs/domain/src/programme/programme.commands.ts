import type { CommandDeclarations, Within } from '../core/command-declaration.js';
import type { ProgrammeCommand } from './programme.decider.js';
import type { ProgrammeEvent } from './programme.events.js';

/** Every command but LaunchProgramme names a launched programme. */
const onLaunchedProgramme = { programme_not_found: 'not_found' } as const;

/** The programme stream's commands: events and error codes (see core/command-declaration.ts). */
export const programmeCommands = {
  LaunchProgramme: {
    events: ['ProgrammeLaunched'],
    errors: { programme_exists: 'conflict', duplicate_borough: 'rule' },
  },
  PublishRoleProfile: {
    events: ['RoleProfilePublished'],
    errors: {
      ...onLaunchedProgramme,
      invalid_role_profile: 'rule',
      published_before_launch: 'rule',
    },
  },
  RequestNominations: {
    events: ['NominationsRequested'],
    errors: {
      ...onLaunchedProgramme,
      no_organisations: 'rule',
      duplicate_organisation: 'rule',
      requested_before_launch: 'rule',
    },
  },
  HoldRecruitmentWorkshop: {
    events: ['RecruitmentWorkshopHeld'],
    errors: {
      ...onLaunchedProgramme,
      workshop_exists: 'conflict',
      invalid_attendees: 'rule',
      campaign_not_found: 'not_found',
      workshop_before_nominations_requested: 'rule',
    },
  },
  AdoptPrinciples: {
    events: ['PrinciplesAdopted'],
    errors: {
      ...onLaunchedProgramme,
      principles_version_out_of_sequence: 'conflict',
      principles_statements_required: 'rule',
      adopted_before_launch: 'rule',
      adopted_before_previous_version: 'rule',
      group_not_found: 'not_found',
      group_dissolved: 'rule',
      adopted_before_group_established: 'rule',
    },
  },
  DefineWithdrawalReasons: {
    events: ['WithdrawalReasonsDefined'],
    errors: {
      ...onLaunchedProgramme,
      withdrawal_reasons_required: 'rule',
      invalid_withdrawal_reason_key: 'rule',
      duplicate_withdrawal_reason: 'rule',
      withdrawal_reason_label_required: 'rule',
      defined_before_launch: 'rule',
      defined_before_previous_reasons: 'rule',
    },
  },
  SetResponseTargets: {
    events: ['ResponseTargetsSet'],
    errors: {
      ...onLaunchedProgramme,
      response_target_required: 'rule',
      invalid_response_target: 'rule',
      response_targets_out_of_order: 'rule',
      targets_set_before_launch: 'rule',
      targets_set_before_previous_targets: 'rule',
    },
  },
} as const satisfies CommandDeclarations<ProgrammeEvent['type']>;

export type ProgrammeCommandType = keyof typeof programmeCommands;

type _EveryProgrammeCommandDeclared = Within<ProgrammeCommand['type'], ProgrammeCommandType>;
type _EveryProgrammeDeclarationDecided = Within<ProgrammeCommandType, ProgrammeCommand['type']>;
type _ProgrammeDeclaredEvents = (typeof programmeCommands)[ProgrammeCommandType]['events'][number];
type _EveryProgrammeEventDeclared = Within<ProgrammeEvent['type'], _ProgrammeDeclaredEvents>;
