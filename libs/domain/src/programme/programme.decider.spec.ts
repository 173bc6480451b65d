import { fold } from '../core/decider.js';
import { deciderSpec } from '../core/testing/decider-spec.js';
import type { GroupStanding } from '../facts/index.js';
import {
  programmeCommandStream,
  programmeDecider,
  type AdoptPrinciples,
  type DefineWithdrawalReasons,
  type HoldRecruitmentWorkshop,
  type ProgrammeCommand,
  type PublishRoleProfile,
  type RequestNominations,
  type SetResponseTargets,
} from './programme.decider.js';
import { DEFAULT_WITHDRAWAL_REASONS } from '../shared/vocabulary.js';
import {
  programmeStanding,
  roleLevelInForce,
  type PrinciplesAdopted,
  type ProgrammeEvent,
  type ProgrammeLaunched,
} from './programme.events.js';

const NOW = '2016-01-01T00:00:00.000Z';
const board: GroupStanding = {
  groupId: 'board',
  status: 'active',
  establishedAt: '2013-03-01T00:00:00.000Z',
  dissolvedAt: null,
  coChairConstituencies: ['lay', 'ccg'],
};
const spec = deciderSpec(programmeDecider, { now: NOW, adoptingGroup: board });

const launched: ProgrammeLaunched = {
  type: 'ProgrammeLaunched',
  data: {
    programmeId: 'wsic',
    name: 'Whole Systems Integrated Care',
    boroughs: ['Brent', 'Ealing', 'Harrow'],
    occurredAt: '2013-01-15T00:00:00.000Z',
  },
};
const profile: PublishRoleProfile['data'] = {
  programmeId: 'wsic',
  meetingsPerMonth: 2,
  hoursPerMonth: 8,
  paid: false,
  expensesReimbursed: true,
  summary: 'About eight hours of meetings a month plus reading; unpaid; expenses reimbursed',
  occurredAt: '2013-04-01T00:00:00.000Z',
};
const request: RequestNominations['data'] = {
  programmeId: 'wsic',
  campaign: '2013-design-phase',
  organisations: [
    { name: 'Brent Healthwatch', kind: 'healthwatch' },
    { name: 'Ealing CCG', kind: 'ccg' },
  ],
  occurredAt: '2013-05-01T00:00:00.000Z',
};
const requested: ProgrammeEvent = { type: 'NominationsRequested', data: request };
const workshop: HoldRecruitmentWorkshop['data'] = {
  programmeId: 'wsic',
  workshopId: 'w1',
  attendees: 40,
  campaign: '2013-design-phase',
  occurredAt: '2013-06-20T00:00:00.000Z',
};
const adopt: AdoptPrinciples['data'] = {
  programmeId: 'wsic',
  version: 1,
  statements: [
    'I am treated as an equal partner',
    'I can see what difference my contribution made',
  ],
  adoptedBy: 'board',
  occurredAt: '2013-10-01T00:00:00.000Z',
};
const adoptedV1: PrinciplesAdopted = {
  type: 'PrinciplesAdopted',
  data: { ...adopt, supersedes: null },
};

const launch = (overrides: Partial<ProgrammeLaunched['data']> = {}): ProgrammeCommand => ({
  type: 'LaunchProgramme',
  data: { ...launched.data, ...overrides },
});
const publish = (overrides: Partial<PublishRoleProfile['data']> = {}): ProgrammeCommand => ({
  type: 'PublishRoleProfile',
  data: { ...profile, ...overrides },
});
const requestNominations = (
  overrides: Partial<RequestNominations['data']> = {},
): ProgrammeCommand => ({
  type: 'RequestNominations',
  data: { ...request, ...overrides },
});
const holdWorkshop = (
  overrides: Partial<HoldRecruitmentWorkshop['data']> = {},
): ProgrammeCommand => ({
  type: 'HoldRecruitmentWorkshop',
  data: { ...workshop, ...overrides },
});
const adoptPrinciples = (overrides: Partial<AdoptPrinciples['data']> = {}): ProgrammeCommand => ({
  type: 'AdoptPrinciples',
  data: { ...adopt, ...overrides },
});

