import { fold } from '../core/decider.js';
import type { DomainError } from '../core/domain-error.js';
import type { ProgrammeStanding } from '../facts/index.js';
import { deciderSpec } from '../core/testing/decider-spec.js';
import { partnerCommandStream, partnerDecider, type PartnerCommand } from './partner.decider.js';
import {
  partnerStanding,
  type ExpenseReimbursed,
  type PartnerEvent,
  type PartnerNominated,
  type PartnerRegistered,
} from './partner.events.js';

const NOW = '2016-01-01T00:00:00.000Z';
const spec = deciderSpec(partnerDecider, { now: NOW });

const nominated: PartnerNominated = {
  type: 'PartnerNominated',
  data: {
    partnerId: 'p1',
    name: 'Ann Example',
    nominatedBy: { organisation: 'Brent PPG', organisationKind: 'patient-participation-group' },
    campaign: '2013-design-phase',
    programmeId: null,
    occurredAt: '2013-06-01T00:00:00.000Z',
  },
};
const registered: PartnerRegistered = {
  type: 'PartnerRegistered',
  data: {
    partnerId: 'p2',
    name: 'Dr Bob Example',
    organisation: 'Ealing CCG',
    constituency: 'ccg',
    role: 'Clinical lead',
    programmeId: null,
    occurredAt: '2013-05-01T00:00:00.000Z',
  },
};
const attended: PartnerEvent = {
  type: 'WorkshopAttended',
  data: { partnerId: 'p1', workshopId: 'w1', occurredAt: '2013-06-20T00:00:00.000Z' },
};
const interested: PartnerEvent = {
  type: 'InterestExpressed',
  data: { partnerId: 'p1', occurredAt: '2013-06-25T00:00:00.000Z' },
};
const appointed: PartnerEvent = {
  type: 'PartnerAppointed',
  data: { partnerId: 'p1', body: 'advisory-group', occurredAt: '2013-07-01T00:00:00.000Z' },
};
const withdrew: PartnerEvent = {
  type: 'PartnerWithdrew',
  data: { partnerId: 'p1', reason: 'time-commitment', occurredAt: '2014-03-01T00:00:00.000Z' },
};
const claimed: PartnerEvent = {
  type: 'ExpenseClaimed',
  data: {
    partnerId: 'p1',
    claimId: 'c1',
    amountPence: 1250,
    category: 'travel',
    incurredOn: '2013-09-10',
    occurredAt: '2013-09-12T00:00:00.000Z',
  },
};
const reimbursed: ExpenseReimbursed = {
  type: 'ExpenseReimbursed',
  data: {
    partnerId: 'p1',
    claimId: 'c1',
    amountPence: 1250,
    occurredAt: '2013-10-01T00:00:00.000Z',
  },
};
const erased: PartnerEvent = {
  type: 'PersonalDataErased',
  data: { partnerId: 'p1', occurredAt: '2014-04-01T00:00:00.000Z' },
};

