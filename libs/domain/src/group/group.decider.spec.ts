import { deciderSpec } from '../core/testing/decider-spec.js';
import type { ElectionResult, PartnerStanding } from '../facts/index.js';
import {
  groupCommandStream,
  groupDecider,
  type GroupCommand,
  type RecordDecision,
} from './group.decider.js';
import type {
  CoChairAppointed,
  GroupEstablished,
  GroupEvent,
  MeetingHeld,
  SeatAllocated,
} from './group.events.js';

const NOW = '2016-01-01T00:00:00.000Z';
const spec = deciderSpec(groupDecider, { now: NOW });

const established: GroupEstablished = {
  type: 'GroupEstablished',
  data: {
    groupId: 'g1',
    name: 'Embedding Partnerships',
    kind: 'embedding-partnerships',
    level: 'programme',
    parentGroupId: null,
    borough: null,
    cadence: 'monthly',
    laySeats: { min: 1, max: 2 },
    coChairConstituencies: ['lay', 'ccg'],
    programmeId: null,
    occurredAt: '2013-09-01T00:00:00.000Z',
  },
};
const seat = (
  seatId: string,
  partnerId: string,
  constituency: SeatAllocated['data']['constituency'],
  occurredAt = '2013-10-01T00:00:00.000Z',
): SeatAllocated => ({
  type: 'SeatAllocated',
  data: { groupId: 'g1', seatId, partnerId, constituency, termEndsOn: null, occurredAt },
});
const s1 = seat('s1', 'p1', 'lay');
const s2 = seat('s2', 'p2', 'ccg');
const s3 = seat('s3', 'p3', 'lay');
const vacated = (seatId: string, partnerId: string, occurredAt: string): GroupEvent => ({
  type: 'SeatVacated',
  data: { groupId: 'g1', seatId, partnerId, reason: 'term ended', occurredAt },
});
const layCoChair: CoChairAppointed = {
  type: 'CoChairAppointed',
  data: {
    groupId: 'g1',
    partnerId: 'p1',
    constituency: 'lay',
    seatId: 's1',
    occurredAt: '2013-11-01T00:00:00.000Z',
  },
};
const meeting: MeetingHeld = {
  type: 'MeetingHeld',
  data: {
    groupId: 'g1',
    meetingId: 'm1',
    attendees: ['p1', 'p2'],
    apologies: ['p3'],
    durationMinutes: 120,
    occurredAt: '2013-12-01T00:00:00.000Z',
  },
};
const dissolved: GroupEvent = {
  type: 'GroupDissolved',
  data: { groupId: 'g1', reason: 'Programme closed', occurredAt: '2015-12-01T00:00:00.000Z' },
};

const lay = (partnerId: string, overrides: Partial<PartnerStanding> = {}): PartnerStanding => ({
  partnerId,
  status: 'appointed',
  kind: 'lay',
  constituency: 'lay',
  joinedAt: '2013-06-01T00:00:00.000Z',
  appointedAt: '2013-07-01T00:00:00.000Z',
  withdrawnAt: null,
  ...overrides,
});
const professional = (
  partnerId: string,
  overrides: Partial<PartnerStanding> = {},
): PartnerStanding => ({
  partnerId,
  status: 'registered',
  kind: 'professional',
  constituency: 'ccg',
  joinedAt: '2013-05-01T00:00:00.000Z',
  appointedAt: null,
  withdrawnAt: null,
  ...overrides,
});

const establish = (overrides: Partial<GroupEstablished['data']> = {}): GroupCommand => ({
  type: 'EstablishGroup',
  data: { ...established.data, ...overrides },
});
const allocate = (
  seatId: string,
  partnerId: string,
  constituency: SeatAllocated['data']['constituency'],
  occurredAt = '2013-10-01T00:00:00.000Z',
): GroupCommand => ({
  type: 'AllocateSeat',
  data: { groupId: 'g1', seatId, partnerId, constituency, termEndsOn: null, occurredAt },
});
const vacate = (seatId: string, occurredAt = '2014-06-01T00:00:00.000Z'): GroupCommand => ({
  type: 'VacateSeat',
  data: { groupId: 'g1', seatId, reason: 'term ended', occurredAt },
});
const appointCoChair = (
  partnerId: string,
  constituency: SeatAllocated['data']['constituency'],
  occurredAt = '2013-11-01T00:00:00.000Z',
): GroupCommand => ({
  type: 'AppointCoChair',
  data: { groupId: 'g1', partnerId, constituency, occurredAt },
});
const recordElection = (
  occurredAt = '2014-02-01T00:00:00.000Z',
  electionId = 'e1',
): GroupCommand => ({
  type: 'RecordCoChairElection',
  data: { groupId: 'g1', electionId, occurredAt },
});
const standDown = (partnerId: string, occurredAt = '2014-06-01T00:00:00.000Z'): GroupCommand => ({
  type: 'StandDownCoChair',
  data: { groupId: 'g1', partnerId, reason: 'resigned', occurredAt },
});
const holdMeeting = (overrides: Partial<MeetingHeld['data']> = {}): GroupCommand => ({
  type: 'HoldMeeting',
  data: { ...meeting.data, ...overrides },
});
const decisionData: RecordDecision['data'] & { meetingId: string | null } = {
  groupId: 'g1',
  decisionId: 'd1',
  summary: 'Lay partners sit on every early-adopter selection panel',
  influencedBy: ['f1'],
  layMembersPresent: ['p1'],
  touchstoneVersion: 1,
  meetingId: 'm1',
  occurredAt: '2013-12-01T00:00:00.000Z',
};
const recordDecision = (overrides: Partial<RecordDecision['data']> = {}): GroupCommand => ({
  type: 'RecordDecision',
  data: { ...decisionData, ...overrides },
});
const feedback = [{ feedbackId: 'f1', heardAt: '2013-11-15T00:00:00.000Z' }];
const dissolve = (occurredAt = '2015-12-01T00:00:00.000Z'): GroupCommand => ({
  type: 'DissolveGroup',
  data: { groupId: 'g1', reason: 'Programme closed', occurredAt },
});
const election = (overrides: Partial<ElectionResult> = {}): ElectionResult => ({
  electionId: 'e1',
  groupId: 'g1',
  constituency: 'lay',
  status: 'closed',
  outcome: 'elected',
  electedPartnerId: 'p1',
  closedAt: '2014-01-31T00:00:00.000Z',
  ...overrides,
});

