import type { CommandDeclarations, Within } from '../core/command-declaration.js';
import type { FeedbackCommand } from './feedback.decider.js';
import type { FeedbackEvent } from './feedback.events.js';

/** Every command but HearFeedback names feedback already heard. */
const onHeardFeedback = { feedback_not_found: 'not_found' } as const;

/** The feedback stream's commands: events and error codes (see core/command-declaration.ts). */
export const feedbackCommands = {
  HearFeedback: {
    events: ['FeedbackHeard'],
    errors: {
      feedback_exists: 'conflict',
      summary_required: 'rule',
      group_not_found: 'not_found',
      group_dissolved: 'rule',
      heard_before_group_established: 'rule',
      partner_not_found: 'not_found',
      heard_before_partner_joined: 'rule',
      partner_withdrawn: 'rule',
    },
  },
  RespondToFeedback: {
    events: ['FeedbackResponded'],
    errors: {
      ...onHeardFeedback,
      response_exists: 'conflict',
      rationale_required: 'rule',
      responded_before_heard: 'rule',
      decision_not_found: 'not_found',
      responded_before_decision: 'rule',
    },
  },
  ReportBack: {
    events: ['FeedbackReportedBack'],
    errors: {
      ...onHeardFeedback,
      already_reported_back: 'rule',
      no_response_yet: 'rule',
      how_required: 'rule',
      reported_back_before_response: 'rule',
    },
  },
} as const satisfies CommandDeclarations<FeedbackEvent['type']>;

export type FeedbackCommandType = keyof typeof feedbackCommands;

type _EveryFeedbackCommandDeclared = Within<FeedbackCommand['type'], FeedbackCommandType>;
type _EveryFeedbackDeclarationDecided = Within<FeedbackCommandType, FeedbackCommand['type']>;
type _FeedbackDeclaredEvents = (typeof feedbackCommands)[FeedbackCommandType]['events'][number];
type _EveryFeedbackEventDeclared = Within<FeedbackEvent['type'], _FeedbackDeclaredEvents>;
