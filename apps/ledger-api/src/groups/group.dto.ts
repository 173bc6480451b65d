import {
  CADENCES,
  CONSTITUENCIES,
  GROUP_KINDS,
  GROUP_LEVELS,
  type Cadence,
  type Constituency,
  type GroupKind,
  type GroupLevel,
} from '@app/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  BusinessTime,
  Id,
  OptionalBusinessDate,
  OptionalId,
  OptionalRoleLevel,
  Text,
} from '../http/common.dto.js';

export class LaySeatsDto {
  @IsInt() @Min(0) @Max(1000) min!: number;
  @IsInt() @Min(0) @Max(1000) max!: number;
}

export class EstablishGroupDto {
  @OptionalId() groupId?: string;
  @Text(200) name!: string;
  @IsIn(GROUP_KINDS) kind!: GroupKind;
  @IsIn(GROUP_LEVELS) level!: GroupLevel;
  @IsOptional() @ValidateIf((_, v) => v !== null) @Id() parentGroupId?: string | null;
  @IsOptional() @ValidateIf((_, v) => v !== null) @Text(100) borough?: string | null;
  @IsIn(CADENCES) cadence!: Cadence;
  @IsObject() @ValidateNested() @Type(() => LaySeatsDto) laySeats!: LaySeatsDto;
  @IsArray()
  @ArrayMaxSize(CONSTITUENCIES.length)
  @IsIn(CONSTITUENCIES, { each: true })
  coChairConstituencies!: Constituency[];
  /**
   * The programme the group belongs to. Optional when the ledger runs one programme
   * (or for a sub-group, which belongs to its parent's); with several, required.
   */
  @OptionalId() programmeId?: string;
  @BusinessTime() occurredAt!: string;
}

export class AllocateSeatDto {
  @OptionalId() seatId?: string;
  @Id() partnerId!: string;
  @IsIn(CONSTITUENCIES) constituency!: Constituency;
  @OptionalBusinessDate() termEndsOn?: string;
  /** The role level of the seat; absent: the programme's only level in force, if one. */
  @OptionalRoleLevel() roleLevel?: string;
  @BusinessTime() occurredAt!: string;
  /** A past term: the seat was vacated on this date (after occurredAt, not in the future). */
  @OptionalBusinessDate() until?: string;
}

export class VacateSeatDto {
  @Text(500) reason!: string;
  @BusinessTime() occurredAt!: string;
}
