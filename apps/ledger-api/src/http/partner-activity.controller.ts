import type { PartnerCommand } from '@app/domain';
import { Body, Controller, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CommandMetadata } from '../commands/command-metadata.js';
import { ExecutePartnerCommand } from '../commands/partner/partner-command.handler.js';
import { RECORDERS, Roles } from '../security/roles.js';
import { created } from './command-response.js';
import {
  ExpenseClaimDto,
  ExpenseRejectionDto,
  OccurredDto,
  RegisterProfessionalDto,
  TrainingDto,
  WithdrawalDto,
  WorkshopAttendanceDto,
} from './dto/partner-activity.dto.js';
import { ParseIdPipe } from './ids.js';
import { CommandRoute } from './openapi/api-docs.decorators.js';
import { CommandMeta, newId } from './request-context.js';

/** A partner's path through the programme: registration, recruitment, training, expenses, withdrawal, erasure. */
@ApiTags('partners')
@Roles(...RECORDERS)
@Controller('v1/partners')
export class PartnerActivityController {
  constructor(private readonly commands: CommandBus) {}

  private async run(command: PartnerCommand, metadata: CommandMetadata, reply: FastifyReply) {
    return created(
      reply,
      await this.commands.execute(new ExecutePartnerCommand(command, metadata)),
    );
  }

  @Post()
  @HttpCode(201)
  @CommandRoute(
    'Register a professional (CCG, local authority, provider, voluntary sector)',
    'RegisterProfessionalDto',
    ['partner_exists', 'programme_not_found', 'joined_before_programme_launched'],
  )
  register(
    @Body() dto: RegisterProfessionalDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { partnerId, email, phone, role, programmeId, ...rest } = dto;
    return this.run(
      {
        type: 'RegisterProfessional',
        data: {
          ...rest,
          partnerId: partnerId ?? newId(metadata, 'partner'),
          ...(email === undefined ? {} : { email }),
          ...(phone === undefined ? {} : { phone }),
          ...(role === undefined ? {} : { role }),
          ...(programmeId === undefined ? {} : { programmeId }),
        },
      },
      metadata,
      reply,
    );
  }

  @Post(':id/workshop-attendance')
  @HttpCode(201)
  @CommandRoute('Record that a nominee attended a recruitment workshop', 'WorkshopAttendanceDto', [
    'partner_not_found',
    'workshop_already_attended',
    'lay_partner_only',
  ])
  attend(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: WorkshopAttendanceDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(
      {
        type: 'RecordWorkshopAttendance',
        data: { partnerId, workshopId: dto.workshopId, occurredAt: dto.occurredAt },
      },
      metadata,
      reply,
    );
  }

  @Post(':id/interest')
  @HttpCode(201)
  @CommandRoute('Record that a nominee expressed interest in going forward', 'OccurredDto', [
    'partner_not_found',
    'interest_already_expressed',
  ])
  interest(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: OccurredDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(
      { type: 'ExpressInterest', data: { partnerId, occurredAt: dto.occurredAt } },
      metadata,
      reply,
    );
  }

  @Post(':id/training')
  @HttpCode(201)
  @CommandRoute('Record completed training', 'TrainingDto', [
    'partner_not_found',
    'partner_withdrawn',
    'trained_before_joined',
  ])
  training(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: TrainingDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(
      {
        type: 'CompleteTraining',
        data: { partnerId, course: dto.course, occurredAt: dto.occurredAt },
      },
      metadata,
      reply,
    );
  }

  @Post(':id/withdrawal')
  @HttpCode(201)
  @CommandRoute('Record a withdrawal (vacates every seat and co-chair role)', 'WithdrawalDto', [
    'partner_not_found',
    'partner_withdrawn',
    'unknown_withdrawal_reason',
    'withdrew_before_last_activity',
  ])
  withdraw(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: WithdrawalDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(
      {
        type: 'Withdraw',
        data: {
          partnerId,
          reason: dto.reason,
          ...(dto.note === undefined ? {} : { note: dto.note }),
          occurredAt: dto.occurredAt,
        },
      },
      metadata,
      reply,
    );
  }

  @Post(':id/expenses')
  @HttpCode(201)
  @CommandRoute('Claim out-of-pocket expenses', 'ExpenseClaimDto', [
    'partner_not_found',
    'claim_exists',
    'invalid_amount',
    'claimed_before_incurred',
    'lay_partner_only',
  ])
  async claim(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: ExpenseClaimDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const claimId = dto.claimId ?? newId(metadata, 'claim');
    const result = await this.run(
      {
        type: 'ClaimExpense',
        data: {
          partnerId,
          claimId,
          amountPence: dto.amountPence,
          category: dto.category,
          incurredOn: dto.incurredOn,
          occurredAt: dto.occurredAt,
        },
      },
      metadata,
      reply,
    );
    return { ...result, claimId };
  }

  @Post(':id/expenses/:claimId/reimbursement')
  @HttpCode(201)
  @CommandRoute('Reimburse an expense claim', 'OccurredDto', [
    'partner_not_found',
    'claim_not_found',
    'claim_already_settled',
    'settled_before_claimed',
  ])
  reimburse(
    @Param('id', ParseIdPipe) partnerId: string,
    @Param('claimId', ParseIdPipe) claimId: string,
    @Body() dto: OccurredDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(
      { type: 'ReimburseExpense', data: { partnerId, claimId, occurredAt: dto.occurredAt } },
      metadata,
      reply,
    );
  }

  @Post(':id/expenses/:claimId/rejection')
  @HttpCode(201)
  @CommandRoute('Reject an expense claim, with a reason', 'ExpenseRejectionDto', [
    'partner_not_found',
    'claim_not_found',
    'claim_already_settled',
    'rejection_reason_required',
  ])
  reject(
    @Param('id', ParseIdPipe) partnerId: string,
    @Param('claimId', ParseIdPipe) claimId: string,
    @Body() dto: ExpenseRejectionDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(
      {
        type: 'RejectExpense',
        data: { partnerId, claimId, reason: dto.reason, occurredAt: dto.occurredAt },
      },
      metadata,
      reply,
    );
  }

  @Post(':id/erasure')
  @HttpCode(201)
  @CommandRoute('Erase a withdrawn partner’s personal data (destroys their key)', 'OccurredDto', [
    'partner_not_found',
    'partner_not_withdrawn',
    'personal_data_already_erased',
  ])
  erase(
    @Param('id', ParseIdPipe) partnerId: string,
    @Body() dto: OccurredDto,
    @CommandMeta() metadata: CommandMetadata,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.run(
      { type: 'ErasePersonalData', data: { partnerId, occurredAt: dto.occurredAt } },
      metadata,
      reply,
    );
  }
}
