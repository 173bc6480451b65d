import { CONSTITUENCIES, type Constituency } from '@app/domain';
import { applyDecorators } from '@nestjs/common';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { ID_MESSAGE, ID_PATTERN } from '../http/ids.js';
import {
  BusinessTime,
  OptionalBusinessDate,
  Id,
  OptionalId,
  OptionalRoleLevel,
  Text,
} from '../http/common.dto.js';

/** A list of partner or feedback ids. */
const IdList = (max: number, nonEmpty = false) =>
  applyDecorators(
    IsArray(),
    ArrayMaxSize(max),
    ...(nonEmpty ? [ArrayNotEmpty()] : []),
    Matches(ID_PATTERN, { each: true, message: `each of $property ${ID_MESSAGE}` }),
  );

export class AppointCoChairDto {
  @Id() partnerId!: string;
  @IsIn(CONSTITUENCIES) constituency!: Constituency;
  /** The role level of the term; absent: the programme's only level in force, if one. */
  @OptionalRoleLevel() roleLevel?: string;
  @BusinessTime() occurredAt!: string;
  /** A past term: the co-chair stood down on this date (after occurredAt, not in the future). */
  @OptionalBusinessDate() until?: string;
}

export class StandDownDto {
  @Text(500) reason!: string;
  @BusinessTime() occurredAt!: string;
}

export class HoldMeetingDto {
  @OptionalId() meetingId?: string;
  @IdList(500, true) attendees!: string[];
  @IsOptional() @IdList(500) apologies?: string[];
  @IsInt() @Min(1) @Max(24 * 60) durationMinutes!: number;
  @BusinessTime() occurredAt!: string;
}

export class RecordDecisionDto {
  @OptionalId() decisionId?: string;
  @Text(2000) summary!: string;
  @IsOptional() @IdList(100) influencedBy?: string[];
  @IsOptional() @IdList(100) layMembersPresent?: string[];
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) @Max(1000) touchstoneVersion?:
    number | null;
  @IsOptional() @ValidateIf((_, v) => v !== null) @Id() meetingId?: string | null;
  @BusinessTime() occurredAt!: string;
}

export class DissolveGroupDto {
  @Text(500) reason!: string;
  @BusinessTime() occurredAt!: string;
}
