import {
  FEEDBACK_CHANNELS,
  FEEDBACK_KINDS,
  RESPONSE_OUTCOMES,
  type FeedbackChannel,
  type FeedbackKind,
  type ResponseOutcome,
} from '@app/domain';
import { IsDefined, IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { BusinessTime, Id, OptionalId, Text } from '../http/common.dto.js';

export class HearFeedbackDto {
  @OptionalId() feedbackId?: string;
  @IsIn(FEEDBACK_CHANNELS) channel!: FeedbackChannel;
  @IsIn(FEEDBACK_KINDS) kind!: FeedbackKind;
  @Text(2000) summary!: string;
  /** The group it was heard in, if any. */
  @IsOptional() @ValidateIf((_, v) => v !== null) @Id() groupId?: string | null;
  /** The partner who raised it, if known and not anonymous. */
  @IsOptional() @ValidateIf((_, v) => v !== null) @Id() raisedBy?: string | null;
  @BusinessTime() occurredAt!: string;
}

export class RespondToFeedbackDto {
  @OptionalId() responseId?: string;
  @IsIn(RESPONSE_OUTCOMES) outcome!: ResponseOutcome;
  /** Why; required (non-blank) for `not-adopted`, which the domain checks. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(2000)
  rationale?: string | null;
  /** The decision that adopted or adapted it; required when decisionGroupId is given. */
  @ValidateIf(
    (dto: RespondToFeedbackDto, v) =>
      (v !== undefined && v !== null) ||
      (dto.decisionGroupId !== undefined && dto.decisionGroupId !== null),
  )
  @IsDefined({ message: 'decisionId is required when decisionGroupId is given' })
  @Id()
  decisionId?: string | null;
  /** The group whose decision is cited; default the group the feedback was heard in. */
  @OptionalId() decisionGroupId?: string | null;
  /** A group id, a role or an office, as the programme office records it. */
  @Text(200) respondedBy!: string;
  @BusinessTime() occurredAt!: string;
}

export class ReportBackDto {
  /** How, e.g. "forum meeting", "newsletter", "letter to the individual". */
  @Text(500) how!: string;
  @BusinessTime() occurredAt!: string;
}
