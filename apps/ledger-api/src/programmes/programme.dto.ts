import {
  ORGANISATION_KINDS,
  PAYMENT_BASES,
  type OrganisationKind,
  type PaymentBasis,
} from '@app/domain';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  BusinessTime,
  Currency,
  Id,
  OptionalId,
  OptionalRoleLevel,
  Text,
} from '../http/common.dto.js';

export class LaunchProgrammeDto {
  @OptionalId() programmeId?: string;
  @Text(200) name!: string;
  /** May be empty; a borough listed twice is the domain's `duplicate_borough`. */
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  boroughs!: string[];
  @BusinessTime() occurredAt!: string;
}

/** Money is integer pence plus a currency, per hour of meetings attended or per meeting. */
export class InvolvementRateDto {
  @IsInt() @Min(0) @Max(10_000_000) amountPence!: number;
  @Currency() currency!: string;
  @IsIn(PAYMENT_BASES) per!: PaymentBasis;
}

export class PublishRoleProfileDto {
  @IsInt() @Min(0) @Max(100) meetingsPerMonth!: number;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(744) hoursPerMonth!: number;
  @IsBoolean() paid!: boolean;
  @IsBoolean() expensesReimbursed!: boolean;
  @Text(2000) summary!: string;
  /** The role level the profile describes (absent: lay-partner); each level has its own profile. */
  @OptionalRoleLevel() roleLevel?: string;
  /** The involvement payment offered; zero for none. An unpaid profile offers none above zero. */
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => InvolvementRateDto)
  involvementPayment?: InvolvementRateDto;
  @BusinessTime() occurredAt!: string;
}

export class NominatingOrganisationRequestDto {
  @Text(200) name!: string;
  @IsIn(ORGANISATION_KINDS) kind!: OrganisationKind;
}

export class RequestNominationsDto {
  /** The recruitment round, e.g. `2013-design-phase`; nominations and workshops refer to it. */
  @Text(100) campaign!: string;
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => NominatingOrganisationRequestDto)
  organisations!: NominatingOrganisationRequestDto[];
  @BusinessTime() occurredAt!: string;
}

export class HoldRecruitmentWorkshopDto {
  @OptionalId() workshopId?: string;
  @IsInt() @Min(0) @Max(100_000) attendees!: number;
  @Text(100) campaign!: string;
  @BusinessTime() occurredAt!: string;
}

export class WithdrawalReasonDto {
  /** Kebab-case, e.g. `caring-responsibilities`; checked by the domain (`invalid_withdrawal_reason_key`). */
  @Text(100) key!: string;
  /** How people read it, e.g. "Caring responsibilities". */
  @Text(200) label!: string;
}

export class DefineWithdrawalReasonsDto {
  /** Replaces the programme's vocabulary; the five legacy reasons stay valid regardless. */
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => WithdrawalReasonDto)
  reasons!: WithdrawalReasonDto[];
  @BusinessTime() occurredAt!: string;
}

export class AdoptPrinciplesDto {
  /** Exactly the current version + 1 (1 for the first); otherwise 409. */
  @IsInt() @Min(1) @Max(10_000) version!: number;
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(500, { each: true })
  statements!: string[];
  /** The group that adopted the touchstone, e.g. the programme board. */
  @Id() adoptedBy!: string;
  @BusinessTime() occurredAt!: string;
}

export class SetResponseTargetsDto {
  /** Days from heard to the first response; omitted or null: no target for that step. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(3660)
  firstResponseDays?: number | null;
  /** Days from heard to reporting back (closing the loop); omitted or null: no target. */
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(3660)
  reportBackDays?: number | null;
  @BusinessTime() occurredAt!: string;
}