const seated = [established, s1, s2, s3];

describe('group decider', () => {
  it('names the group stream from the command', () => {
    expect(groupCommandStream(dissolve())).toBe('group-g1');
  });

  describe('EstablishGroup', () => {
    it('establishes a group, backdated', () => {
      spec.given([]).when(establish()).then([established]);
    });
    it('establishes a child of an established parent', () => {
      spec
        .given([])
        .when(establish({ parentGroupId: 'g0' }), {
          parent: { status: 'active', establishedAt: '2013-01-01T00:00:00.000Z' },
        })
        .then([{ ...established, data: { ...established.data, parentGroupId: 'g0' } }]);
    });
    it('refuses an existing group', () => {
      spec.given([established]).when(establish()).thenThrows('group_exists');
    });
    it('refuses a future date', () => {
      spec
        .given([])
        .when(establish({ occurredAt: '2016-01-01T00:00:01.000Z' }))
        .thenThrows('occurred_in_future');
    });
    it('refuses lay seats with max below min', () => {
      spec
        .given([])
        .when(establish({ laySeats: { min: 3, max: 2 } }))
        .thenThrows('invalid_lay_seats');
    });
    it('refuses a constituency listed twice for co-chairs', () => {
      spec
        .given([])
        .when(establish({ coChairConstituencies: ['lay', 'lay'] }))
        .thenThrows('duplicate_co_chair_constituency');
    });
    it('refuses a group that is its own parent', () => {
      spec
        .given([])
        .when(establish({ parentGroupId: 'g1' }))
        .thenThrows('group_own_parent');
    });
    it('refuses an unknown parent', () => {
      spec
        .given([])
        .when(establish({ parentGroupId: 'g0' }), { parent: null })
        .thenThrows('parent_group_not_found');
    });
    it('refuses a dissolved parent', () => {
      spec
        .given([])
        .when(establish({ parentGroupId: 'g0' }), {
          parent: { status: 'dissolved', establishedAt: '2013-01-01T00:00:00.000Z' },
        })
        .thenThrows('parent_group_dissolved');
    });
    it('refuses a child established before its parent', () => {
      spec
        .given([])
        .when(establish({ parentGroupId: 'g0' }), {
          parent: { status: 'active', establishedAt: '2014-01-01T00:00:00.000Z' },
        })
        .thenThrows('established_before_parent');
    });
  });

  describe('programmes', () => {
    const programme = (programmeId: string) => ({
      programmeId,
      launchedAt: '2013-01-01T00:00:00.000Z',
      withdrawalReasons: [],
    });
    const inProgramme = (programmeId: string | null): GroupEstablished => ({
      ...established,
      data: { ...established.data, programmeId },
    });
    it("joins the ledger's only programme when none is named", () => {
      spec
        .given([])
        .when(establish(), { programmes: [programme('nwl')] })
        .then([inProgramme('nwl')]);
    });
    it('records no programme in a ledger that has none', () => {
      spec.given([]).when(establish(), { programmes: [] }).then([established]);
    });
    it('needs a programme named when the ledger runs several', () => {
      spec
        .given([])
        .when(establish(), { programmes: [programme('nwl'), programme('carers')] })
        .thenThrows('programme_required', { programmes: ['carers', 'nwl'] });
    });
    it('joins the programme named', () => {
      spec
        .given([])
        .when(establish({ programmeId: 'carers' }), { programmes: [programme('carers')] })
        .then([inProgramme('carers')]);
    });
    it('refuses an unknown programme', () => {
      spec
        .given([])
        .when(establish({ programmeId: 'nope' }), { programmes: [] })
        .thenThrows('programme_not_found');
    });
    it("puts a sub-group in its parent's programme, and refuses another", () => {
      const parent = {
        status: 'active' as const,
        establishedAt: '2013-01-01T00:00:00.000Z',
        programmeId: 'nwl',
      };
      spec
        .given([])
        .when(establish({ parentGroupId: 'g0' }), { parent })
        .then([
          { ...inProgramme('nwl'), data: { ...inProgramme('nwl').data, parentGroupId: 'g0' } },
        ]);
      spec
        .given([])
        .when(establish({ parentGroupId: 'g0', programmeId: 'carers' }), {
          parent,
          programmes: [programme('carers')],
        })
        .thenThrows('programme_mismatch', { parentProgrammeId: 'nwl', programmeId: 'carers' });
    });
    it('refuses a seat to a partner of another programme, naming both', () => {
      spec
        .given([inProgramme('nwl')])
        .when(allocate('s1', 'p1', 'lay'), { partner: lay('p1', { programmeId: 'carers' }) })
        .thenThrows('programme_mismatch', {
          partnerId: 'p1',
          partnerProgrammeId: 'carers',
          groupId: 'g1',
          groupProgrammeId: 'nwl',
        });
      spec
        .given([inProgramme('nwl')])
        .when(allocate('s1', 'p1', 'lay'), { partner: lay('p1', { programmeId: 'nwl' }) })
        .then([s1]);
    });
  });

  describe('AllocateSeat', () => {
    it('gives an appointed lay partner a lay seat', () => {
      spec
        .given([established])
        .when(allocate('s1', 'p1', 'lay'), { partner: lay('p1') })
        .then([s1]);
    });
    it('gives a professional a seat of their constituency', () => {
      spec
        .given([established])
        .when(allocate('s2', 'p2', 'ccg'), { partner: professional('p2') })
        .then([s2]);
    });
    it('refuses an unknown group', () => {
      spec
        .given([])
        .when(allocate('s1', 'p1', 'lay'), { partner: lay('p1') })
        .thenThrows('group_not_found');
    });
    it('refuses a dissolved group', () => {
      spec
        .given([established, dissolved])
        .when(allocate('s1', 'p1', 'lay'), { partner: lay('p1') })
        .thenThrows('group_dissolved');
    });
    it('refuses a seat id already used', () => {
      spec
        .given([established, s1])
        .when(allocate('s1', 'p3', 'lay'), { partner: lay('p3') })
        .thenThrows('seat_exists');
    });
    it('refuses an unknown partner', () => {
      spec
        .given([established])
        .when(allocate('s1', 'p1', 'lay'), { partner: null })
        .thenThrows('partner_not_found');
    });
    it('refuses a withdrawn partner', () => {
      spec
        .given([established])
        .when(allocate('s1', 'p1', 'lay'), { partner: lay('p1', { status: 'withdrawn' }) })
        .thenThrows('partner_withdrawn');
    });
    it('refuses a seat before the group was established', () => {
      spec
        .given([established])
        .when(allocate('s1', 'p1', 'lay', '2013-08-01T00:00:00.000Z'), { partner: lay('p1') })
        .thenThrows('allocated_before_group_established');
    });
    it('refuses a professional in a lay seat', () => {
      spec
        .given([established])
        .when(allocate('s2', 'p2', 'lay'), { partner: professional('p2') })
        .thenThrows('professional_cannot_take_lay_seat');
    });
    it('refuses a lay partner in a non-lay seat', () => {
      spec
        .given([established])
        .when(allocate('s1', 'p1', 'ccg'), { partner: lay('p1') })
        .thenThrows('lay_partner_lay_seat_only');
    });
    it('refuses a professional in another constituency’s seat', () => {
      spec
        .given([established])
        .when(allocate('s2', 'p2', 'provider'), { partner: professional('p2') })
        .thenThrows('constituency_mismatch');
    });
    it('refuses a seat before the professional was registered', () => {
      spec
        .given([established])
        .when(allocate('s2', 'p2', 'ccg'), {
          partner: professional('p2', { joinedAt: '2013-12-01T00:00:00.000Z' }),
        })
        .thenThrows('allocated_before_partner_joined');
    });
    it('refuses a lay partner not yet appointed', () => {
      spec
        .given([established])
        .when(allocate('s1', 'p1', 'lay'), {
          partner: lay('p1', { status: 'nominated', appointedAt: null }),
        })
        .thenThrows('partner_not_appointed');
    });
    it('refuses a lay seat before the appointment', () => {
      spec
        .given([established])
        .when(allocate('s1', 'p1', 'lay'), {
          partner: lay('p1', { appointedAt: '2013-10-15T00:00:00.000Z' }),
        })
        .thenThrows('allocated_before_appointment');
    });
    it('refuses a second seat for the same partner', () => {
      spec
        .given([established, s1])
        .when(allocate('s9', 'p1', 'lay'), { partner: lay('p1') })
        .thenThrows('already_seated');
    });
    it('refuses a lay seat beyond the maximum', () => {
      spec
        .given([established, s1, s3])
        .when(allocate('s4', 'p4', 'lay'), { partner: lay('p4') })
        .thenThrows('lay_seats_full');
    });
    it('allows a lay seat again once one is vacated', () => {
      spec
        .given([established, s1, s3, vacated('s3', 'p3', '2014-01-01T00:00:00.000Z')])
        .when(allocate('s4', 'p4', 'lay', '2014-02-01T00:00:00.000Z'), { partner: lay('p4') })
        .then([seat('s4', 'p4', 'lay', '2014-02-01T00:00:00.000Z')]);
    });
  });

  describe('VacateSeat', () => {
    it('vacates a seat', () => {
      spec
        .given(seated)
        .when(vacate('s3'))
        .then([vacated('s3', 'p3', '2014-06-01T00:00:00.000Z')]);
    });
    it('stands the co-chair down first when their seat is vacated', () => {
      spec
        .given([...seated, layCoChair])
        .when(vacate('s1'))
        .then([
          {
            type: 'CoChairStoodDown',
            data: {
              groupId: 'g1',
              partnerId: 'p1',
              constituency: 'lay',
              reason: 'seat-vacated',
              occurredAt: '2014-06-01T00:00:00.000Z',
            },
          },
          vacated('s1', 'p1', '2014-06-01T00:00:00.000Z'),
        ]);
    });
    it('refuses an unknown seat', () => {
      spec.given(seated).when(vacate('s9')).thenThrows('seat_not_found');
    });
    it('refuses a seat already vacated', () => {
      spec
        .given([...seated, vacated('s3', 'p3', '2014-01-01T00:00:00.000Z')])
        .when(vacate('s3'))
        .thenThrows('seat_already_vacated');
    });
    it('refuses vacating before the allocation', () => {
      spec
        .given(seated)
        .when(vacate('s3', '2013-09-15T00:00:00.000Z'))
        .thenThrows('vacated_before_allocated');
    });
    it('refuses vacating a co-chair’s seat before they became co-chair', () => {
      spec
        .given([...seated, layCoChair])
        .when(vacate('s1', '2013-10-15T00:00:00.000Z'))
        .thenThrows('stood_down_before_appointed');
    });
  });

  describe('role level in force', () => {
    const profiles = [
      {
        roleLevel: 'lay-partner',
        involvementPayment: null,
        publishedAt: '2013-04-01T00:00:00.000Z',
      },
      {
        roleLevel: 'lay-co-chair',
        involvementPayment: { amountPence: 15_000, currency: 'GBP', per: 'meeting' as const },
        publishedAt: '2013-10-15T00:00:00.000Z',
      },
    ];
    it('a seat carries the only level in force when allocated', () => {
      spec
        .given([established])
        .when(allocate('s1', 'p1', 'lay'), { partner: lay('p1'), roleProfiles: profiles })
        .then([{ ...s1, data: { ...s1.data, roleLevel: 'lay-partner' } } as GroupEvent]);
    });
    it('a professional seat carries no level unless one is named', () => {
      spec
        .given([established])
        .when(allocate('s2', 'p2', 'ccg'), { partner: professional('p2'), roleProfiles: profiles })
        .then([s2]);
    });
    it('a co-chair term carries the level named, if published by then', () => {
      spec
        .given(seated)
        .when(
          {
            type: 'AppointCoChair',
            data: { ...appointCoChair('p1', 'lay').data, roleLevel: 'lay-co-chair' },
          } as GroupCommand,
          { roleProfiles: profiles },
        )
        .then([{ ...layCoChair, data: { ...layCoChair.data, roleLevel: 'lay-co-chair' } }]);
    });
    it('refuses a level with no profile published by then', () => {
      spec
        .given([established])
        .when(
          {
            type: 'AllocateSeat',
            data: { ...allocate('s1', 'p1', 'lay').data, roleLevel: 'lay-co-chair' },
          } as GroupCommand,
          { partner: lay('p1'), roleProfiles: profiles },
        )
        .thenThrows('unknown_role_level');
    });
  });

  describe('AppointCoChair', () => {
    it('appoints a seated partner as co-chair for their constituency', () => {
      spec.given(seated).when(appointCoChair('p1', 'lay')).then([layCoChair]);
    });
    it('has one co-chair per constituency alongside each other', () => {
      spec
        .given([...seated, layCoChair])
        .when(appointCoChair('p2', 'ccg'))
        .then([
          {
            type: 'CoChairAppointed',
            data: {
              groupId: 'g1',
              partnerId: 'p2',
              constituency: 'ccg',
              seatId: 's2',
              occurredAt: '2013-11-01T00:00:00.000Z',
            },
          },
        ]);
    });
    it('refuses a constituency without a co-chair', () => {
      spec
        .given(seated)
        .when(appointCoChair('p2', 'provider'))
        .thenThrows('constituency_has_no_co_chair');
    });
    it('refuses a partner already co-chair', () => {
      spec
        .given([...seated, layCoChair])
        .when(appointCoChair('p1', 'ccg'))
        .thenThrows('already_co_chair');
    });
    it('refuses a second co-chair for the same constituency', () => {
      spec
        .given([...seated, layCoChair])
        .when(appointCoChair('p3', 'lay'))
        .thenThrows('co_chair_constituency_taken');
    });
    it('refuses a partner without a seat', () => {
      spec.given(seated).when(appointCoChair('p9', 'lay')).thenThrows('co_chair_not_seated');
    });
    it('refuses a partner whose seat was vacated', () => {
      spec
        .given([...seated, vacated('s1', 'p1', '2013-10-20T00:00:00.000Z')])
        .when(appointCoChair('p1', 'lay'))
        .thenThrows('co_chair_not_seated');
    });
    it('refuses a co-chair for a constituency other than their seat', () => {
      spec
        .given(seated)
        .when(appointCoChair('p2', 'lay'))
        .thenThrows('co_chair_seat_constituency_mismatch');
    });
    it('refuses a co-chair before their seat', () => {
      spec
        .given(seated)
        .when(appointCoChair('p1', 'lay', '2013-09-15T00:00:00.000Z'))
        .thenThrows('co_chair_before_seat_allocated');
    });
    it('refuses a successor dated before the predecessor stood down', () => {
      const stoodDown: GroupEvent = {
        type: 'CoChairStoodDown',
        data: {
          groupId: 'g1',
          partnerId: 'p1',
          constituency: 'lay',
          reason: 'resigned',
          occurredAt: '2014-03-01T00:00:00.000Z',
        },
      };
      spec
        .given([...seated, layCoChair, stoodDown])
        .when(appointCoChair('p3', 'lay', '2014-02-01T00:00:00.000Z'))
        .thenThrows('co_chair_constituency_taken');
    });
    it('refuses a dissolved group', () => {
      spec
        .given([...seated, dissolved])
        .when(appointCoChair('p1', 'lay'))
        .thenThrows('group_dissolved');
    });
  });

  describe('RecordCoChairElection', () => {
    const elected: GroupEvent = {
      type: 'CoChairElected',
      data: {
        groupId: 'g1',
        electionId: 'e1',
        partnerId: 'p1',
        constituency: 'lay',
        seatId: 's1',
        occurredAt: '2014-02-01T00:00:00.000Z',
      },
    };
    it('installs the elected partner as co-chair', () => {
      spec.given(seated).when(recordElection(), { election: election() }).then([elected]);
    });
    it('refuses an unknown election', () => {
      spec
        .given(seated)
        .when(recordElection(), { election: null })
        .thenThrows('election_not_found');
    });
    it('refuses an election of another group', () => {
      spec
        .given(seated)
        .when(recordElection(), { election: election({ groupId: 'g2' }) })
        .thenThrows('election_for_other_group');
    });
    it('refuses an election already installed', () => {
      spec
        .given([...seated, elected])
        .when(recordElection(), { election: election() })
        .thenThrows('election_already_recorded');
    });
    it('refuses an open election', () => {
      spec
        .given(seated)
        .when(recordElection(), {
          election: election({
            status: 'open',
            outcome: null,
            electedPartnerId: null,
            closedAt: null,
          }),
        })
        .thenThrows('election_not_closed');
    });
    it('refuses a tied election', () => {
      spec
        .given(seated)
        .when(recordElection(), { election: election({ outcome: 'tied', electedPartnerId: null }) })
        .thenThrows('election_not_decided');
    });
    it('refuses installing before the election closed', () => {
      spec
        .given(seated)
        .when(recordElection('2014-01-15T00:00:00.000Z'), { election: election() })
        .thenThrows('elected_before_election_closed');
    });
    it('applies the co-chair rules to the winner', () => {
      spec
        .given(seated)
        .when(recordElection(), { election: election({ electedPartnerId: 'p9' }) })
        .thenThrows('co_chair_not_seated');
    });
  });

  describe('StandDownCoChair', () => {
    it('stands a co-chair down', () => {
      spec
        .given([...seated, layCoChair])
        .when(standDown('p1'))
        .then([
          {
            type: 'CoChairStoodDown',
            data: {
              groupId: 'g1',
              partnerId: 'p1',
              constituency: 'lay',
              reason: 'resigned',
              occurredAt: '2014-06-01T00:00:00.000Z',
            },
          },
        ]);
    });
    it('refuses a partner who is not co-chair', () => {
      spec.given(seated).when(standDown('p1')).thenThrows('co_chair_not_found');
    });
    it('refuses standing down before the appointment', () => {
      spec
        .given([...seated, layCoChair])
        .when(standDown('p1', '2013-10-15T00:00:00.000Z'))
        .thenThrows('stood_down_before_appointed');
    });
  });

  describe('HoldMeeting', () => {
    it('records a meeting of seat holders', () => {
      spec.given(seated).when(holdMeeting()).then([meeting]);
    });
    it('checks seats on the meeting’s date, so a backdated meeting counts former members', () => {
      const backdated = {
        attendees: ['p1', 'p3'],
        apologies: [],
        occurredAt: '2013-12-01T00:00:00.000Z',
      };
      spec
        .given([...seated, vacated('s3', 'p3', '2014-01-01T00:00:00.000Z')])
        .when(holdMeeting(backdated))
        .then([{ type: 'MeetingHeld', data: { ...meeting.data, ...backdated } }]);
    });
    it('refuses a meeting id already used', () => {
      spec
        .given([...seated, meeting])
        .when(holdMeeting())
        .thenThrows('meeting_exists');
    });
    it.each([0, -30, 90.5])('refuses durationMinutes %p', (durationMinutes) => {
      spec.given(seated).when(holdMeeting({ durationMinutes })).thenThrows('invalid_duration');
    });
    it('refuses a meeting without attendees', () => {
      spec
        .given(seated)
        .when(holdMeeting({ attendees: [] }))
        .thenThrows('no_attendees');
    });
    it('refuses someone both present and apologising', () => {
      spec
        .given(seated)
        .when(holdMeeting({ apologies: ['p1'] }))
        .thenThrows('duplicate_attendance');
    });
    it('refuses a meeting before the group was established', () => {
      spec
        .given(seated)
        .when(holdMeeting({ occurredAt: '2013-08-01T00:00:00.000Z' }))
        .thenThrows('meeting_before_group_established');
    });
    it('refuses attendees without a seat on the date', () => {
      spec
        .given(seated)
        .when(holdMeeting({ attendees: ['p1', 'p9'] }))
        .thenThrows('attendee_not_seated');
    });
    it('refuses apologies from someone seated only later', () => {
      spec
        .given([established, s1, seat('s5', 'p5', 'lay', '2013-09-10T00:00:00.000Z')])
        .when(
          holdMeeting({
            occurredAt: '2013-09-15T00:00:00.000Z',
            attendees: ['p5'],
            apologies: ['p1'],
          }),
        )
        .thenThrows('attendee_not_seated');
    });
    it('refuses a meeting dated at or after the group was dissolved', () => {
      spec
        .given([...seated, dissolved])
        .when(holdMeeting({ occurredAt: dissolved.data.occurredAt }))
        .thenThrows('group_dissolved');
    });
    it('records a late meeting dated before the group was dissolved', () => {
      spec
        .given([...seated, dissolved])
        .when(holdMeeting())
        .then([meeting]);
    });
    it('refuses a meeting of an unknown group', () => {
      spec.given([]).when(holdMeeting()).thenThrows('group_not_found');
    });
  });

  describe('RecordDecision', () => {
    const withMeeting = [...seated, meeting];
    it('records a decision with its influences and lay members present', () => {
      spec
        .given(withMeeting)
        .when(recordDecision(), { feedback })
        .then([{ type: 'DecisionRecorded', data: decisionData }]);
    });
    it('records a decision outside a meeting, without touchstone or feedback', () => {
      const data = {
        ...decisionData,
        influencedBy: [],
        layMembersPresent: [],
        touchstoneVersion: null,
        meetingId: null,
      };
      spec
        .given(seated)
        .when({ type: 'RecordDecision', data: { ...data, meetingId: undefined } })
        .then([{ type: 'DecisionRecorded', data }]);
    });
    it('refuses a decision id already used', () => {
      spec
        .given([...withMeeting, { type: 'DecisionRecorded', data: decisionData }])
        .when(recordDecision(), { feedback })
        .thenThrows('decision_exists');
    });
    it.each([0, 1.5, -1])('refuses touchstoneVersion %p', (touchstoneVersion) => {
      spec
        .given(withMeeting)
        .when(recordDecision({ touchstoneVersion }), { feedback })
        .thenThrows('invalid_touchstone_version');
    });
    it('refuses an id listed twice', () => {
      spec
        .given(withMeeting)
        .when(recordDecision({ influencedBy: ['f1', 'f1'] }), { feedback })
        .thenThrows('duplicate_reference');
      spec
        .given(withMeeting)
        .when(recordDecision({ layMembersPresent: ['p1', 'p1'] }), { feedback })
        .thenThrows('duplicate_reference');
    });
    it('refuses a decision before the group was established', () => {
      spec
        .given(withMeeting)
        .when(
          recordDecision({
            occurredAt: '2013-08-01T00:00:00.000Z',
            meetingId: null,
            influencedBy: [],
            layMembersPresent: [],
          }),
        )
        .thenThrows('decided_before_group_established');
    });
    it('refuses lay members present who hold no lay seat', () => {
      spec
        .given(withMeeting)
        .when(recordDecision({ layMembersPresent: ['p2'] }), { feedback })
        .thenThrows('not_a_lay_member');
    });
    it('refuses an unknown meeting', () => {
      spec.given(seated).when(recordDecision(), { feedback }).thenThrows('meeting_not_found');
    });
    it('refuses a decision before its meeting', () => {
      spec
        .given(withMeeting)
        .when(recordDecision({ occurredAt: '2013-11-20T00:00:00.000Z' }), { feedback })
        .thenThrows('decided_before_meeting');
    });
    it('refuses lay members present who were not at the meeting', () => {
      spec
        .given(withMeeting)
        .when(recordDecision({ layMembersPresent: ['p3'] }), { feedback })
        .thenThrows('not_at_meeting');
    });
    it('refuses unknown feedback', () => {
      spec
        .given(withMeeting)
        .when(recordDecision(), { feedback: [] })
        .thenThrows('feedback_not_found');
    });
    it('refuses a decision before the feedback that influenced it', () => {
      spec
        .given(withMeeting)
        .when(recordDecision(), {
          feedback: [{ feedbackId: 'f1', heardAt: '2013-12-02T00:00:00.000Z' }],
        })
        .thenThrows('decided_before_feedback_heard');
    });
  });

  describe('DissolveGroup', () => {
    it('stands co-chairs down and vacates seats, then dissolves', () => {
      const at = '2015-12-01T00:00:00.000Z';
      spec
        .given([...seated, vacated('s3', 'p3', '2014-01-01T00:00:00.000Z'), layCoChair])
        .when(dissolve())
        .then([
          {
            type: 'CoChairStoodDown',
            data: {
              groupId: 'g1',
              partnerId: 'p1',
              constituency: 'lay',
              reason: 'group-dissolved',
              occurredAt: at,
            },
          },
          {
            type: 'SeatVacated',
            data: {
              groupId: 'g1',
              seatId: 's1',
              partnerId: 'p1',
              reason: 'group-dissolved',
              occurredAt: at,
            },
          },
          {
            type: 'SeatVacated',
            data: {
              groupId: 'g1',
              seatId: 's2',
              partnerId: 'p2',
              reason: 'group-dissolved',
              occurredAt: at,
            },
          },
          dissolved,
        ]);
    });
    it('refuses a dissolution dated before the group’s last activity', () => {
      spec
        .given([...seated, meeting])
        .when(dissolve('2013-11-30T00:00:00.000Z'))
        .thenThrows('dissolved_before_last_activity');
    });
    it('refuses dissolving twice', () => {
      spec.given([established, dissolved]).when(dissolve()).thenThrows('group_dissolved');
    });
    it('refuses an unknown group', () => {
      spec.given([]).when(dissolve()).thenThrows('group_not_found');
    });
    it('refuses a future date', () => {
      spec
        .given([established])
        .when(dissolve('2017-01-01T00:00:00.000Z'))
        .thenThrows('occurred_in_future');
    });
  });

  /**
   * Backdated commands: a command dated T is accepted only if the whole
   * timeline stays valid with it, at T and at every instant already recorded.
   */
  describe('rules at every instant of business time', () => {
    const d = (date: string) => `${date}T00:00:00.000Z`;
    const ended = (seatId: string, partnerId: string, at: string, reason: string): GroupEvent => ({
      type: 'SeatVacated',
      data: { groupId: 'g1', seatId, partnerId, reason, occurredAt: d(at) },
    });
    const past = (seatId: string, partnerId: string, from: string, until: string): GroupEvent[] => [
      seat(seatId, partnerId, 'lay', d(from)),
      ended(seatId, partnerId, until, 'term-ended'),
    ];
    const allocatePast = (
      seatId: string,
      partnerId: string,
      from: string,
      until: string | null,
    ): GroupCommand => ({
      type: 'AllocateSeat',
      data: {
        groupId: 'g1',
        seatId,
        partnerId,
        constituency: 'lay',
        termEndsOn: null,
        occurredAt: d(from),
        until: until === null ? null : d(until),
      },
    });
    const appointed = (partnerId: string, seatId: string, at: string): GroupEvent => ({
      type: 'CoChairAppointed',
      data: { groupId: 'g1', partnerId, constituency: 'lay', seatId, occurredAt: d(at) },
    });
    const stoodDown = (partnerId: string, at: string, reason = 'term-ended'): GroupEvent => ({
      type: 'CoChairStoodDown',
      data: { groupId: 'g1', partnerId, constituency: 'lay', reason, occurredAt: d(at) },
    });
    const appointPast = (partnerId: string, from: string, until: string | null): GroupCommand => ({
      type: 'AppointCoChair',
      data: {
        groupId: 'g1',
        partnerId,
        constituency: 'lay',
        occurredAt: d(from),
        until: until === null ? null : d(until),
      },
    });

    describe('lay seat maximum over the whole new term', () => {
      // max 2: p1 and p3 hold lay seats from 2013-10-01; p3's is vacated on 2015-06-01.
      const full = [established, s1, s3, vacated('s3', 'p3', d('2015-06-01'))];
      it('refuses a backdated seat that would overfill a past period, naming it', () => {
        spec
          .given(full)
          .when(allocatePast('s4', 'p4', '2014-01-01', null), { partner: lay('p4') })
          .thenThrows('lay_seats_full', {
            max: 2,
            from: d('2014-01-01'),
            until: d('2015-06-01'),
            holders: ['p1', 'p3'],
          });
      });
      it('accepts the same seat from the day a lay seat became free', () => {
        spec
          .given(full)
          .when(allocatePast('s4', 'p4', '2015-06-01', null), { partner: lay('p4') })
          .then([seat('s4', 'p4', 'lay', d('2015-06-01'))]);
      });
      it('accepts a past term in a gap, and refuses one that runs into the full period', () => {
        spec
          .given(full)
          .when(allocatePast('s4', 'p4', '2013-09-15', '2013-10-01'), { partner: lay('p4') })
          .then(past('s4', 'p4', '2013-09-15', '2013-10-01'));
        spec
          .given(full)
          .when(allocatePast('s4', 'p4', '2013-09-15', '2013-10-02'), { partner: lay('p4') })
          .thenThrows('lay_seats_full', {
            from: d('2013-10-01'),
            until: d('2013-10-02'),
            holders: ['p1', 'p3'],
          });
      });
      it('finds a full period that begins inside the new term, open-ended', () => {
        spec
          .given([
            established,
            seat('s1', 'p1', 'lay', d('2014-01-01')),
            seat('s3', 'p3', 'lay', d('2014-02-01')),
          ])
          .when(allocatePast('s4', 'p4', '2013-12-01', null), { partner: lay('p4') })
          .thenThrows('lay_seats_full', { from: d('2014-02-01'), until: null });
      });
    });

    describe('one seat per partner at any instant', () => {
      const endedSeat = [established, ...past('s1', 'p1', '2013-10-01', '2014-06-01')];
      it('refuses a second seat inside the partner’s past term, naming it', () => {
        spec
          .given(endedSeat)
          .when(allocatePast('s9', 'p1', '2014-03-01', null), { partner: lay('p1') })
          .thenThrows('already_seated', {
            partnerId: 'p1',
            seatId: 's1',
            from: d('2013-10-01'),
            until: d('2014-06-01'),
          });
      });
      it('accepts a seat from the day the earlier one ended', () => {
        spec
          .given(endedSeat)
          .when(allocatePast('s9', 'p1', '2014-06-01', null), { partner: lay('p1') })
          .then([seat('s9', 'p1', 'lay', d('2014-06-01'))]);
      });
      it('refuses a past term that runs into a later seat, accepts one that ends as it starts', () => {
        spec
          .given([established, s1])
          .when(allocatePast('s0', 'p1', '2013-09-02', '2013-10-02'), { partner: lay('p1') })
          .thenThrows('already_seated', { seatId: 's1', until: null });
        spec
          .given([established, s1])
          .when(allocatePast('s0', 'p1', '2013-09-02', '2013-10-01'), { partner: lay('p1') })
          .then(past('s0', 'p1', '2013-09-02', '2013-10-01'));
      });
      it('never reuses a seat id, even for a past term', () => {
        spec
          .given(endedSeat)
          .when(allocatePast('s1', 'p4', '2014-07-01', '2014-08-01'), { partner: lay('p4') })
          .thenThrows('seat_exists');
      });
    });

    describe('a past term in one command (`until`)', () => {
      it('needs until after occurredAt', () => {
        spec
          .given([established])
          .when(allocatePast('s1', 'p1', '2014-01-01', '2014-01-01'), { partner: lay('p1') })
          .thenThrows('until_not_after_start');
        spec
          .given([established, s1])
          .when(appointPast('p1', '2014-01-01', '2013-12-01'))
          .thenThrows('until_not_after_start');
      });
      it('refuses until in the future', () => {
        spec
          .given([established])
          .when(allocatePast('s1', 'p1', '2014-01-01', '2016-06-01'), { partner: lay('p1') })
          .thenThrows('occurred_in_future', { until: d('2016-06-01') });
        spec
          .given([established, s1])
          .when(appointPast('p1', '2014-01-01', '2016-06-01'))
          .thenThrows('occurred_in_future');
      });
      it('records a past co-chair term as appointed and stood down (`term-ended`)', () => {
        spec
          .given([established, s1])
          .when(appointPast('p1', '2013-11-01', '2014-02-01'))
          .then([appointed('p1', 's1', '2013-11-01'), stoodDown('p1', '2014-02-01')]);
      });
    });

    describe('withdrawal', () => {
      const withdrawn = lay('p4', { status: 'withdrawn', withdrawnAt: d('2015-01-01') });
      it('accepts a past term that ended by the withdrawal', () => {
        spec
          .given([established])
          .when(allocatePast('s4', 'p4', '2014-01-01', '2015-01-01'), { partner: withdrawn })
          .then(past('s4', 'p4', '2014-01-01', '2015-01-01'));
      });
      it('refuses an open seat, or a term running past the withdrawal', () => {
        spec
          .given([established])
          .when(allocatePast('s4', 'p4', '2014-01-01', null), { partner: withdrawn })
          .thenThrows('partner_withdrawn', { partnerId: 'p4', withdrawnAt: d('2015-01-01') });
        spec
          .given([established])
          .when(allocatePast('s4', 'p4', '2014-01-01', '2015-01-02'), { partner: withdrawn })
          .thenThrows('partner_withdrawn');
      });
      it('refuses a seat dated after the withdrawal', () => {
        spec
          .given([established])
          .when(allocatePast('s4', 'p4', '2015-02-01', '2015-03-01'), { partner: withdrawn })
          .thenThrows('partner_withdrawn');
      });
    });

    describe('one co-chair per constituency at any instant', () => {
      const chaired = [...seated, layCoChair]; // p1 lay co-chair from 2013-11-01, open
      it('accepts a past term for another member before the incumbent began', () => {
        spec
          .given(chaired)
          .when(appointPast('p3', '2013-10-01', '2013-11-01'))
          .then([appointed('p3', 's3', '2013-10-01'), stoodDown('p3', '2013-11-01')]);
      });
      it('refuses one that overlaps the incumbent, naming the incumbent’s term', () => {
        spec
          .given(chaired)
          .when(appointPast('p3', '2013-10-01', '2013-11-02'))
          .thenThrows('co_chair_constituency_taken', {
            constituency: 'lay',
            incumbent: 'p1',
            since: d('2013-11-01'),
            until: null,
          });
      });
      it('refuses one person co-chairing twice at once, accepts an earlier term', () => {
        spec
          .given(chaired)
          .when(appointPast('p1', '2013-10-15', '2013-11-15'))
          .thenThrows('already_co_chair', { partnerId: 'p1', since: d('2013-11-01') });
        spec
          .given(chaired)
          .when(appointPast('p1', '2013-10-01', '2013-10-15'))
          .then([appointed('p1', 's1', '2013-10-01'), stoodDown('p1', '2013-10-15')]);
      });
      it('a past term recorded later ends that term, not the open one', () => {
        spec
          .given([...chaired, appointed('p1', 's1', '2013-10-01'), stoodDown('p1', '2013-10-15')])
          .when(standDown('p1', d('2014-06-01')))
          .then([stoodDown('p1', '2014-06-01', 'resigned')]);
        spec
          .given([...chaired, appointed('p1', 's1', '2013-10-01'), stoodDown('p1', '2013-10-15')])
          .when(appointPast('p3', '2013-10-20', '2013-10-25'))
          .then([appointed('p3', 's3', '2013-10-20'), stoodDown('p3', '2013-10-25')]);
      });
    });

    describe('a co-chair holds a seat of the constituency over the whole term', () => {
      const endedSeat = [established, ...past('s1', 'p1', '2013-10-01', '2014-06-01')];
      it('refuses an open term on a seat that has since been vacated', () => {
        spec
          .given(endedSeat)
          .when(appointPast('p1', '2014-01-01', null))
          .thenThrows('co_chair_term_outlasts_seat', {
            seatId: 's1',
            seatUntil: d('2014-06-01'),
          });
      });
      it('accepts the term ending with the seat', () => {
        spec
          .given(endedSeat)
          .when(appointPast('p1', '2014-01-01', '2014-06-01'))
          .then([appointed('p1', 's1', '2014-01-01'), stoodDown('p1', '2014-06-01')]);
      });
      it('refuses a term dated where the partner held no seat', () => {
        spec
          .given(endedSeat)
          .when(appointPast('p1', '2014-07-01', '2014-08-01'))
          .thenThrows('co_chair_not_seated', { partnerId: 'p1', at: d('2014-07-01') });
      });
    });

    describe('a backdated vacate leaves later facts standing', () => {
      it('refuses a vacate dated before a meeting the holder attended', () => {
        spec
          .given([...seated, meeting])
          .when(vacate('s3', d('2013-11-01')))
          .thenThrows('vacated_before_meeting', {
            seatId: 's3',
            partnerId: 'p3',
            meetingId: 'm1',
            heldAt: d('2013-12-01'),
          });
        spec
          .given([...seated, meeting])
          .when(vacate('s3', d('2013-12-02')))
          .then([vacated('s3', 'p3', d('2013-12-02'))]);
      });
      const decided: GroupEvent = {
        type: 'DecisionRecorded',
        data: { ...decisionData, meetingId: null, occurredAt: d('2014-01-15') },
      };
      it('refuses a vacate dated before a decision the holder was present at', () => {
        spec
          .given([...seated, decided])
          .when(vacate('s1', d('2014-01-01')))
          .thenThrows('vacated_before_decision', { decisionId: 'd1', decidedAt: d('2014-01-15') });
        spec
          .given([...seated, decided])
          .when(vacate('s1', d('2014-01-16')))
          .then([vacated('s1', 'p1', d('2014-01-16'))]);
      });
      it('refuses a vacate dated inside a co-chair term held on the seat', () => {
        const term = [
          ...seated,
          appointed('p1', 's1', '2013-11-01'),
          stoodDown('p1', '2014-02-01'),
        ];
        spec
          .given(term)
          .when(vacate('s1', d('2014-01-01')))
          .thenThrows('vacated_before_co_chair_term_ended', {
            seatId: 's1',
            since: d('2013-11-01'),
            until: d('2014-02-01'),
          });
        spec
          .given(term)
          .when(vacate('s1', d('2014-02-01')))
          .then([vacated('s1', 'p1', d('2014-02-01'))]);
      });
    });

    describe('dissolution', () => {
      it('refuses a dissolution on the day of a meeting, naming it; accepts the day after', () => {
        spec
          .given([...seated, meeting])
          .when(dissolve(d('2013-12-01')))
          .thenThrows('dissolved_before_last_activity', {
            fact: { type: 'MeetingHeld', id: 'm1', at: d('2013-12-01') },
          });
        spec
          .given([established])
          .when(dissolve(d('2013-12-02')))
          .then([
            {
              type: 'GroupDissolved',
              data: { groupId: 'g1', reason: 'Programme closed', occurredAt: d('2013-12-02') },
            },
          ]);
      });
      it('refuses a dissolution before a recorded past term ended', () => {
        spec
          .given([established, ...past('s1', 'p1', '2013-10-01', '2015-06-01')])
          .when(dissolve(d('2015-01-01')))
          .thenThrows('dissolved_before_last_activity', {
            fact: { type: 'SeatVacated', id: 's1', at: d('2015-06-01') },
          });
      });
      const closed: GroupEvent[] = [
        established,
        s1,
        ended('s1', 'p1', '2015-12-01', 'group-dissolved'),
        dissolved,
      ];
      it('takes late paper records dated before the dissolution', () => {
        spec
          .given(closed)
          .when(allocatePast('s4', 'p4', '2014-01-01', '2015-12-01'), { partner: lay('p4') })
          .then(past('s4', 'p4', '2014-01-01', '2015-12-01'));
        spec
          .given(closed)
          .when(holdMeeting({ attendees: ['p1'], apologies: [] }))
          .then([{ ...meeting, data: { ...meeting.data, attendees: ['p1'], apologies: [] } }]);
      });
      it('refuses open or overrunning terms, and anything from the dissolution on', () => {
        spec
          .given(closed)
          .when(allocatePast('s4', 'p4', '2014-01-01', null), { partner: lay('p4') })
          .thenThrows('group_dissolved', { dissolvedAt: dissolved.data.occurredAt });
        spec
          .given(closed)
          .when(allocatePast('s4', 'p4', '2015-06-01', '2015-12-02'), { partner: lay('p4') })
          .thenThrows('group_dissolved');
        spec
          .given(closed)
          .when(appointPast('p1', '2014-01-01', null))
          .thenThrows('group_dissolved');
        spec
          .given(closed)
          .when(recordDecision({ meetingId: null, influencedBy: [], occurredAt: d('2015-12-01') }))
          .thenThrows('group_dissolved');
      });
    });
  });
});
