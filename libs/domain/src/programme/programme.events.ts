import type { Message } from '../core/decider.js';
import { notFound, rule } from '../core/domain-error.js';
import {
  DEFAULT_ROLE_LEVEL,
  DEFAULT_WITHDRAWAL_REASONS,
  type InvolvementRate,
  type OrganisationKind,
  type RoleLevel,
  type WithdrawalReasonDefinition,
} from '../shared/vocabulary.js';

export type ProgrammeLaunched = Message<
  'ProgrammeLaunched',
  { programmeId: string; name: string; boroughs: string[]; occurredAt: string }
>;

/** What is asked of a lay partner; the seeds: about eight hours of meetings a month, unpaid, expenses reimbursed. */
export type RoleProfilePublished = Message<
  'RoleProfilePublished',
  {
    programmeId: string;
    meetingsPerMonth: number;
    hoursPerMonth: number;
    paid: boolean;
    expensesReimbursed: boolean;
    summary: string;
    /**
     * The role level the profile describes; each level has its own profile in
     * force (the latest in business time). Absent (profiles recorded before
     * levels): `lay-partner` (DEFAULT_ROLE_LEVEL).
     */
    roleLevel?: RoleLevel;
    /**
     * The involvement payment offered: integer pence per hour or per meeting,
     * zero for none. Absent or `null`: not on record (an unpaid profile pays none).
     */
    involvementPayment?: InvolvementRate | null;
    occurredAt: string;
  }
>;

/** The level a role profile describes (absent: DEFAULT_ROLE_LEVEL). */
export const roleLevelOf = (profile: { roleLevel?: RoleLevel | null }): RoleLevel =>
  profile.roleLevel ?? DEFAULT_ROLE_LEVEL;

/** One role profile as other streams see it: its level, rate and publication date. */
export interface RoleProfileStanding {
  roleLevel: RoleLevel;
  involvementPayment: InvolvementRate | null;
  publishedAt: string;
}

export type NominationsRequested = Message<
  'NominationsRequested',
  {
    programmeId: string;
    /** The recruitment round, e.g. "2013-design-phase"; PartnerNominated.campaign refers to it. */
    campaign: string;
    organisations: Array<{ name: string; kind: OrganisationKind }>;
    occurredAt: string;
  }
>;

export type RecruitmentWorkshopHeld = Message<
  'RecruitmentWorkshopHeld',
  {
    programmeId: string;
    workshopId: string;
    attendees: number;
    campaign: string;
    occurredAt: string;
  }
>;

/**
 * The co-production touchstone (the "I" statements). Versions run 1, 2, 3…;
 * each supersedes the one before.
 */
export type PrinciplesAdopted = Message<
  'PrinciplesAdopted',
  {
    programmeId: string;
    version: number;
    statements: string[];
    /** The group that adopted it, e.g. the programme board. */
    adoptedBy: string;
    /** The version this one replaces; `null` for the first. */
    supersedes: number | null;
    occurredAt: string;
  }
>;

/**
 * The programme's own withdrawal reasons (e.g. a carers' programme's
 * "caring responsibilities"); each definition replaces the one before. Until
 * one is defined the programme uses DEFAULT_WITHDRAWAL_REASONS.
 */
export type WithdrawalReasonsDefined = Message<
  'WithdrawalReasonsDefined',
  { programmeId: string; reasons: WithdrawalReasonDefinition[]; occurredAt: string }
>;

/**
 * The programme's response clock: feedback gets a first response within
 * `firstResponseDays` and is reported back within `reportBackDays` of being
 * heard (either may be `null`: no target for that step). Each setting
 * replaces the one before from its business date; feedback is held to the
 * targets in force on the day it was heard.
 */
export type ResponseTargetsSet = Message<
  'ResponseTargetsSet',
  {
    programmeId: string;
    firstResponseDays: number | null;
    reportBackDays: number | null;
    occurredAt: string;
  }
>;

export type ProgrammeEvent =
  | ProgrammeLaunched
  | WithdrawalReasonsDefined
  | ResponseTargetsSet
  | RoleProfilePublished
  | NominationsRequested
  | RecruitmentWorkshopHeld
  | PrinciplesAdopted;

export interface ProgrammeState {
  status: 'unknown' | 'launched';
  programmeId: string | null;
  launchedAt: string | null;
  boroughs: string[];
  /** The current role profile; a new one replaces it. */
  roleProfile: { meetingsPerMonth: number; hoursPerMonth: number; publishedAt: string } | null;
  /** Every role profile published, by level: the one in force for a level at a date is the latest by then. */
  roleProfiles: RoleProfileStanding[];
  /** Earliest request per campaign in business time: workshops for a campaign follow it. */
  campaigns: Record<string, { campaign: string; requestedAt: string }>;
  workshops: Record<string, { workshopId: string; heldAt: string }>;
  /** The touchstone in force: the latest version adopted. */
  principles: {
    version: number;
    statements: string[];
    adoptedBy: string;
    adoptedAt: string;
  } | null;
  /** The vocabulary in force; `null`: the default set. */
  withdrawalReasons: { reasons: WithdrawalReasonDefinition[]; definedAt: string } | null;
  /** The response targets in force: the latest set. */
  responseTargets: {
    firstResponseDays: number | null;
    reportBackDays: number | null;
    setAt: string;
  } | null;
}

