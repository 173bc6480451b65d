import { assertNotBefore, assertNotInFuture } from '../core/business-time.js';
import type { DecisionContext, Decider, Message } from '../core/decider.js';
import { conflict, notFound, rule } from '../core/domain-error.js';
import { feedbackStream } from '../core/streams.js';
import {
  assertGroupActiveAt,
  type DecisionStanding,
  type GroupStanding,
  type PartnerStanding,
} from '../facts/index.js';
import type { ResponseOutcome } from '../shared/vocabulary.js';
import {
  evolveFeedback,
  initialFeedbackState,
  type FeedbackEvent,
  type FeedbackState,
  type FeedbackHeard,
  type FeedbackReportedBack,
} from './feedback.events.js';

export type HearFeedback = Message<'HearFeedback', FeedbackHeard['data']>;

export type RespondToFeedback = Message<
  'RespondToFeedback',
  {
    feedbackId: string;
    responseId: string;
    outcome: ResponseOutcome;
    rationale?: string | null;
    decisionId: string | null;
    respondedBy: string;
    occurredAt: string;
  }
>;

export type ReportBack = Message<'ReportBack', FeedbackReportedBack['data']>;

export type FeedbackCommand = HearFeedback | RespondToFeedback | ReportBack;

export const feedbackCommandStream = (command: FeedbackCommand): string =>
  feedbackStream(command.data.feedbackId);

export interface FeedbackContext extends DecisionContext {
  /** The group named by HearFeedback.groupId. */
  group?: GroupStanding | null;
  /** The partner named by HearFeedback.raisedBy. */
  raisedBy?: PartnerStanding | null;
  /** The decision named by RespondToFeedback.decisionId. */
  decision?: DecisionStanding | null;
}

export function decideFeedback(
  command: FeedbackCommand,
  state: FeedbackState,
  context: FeedbackContext,
): FeedbackEvent[] {
  assertNotInFuture(command.data.occurredAt, context.now);
  if (command.type === 'HearFeedback') return hear(command, state, context);

  const { feedbackId, occurredAt } = command.data;
  if (state.status === 'unknown' || state.heardAt === null) {
    throw notFound('feedback_not_found', `Feedback ${feedbackId} does not exist`, { feedbackId });
  }
  switch (command.type) {
    case 'RespondToFeedback':
      return respond(command, state, state.heardAt, context);
    case 'ReportBack': {
      if (state.reportedBackAt !== null) {
        throw rule(
          'already_reported_back',
          `Feedback ${feedbackId} was reported back on ${state.reportedBackAt}`,
          {
            feedbackId,
          },
        );
      }
      // The loop closes once there is a result to tell: after the first response in business
      // time. Later responses may follow the report-back (see the README), so the rule does not
      // depend on the order responses were recorded in.
      const first = state.responses.reduce<FeedbackState['responses'][number] | null>(
        (earliest, r) =>
          earliest === null || Date.parse(r.at) < Date.parse(earliest.at) ? r : earliest,
        null,
      );
      if (first === null) {
        throw rule('no_response_yet', `Feedback ${feedbackId} has no response to report back`, {
          feedbackId,
        });
      }
      if (command.data.how.trim() === '') {
        throw rule('how_required', 'Say how the result was reported back', { feedbackId });
      }
      assertNotBefore(occurredAt, first.at, 'reported_back_before_response', 'the first response', {
        feedbackId,
        responseId: first.responseId,
      });
      return [{ type: 'FeedbackReportedBack', data: { ...command.data } }];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function hear(
  { data }: HearFeedback,
  state: FeedbackState,
  { group, raisedBy }: FeedbackContext,
): FeedbackEvent[] {
  const { feedbackId, summary, groupId, occurredAt } = data;
  if (state.status !== 'unknown') {
    throw conflict('feedback_exists', `Feedback ${feedbackId} already exists`, { feedbackId });
  }
  if (summary.trim() === '') {
    throw rule('summary_required', 'Feedback needs a summary', { feedbackId });
  }
  if (groupId !== null) {
    assertGroupActiveAt(group, groupId, occurredAt, 'heard_before_group_established');
  }
  if (data.raisedBy !== null) {
    if (!raisedBy || raisedBy.partnerId !== data.raisedBy) {
      throw notFound('partner_not_found', `Partner ${data.raisedBy} does not exist`, {
        partnerId: data.raisedBy,
      });
    }
    assertNotBefore(
      occurredAt,
      raisedBy.joinedAt,
      'heard_before_partner_joined',
      'the partner joined',
      { partnerId: raisedBy.partnerId },
    );
    const withdrewAt = raisedBy.withdrawnAt ?? null;
    if (withdrewAt !== null && Date.parse(occurredAt) > Date.parse(withdrewAt)) {
      throw rule('partner_withdrawn', `Partner ${raisedBy.partnerId} withdrew on ${withdrewAt}`, {
        partnerId: raisedBy.partnerId,
        withdrewAt,
        occurredAt,
      });
    }
  }
  return [{ type: 'FeedbackHeard', data: { ...data } }];
}

function respond(
  { data }: RespondToFeedback,
  state: FeedbackState,
  heardAt: string,
  { decision }: FeedbackContext,
): FeedbackEvent[] {
  const { feedbackId, responseId, outcome, decisionId, respondedBy, occurredAt } = data;
  const rationale = data.rationale?.trim() ? data.rationale : null;
  if (state.responses.some((r) => r.responseId === responseId)) {
    throw conflict('response_exists', `Response ${responseId} is already recorded`, { responseId });
  }
  // Saying no without saying why is what lay partners most objected to.
  if (outcome === 'not-adopted' && rationale === null) {
    throw rule('rationale_required', 'A not-adopted response must give its rationale', {
      responseId,
    });
  }
  assertNotBefore(occurredAt, heardAt, 'responded_before_heard', 'the feedback was heard', {
    feedbackId,
  });
  if (decisionId !== null) {
    if (!decision || decision.decisionId !== decisionId) {
      throw notFound('decision_not_found', `Decision ${decisionId} does not exist`, { decisionId });
    }
    assertNotBefore(occurredAt, decision.decidedAt, 'responded_before_decision', 'the decision', {
      decisionId,
    });
  }
  return [
    {
      type: 'FeedbackResponded',
      data: { feedbackId, responseId, outcome, rationale, decisionId, respondedBy, occurredAt },
    },
  ];
}

export const feedbackDecider: Decider<
  FeedbackCommand,
  FeedbackEvent,
  FeedbackState,
  FeedbackContext
> = {
  decide: decideFeedback,
  evolve: evolveFeedback,
  initialState: initialFeedbackState,
};
