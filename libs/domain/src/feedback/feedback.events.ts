import type { Message } from '../core/decider.js';
import type { FeedbackChannel, FeedbackKind, ResponseOutcome } from '../shared/vocabulary.js';

export type FeedbackHeard = Message<
  'FeedbackHeard',
  {
    feedbackId: string;
    channel: FeedbackChannel;
    kind: FeedbackKind;
    summary: string;
    /** The group where it was heard, if any. */
    groupId: string | null;
    /** The partner who raised it, if known and not anonymous (e.g. a survey). */
    raisedBy: string | null;
    occurredAt: string;
  }
>;

export type FeedbackResponded = Message<
  'FeedbackResponded',
  {
    feedbackId: string;
    responseId: string;
    outcome: ResponseOutcome;
    /** Why; always present (non-empty) when `not-adopted`. */
    rationale: string | null;
    /** The decision that adopted or adapted it, if any. */
    decisionId: string | null;
    /** Who responded: a group id, a role or an office, as the programme office records it. */
    respondedBy: string;
    occurredAt: string;
  }
>;

/** The loop closed: the people who raised it were told what became of it. */
export type FeedbackReportedBack = Message<
  'FeedbackReportedBack',
  {
    feedbackId: string;
    /** How, e.g. "forum meeting", "newsletter", "letter to the individual". */
    how: string;
    occurredAt: string;
  }
>;

export type FeedbackEvent = FeedbackHeard | FeedbackResponded | FeedbackReportedBack;

export interface FeedbackState {
  status: 'unknown' | 'heard';
  feedbackId: string | null;
  /** The group it was heard in, if any: a response's decision is looked up there by default. */
  groupId: string | null;
  heardAt: string | null;
  responses: Array<{ responseId: string; outcome: ResponseOutcome; at: string }>;
  reportedBackAt: string | null;
}

export const initialFeedbackState = (): FeedbackState => ({
  status: 'unknown',
  feedbackId: null,
  groupId: null,
  heardAt: null,
  responses: [],
  reportedBackAt: null,
});

export function evolveFeedback(state: FeedbackState, event: FeedbackEvent): FeedbackState {
  switch (event.type) {
    case 'FeedbackHeard':
      return {
        ...state,
        status: 'heard',
        feedbackId: event.data.feedbackId,
        groupId: event.data.groupId,
        heardAt: event.data.occurredAt,
      };
    case 'FeedbackResponded': {
      const { responseId, outcome, occurredAt } = event.data;
      return { ...state, responses: [...state.responses, { responseId, outcome, at: occurredAt }] };
    }
    case 'FeedbackReportedBack':
      return { ...state, reportedBackAt: event.data.occurredAt };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** What a decision citing this feedback needs to know. */
export interface FeedbackStanding {
  feedbackId: string;
  heardAt: string;
}

export function feedbackStanding(state: FeedbackState): FeedbackStanding | null {
  if (state.status === 'unknown' || state.feedbackId === null || state.heardAt === null)
    return null;
  return { feedbackId: state.feedbackId, heardAt: state.heardAt };
}
