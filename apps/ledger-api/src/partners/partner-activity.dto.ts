import {
  CONSTITUENCIES,
  EXPENSE_CATEGORIES,
  type Constituency,
  type ExpenseCategory,
} from '@app/domain';
import { IsEmail, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import {
  BusinessTime,
  Currency,
  Id,
  OptionalId,
  OptionalRoleLevel,
  Text,
} from '../http/common.dto.js';

export class RegisterProfessionalDto {
  @OptionalId() partnerId?: string;
  @Text(200) name!: string;
  @IsOptional() @IsEmail() email?: string;
  @IsOptional()
  @Matches(/^\+?[0-9 ()-]{6,20}$/, { message: 'phone must be a telephone number' })
  phone?: string;
  @Text(200) organisation!: string;
  @IsIn(CONSTITUENCIES.filter((c) => c !== 'lay'), {
    message: 'constituency must be a professional constituency (not lay)',
  })
  constituency!: Constituency;
  @IsOptional() @Text(200) role?: string;
  /** The programme the professional joins: its withdrawal reasons apply to them. */
  @OptionalId() programmeId?: string;
  @BusinessTime() occurredAt!: string;
}

export class WorkshopAttendanceDto {
  @Id() workshopId!: string;
  @BusinessTime() occurredAt!: string;
}

export class OccurredDto {
  @BusinessTime() occurredAt!: string;
}

export class TrainingDto {
  @Text(200) course!: string;
  @BusinessTime() occurredAt!: string;
}

export class WithdrawalDto {
  /** A key of the partner's programme's withdrawal reasons (the domain checks which). */
  @Text(100) reason!: string;
  @IsOptional() @Text(1000) note?: string;
  @BusinessTime() occurredAt!: string;
}

export class ExpenseClaimDto {
  @OptionalId() claimId?: string;
  @IsInt() @Min(1) @Max(10_000_000) amountPence!: number;
  @IsIn(EXPENSE_CATEGORIES) category!: ExpenseCategory;
  @BusinessTime() incurredOn!: string;
  @BusinessTime() occurredAt!: string;
}

export class ExpenseRejectionDto {
  @Text(500) reason!: string;
  @BusinessTime() occurredAt!: string;
}

/**
 * An involvement payment made or declined: integer pence from zero (for a
 * declined one, the amount offered), a currency (absent: GBP) and the role
 * level paid for, if on record. `paymentId` is the office's reference, once
 * per partner (absent: one is made, deterministic under Idempotency-Key).
 */
export class InvolvementPaymentDto {
  @OptionalId() paymentId?: string;
  @IsInt() @Min(0) @Max(10_000_000) amountPence!: number;
  @IsOptional() @Currency() currency?: string;
  @OptionalRoleLevel() roleLevel?: string;
  @BusinessTime() occurredAt!: string;
}