describe('programme decider', () => {
  it('names the programme stream from the command', () => {
    expect(programmeCommandStream(launch())).toBe('programme-wsic');
  });

  describe('LaunchProgramme', () => {
    it('launches a programme, backdated', () => {
      spec.given([]).when(launch()).then([launched]);
    });
    it('refuses an existing programme', () => {
      spec.given([launched]).when(launch()).thenThrows('programme_exists');
    });
    it('refuses a future date', () => {
      spec
        .given([])
        .when(launch({ occurredAt: '2016-01-01T00:00:00.001Z' }))
        .thenThrows('occurred_in_future');
    });
    it('refuses a borough listed twice', () => {
      spec
        .given([])
        .when(launch({ boroughs: ['Brent', 'Brent'] }))
        .thenThrows('duplicate_borough');
    });
  });

  describe('PublishRoleProfile', () => {
    it('publishes the role profile', () => {
      spec
        .given([launched])
        .when(publish())
        .then([{ type: 'RoleProfilePublished', data: profile }]);
    });
    it('refuses an unknown programme', () => {
      spec.given([]).when(publish()).thenThrows('programme_not_found');
    });
    it.each([{ meetingsPerMonth: -1 }, { hoursPerMonth: -8 }, { hoursPerMonth: Number.NaN }])(
      'refuses %p',
      (overrides) => {
        spec.given([launched]).when(publish(overrides)).thenThrows('invalid_role_profile');
      },
    );
    it('refuses a profile before the launch', () => {
      spec
        .given([launched])
        .when(publish({ occurredAt: '2013-01-01T00:00:00.000Z' }))
        .thenThrows('published_before_launch');
    });
  });

  describe('RequestNominations', () => {
    it('asks organisations for nominations', () => {
      spec.given([launched]).when(requestNominations()).then([requested]);
    });
    it('refuses an unknown programme', () => {
      spec.given([]).when(requestNominations()).thenThrows('programme_not_found');
    });
    it('refuses a request to no organisation', () => {
      spec
        .given([launched])
        .when(requestNominations({ organisations: [] }))
        .thenThrows('no_organisations');
    });
    it('refuses an organisation asked twice in one request', () => {
      const twice = [
        { name: 'Ealing CCG', kind: 'ccg' as const },
        { name: 'Ealing CCG', kind: 'ccg' as const },
      ];
      spec
        .given([launched])
        .when(requestNominations({ organisations: twice }))
        .thenThrows('duplicate_organisation');
    });
    it('refuses a request before the launch', () => {
      spec
        .given([launched])
        .when(requestNominations({ occurredAt: '2012-12-01T00:00:00.000Z' }))
        .thenThrows('requested_before_launch');
    });
  });

  describe('HoldRecruitmentWorkshop', () => {
    it('records a workshop for a campaign', () => {
      spec
        .given([launched, requested])
        .when(holdWorkshop())
        .then([{ type: 'RecruitmentWorkshopHeld', data: workshop }]);
    });
    it('refuses a workshop id already used', () => {
      spec
        .given([launched, requested, { type: 'RecruitmentWorkshopHeld', data: workshop }])
        .when(holdWorkshop())
        .thenThrows('workshop_exists');
    });
    it.each([-1, 2.5])('refuses attendees %p', (attendees) => {
      spec
        .given([launched, requested])
        .when(holdWorkshop({ attendees }))
        .thenThrows('invalid_attendees');
    });
    it('refuses a campaign without a request for nominations', () => {
      spec
        .given([launched, requested])
        .when(holdWorkshop({ campaign: '2014-refresh' }))
        .thenThrows('campaign_not_found');
    });
    it('refuses a workshop before the request for nominations', () => {
      spec
        .given([launched, requested])
        .when(holdWorkshop({ occurredAt: '2013-04-01T00:00:00.000Z' }))
        .thenThrows('workshop_before_nominations_requested');
    });
    it('refuses an unknown programme', () => {
      spec.given([]).when(holdWorkshop()).thenThrows('programme_not_found');
    });
  });

  describe('AdoptPrinciples', () => {
    it('adopts the first version of the touchstone', () => {
      spec.given([launched]).when(adoptPrinciples()).then([adoptedV1]);
    });
    it('supersedes the previous version with the next', () => {
      const v2 = {
        ...adopt,
        version: 2,
        statements: ['I co-design, not just comment'],
        occurredAt: '2014-05-01T00:00:00.000Z',
      };
      spec
        .given([launched, adoptedV1])
        .when(adoptPrinciples(v2))
        .then([{ type: 'PrinciplesAdopted', data: { ...v2, supersedes: 1 } }]);
    });
    it('keeps the current version in state', () => {
      const state = fold(programmeDecider, [
        launched,
        adoptedV1,
        {
          type: 'PrinciplesAdopted',
          data: { ...adopt, version: 2, supersedes: 1, occurredAt: '2014-05-01T00:00:00.000Z' },
        },
      ]);
      expect(state.principles).toMatchObject({ version: 2, adoptedAt: '2014-05-01T00:00:00.000Z' });
    });
    it('refuses an unknown programme', () => {
      spec.given([]).when(adoptPrinciples()).thenThrows('programme_not_found');
    });
    it.each([0, 2, 1.5])('refuses version %p as the first', (version) => {
      spec
        .given([launched])
        .when(adoptPrinciples({ version }))
        .thenThrows('principles_version_out_of_sequence');
    });
    it('refuses re-adopting the current version', () => {
      spec
        .given([launched, adoptedV1])
        .when(adoptPrinciples({ version: 1 }))
        .thenThrows('principles_version_out_of_sequence');
    });
    it.each([[[]], [['I am heard', '']]])('refuses statements %p', (statements) => {
      spec
        .given([launched])
        .when(adoptPrinciples({ statements }))
        .thenThrows('principles_statements_required');
    });
    it('refuses adoption before the launch', () => {
      spec
        .given([launched])
        .when(adoptPrinciples({ occurredAt: '2013-01-01T00:00:00.000Z' }))
        .thenThrows('adopted_before_launch');
    });
    it('refuses a version dated before the one it supersedes', () => {
      spec
        .given([launched, adoptedV1])
        .when(adoptPrinciples({ version: 2, occurredAt: '2013-09-01T00:00:00.000Z' }))
        .thenThrows('adopted_before_previous_version');
    });
    it('refuses an unknown adopting group', () => {
      spec
        .given([launched])
        .when(adoptPrinciples(), { adoptingGroup: null })
        .thenThrows('group_not_found');
      spec
        .given([launched])
        .when(adoptPrinciples({ adoptedBy: 'other' }))
        .thenThrows('group_not_found');
    });
    it('refuses adoption by a group after it was dissolved', () => {
      spec
        .given([launched])
        .when(adoptPrinciples(), {
          adoptingGroup: { ...board, status: 'dissolved', dissolvedAt: '2013-09-01T00:00:00.000Z' },
        })
        .thenThrows('group_dissolved');
    });
    it('refuses adoption before the group was established', () => {
      spec
        .given([launched])
        .when(adoptPrinciples(), {
          adoptingGroup: { ...board, establishedAt: '2013-11-01T00:00:00.000Z' },
        })
        .thenThrows('adopted_before_group_established');
    });
    it('refuses a future date', () => {
      spec
        .given([launched])
        .when(adoptPrinciples({ occurredAt: '2020-01-01T00:00:00.000Z' }))
        .thenThrows('occurred_in_future');
    });
  });

  describe('DefineWithdrawalReasons', () => {
    const reasons = [
      { key: 'caring-responsibilities', label: 'Caring responsibilities' },
      { key: 'respite-ended', label: 'Respite care ended' },
    ];
    const define = (
      overrides: Partial<DefineWithdrawalReasons['data']> = {},
    ): DefineWithdrawalReasons => ({
      type: 'DefineWithdrawalReasons',
      data: { programmeId: 'wsic', reasons, occurredAt: '2013-02-01T00:00:00.000Z', ...overrides },
    });
    const defined = (occurredAt = '2013-02-01T00:00:00.000Z'): ProgrammeEvent => ({
      type: 'WithdrawalReasonsDefined',
      data: { programmeId: 'wsic', reasons, occurredAt },
    });
    it('defines the programme’s own reasons', () => {
      spec.given([launched]).when(define()).then([defined()]);
    });
    it('hands them to other streams, or the default set until defined', () => {
      expect(programmeStanding(fold(programmeDecider, [launched, defined()]))).toEqual({
        programmeId: 'wsic',
        launchedAt: launched.data.occurredAt,
        withdrawalReasons: reasons,
        roleProfiles: [],
      });
      expect(programmeStanding(fold(programmeDecider, [launched]))?.withdrawalReasons).toEqual(
        DEFAULT_WITHDRAWAL_REASONS,
      );
      expect(programmeStanding(fold(programmeDecider, []))).toBeNull();
    });
    it('refuses an unknown programme', () => {
      spec.given([]).when(define()).thenThrows('programme_not_found');
    });
    it('refuses an empty vocabulary', () => {
      spec
        .given([launched])
        .when(define({ reasons: [] }))
        .thenThrows('withdrawal_reasons_required');
    });
    it('refuses keys that are not kebab-case', () => {
      spec
        .given([launched])
        .when(define({ reasons: [{ key: 'Caring Responsibilities', label: 'x' }] }))
        .thenThrows('invalid_withdrawal_reason_key');
    });
    it('refuses a key defined twice', () => {
      spec
        .given([launched])
        .when(define({ reasons: [...reasons, { key: 'respite-ended', label: 'again' }] }))
        .thenThrows('duplicate_withdrawal_reason');
    });
    it('refuses a reason without a label', () => {
      spec
        .given([launched])
        .when(define({ reasons: [{ key: 'other', label: ' ' }] }))
        .thenThrows('withdrawal_reason_label_required');
    });
    it('refuses a definition before the launch', () => {
      spec
        .given([launched])
        .when(define({ occurredAt: '2013-01-01T00:00:00.000Z' }))
        .thenThrows('defined_before_launch');
    });
    it('accepts a redefinition dated after the one in force, refuses one backdated before it', () => {
      spec
        .given([launched, defined('2014-01-01T00:00:00.000Z')])
        .when(define({ occurredAt: '2014-06-01T00:00:00.000Z' }))
        .then([defined('2014-06-01T00:00:00.000Z')]);
      spec
        .given([launched, defined('2014-01-01T00:00:00.000Z')])
        .when(define({ occurredAt: '2013-06-01T00:00:00.000Z' }))
        .thenThrows('defined_before_previous_reasons');
    });
  });

  describe('SetResponseTargets', () => {
    const set = (overrides: Partial<SetResponseTargets['data']> = {}): SetResponseTargets => ({
      type: 'SetResponseTargets',
      data: {
        programmeId: 'wsic',
        firstResponseDays: 28,
        reportBackDays: 91,
        occurredAt: '2013-02-01T00:00:00.000Z',
        ...overrides,
      },
    });
    const targetsSet = (overrides: Partial<SetResponseTargets['data']> = {}): ProgrammeEvent => ({
      type: 'ResponseTargetsSet',
      data: set(overrides).data,
    });
    it('sets a target per step', () => {
      spec.given([launched]).when(set()).then([targetsSet()]);
    });
    it('may set one step only', () => {
      spec
        .given([launched])
        .when(set({ firstResponseDays: null }))
        .then([targetsSet({ firstResponseDays: null })]);
      spec
        .given([launched])
        .when(set({ reportBackDays: null }))
        .then([targetsSet({ reportBackDays: null })]);
    });
    it('keeps the targets in force in the state', () => {
      const state = fold(programmeDecider, [launched, targetsSet()]);
      expect(state.responseTargets).toEqual({
        firstResponseDays: 28,
        reportBackDays: 91,
        setAt: '2013-02-01T00:00:00.000Z',
      });
    });
    it('refuses an unknown programme', () => {
      spec.given([]).when(set()).thenThrows('programme_not_found');
    });
    it('refuses setting no target at all', () => {
      spec
        .given([launched])
        .when(set({ firstResponseDays: null, reportBackDays: null }))
        .thenThrows('response_target_required');
    });
    it.each([0, -7, 1.5, Number.NaN, 3661])('refuses %p days: positive whole days only', (days) => {
      spec
        .given([launched])
        .when(set({ reportBackDays: days }))
        .thenThrows('invalid_response_target');
      spec
        .given([launched])
        .when(set({ firstResponseDays: days, reportBackDays: null }))
        .thenThrows('invalid_response_target');
    });
    it('refuses a first response due after the report back', () => {
      spec
        .given([launched])
        .when(set({ firstResponseDays: 100, reportBackDays: 91 }))
        .thenThrows('response_targets_out_of_order');
      spec
        .given([launched])
        .when(set({ firstResponseDays: 91, reportBackDays: 91 }))
        .then([targetsSet({ firstResponseDays: 91, reportBackDays: 91 })]);
    });
    it('refuses targets set before the launch or in the future', () => {
      spec
        .given([launched])
        .when(set({ occurredAt: '2013-01-01T00:00:00.000Z' }))
        .thenThrows('targets_set_before_launch');
      spec
        .given([launched])
        .when(set({ occurredAt: '2030-01-01T00:00:00.000Z' }))
        .thenThrows('occurred_in_future');
    });
    it('backdates: a new setting follows the one in force in business time', () => {
      spec
        .given([launched, targetsSet({ occurredAt: '2014-01-01T00:00:00.000Z' })])
        .when(set({ reportBackDays: 60, occurredAt: '2014-06-01T00:00:00.000Z' }))
        .then([targetsSet({ reportBackDays: 60, occurredAt: '2014-06-01T00:00:00.000Z' })]);
      spec
        .given([launched, targetsSet({ occurredAt: '2014-01-01T00:00:00.000Z' })])
        .when(set({ occurredAt: '2013-06-01T00:00:00.000Z' }))
        .thenThrows('targets_set_before_previous_targets');
    });
  });

  describe('at every instant: backdated commands', () => {
    const requestedOn = (occurredAt: string): ProgrammeEvent => ({
      type: 'NominationsRequested',
      data: { ...request, occurredAt },
    });
    it('a campaign starts at its earliest request, whatever order they were recorded in', () => {
      // A second request for the campaign, backdated before the first one recorded.
      const given = [
        launched,
        requestedOn('2013-08-01T00:00:00.000Z'),
        requestedOn('2013-05-01T00:00:00.000Z'),
      ];
      spec
        .given(given)
        .when({
          type: 'HoldRecruitmentWorkshop',
          data: { ...workshop, occurredAt: '2013-06-01T00:00:00.000Z' },
        })
        .then([
          {
            type: 'RecruitmentWorkshopHeld',
            data: { ...workshop, occurredAt: '2013-06-01T00:00:00.000Z' },
          },
        ]);
      spec
        .given(given)
        .when({
          type: 'HoldRecruitmentWorkshop',
          data: { ...workshop, occurredAt: '2013-04-30T00:00:00.000Z' },
        })
        .thenThrows('workshop_before_nominations_requested');
    });
    it('publishes a role level with its involvement-payment rate', () => {
      const paid = {
        ...profile,
        paid: true,
        roleLevel: 'lay-co-chair',
        involvementPayment: { amountPence: 2_500, currency: 'GBP', per: 'hour' as const },
      };
      spec
        .given([launched])
        .when({ type: 'PublishRoleProfile', data: paid })
        .then([{ type: 'RoleProfilePublished', data: paid }]);
    });
    it.each([
      [{ roleLevel: 'Lay Co-Chair' }],
      [{ involvementPayment: { amountPence: -1, currency: 'GBP', per: 'hour' as const } }],
      [{ involvementPayment: { amountPence: 1.5, currency: 'GBP', per: 'hour' as const } }],
      [{ involvementPayment: { amountPence: 100, currency: 'gbp', per: 'hour' as const } }],
      [{ involvementPayment: { amountPence: 100, currency: 'GBP', per: 'day' as 'hour' } }],
      [
        {
          paid: false,
          involvementPayment: { amountPence: 100, currency: 'GBP', per: 'meeting' as const },
        },
      ],
    ])('refuses an invalid level or rate %p', (overrides) => {
      spec
        .given([launched])
        .when({ type: 'PublishRoleProfile', data: { ...profile, paid: true, ...overrides } })
        .thenThrows('invalid_role_profile');
    });
    it('keeps every profile by level; one without a level is lay-partner', () => {
      const state = fold(programmeDecider, [
        launched,
        { type: 'RoleProfilePublished', data: profile },
        {
          type: 'RoleProfilePublished',
          data: {
            ...profile,
            paid: true,
            roleLevel: 'lay-co-chair',
            involvementPayment: { amountPence: 15_000, currency: 'GBP', per: 'meeting' },
            occurredAt: '2014-01-01T00:00:00.000Z',
          },
        },
      ]);
      expect(programmeStanding(state)?.roleProfiles).toEqual([
        { roleLevel: 'lay-partner', involvementPayment: null, publishedAt: profile.occurredAt },
        {
          roleLevel: 'lay-co-chair',
          involvementPayment: { amountPence: 15_000, currency: 'GBP', per: 'meeting' },
          publishedAt: '2014-01-01T00:00:00.000Z',
        },
      ]);
    });
    it('the role level in force: named (published by then) or the only one', () => {
      const profiles = [
        {
          roleLevel: 'lay-partner',
          involvementPayment: null,
          publishedAt: '2013-04-01T00:00:00.000Z',
        },
        {
          roleLevel: 'lay-co-chair',
          involvementPayment: null,
          publishedAt: '2014-01-01T00:00:00.000Z',
        },
      ];
      expect(roleLevelInForce(undefined, profiles, '2013-06-01T00:00:00.000Z')).toBe('lay-partner');
      expect(roleLevelInForce(undefined, profiles, '2014-06-01T00:00:00.000Z')).toBeUndefined();
      expect(roleLevelInForce('lay-co-chair', profiles, '2014-06-01T00:00:00.000Z')).toBe(
        'lay-co-chair',
      );
      expect(() => roleLevelInForce('lay-co-chair', profiles, '2013-06-01T00:00:00.000Z')).toThrow(
        expect.objectContaining({ code: 'unknown_role_level' }),
      );
      expect(roleLevelInForce(undefined, [], '2013-06-01T00:00:00.000Z')).toBeUndefined();
    });
    it('the role profile in force is the latest in business time', () => {
      const published = (occurredAt: string, hoursPerMonth: number): ProgrammeEvent => ({
        type: 'RoleProfilePublished',
        data: { ...profile, hoursPerMonth, occurredAt },
      });
      const state = fold(programmeDecider, [
        launched,
        published('2014-01-01T00:00:00.000Z', 10),
        published('2013-04-01T00:00:00.000Z', 8),
      ]);
      expect(state.roleProfile).toEqual({
        meetingsPerMonth: 2,
        hoursPerMonth: 10,
        publishedAt: '2014-01-01T00:00:00.000Z',
      });
    });
  });
});
