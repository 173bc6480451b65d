import { fold } from '../core/decider.js';
import type { DomainError } from '../core/domain-error.js';
import { deciderSpec } from '../core/testing/decider-spec.js';
import type { GroupStanding, PartnerStanding } from '../facts/index.js';
import {
  feedbackCommandStream,
  feedbackDecider,
  type FeedbackCommand,
  type HearFeedback,
  type RespondToFeedback,
} from './feedback.decider.js';
import { feedbackStanding, type FeedbackEvent, type FeedbackResponded } from './feedback.events.js';

const NOW = '2016-01-01T00:00:00.000Z';
const group: GroupStanding = {
  groupId: 'g1',
  status: 'active',
  establishedAt: '2013-09-01T00:00:00.000Z',
  dissolvedAt: null,
  coChairConstituencies: ['lay'],
};
const raisedBy: PartnerStanding = {
  partnerId: 'p1',
  status: 'appointed',
  kind: 'lay',
  constituency: 'lay',
  joinedAt: '2013-06-01T00:00:00.000Z',
  appointedAt: '2013-07-01T00:00:00.000Z',
  withdrawnAt: null,
};
const decision = { groupId: 'g1', decisionId: 'd1', decidedAt: '2013-12-01T00:00:00.000Z' };
const spec = deciderSpec(feedbackDecider, { now: NOW, group, raisedBy, decision });

const heardData: HearFeedback['data'] = {
  feedbackId: 'f1',
  channel: 'advisory-group',
  kind: 'challenge',
  summary: 'Papers arrive too late to read before meetings',
  groupId: 'g1',
  raisedBy: 'p1',
  occurredAt: '2013-11-15T00:00:00.000Z',
};
const heard: FeedbackEvent = { type: 'FeedbackHeard', data: heardData };
const respondedData: FeedbackResponded['data'] = {
  feedbackId: 'f1',
  responseId: 'r1',
  outcome: 'adopted',
  rationale: null,
  decisionId: 'd1',
  respondedBy: 'g1',
  occurredAt: '2013-12-05T00:00:00.000Z',
};
const responded: FeedbackEvent = { type: 'FeedbackResponded', data: respondedData };
const reportedBack: FeedbackEvent = {
  type: 'FeedbackReportedBack',
  data: {
    feedbackId: 'f1',
    how: 'Lay Partners Forum, January meeting',
    occurredAt: '2014-01-10T00:00:00.000Z',
  },
};

const hear = (overrides: Partial<HearFeedback['data']> = {}): FeedbackCommand => ({
  type: 'HearFeedback',
  data: { ...heardData, ...overrides },
});
const respond = (overrides: Partial<RespondToFeedback['data']> = {}): FeedbackCommand => ({
  type: 'RespondToFeedback',
  data: { ...respondedData, ...overrides },
});
const reportBack = (
  overrides: Partial<{ how: string; occurredAt: string }> = {},
): FeedbackCommand => ({
  type: 'ReportBack',
  data: {
    feedbackId: 'f1',
    how: 'Lay Partners Forum, January meeting',
    occurredAt: '2014-01-10T00:00:00.000Z',
    ...overrides,
  },
});