const nominate: PartnerCommand = { type: 'NominatePartner', data: { ...nominated.data } };
const register: PartnerCommand = { type: 'RegisterProfessional', data: { ...registered.data } };
const attend = (occurredAt = '2013-06-20T00:00:00.000Z', partnerId = 'p1'): PartnerCommand => ({
  type: 'RecordWorkshopAttendance',
  data: { partnerId, workshopId: 'w1', occurredAt },
});
const express = (occurredAt = '2013-06-25T00:00:00.000Z', partnerId = 'p1'): PartnerCommand => ({
  type: 'ExpressInterest',
  data: { partnerId, occurredAt },
});
const appoint = (occurredAt = '2013-07-01T00:00:00.000Z', partnerId = 'p1'): PartnerCommand => ({
  type: 'AppointPartner',
  data: { partnerId, body: 'advisory-group', occurredAt },
});
const train = (occurredAt = '2013-08-01T00:00:00.000Z', partnerId = 'p1'): PartnerCommand => ({
  type: 'CompleteTraining',
  data: { partnerId, course: 'Confident challenge', occurredAt },
});
const withdraw = (occurredAt = '2014-03-01T00:00:00.000Z'): PartnerCommand => ({
  type: 'Withdraw',
  data: { partnerId: 'p1', reason: 'time-commitment', occurredAt },
});
const claim = (
  overrides: Partial<{
    claimId: string;
    amountPence: number;
    incurredOn: string;
    occurredAt: string;
    partnerId: string;
  }> = {},
): PartnerCommand => ({
  type: 'ClaimExpense',
  data: {
    partnerId: 'p1',
    claimId: 'c1',
    amountPence: 1250,
    category: 'travel',
    incurredOn: '2013-09-10',
    occurredAt: '2013-09-12T00:00:00.000Z',
    ...overrides,
  },
});
const reimburse = (occurredAt = '2013-10-01T00:00:00.000Z', claimId = 'c1'): PartnerCommand => ({
  type: 'ReimburseExpense',
  data: { partnerId: 'p1', claimId, occurredAt },
});
const reject = (
  reason = 'No receipt',
  occurredAt = '2013-10-01T00:00:00.000Z',
): PartnerCommand => ({
  type: 'RejectExpense',
  data: { partnerId: 'p1', claimId: 'c1', reason, occurredAt },
});
const erase = (occurredAt = '2014-04-01T00:00:00.000Z'): PartnerCommand => ({
  type: 'ErasePersonalData',
  data: { partnerId: 'p1', occurredAt },
});

