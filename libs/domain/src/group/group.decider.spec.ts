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
        .thenThrows('co_chair_before_predecessor_stood_down');
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
    it('refuses a meeting of a dissolved group', () => {
      spec
        .given([...seated, dissolved])
        .when(holdMeeting())
        .thenThrows('group_dissolved');
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
});