describe('feedback decider', () => {
  it('names the feedback stream from the command', () => {
    expect(feedbackCommandStream(hear())).toBe('feedback-f1');
  });

  describe('HearFeedback', () => {
    it('hears feedback raised by a partner at a group, backdated', () => {
      spec.given([]).when(hear()).then([heard]);
    });
    it('hears anonymous feedback outside any group', () => {
      const data = {
        ...heardData,
        channel: 'survey' as const,
        kind: 'idea' as const,
        groupId: null,
        raisedBy: null,
      };
      spec
        .given([])
        .when(hear(data), { group: null, raisedBy: null })
        .then([{ type: 'FeedbackHeard', data }]);
    });
    it('refuses existing feedback', () => {
      spec.given([heard]).when(hear()).thenThrows('feedback_exists');
    });
    it('refuses a future date', () => {
      spec
        .given([])
        .when(hear({ occurredAt: '2016-03-01T00:00:00.000Z' }))
        .thenThrows('occurred_in_future');
    });
    it('refuses an empty summary', () => {
      spec
        .given([])
        .when(hear({ summary: ' ' }))
        .thenThrows('summary_required');
    });
    it('refuses an unknown group', () => {
      spec.given([]).when(hear(), { group: null }).thenThrows('group_not_found');
    });
    it('refuses feedback heard at a group after it was dissolved', () => {
      spec
        .given([])
        .when(hear(), {
          group: { ...group, status: 'dissolved', dissolvedAt: '2013-11-01T00:00:00.000Z' },
        })
        .thenThrows('group_dissolved');
    });
    it('accepts feedback heard at a group before it was dissolved', () => {
      spec
        .given([])
        .when(hear(), {
          group: { ...group, status: 'dissolved', dissolvedAt: '2014-11-01T00:00:00.000Z' },
        })
        .then([heard]);
    });
    it('refuses feedback heard before the group was established', () => {
      spec
        .given([])
        .when(hear({ occurredAt: '2013-08-01T00:00:00.000Z', raisedBy: null }))
        .thenThrows('heard_before_group_established');
    });
    it('refuses an unknown partner', () => {
      spec.given([]).when(hear(), { raisedBy: null }).thenThrows('partner_not_found');
    });
    it('refuses feedback raised before the partner joined', () => {
      spec
        .given([])
        .when(hear({ groupId: null }), {
          raisedBy: { ...raisedBy, joinedAt: '2013-12-01T00:00:00.000Z' },
        })
        .thenThrows('heard_before_partner_joined');
    });
  });

  describe('RespondToFeedback', () => {
    it('records a response tied to a decision', () => {
      spec.given([heard]).when(respond()).then([responded]);
    });
    it('allows several responses', () => {
      const noted = {
        ...respondedData,
        responseId: 'r2',
        outcome: 'noted' as const,
        decisionId: null,
        occurredAt: '2013-11-20T00:00:00.000Z',
      };
      spec
        .given([heard])
        .when(respond(noted))
        .then([{ type: 'FeedbackResponded', data: noted }]);
      const later = { ...respondedData, responseId: 'r3' };
      spec
        .given([heard, { type: 'FeedbackResponded', data: noted }])
        .when(respond(later))
        .then([{ type: 'FeedbackResponded', data: later }]);
    });
    it('records not-adopted with its rationale', () => {
      const data = {
        ...respondedData,
        outcome: 'not-adopted' as const,
        rationale: 'Statutory deadline',
        decisionId: null,
      };
      spec
        .given([heard])
        .when(respond(data))
        .then([{ type: 'FeedbackResponded', data }]);
    });
    it('refuses unknown feedback', () => {
      spec.given([]).when(respond()).thenThrows('feedback_not_found');
    });
    it('refuses a response id already used', () => {
      spec.given([heard, responded]).when(respond()).thenThrows('response_exists');
    });
    it.each([undefined, null, '', '   '])('refuses not-adopted with rationale %p', (rationale) => {
      spec
        .given([heard])
        .when(respond({ outcome: 'not-adopted', rationale, decisionId: null }))
        .thenThrows('rationale_required');
    });
    it('refuses a response before the feedback was heard', () => {
      spec
        .given([heard])
        .when(respond({ occurredAt: '2013-11-01T00:00:00.000Z', decisionId: null }))
        .thenThrows('responded_before_heard');
    });
    it('refuses an unknown decision', () => {
      spec.given([heard]).when(respond(), { decision: null }).thenThrows('decision_not_found');
    });
    it('refuses a response before its decision', () => {
      spec
        .given([heard])
        .when(respond({ occurredAt: '2013-11-20T00:00:00.000Z' }))
        .thenThrows('responded_before_decision');
    });
  });

  describe('ReportBack', () => {
    it('closes the loop after a response', () => {
      spec.given([heard, responded]).when(reportBack()).then([reportedBack]);
    });
    it('refuses unknown feedback', () => {
      spec.given([]).when(reportBack()).thenThrows('feedback_not_found');
    });
    it('refuses reporting back twice', () => {
      spec
        .given([heard, responded, reportedBack])
        .when(reportBack())
        .thenThrows('already_reported_back');
    });
    it('refuses reporting back before any response', () => {
      spec.given([heard]).when(reportBack()).thenThrows('no_response_yet');
    });
    it('refuses a report-back without saying how', () => {
      spec
        .given([heard, responded])
        .when(reportBack({ how: '' }))
        .thenThrows('how_required');
    });
    it('refuses a report-back dated before the first response', () => {
      spec
        .given([heard, responded])
        .when(reportBack({ occurredAt: '2013-12-01T00:00:00.000Z' }))
        .thenThrows('reported_back_before_response');
    });
  });

  describe('feedbackStanding', () => {
    it('tells a decision when the feedback was heard', () => {
      expect(feedbackStanding(fold(feedbackDecider, []))).toBeNull();
      expect(feedbackStanding(fold(feedbackDecider, [heard, responded]))).toEqual({
        feedbackId: 'f1',
        heardAt: '2013-11-15T00:00:00.000Z',
      });
    });
  });

  describe('at every instant: backdated commands', () => {
    const refusal = (events: FeedbackEvent[], command: FeedbackCommand, context = {}) => {
      try {
        feedbackDecider.decide(command, fold(feedbackDecider, events), {
          now: NOW,
          group,
          raisedBy,
          decision,
          ...context,
        });
      } catch (error) {
        return error as DomainError;
      }
      throw new Error('expected a refusal');
    };
    const later: FeedbackEvent = {
      type: 'FeedbackResponded',
      data: { ...respondedData, responseId: 'r2', occurredAt: '2014-03-01T00:00:00.000Z' },
    };

    it('accepts a report-back between two responses, whatever order they were recorded in', () => {
      // Recorded in order, the report-back would precede the second response; so it may late.
      spec.given([heard, responded, later]).when(reportBack()).then([reportedBack]);
    });
    it('refuses a report-back dated before the first response, naming it', () => {
      const error = refusal(
        [heard, later, responded],
        reportBack({ occurredAt: '2013-12-04T00:00:00.000Z' }),
      );
      expect(error.code).toBe('reported_back_before_response');
      expect(error.details).toEqual({
        feedbackId: 'f1',
        responseId: 'r1',
        occurredAt: '2013-12-04T00:00:00.000Z',
        dependsOn: '2013-12-05T00:00:00.000Z',
      });
    });
    it('accepts a response recorded late, dated before the report-back', () => {
      spec
        .given([heard, responded, reportedBack])
        .when(
          respond({ responseId: 'r0', decisionId: null, occurredAt: '2013-11-20T00:00:00.000Z' }),
        )
        .then([
          {
            type: 'FeedbackResponded',
            data: {
              ...respondedData,
              responseId: 'r0',
              decisionId: null,
              occurredAt: '2013-11-20T00:00:00.000Z',
            },
          },
        ]);
    });
    it('refuses a response dated before the feedback was heard, naming it', () => {
      const error = refusal(
        [heard],
        respond({ decisionId: null, occurredAt: '2013-11-01T00:00:00.000Z' }),
      );
      expect(error.code).toBe('responded_before_heard');
      expect(error.details).toMatchObject({ feedbackId: 'f1', dependsOn: heardData.occurredAt });
    });
    it('refuses a response dated before its decision, naming it', () => {
      const error = refusal([heard], respond({ occurredAt: '2013-11-30T00:00:00.000Z' }));
      expect(error.code).toBe('responded_before_decision');
      expect(error.details).toMatchObject({ decisionId: 'd1', dependsOn: decision.decidedAt });
    });

    describe('feedback raised by a partner is not dated after their withdrawal', () => {
      const withdrawn: PartnerStanding = {
        ...raisedBy,
        status: 'withdrawn',
        withdrawnAt: '2014-02-01T00:00:00.000Z',
      };
      it('accepts feedback recorded late, dated before the withdrawal', () => {
        spec.given([]).when(hear(), { raisedBy: withdrawn }).then([heard]);
      });
      it('refuses feedback dated after it, naming it', () => {
        const error = refusal([], hear({ occurredAt: '2014-02-02T00:00:00.000Z' }), {
          raisedBy: withdrawn,
        });
        expect(error.code).toBe('partner_withdrawn');
        expect(error.details).toEqual({
          partnerId: 'p1',
          withdrewAt: '2014-02-01T00:00:00.000Z',
          occurredAt: '2014-02-02T00:00:00.000Z',
        });
      });
    });
  });
});