describe('partner decider', () => {
  it('names the partner stream from the command', () => {
    expect(partnerCommandStream(nominate)).toBe('partner-p1');
  });

  describe('NominatePartner', () => {
    it('nominates a lay partner, backdated', () => {
      spec.given([]).when(nominate).then([nominated]);
    });
    it('refuses an existing partner', () => {
      spec.given([nominated]).when(nominate).thenThrows('partner_exists');
    });
    it('refuses a future date', () => {
      spec
        .given([])
        .when({
          type: 'NominatePartner',
          data: { ...nominated.data, occurredAt: '2016-01-02T00:00:00.000Z' },
        })
        .thenThrows('occurred_in_future');
    });
  });

  describe('RegisterProfessional', () => {
    it('registers a professional', () => {
      spec.given([]).when(register).then([registered]);
    });
    it('refuses an existing partner', () => {
      spec.given([nominated]).when(register).thenThrows('partner_exists');
    });
    it('refuses a lay constituency', () => {
      spec
        .given([])
        .when({ type: 'RegisterProfessional', data: { ...registered.data, constituency: 'lay' } })
        .thenThrows('professional_cannot_be_lay');
    });
  });

  describe('RecordWorkshopAttendance', () => {
    it('records attendance', () => {
      spec.given([nominated]).when(attend()).then([attended]);
    });
    it('refuses an unknown partner', () => {
      spec.given([]).when(attend()).thenThrows('partner_not_found');
    });
    it('refuses a withdrawn partner', () => {
      spec
        .given([nominated, withdrew])
        .when(attend('2014-04-01T00:00:00.000Z'))
        .thenThrows('partner_withdrawn');
    });
    it('refuses a professional', () => {
      spec.given([registered]).when(attend(undefined, 'p2')).thenThrows('lay_partner_only');
    });
    it('refuses the same workshop twice', () => {
      spec.given([nominated, attended]).when(attend()).thenThrows('workshop_already_attended');
    });
    it('refuses attendance before the nomination', () => {
      spec
        .given([nominated])
        .when(attend('2013-05-01T00:00:00.000Z'))
        .thenThrows('attended_before_nominated');
    });
  });

  describe('ExpressInterest', () => {
    it('records interest', () => {
      spec.given([nominated, attended]).when(express()).then([interested]);
    });
    it('refuses interest expressed twice', () => {
      spec.given([nominated, interested]).when(express()).thenThrows('interest_already_expressed');
    });
    it('refuses interest before the nomination', () => {
      spec
        .given([nominated])
        .when(express('2013-01-01T00:00:00.000Z'))
        .thenThrows('interest_before_nominated');
    });
    it('refuses a professional', () => {
      spec.given([registered]).when(express(undefined, 'p2')).thenThrows('lay_partner_only');
    });
  });

  describe('AppointPartner', () => {
    it('appoints a nominated partner', () => {
      spec.given([nominated, attended, interested]).when(appoint()).then([appointed]);
    });
    it('appoints to the forum as well as the advisory group', () => {
      spec
        .given([nominated, appointed])
        .when({
          type: 'AppointPartner',
          data: { partnerId: 'p1', body: 'forum', occurredAt: '2013-08-01T00:00:00.000Z' },
        })
        .then([
          {
            type: 'PartnerAppointed',
            data: { partnerId: 'p1', body: 'forum', occurredAt: '2013-08-01T00:00:00.000Z' },
          },
        ]);
    });
    it('refuses an unknown partner', () => {
      spec.given([]).when(appoint()).thenThrows('partner_not_found');
    });
    it('refuses a withdrawn partner', () => {
      spec
        .given([nominated, withdrew])
        .when(appoint('2014-04-01T00:00:00.000Z'))
        .thenThrows('partner_withdrawn');
    });
    it('refuses a professional', () => {
      spec.given([registered]).when(appoint(undefined, 'p2')).thenThrows('lay_partner_only');
    });
    it('refuses a second appointment to the same body', () => {
      spec.given([nominated, appointed]).when(appoint()).thenThrows('already_appointed');
    });
    it('refuses an appointment before the nomination', () => {
      spec
        .given([nominated])
        .when(appoint('2013-05-31T23:59:59.000Z'))
        .thenThrows('appointed_before_nominated');
    });
    it('refuses a future date', () => {
      spec
        .given([nominated])
        .when(appoint('2030-01-01T00:00:00.000Z'))
        .thenThrows('occurred_in_future');
    });
  });

  describe('CompleteTraining', () => {
    it('records training for a lay partner', () => {
      spec
        .given([nominated, appointed])
        .when(train())
        .then([
          {
            type: 'TrainingCompleted',
            data: {
              partnerId: 'p1',
              course: 'Confident challenge',
              occurredAt: '2013-08-01T00:00:00.000Z',
            },
          },
        ]);
    });
    it('records training for a professional', () => {
      spec
        .given([registered])
        .when(train(undefined, 'p2'))
        .then([
          {
            type: 'TrainingCompleted',
            data: {
              partnerId: 'p2',
              course: 'Confident challenge',
              occurredAt: '2013-08-01T00:00:00.000Z',
            },
          },
        ]);
    });
    it('refuses training before the partner joined', () => {
      spec
        .given([registered])
        .when(train('2013-04-01T00:00:00.000Z', 'p2'))
        .thenThrows('trained_before_joined');
    });
    it('refuses a withdrawn partner', () => {
      spec
        .given([nominated, withdrew])
        .when(train('2014-05-01T00:00:00.000Z'))
        .thenThrows('partner_withdrawn');
    });
  });

  describe('Withdraw', () => {
    it('records a withdrawal with its reason', () => {
      spec.given([nominated, appointed]).when(withdraw()).then([withdrew]);
    });
    it('keeps an optional note', () => {
      spec
        .given([nominated])
        .when({
          type: 'Withdraw',
          data: {
            partnerId: 'p1',
            reason: 'no-remuneration',
            note: 'Needs paid work',
            occurredAt: '2013-07-01T00:00:00.000Z',
          },
        })
        .then([
          {
            type: 'PartnerWithdrew',
            data: {
              partnerId: 'p1',
              reason: 'no-remuneration',
              note: 'Needs paid work',
              occurredAt: '2013-07-01T00:00:00.000Z',
            },
          },
        ]);
    });
    it('refuses an unknown partner', () => {
      spec.given([]).when(withdraw()).thenThrows('partner_not_found');
    });
    it('refuses a second withdrawal', () => {
      spec
        .given([nominated, withdrew])
        .when(withdraw('2014-05-01T00:00:00.000Z'))
        .thenThrows('partner_withdrawn');
    });
    describe('against what groups record of the partner', () => {
      const meeting = {
        at: '2014-02-10T00:00:00.000Z',
        activity: 'meeting m1 on board',
        present: true,
      };
      const seat = { at: '2014-01-06T00:00:00.000Z', activity: 'seat s1 on board', present: false };
      it('accepts a backdated withdrawal after every seat, meeting and decision', () => {
        spec
          .given([nominated])
          .when(withdraw('2014-02-11T00:00:00.000Z'), { groupInvolvement: [seat, meeting] })
          .then([
            { ...withdrew, data: { ...withdrew.data, occurredAt: '2014-02-11T00:00:00.000Z' } },
          ]);
      });
      it('refuses one dated before a meeting they attended, naming it', () => {
        spec
          .given([nominated])
          .when(withdraw('2014-02-01T00:00:00.000Z'), { groupInvolvement: [seat, meeting] })
          .thenThrows('withdrew_before_last_activity', {
            activity: 'meeting m1 on board',
            dependsOn: '2014-02-10T00:00:00.000Z',
          });
      });
      it('refuses one on the day of a meeting they attended (their seat ends that day)', () => {
        spec
          .given([nominated])
          .when(withdraw('2014-02-10T00:00:00.000Z'), { groupInvolvement: [meeting] })
          .thenThrows('withdrew_before_last_activity');
      });
      it('accepts one on the day a seat began (a seat is only a start, not a presence)', () => {
        spec
          .given([nominated])
          .when(withdraw('2014-01-06T00:00:00.000Z'), { groupInvolvement: [seat] })
          .then([
            { ...withdrew, data: { ...withdrew.data, occurredAt: '2014-01-06T00:00:00.000Z' } },
          ]);
      });
    });
    it('refuses a withdrawal dated before the last recorded activity', () => {
      spec
        .given([nominated, appointed, claimed])
        .when(withdraw('2013-08-01T00:00:00.000Z'))
        .thenThrows('withdrew_before_last_activity');
    });
  });

  describe('ClaimExpense', () => {
    it('records a claim', () => {
      spec.given([nominated, appointed]).when(claim()).then([claimed]);
    });
    it('refuses a professional', () => {
      spec
        .given([registered])
        .when(claim({ partnerId: 'p2' }))
        .thenThrows('lay_partner_only');
    });
    it('refuses a cost incurred after the withdrawal', () => {
      spec
        .given([nominated, withdrew])
        .when(claim({ incurredOn: '2014-03-02', occurredAt: '2014-03-02T00:00:00.000Z' }))
        .thenThrows('partner_withdrawn');
    });
    it('refuses a claim id already used', () => {
      spec.given([nominated, claimed]).when(claim()).thenThrows('claim_exists');
    });
    it.each([0, -100, 12.5, Number.NaN])('refuses amountPence %p', (amountPence) => {
      spec.given([nominated]).when(claim({ amountPence })).thenThrows('invalid_amount');
    });
    it('refuses a claim before the cost was incurred', () => {
      spec
        .given([nominated])
        .when(claim({ incurredOn: '2013-09-20', occurredAt: '2013-09-12T00:00:00.000Z' }))
        .thenThrows('claimed_before_incurred');
    });
    it('refuses a cost incurred before the partner joined', () => {
      spec
        .given([nominated])
        .when(claim({ incurredOn: '2013-01-01' }))
        .thenThrows('incurred_before_joined');
    });
    it('refuses a future claim date', () => {
      spec
        .given([nominated])
        .when(claim({ occurredAt: '2016-02-01T00:00:00.000Z' }))
        .thenThrows('occurred_in_future');
    });
  });

  describe('RecordInvolvementPayment and RecordInvolvementPaymentDeclined', () => {
    const payment = (
      overrides: Partial<{
        paymentId: string;
        amountPence: number;
        currency: string;
        occurredAt: string;
        partnerId: string;
      }> = {},
      type:
        | 'RecordInvolvementPayment'
        | 'RecordInvolvementPaymentDeclined' = 'RecordInvolvementPayment',
    ): PartnerCommand => ({
      type,
      data: {
        partnerId: 'p1',
        paymentId: 'ip-1',
        amountPence: 15_000,
        currency: 'GBP',
        roleLevel: 'lay-co-chair',
        occurredAt: '2013-10-31T00:00:00.000Z',
        ...overrides,
      },
    });
    const made: PartnerEvent = {
      type: 'InvolvementPaymentRecorded',
      data: {
        partnerId: 'p1',
        paymentId: 'ip-1',
        amountPence: 15_000,
        currency: 'GBP',
        roleLevel: 'lay-co-chair',
        occurredAt: '2013-10-31T00:00:00.000Z',
      },
    };
    it('records a payment made', () => {
      spec.given([nominated, appointed]).when(payment()).then([made]);
    });
    it('records a payment declined, with the amount offered', () => {
      spec
        .given([nominated, appointed])
        .when(payment({}, 'RecordInvolvementPaymentDeclined'))
        .then([{ type: 'InvolvementPaymentDeclined', data: { ...made.data } }]);
    });
    it('accepts a zero payment (a profile that pays nothing)', () => {
      spec
        .given([nominated])
        .when(payment({ amountPence: 0 }))
        .then([{ type: 'InvolvementPaymentRecorded', data: { ...made.data, amountPence: 0 } }]);
    });
    it('refuses a payment id already recorded, made or declined', () => {
      spec.given([nominated, made]).when(payment()).thenThrows('payment_exists');
      spec
        .given([nominated, made])
        .when(payment({}, 'RecordInvolvementPaymentDeclined'))
        .thenThrows('payment_exists');
    });
    it.each([-1, 12.5, Number.NaN])('refuses amountPence %p', (amountPence) => {
      spec.given([nominated]).when(payment({ amountPence })).thenThrows('invalid_amount');
    });
    it.each(['gbp', 'POUNDS', ''])('refuses currency %p', (currency) => {
      spec.given([nominated]).when(payment({ currency })).thenThrows('invalid_currency');
    });
    it('refuses an unknown partner', () => {
      spec.given([]).when(payment()).thenThrows('partner_not_found');
    });
    it('refuses a professional', () => {
      spec
        .given([registered])
        .when(payment({ partnerId: 'p2' }))
        .thenThrows('lay_partner_only');
    });
    it('refuses a payment dated after the withdrawal, accepts one dated by it', () => {
      spec
        .given([nominated, withdrew])
        .when(payment({ occurredAt: '2014-03-02T00:00:00.000Z' }))
        .thenThrows('partner_withdrawn');
      spec
        .given([nominated, withdrew])
        .when(
          payment({ occurredAt: '2014-03-01T00:00:00.000Z' }, 'RecordInvolvementPaymentDeclined'),
        )
        .then([
          {
            type: 'InvolvementPaymentDeclined',
            data: { ...made.data, occurredAt: '2014-03-01T00:00:00.000Z' },
          },
        ]);
    });
    it('refuses a payment before the partner joined', () => {
      spec
        .given([nominated])
        .when(payment({ occurredAt: '2013-05-01T00:00:00.000Z' }))
        .thenThrows('paid_before_joined');
    });
    it('refuses a future date', () => {
      spec
        .given([nominated])
        .when(payment({ occurredAt: '2016-02-01T00:00:00.000Z' }))
        .thenThrows('occurred_in_future');
    });
    it('keeps payments in state by id', () => {
      const state = fold(partnerDecider, [nominated, made]);
      expect(state.payments).toEqual({
        'ip-1': { status: 'made', amountPence: 15_000, at: '2013-10-31T00:00:00.000Z' },
      });
    });
  });

  describe('ReimburseExpense', () => {
    it('reimburses the claimed amount', () => {
      spec.given([nominated, claimed]).when(reimburse()).then([reimbursed]);
    });
    it('reimburses an earlier claim after withdrawal and erasure', () => {
      spec
        .given([nominated, claimed, withdrew, erased])
        .when(reimburse('2014-05-01T00:00:00.000Z'))
        .then([
          { ...reimbursed, data: { ...reimbursed.data, occurredAt: '2014-05-01T00:00:00.000Z' } },
        ]);
    });
    it('refuses an unknown partner', () => {
      spec.given([]).when(reimburse()).thenThrows('partner_not_found');
    });
    it('refuses an unknown claim', () => {
      spec
        .given([nominated, claimed])
        .when(reimburse(undefined, 'c9'))
        .thenThrows('claim_not_found');
    });
    it('refuses a second settlement', () => {
      spec
        .given([nominated, claimed, reimbursed])
        .when(reimburse())
        .thenThrows('claim_already_settled');
    });
    it('refuses a reimbursement before the claim', () => {
      spec
        .given([nominated, claimed])
        .when(reimburse('2013-09-11T00:00:00.000Z'))
        .thenThrows('settled_before_claimed');
    });
  });

  describe('RejectExpense', () => {
    it('rejects a claim with a reason', () => {
      spec
        .given([nominated, claimed])
        .when(reject())
        .then([
          {
            type: 'ExpenseRejected',
            data: {
              partnerId: 'p1',
              claimId: 'c1',
              reason: 'No receipt',
              occurredAt: '2013-10-01T00:00:00.000Z',
            },
          },
        ]);
    });
    it('refuses a rejection without a reason', () => {
      spec.given([nominated, claimed]).when(reject('  ')).thenThrows('rejection_reason_required');
    });
    it('refuses rejecting a reimbursed claim', () => {
      spec
        .given([nominated, claimed, reimbursed])
        .when(reject())
        .thenThrows('claim_already_settled');
    });
    it('refuses an unknown claim', () => {
      spec.given([nominated]).when(reject()).thenThrows('claim_not_found');
    });
  });

  describe('ErasePersonalData', () => {
    it('erases a withdrawn partner’s data', () => {
      spec.given([nominated, withdrew]).when(erase()).then([erased]);
    });
    it('refuses an unknown partner', () => {
      spec.given([]).when(erase()).thenThrows('partner_not_found');
    });
    it('refuses a partner who has not withdrawn', () => {
      spec.given([nominated, appointed]).when(erase()).thenThrows('partner_not_withdrawn');
    });
    it('refuses erasure twice', () => {
      spec
        .given([nominated, withdrew, erased])
        .when(erase())
        .thenThrows('personal_data_already_erased');
    });
    it('refuses erasure before the withdrawal', () => {
      spec
        .given([nominated, withdrew])
        .when(erase('2014-02-01T00:00:00.000Z'))
        .thenThrows('erased_before_withdrawal');
    });
  });

  describe('partnerStanding', () => {
    it('is null for an unknown partner', () => {
      expect(partnerStanding(fold(partnerDecider, []))).toBeNull();
    });
    it('describes a lay partner', () => {
      expect(partnerStanding(fold(partnerDecider, [nominated, appointed]))).toEqual({
        partnerId: 'p1',
        status: 'appointed',
        kind: 'lay',
        constituency: 'lay',
        joinedAt: '2013-06-01T00:00:00.000Z',
        appointedAt: '2013-07-01T00:00:00.000Z',
        withdrawnAt: null,
        programmeId: null,
      });
    });
    it('gives a withdrawn partner’s withdrawal date', () => {
      expect(partnerStanding(fold(partnerDecider, [nominated, appointed, withdrew]))).toMatchObject(
        {
          status: 'withdrawn',
          appointedAt: '2013-07-01T00:00:00.000Z',
          withdrawnAt: withdrew.data.occurredAt,
        },
      );
    });
    it('describes a professional', () => {
      expect(partnerStanding(fold(partnerDecider, [registered]))).toEqual({
        partnerId: 'p2',
        status: 'registered',
        kind: 'professional',
        constituency: 'ccg',
        joinedAt: '2013-05-01T00:00:00.000Z',
        appointedAt: null,
        withdrawnAt: null,
        programmeId: null,
      });
    });
  });

  describe('at every instant: backdated commands', () => {
    const refusal = (events: PartnerEvent[], command: PartnerCommand, context = {}) => {
      try {
        partnerDecider.decide(command, fold(partnerDecider, events), { now: NOW, ...context });
      } catch (error) {
        return error as DomainError;
      }
      throw new Error('expected a refusal');
    };
    const given = [nominated, appointed, withdrew];

    describe('nothing the partner does is dated after the withdrawal', () => {
      it('accepts training recorded late, dated before the withdrawal', () => {
        spec
          .given(given)
          .when(train('2014-02-01T00:00:00.000Z'))
          .then([
            {
              type: 'TrainingCompleted',
              data: {
                partnerId: 'p1',
                course: 'Confident challenge',
                occurredAt: '2014-02-01T00:00:00.000Z',
              },
            },
          ]);
      });
      it('refuses training dated after the withdrawal, naming it', () => {
        const error = refusal(given, train('2014-03-02T00:00:00.000Z'));
        expect(error.code).toBe('partner_withdrawn');
        expect(error.details).toEqual({
          partnerId: 'p1',
          withdrewAt: '2014-03-01T00:00:00.000Z',
          occurredAt: '2014-03-02T00:00:00.000Z',
        });
      });
      it('accepts a workshop or interest recorded late, dated before the withdrawal', () => {
        spec.given(given).when(attend()).then([attended]);
        spec.given(given).when(express()).then([interested]);
      });
      it('refuses a workshop or interest dated after the withdrawal', () => {
        spec.given(given).when(attend('2014-05-01T00:00:00.000Z')).thenThrows('partner_withdrawn');
        spec.given(given).when(express('2014-05-01T00:00:00.000Z')).thenThrows('partner_withdrawn');
      });
      it('accepts an appointment dated before the withdrawal and stays withdrawn', () => {
        const forum: PartnerEvent = {
          type: 'PartnerAppointed',
          data: { partnerId: 'p1', body: 'forum', occurredAt: '2013-08-01T00:00:00.000Z' },
        };
        spec
          .given(given)
          .when({ type: 'AppointPartner', data: { ...forum.data } } as PartnerCommand)
          .then([forum]);
        expect(partnerStanding(fold(partnerDecider, [...given, forum]))).toMatchObject({
          status: 'withdrawn',
          withdrawnAt: '2014-03-01T00:00:00.000Z',
        });
      });
      it('refuses an appointment dated after the withdrawal', () => {
        const error = refusal([nominated, withdrew], appoint('2014-03-01T00:00:01.000Z'));
        expect(error.code).toBe('partner_withdrawn');
      });
      it('accepts a claim made after the withdrawal for a cost incurred before it', () => {
        const late = claim({ incurredOn: '2014-02-20', occurredAt: '2014-04-10T00:00:00.000Z' });
        spec
          .given(given)
          .when(late)
          .then([{ type: 'ExpenseClaimed', data: { ...late.data } } as PartnerEvent]);
      });
      it('refuses a claim for a cost incurred after the withdrawal, naming both dates', () => {
        const error = refusal(
          given,
          claim({ incurredOn: '2014-03-05', occurredAt: '2014-03-06T00:00:00.000Z' }),
        );
        expect(error.code).toBe('partner_withdrawn');
        expect(error.details).toMatchObject({
          withdrewAt: '2014-03-01T00:00:00.000Z',
          occurredAt: '2014-03-05',
        });
      });
      it('refuses a second withdrawal, whatever its date', () => {
        const error = refusal(given, withdraw('2013-12-01T00:00:00.000Z'));
        expect(error.code).toBe('partner_withdrawn');
        expect(error.details).toMatchObject({ withdrewAt: '2014-03-01T00:00:00.000Z' });
      });
    });

    describe('a withdrawal is not dated before any activity', () => {
      it('accepts a withdrawal dated on the day of the last activity', () => {
        spec
          .given([nominated, appointed])
          .when(withdraw('2013-07-01T00:00:00.000Z'))
          .then([
            {
              type: 'PartnerWithdrew',
              data: {
                partnerId: 'p1',
                reason: 'time-commitment',
                occurredAt: '2013-07-01T00:00:00.000Z',
              },
            },
          ]);
      });
      it('refuses one dated before a cost incurred, naming the expense', () => {
        const error = refusal([nominated, claimed], withdraw('2013-09-01T00:00:00.000Z'));
        expect(error.code).toBe('withdrew_before_last_activity');
        expect(error.details).toEqual({
          activity: 'expense c1 incurred',
          occurredAt: '2013-09-01T00:00:00.000Z',
          dependsOn: '2013-09-10',
        });
      });
      it('counts when a cost was incurred, not when it was claimed', () => {
        const lateClaim: PartnerEvent = {
          type: 'ExpenseClaimed',
          data: { ...(claimed.data as object), occurredAt: '2014-05-01T00:00:00.000Z' },
        } as PartnerEvent;
        spec.given([nominated, lateClaim]).when(withdraw()).then([withdrew]);
      });
      it('refuses one dated before a training recorded late', () => {
        const trained: PartnerEvent = {
          type: 'TrainingCompleted',
          data: { partnerId: 'p1', course: 'x', occurredAt: '2014-01-01T00:00:00.000Z' },
        };
        const error = refusal([nominated, trained], withdraw('2013-12-31T00:00:00.000Z'));
        expect(error.code).toBe('withdrew_before_last_activity');
        expect(error.details).toMatchObject({
          activity: 'training x',
          dependsOn: '2014-01-01T00:00:00.000Z',
        });
      });
    });

    describe('programme and withdrawal reasons', () => {
      const carers: ProgrammeStanding = {
        programmeId: 'carers',
        launchedAt: '2013-01-01T00:00:00.000Z',
        withdrawalReasons: [
          { key: 'caring-responsibilities', label: 'Caring responsibilities' },
          { key: 'respite-ended', label: 'Respite care ended' },
        ],
      };
      const withReason = (reason: string): PartnerCommand => ({
        type: 'Withdraw',
        data: { partnerId: 'p1', reason, occurredAt: '2014-03-01T00:00:00.000Z' },
      });
      it('accepts a reason of the partner’s programme', () => {
        spec
          .given([nominated])
          .when(withReason('respite-ended'), { programme: carers })
          .then([
            {
              type: 'PartnerWithdrew',
              data: { ...withReason('respite-ended').data },
            } as PartnerEvent,
          ]);
      });
      it('keeps the five legacy reasons valid in every programme', () => {
        spec
          .given([nominated])
          .when(withReason('no-remuneration'), { programme: carers })
          .then([
            {
              type: 'PartnerWithdrew',
              data: { ...withReason('no-remuneration').data },
            } as PartnerEvent,
          ]);
      });
      it('accepts caring responsibilities by default, without a programme', () => {
        spec
          .given([nominated])
          .when(withReason('caring-responsibilities'))
          .then([
            {
              type: 'PartnerWithdrew',
              data: { ...withReason('caring-responsibilities').data },
            } as PartnerEvent,
          ]);
      });
      it('refuses a reason outside the vocabulary, listing the valid ones', () => {
        const error = refusal([nominated], withReason('respite-ended'));
        expect(error.code).toBe('unknown_withdrawal_reason');
        expect(error.details).toEqual({
          reason: 'respite-ended',
          programmeId: null,
          valid: [
            'time-commitment',
            'no-remuneration',
            'caring-responsibilities',
            'health',
            'moved-away',
            'other',
          ],
        });
      });
      it('refuses a reason another programme defined', () => {
        const error = refusal([nominated], withReason('bereavement'), { programme: carers });
        expect(error.code).toBe('unknown_withdrawal_reason');
        expect(error.details['valid']).toEqual([
          'caring-responsibilities',
          'respite-ended',
          'time-commitment',
          'no-remuneration',
          'health',
          'moved-away',
          'other',
        ]);
      });
      it('records the programme a partner joins, no earlier than its launch', () => {
        const joining: PartnerCommand = {
          type: 'NominatePartner',
          data: { ...nominated.data, programmeId: 'carers' },
        };
        spec
          .given([])
          .when(joining, { programme: carers })
          .then([{ type: 'PartnerNominated', data: { ...nominated.data, programmeId: 'carers' } }]);
        expect(
          fold(partnerDecider, [
            { type: 'PartnerNominated', data: { ...joining.data } } as PartnerEvent,
          ]).programmeId,
        ).toBe('carers');
        const early = refusal([], joining, {
          programme: { ...carers, launchedAt: '2013-07-01T00:00:00.000Z' },
        });
        expect(early.code).toBe('joined_before_programme_launched');
        expect(early.details).toMatchObject({
          programmeId: 'carers',
          dependsOn: '2013-07-01T00:00:00.000Z',
        });
      });
      it('refuses an unknown programme', () => {
        spec
          .given([])
          .when({ type: 'RegisterProfessional', data: { ...registered.data, programmeId: 'nope' } })
          .thenThrows('programme_not_found');
      });
    });
  });
});