export const initialProgrammeState = (): ProgrammeState => ({
  status: 'unknown',
  programmeId: null,
  launchedAt: null,
  boroughs: [],
  roleProfile: null,
  roleProfiles: [],
  campaigns: {},
  workshops: {},
  principles: null,
  withdrawalReasons: null,
  responseTargets: null,
});

export function evolveProgramme(state: ProgrammeState, event: ProgrammeEvent): ProgrammeState {
  switch (event.type) {
    case 'ProgrammeLaunched':
      return {
        ...state,
        status: 'launched',
        programmeId: event.data.programmeId,
        launchedAt: event.data.occurredAt,
        boroughs: event.data.boroughs,
      };
    case 'RoleProfilePublished': {
      const { meetingsPerMonth, hoursPerMonth, occurredAt } = event.data;
      const roleProfiles = [
        ...state.roleProfiles,
        {
          roleLevel: roleLevelOf(event.data),
          involvementPayment: event.data.involvementPayment ?? null,
          publishedAt: occurredAt,
        },
      ];
      // The current profile is the latest in business time, whatever order the office recorded them in.
      if (state.roleProfile && Date.parse(occurredAt) < Date.parse(state.roleProfile.publishedAt)) {
        return { ...state, roleProfiles };
      }
      return {
        ...state,
        roleProfile: { meetingsPerMonth, hoursPerMonth, publishedAt: occurredAt },
        roleProfiles,
      };
    }
    case 'NominationsRequested': {
      const { campaign, occurredAt } = event.data;
      const known = state.campaigns[campaign];
      if (known && Date.parse(known.requestedAt) <= Date.parse(occurredAt)) return state;
      return {
        ...state,
        campaigns: { ...state.campaigns, [campaign]: { campaign, requestedAt: occurredAt } },
      };
    }
    case 'RecruitmentWorkshopHeld': {
      const { workshopId, occurredAt } = event.data;
      return {
        ...state,
        workshops: { ...state.workshops, [workshopId]: { workshopId, heldAt: occurredAt } },
      };
    }
    case 'PrinciplesAdopted': {
      const { version, statements, adoptedBy, occurredAt } = event.data;
      return { ...state, principles: { version, statements, adoptedBy, adoptedAt: occurredAt } };
    }
    case 'WithdrawalReasonsDefined':
      return {
        ...state,
        withdrawalReasons: { reasons: event.data.reasons, definedAt: event.data.occurredAt },
      };
    case 'ResponseTargetsSet': {
      const { firstResponseDays, reportBackDays, occurredAt } = event.data;
      return {
        ...state,
        responseTargets: { firstResponseDays, reportBackDays, setAt: occurredAt },
      };
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** What other streams' decisions need to know about a programme. */
export interface ProgrammeStanding {
  programmeId: string;
  launchedAt: string;
  /** The programme's reasons, or the default set if it defined none. */
  withdrawalReasons: WithdrawalReasonDefinition[];
  /** Every role profile published (absent: none on record). */
  roleProfiles?: RoleProfileStanding[];
}

export function programmeStanding(state: ProgrammeState): ProgrammeStanding | null {
  if (state.status === 'unknown' || state.programmeId === null || state.launchedAt === null) {
    return null;
  }
  return {
    programmeId: state.programmeId,
    launchedAt: state.launchedAt,
    withdrawalReasons: (state.withdrawalReasons?.reasons ?? DEFAULT_WITHDRAWAL_REASONS).map(
      (r) => ({ ...r }),
    ),
    roleProfiles: state.roleProfiles.map((p) => ({ ...p })),
  };
}

/**
 * The role level a seat or co-chair term carries when allocated at `at`:
 * the one named, which must have a role profile published by then
 * (`unknown_role_level`), or, unnamed, the programme's only level in force
 * then (several or none: not recorded, `undefined`).
 */
export function roleLevelInForce(
  named: RoleLevel | null | undefined,
  profiles: readonly RoleProfileStanding[],
  at: string,
): RoleLevel | undefined {
  const levels = [
    ...new Set(
      profiles.filter((p) => Date.parse(p.publishedAt) <= Date.parse(at)).map((p) => p.roleLevel),
    ),
  ].sort();
  if (named !== undefined && named !== null) {
    if (!levels.includes(named)) {
      throw rule('unknown_role_level', `"${named}" has no role profile published by ${at}`, {
        roleLevel: named,
        levels,
        occurredAt: at,
      });
    }
    return named;
  }
  return levels.length === 1 ? levels[0] : undefined;
}

/**
 * The programme a new group or partner joins. `requested` is the programme the
 * command named, if any; `known` holds it (when named and it exists) or, when
 * none was named, every programme of the ledger. Unnamed, a ledger with one
 * programme means that one, a ledger with none means none (`null`), and a
 * ledger with several cannot guess: `programme_required`.
 */
export function resolveProgramme(
  requested: string | null | undefined,
  known: readonly ProgrammeStanding[],
): ProgrammeStanding | null {
  if (requested !== undefined && requested !== null) {
    const named = known.find((p) => p.programmeId === requested);
    if (!named) {
      throw notFound('programme_not_found', `Programme ${requested} does not exist`, {
        programmeId: requested,
      });
    }
    return named;
  }
  if (known.length === 0) return null;
  if (known.length === 1) return known[0]!;
  const programmes = known.map((p) => p.programmeId).sort();
  throw rule(
    'programme_required',
    `The ledger runs ${programmes.length} programmes: name one (programmeId)`,
    { programmes },
  );
}
